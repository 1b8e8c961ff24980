/**
 * A small, strict glob matcher for grant path patterns and for spotting secret files behind shell
 * patterns. Written here instead of using `path.matchesGlob` so that the semantics Reins promises
 * (dotfiles, `**`, braces) are owned, documented and tested in one place.
 *
 * Syntax: `*` (any run of characters inside one path segment), `**` (as a whole segment: zero or
 * more segments), `?` (one character), `[abc]` / `[a-z]` / `[!abc]` (character classes),
 * `{a,b}` (alternatives, nestable), `\x` (literal x). Paths use `/` as separator.
 *
 * Security rule: wildcards never match a segment that starts with `.` unless the pattern spells the
 * dot out (`.env`, `.*`, `src/.config/**`). So `src/**` does not cover `src/.env`, and `**` does
 * not cover `.git/hooks/…`.
 */

/** Thrown when a pattern cannot be compiled (it expands to too many brace alternatives). */
export class GlobError extends Error {
  override readonly name = 'GlobError';
  readonly glob: string;
  constructor(glob: string, message: string) {
    super(message);
    this.glob = glob;
  }
}

/** Upper bound on brace expansion so a hostile pattern cannot make matching explode. */
const MAX_ALTERNATIVES = 256;

const SEGMENT = '(?!\\.)[^/]+';

/**
 * Expands `{a,b}` alternatives (nested ones too) into plain patterns. A brace group without a
 * top-level comma, or without its closing brace, stays literal, as in bash.
 * Throws GlobError when the expansion would exceed 256 patterns.
 */
export function expandBraces(pattern: string): string[] {
  const out: string[] = [];
  expandInto(pattern, pattern, out);
  return out;
}

function expandInto(original: string, pattern: string, out: string[]): void {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '{') continue;
    const group = findBraceGroup(pattern, i);
    if (group === null) continue;
    const before = pattern.slice(0, i);
    const after = pattern.slice(group.end + 1);
    for (const part of group.parts) {
      expandInto(original, before + part + after, out);
    }
    return;
  }
  out.push(pattern);
  if (out.length > MAX_ALTERNATIVES) {
    throw new GlobError(original, `Glob "${original}" expands to more than ${MAX_ALTERNATIVES} alternatives; use fewer {a,b} groups.`);
  }
}

function findBraceGroup(pattern: string, open: number): { end: number; parts: string[] } | null {
  let depth = 0;
  let partStart = open + 1;
  const parts: string[] = [];
  for (let j = open; j < pattern.length; j++) {
    const c = pattern[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        if (parts.length === 0) return null;
        parts.push(pattern.slice(partStart, j));
        return { end: j, parts };
      }
    } else if (c === ',' && depth === 1) {
      parts.push(pattern.slice(partStart, j));
      partStart = j + 1;
    }
  }
  return null;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

function readClass(segment: string, open: number): { re: string; end: number } | null {
  let j = open + 1;
  let negate = false;
  if (segment[j] === '!' || segment[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  if (segment[j] === ']') {
    body += '\\]';
    j++;
  }
  for (; j < segment.length; j++) {
    const c = segment[j] as string;
    if (c === ']') {
      // The lookahead keeps a negated class from matching the separator.
      return { re: `(?!/)[${negate ? '^' : ''}${body}]`, end: j };
    }
    if (c === '\\' && j + 1 < segment.length) {
      body += escapeRegExp(segment[++j] as string);
    } else if (c === '-') {
      body += '-';
    } else {
      body += c === '[' || c === '^' ? `\\${c}` : c;
    }
  }
  return null;
}

/** Regular-expression source for one path segment (no `/` inside). */
function segmentSource(segment: string): string {
  const first = segment[0];
  let out = first === '*' || first === '?' || first === '[' ? '(?!\\.)' : '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '\\' && i + 1 < segment.length) {
      out += escapeRegExp(segment[++i] as string);
    } else if (c === '*') {
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const cls = readClass(segment, i);
      if (cls === null) out += '\\[';
      else {
        out += cls.re;
        i = cls.end;
      }
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

function patternSource(pattern: string): string {
  const cleaned = pattern.replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
  const segments = cleaned.split('/');
  let out = '';
  let afterGlobstar = false;
  segments.forEach((segment, index) => {
    const first = index === 0;
    const last = index === segments.length - 1;
    if (segment === '**') {
      if (last) {
        out += first ? `(?:${SEGMENT}(?:/${SEGMENT})*)?` : `(?:/${SEGMENT})*`;
      } else {
        out += `${first || afterGlobstar ? '' : '/'}(?:${SEGMENT}/)*`;
        afterGlobstar = true;
      }
      return;
    }
    out += (first || afterGlobstar ? '' : '/') + segmentSource(segment);
    afterGlobstar = false;
  });
  return out;
}

/** Compiles a glob into an anchored RegExp; throws GlobError when brace expansion is too large. */
function globToRegExp(glob: string): RegExp {
  const sources = expandBraces(glob).map(patternSource);
  return new RegExp(`^(?:${sources.join('|')})$`);
}

/**
 * True when `relativePath` (`/`-separated, no leading `./`) matches `glob`.
 * Use for grant path patterns; paths must already be normalised and inside the project.
 */
export function matchGlob(glob: string, relativePath: string): boolean {
  return globToRegExp(glob).test(relativePath);
}

/**
 * True when a single segment pattern (e.g. `.e*`, `*.pem`, `{id_rsa,x}`) matches `name`.
 * Used to ask "could this shell pattern pick up a secret file?".
 */
export function matchSegment(segmentPattern: string, name: string): boolean {
  return expandBraces(segmentPattern).some((alt) => new RegExp(`^${segmentSource(alt)}$`).test(name));
}

/** True when `text` contains unescaped glob syntax (`*`, `?`, `[`, or a brace group with a comma). */
export function hasGlobSyntax(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '*' || c === '?' || c === '[') return true;
    if (c === '{' && findBraceGroup(text, i) !== null) return true;
  }
  return false;
}
