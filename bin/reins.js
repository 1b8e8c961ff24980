#!/usr/bin/env node
// The `reins` command. Runs the built CLI (out/, from `npm run build`) when present, else the TypeScript
// sources, which Node 24 runs directly. Plain JavaScript that parses on old Node, so that an old Node
// gets a clear message instead of a syntax error.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `reins needs Node 24 (this is ${process.version}).\n` +
      'Get it from https://nodejs.org or with `nvm install 24`, or run `npm start` in the Reins checkout,\n' +
      'which installs Node 24.21.0 into ~/.cache/reins/toolchain by itself.\n',
  );
  process.exit(1);
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, 'out', 'cli', 'main.js');
const entry = existsSync(built) ? built : join(root, 'src-main', 'cli', 'main.ts');
await import(pathToFileURL(entry).href);
