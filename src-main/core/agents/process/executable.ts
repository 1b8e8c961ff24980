/**
 * Finding an agent's executable before spawning it. Agents start under /bin/sh (lifeline.ts), which
 * would turn a missing binary into exit code 127 instead of the spawn error that tells the owner
 * what to install; looking it up first keeps that message, and gives the same answer as the OS's
 * own PATH search.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The absolute path `bin` runs as, or an error code (`ENOENT`, `EACCES`) saying why it cannot run. */
export function findExecutable(bin: string, env: Record<string, string>, cwd: string): { path: string } | { error: 'ENOENT' | 'EACCES' } {
  const candidates =
    bin.includes('/') || (process.platform === 'win32' && bin.includes('\\'))
      ? [isAbsolute(bin) ? bin : resolve(cwd, bin)]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, bin));
  let denied = false;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      denied = true;
    }
  }
  return { error: denied ? 'EACCES' : 'ENOENT' };
}
