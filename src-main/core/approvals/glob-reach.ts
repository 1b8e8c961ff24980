/**
 * Whether a shell glob could match something inside a given folder, segment by segment, with the
 * shell's own rule that wildcards do not match a leading dot. Used to tell `cat ~/x*.txt` (cannot
 * reach `~/.local/share/reins`) from a pattern whose segments match `.local`, `share` and `reins`
 * one by one (can), so Reins' data is guarded
 * without refusing every glob in a project that happens to contain it.
 */
import { GlobError, matchSegment } from './glob.ts';

/**
 * True when `pattern` (absolute, `/`-separated) may match `root` itself (with `orRoot`, for recursive
 * reads) or something inside it. A `**` segment may match any depth. A pattern too large to expand
 * counts as reaching.
 */
export function globMayReach(pattern: string, root: string, orRoot: boolean): boolean {
  const pat = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const want = root.split('/').filter((s) => s !== '');
  for (let i = 0; i < want.length; i++) {
    const segment = pat[i];
    if (segment === undefined) return false;
    if (segment === '**') return true;
    if (segment === '..') return true;
    try {
      if (!matchSegment(segment, want[i] ?? '')) return false;
    } catch (err) {
      if (err instanceof GlobError) return true;
      throw err;
    }
  }
  return orRoot ? pat.length >= want.length : pat.length > want.length;
}
