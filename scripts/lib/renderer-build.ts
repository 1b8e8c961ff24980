/**
 * Keeps out/renderer (what the core serves at `/`) in step with its sources, so `npm start` always has
 * a window to show: it is built when missing or older than any file it is built from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the renderer bundle is made of: its own folder, the API client and contract it imports, the vite config. */
const SOURCES = ['src-renderer', 'src-main/client', 'src-main/contract', 'vite.config.ts'];

/** Newest modification time (ms) of the files at or under `path` (bounded by the tree's size). */
function newestMtime(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why out/renderer under `root` must be (re)built, or null when it is up to date. */
export function rendererStaleReason(root: string): string | null {
  const built = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return 'it has not been built yet';
  const builtAt = statSync(built).mtimeMs;
  const changed = SOURCES.find((source) => newestMtime(join(root, source)) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

/** How the build runs: a foreground command whose exit code comes back (scripts/lib/proc.ts's runForeground). */
type RunForeground = (command: string, args: readonly string[]) => Promise<number>;

/**
 * Builds out/renderer with vite when {@link rendererStaleReason} says so, announcing it in one line.
 * Resolves 0 when the renderer is (now) up to date, else vite's exit code.
 */
export async function ensureRendererBuilt(root: string, run: RunForeground, say: (line: string) => void): Promise<number> {
  const reason = rendererStaleReason(root);
  if (!reason) return 0;
  say(`building the window (vite → out/renderer), as ${reason}…`);
  return run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(root, 'vite.config.ts'), '--logLevel', 'warn']);
}
