#!/usr/bin/env node
/**
 * `npm run build`: everything the packaged app and `bin/reins.js` load, under out/.
 *   out/{cli,contract,core,surfaces,daemon,desktop}/**  tsc emit of src-main (ESM, `.ts` imports rewritten to `.js`)
 *   out/preload/index.cjs  the preload as one CommonJS script: sandboxed preloads cannot load ES modules
 *   out/renderer/**        vite build of the React renderer
 * out/ stands in for src-main/ at the same depth, so paths a module resolves relative to itself
 * (`new URL('../../package.json', import.meta.url)`, the renderer folder) hold in both layouts.
 * Node 24 runs the .ts sources directly, so none of this is needed to run the daemon, CLI or tests.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'out');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

/** Files whose absence means the build is broken even if every step exited 0. */
const EXPECTED = ['out/cli/main.js', 'out/desktop/main.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

function step(label, args) {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(`[reins] build: ${label} ${ok ? 'ok' : 'FAILED'} (${Date.now() - started} ms)\n`);
  return ok;
}

/** Builds main, preload and renderer into out/; resolves 0 on success. */
export async function main() {
  rmSync(out, { recursive: true, force: true });
  const preloadTmp = join(out, '.preload-tmp');
  const ok =
    step('main process (tsc → out/)', [tsc, '-p', 'tsconfig.build.json']) &&
    step('preload (tsc → out/preload/index.cjs)', [tsc, '-p', 'tsconfig.preload.json', '--noEmit', 'false', '--rootDir', '.', '--outDir', preloadTmp]) &&
    step('renderer (vite → out/renderer)', [vite, 'build', '--config', 'vite.config.ts', '--logLevel', 'warn']);
  if (!ok) {
    // A half-written out/ would shadow the sources for bin/reins.js: leave none rather than a broken one.
    rmSync(out, { recursive: true, force: true });
    return 1;
  }
  mkdirSync(join(out, 'preload'), { recursive: true });
  copyFileSync(join(preloadTmp, 'src-preload', 'index.js'), join(out, 'preload', 'index.cjs'));
  rmSync(preloadTmp, { recursive: true, force: true });
  const missing = EXPECTED.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    process.stderr.write(`[reins] build: expected output missing: ${missing.join(', ')}\n`);
    return 1;
  }
  process.stdout.write('[reins] build: done → out/\n');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(await main());
}
