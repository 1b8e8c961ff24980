/**
 * Where files sent from Telegram are saved for an agent: `<data>/attachments/<session id>/`, under
 * a name made safe (no directories, no leading dots, no control or shell-special characters),
 * never overwriting anything, never outside that folder.
 */
import { mkdirSync } from 'node:fs';
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
  let safe = last.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').replace(/_+/g, '_');
  if (!safe || safe === '.' || safe === '..') safe = fallback;
  if (safe.length > NAME_LIMIT) {
    const ext = extname(safe).slice(0, 12);
    safe = safe.slice(0, NAME_LIMIT - ext.length) + ext;
  }
  return safe;
}

/**
 * The path for a new attachment of `sessionId` (folder created 0700). The name is prefixed with
 * the time and a counter, so it is new; the result is checked to lie inside `root`.
 */
export function attachmentPath(root: string, sessionId: string, name: string, now: number, n: number): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(sessionId)) throw new AttachmentPathError(`bad session id ${JSON.stringify(sessionId)}`);
  const dir = resolve(root, sessionId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const path = join(dir, `${stamp}-${n}-${safeFileName(name)}`);
  if (!path.startsWith(resolve(root) + sep) || dirname(path) !== dir) throw new AttachmentPathError(`${path} is outside ${dir}`);
  return path;
}
