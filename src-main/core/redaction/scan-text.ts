/**
 * The text secrets are looked for in, with obfuscation undone: zero-width characters and soft
 * hyphens removed (`sk-ant\u200b-…`), and token characters written as `%2D` or `\u002d` decoded,
 * so that an agent cannot slip a key past the patterns by spelling it oddly. Each character of the
 * scan text remembers where it came from, so ranges found map back onto the original.
 */

/** Characters that render as nothing. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/;
/** Characters a token is made of; only these are decoded (decoding `%40` could make new URLs). */
const TOKEN_CHAR = /^[A-Za-z0-9_.~+/=-]$/;
const MAYBE_OBFUSCATED = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff%\\]/;

/** The scan text and, per scan character, the original range `[from[j], to[j])` it stands for. */
export interface ScanText {
  text: string;
  from: number[];
  to: number[];
}

function decoded(text: string, i: number): { char: string; width: number } | null {
  if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
    const char = String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
    return TOKEN_CHAR.test(char) ? { char, width: 3 } : null;
  }
  if (text[i] === '\\' && text[i + 1] === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
    const char = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
    return TOKEN_CHAR.test(char) ? { char, width: 6 } : null;
  }
  return null;
}

/** The scan text of `text`; null when there is nothing to undo (the common case, kept cheap). */
export function scanText(text: string): ScanText | null {
  if (!MAYBE_OBFUSCATED.test(text)) return null;
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (INVISIBLE.test(c)) {
      i++;
      continue;
    }
    const d = c === '%' || c === '\\' ? decoded(text, i) : null;
    const width = d?.width ?? 1;
    out.push(d?.char ?? c);
    from.push(i);
    to.push(i + width);
    i += width;
  }
  return { text: out.join(''), from, to };
}

/** Maps a range of the scan text back onto the original text. */
export function originalRange(scan: ScanText, start: number, end: number): { start: number; end: number } {
  return { start: scan.from[start] ?? 0, end: scan.to[end - 1] ?? scan.from[start] ?? 0 };
}
