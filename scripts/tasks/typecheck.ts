/**
 * `npm run typecheck`: one tsc pass per process, so each process sees only the globals it really has.
 * The renderer project has DOM types and no Node types; only the desktop project sees `electron`.
 */
import { join } from 'node:path';
import { projectRoot, runForeground, say } from '../lib/proc.ts';

/** Every tsconfig that must type-check, with what it covers. */
export const TYPECHECK_PROJECTS = [
  { config: 'tsconfig.json', covers: 'core, daemon, CLI, tests, bench, scripts (Node only)' },
  { config: 'tsconfig.desktop.json', covers: 'Electron main (src-main/desktop)' },
  { config: 'tsconfig.preload.json', covers: 'preload (sandboxed, CommonJS)' },
  { config: 'tsconfig.web.json', covers: 'renderer (DOM, no Node)' },
  { config: 'tsconfig.tools.json', covers: 'vite, vitest and Playwright configs' },
] as const;

/** Runs tsc on every project; exits non-zero when any fails. */
export async function main(): Promise<number> {
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const failed: string[] = [];
  for (const project of TYPECHECK_PROJECTS) {
    const code = await runForeground(process.execPath, [tsc, '-p', project.config, '--noEmit']);
    say(`typecheck ${project.config} (${project.covers}): ${code === 0 ? 'ok' : 'FAILED'}`);
    if (code !== 0) failed.push(project.config);
  }
  if (failed.length > 0) say(`type errors in ${failed.join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}
