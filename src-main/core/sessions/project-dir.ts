import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { InvalidRequestError } from '../errors.ts';

/** A session's project directory: absolute, existing, a directory, symlinks resolved. */
export function resolveProjectDir(cwd: string): string {
  if (!isAbsolute(cwd)) throw new InvalidRequestError(`cwd must be an absolute path to a project directory (got "${cwd}").`);
  let real: string;
  try {
    real = realpathSync(cwd);
  } catch {
    throw new InvalidRequestError(`The project directory ${cwd} does not exist. Create it or pick another.`);
  }
  if (!statSync(real).isDirectory()) throw new InvalidRequestError(`${cwd} is not a directory.`);
  return real;
}
