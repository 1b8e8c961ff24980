/**
 * Where files sent from Telegram are saved for an agent: `<data>/attachments/<session id>/`, under
 * a name made safe (no directories, no leading dots, no control or shell-special characters),
 * never overwriting anything, never outside that folder.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';

const NAME_LIMIT = 80;

/** Thrown when a session id or name could escape the attachments folder; a bug or an attack. */
export class AttachmentPathError extends Error {
  override readonly name = 'AttachmentPathError';
  constructor(detail: string) {
    super(`Refusing to save an attachment: ${detail}.`);
  }
}

/**
 * A file name safe on every OS: the last path segment only, characters outside
 * `[A-Za-z0-9._-]` replaced by `_`, no leading dots, at most 80 characters (keeping the
 * extension), `fallback` when nothing is left.
 */
export function safeFileName(name: string, fallback = 'file'): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // Accents are dropped rather than replaced ("café" → "cafe"): names stay readable in ASCII.
  let safe = last
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/_+/g, '_');
  if (!safe || safe === '.' || safe === '..') safe = fallback;
  if (safe.length > NAME_LIMIT) {
    const ext = extname(safe).slice(0, 12);
    safe = safe.slice(0, NAME_LIMIT - ext.length) + ext;
  }
  return safe;
}

/** A folder that must be a real directory: a symbolic link there could lead anywhere. */
function realFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (!lstatSync(path).isDirectory()) throw new AttachmentPathError(`${path} is not a plain folder (a symbolic link?)`);
  return realpathSync(path);
}

/** How many numbered names to try before giving up (`name-2.ext`, `name-3.ext`, …). */
const MAX_TRIES = 1000;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Reserves the file for a new attachment of `sessionId`: `<root>/<session>/<time>-<safe name>`,
 * created empty with mode 0600 (so a concurrent save or an existing file is never overwritten: a
 * taken name gets `-2`, `-3`, …), in a folder that really lies inside `root`: a session folder or
 * root that is a symbolic link is refused, so nothing is written outside `attachments/`.
 */
export function reserveAttachment(root: string, sessionId: string, name: string, now: number): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(sessionId)) throw new AttachmentPathError(`bad session id ${JSON.stringify(sessionId)}`);
  const realRoot = realFolder(resolve(root));
  const dir = join(resolve(root), sessionId);
  const realDir = realFolder(dir);
  if (realDir !== join(realRoot, sessionId)) throw new AttachmentPathError(`${dir} leads to ${realDir}, outside ${realRoot}`);
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const safe = safeFileName(name);
  const ext = extname(safe);
  const base = safe.slice(0, safe.length - ext.length);
  for (let k = 1; k <= MAX_TRIES; k++) {
    const path = join(realDir, `${stamp}-${base}${k === 1 ? '' : `-${k}`}${ext}`);
    if (dirname(path) !== realDir || !path.startsWith(realRoot + sep)) throw new AttachmentPathError(`${path} is outside ${realDir}`);
    try {
      closeSync(openSync(path, CREATE_NEW, 0o600));
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new AttachmentPathError(`${MAX_TRIES} files named ${safe} already exist in ${realDir}`);
}
