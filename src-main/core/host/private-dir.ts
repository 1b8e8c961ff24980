/**
 * The data directory is private: it holds the database (tool output, `.env` values included), the
 * API token, logs and attachments. Everything Reins creates there is 0600 (folders 0700) whatever
 * the umask, without touching the process umask (agents inherit it). A directory that another user
 * can read (an older install, a hand-made folder) is tightened at start, saying what changed.
 * On Windows, POSIX modes do not apply; the folder sits in the user's profile.
 */
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** Deep enough for attachments/<session>/file; bounded so a huge tree cannot stall a start. */
const MAX_DEPTH = 3;
const MAX_ENTRIES = 10_000;

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');
const posix = process.platform !== 'win32';

/** Creates `dir` (and its parents) with mode 0700 if missing. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/**
 * Creates `file` empty with mode 0600 if missing (so that a library creating it later, SQLite or
 * the log writer, keeps that mode), and tightens it if it exists with group or other access.
 */
export function ensurePrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  closeSync(openSync(file, 'a', FILE_MODE));
  if (posix && (lstatSync(file).mode & 0o077) !== 0) chmodSync(file, FILE_MODE);
}

/** A file or folder whose mode was changed, for the warning. */
export interface Tightened {
  path: string;
  from: string;
  to: string;
}

/**
 * The folder and what lies in it that group or others can access, with the mode each should have
 * (symbolic links are left alone, never followed). Changes nothing.
 */
export function looseEntries(home: string): Tightened[] {
  if (!posix) return [];
  const loose: Tightened[] = [];
  let seen = 0;
  const tighten = (path: string, st: Stats): void => {
    if ((st.mode & 0o077) === 0) return;
    loose.push({ path, from: octal(st.mode), to: octal(st.isDirectory() ? DIR_MODE : FILE_MODE) });
  };
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir)) {
      if (++seen > MAX_ENTRIES) return;
      const path = join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(path);
      } catch {
        continue; // Removed while walking.
      }
      if (st.isSymbolicLink()) continue;
      tighten(path, st);
      if (st.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1);
    }
  };
  tighten(home, lstatSync(home));
  walk(home, 1);
  return loose;
}

/** Makes `home` private: creates it 0700 and tightens what {@link looseEntries} finds. Returns what it changed. */
export function securePrivateDir(home: string): Tightened[] {
  ensurePrivateDir(home);
  const loose = looseEntries(home);
  for (const entry of loose) chmodSync(entry.path, Number.parseInt(entry.to, 8));
  return loose;
}

/** One warning line for what {@link securePrivateDir} changed, or null when nothing was. */
export function tightenedWarning(home: string, changed: readonly Tightened[]): string | null {
  if (changed.length === 0) return null;
  const shown = changed
    .slice(0, 5)
    .map((c) => `${c.path} ${c.from}→${c.to}`)
    .join(', ');
  return `The data directory ${home} was readable by other users; Reins made it private (${shown}${changed.length > 5 ? `, and ${changed.length - 5} more` : ''}).`;
}
