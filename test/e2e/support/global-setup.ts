/**
 * Builds the renderer before the browser tests, so they exercise the current sources and not a stale
 * out/renderer (the daemon serves whatever is there).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function globalSetup(): void {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('vite build of the renderer failed (see above); the browser tests need out/renderer.');
}
