/**
 * Path resolution for approval decisions: where a path really points, and whether that is inside
 * the project. Pure, except through an injected {@link PathProbe}.
 */
import path from 'node:path';

/**
 * Filesystem look-ups used to follow symlinks. Inject `fsPathProbe` (path-probe.ts) in
 * production; without a probe, paths are only normalised lexically and a symlink inside the
 * project that points outside it goes unnoticed.
 */
export interface PathProbe {
  /** Like `fs.realpathSync.native`: throws an error with `code` (`ENOENT`, …) on failure. */
  realpath(p: string): string;
  /** Like `fs.readlinkSync`: the link's target text; throws (`EINVAL`, `ENOENT`) for non-links. */
  readlink(p: string): string;
}

/** Outcome of resolving a path: its real absolute location, or why that cannot be known. */
export type ResolvedPath = { ok: true; path: string } | { ok: false; reason: string };

/** Same bound as the kernel's ELOOP limit. */
const MAX_LINK_HOPS = 40;

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Joins `p` onto `base` WITHOUT collapsing `..`. Why: `link/../x` must be resolved the way the
 * kernel does (follow `link` first, then go up), not lexically to `x`.
 */
export function joinRaw(base: string, p: string): string {
  if (path.isAbsolute(p)) return p;
  return base.endsWith(path.sep) ? base + p : base + path.sep + p;
}

/**
 * Resolves an absolute path to where it really points. Missing trailing components are allowed
 * (a file about to be written): the deepest existing ancestor is resolved and the rest appended.
 * A dangling symlink is followed to its target, because writing through it creates the target.
 */
export function resolveReal(absolute: string, probe?: PathProbe): ResolvedPath {
  if (absolute.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' };
  if (!path.isAbsolute(absolute)) return { ok: false, reason: 'the path is not absolute' };
  if (probe === undefined) return { ok: true, path: path.resolve(absolute) };
  let head = absolute;
  let tail: string[] = [];
  let hops = 0;
  for (;;) {
    try {
      return { ok: true, path: path.resolve(probe.realpath(head), ...tail) };
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        return { ok: false, reason: `the path cannot be resolved (${code ?? 'unknown error'})` };
      }
    }
    const target = readLinkOrNull(probe, head);
    if (target !== null) {
      hops++;
      if (hops > MAX_LINK_HOPS) return { ok: false, reason: 'the path has too many symbolic links' };
      head = path.isAbsolute(target) ? target : joinRaw(path.dirname(head), target);
      continue;
    }
    const parent = path.dirname(head);
    if (parent === head) return { ok: true, path: path.resolve(absolute) };
    tail = [path.basename(head), ...tail];
    head = parent;
  }
}

function readLinkOrNull(probe: PathProbe, p: string): string | null {
  try {
    return probe.readlink(p);
  } catch {
    return null;
  }
}

/** True when `child` is `parent` or lies below it (both absolute and normalised). */
export function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(prefix);
}

/** A directory (project root, home) as it really is, symlinks resolved; falls back to the lexical form. */
export function realDirectory(dir: string, probe?: PathProbe): string {
  const resolved = resolveReal(path.resolve(dir), probe);
  return resolved.ok ? resolved.path : path.resolve(dir);
}

/** `/`-separated path of `child` relative to `root`, or null when it is not inside `root`. */
export function relativeInside(child: string, root: string): string | null {
  if (!isInside(child, root)) return null;
  return path.relative(root, child).split(path.sep).join('/');
}
