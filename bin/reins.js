#!/usr/bin/env node
// The `reins` command. Runs the built CLI (out/, from `npm run build`) when present, else the TypeScript
// sources, which Node 24 runs directly. Plain JavaScript that parses on old Node, so that an old Node
// gets a clear message instead of a syntax error.

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `reins needs Node 24 (this is ${process.version}).\n` +
      'Get it from https://nodejs.org or with `nvm install 24`, or run `npm start` in the Reins checkout,\n' +
      'which installs Node 24.21.0 into ~/.cache/reins/toolchain by itself.\n',
  );
  process.exit(1);
}

// Built-ins through process.getBuiltinModule (Node 22.3+, so only after the check above), not `import`:
// an ES import of a built-in builds its module facade, which reads every export and so loads what the
// lazy ones hide (node:fs its streams and promises API): milliseconds the hook pays on every tool call.
const { existsSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');

// Compiled code is cached on disk between runs: the hook client starts once per tool call of an agent,
// and most of a short run is compiling. Harmless where the cache cannot be written.
module.enableCompileCache?.();

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** A module of the built tree when present, else its TypeScript source. */
const pick = (dir, name) => {
  const built = join(root, 'out', dir, `${name}.js`);
  return pathToFileURL(existsSync(built) ? built : join(root, 'src-main', dir, `${name}.ts`)).href;
};
if (process.argv[2] === 'hook') {
  // An agent's hook, once per tool call: straight to the small hook client, not the whole CLI.
  const { hookMain } = await import(pick('hooks', 'hook-main'));
  await hookMain(process.argv.slice(3));
} else {
  await import(pick('cli', 'main'));
}
