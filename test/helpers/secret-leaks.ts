/**
 * Whether any piece of a secret survived in text that was sent somewhere, in any spelling a reader
 * could undo: split by line breaks or spaces, with invisible characters, percent-encoded or written
 * as `\uXXXX` escapes. Written independently of the redactor, so it does not share its blind spots.
 */

/** Characters of a secret that may not appear together in the output. */
const WINDOW = 8;

// biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character is matched on its own, the joiner included.
const INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;

function readable(text: string): string {
  const decoded = text
    .replace(INVISIBLE, '')
    .replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\u([0-9A-Fa-f]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\n/g, '\n');
  return decoded.replace(/\s+/g, '');
}

/** The first 8-character piece of `secret` found in `output` (whitespace ignored), or null. */
export function leakedPiece(output: string, secret: string): string | null {
  const target = secret.replace(/\s+/g, '');
  const haystacks = [output, readable(output)];
  for (let i = 0; i + WINDOW <= target.length; i++) {
    const piece = target.slice(i, i + WINDOW);
    if (haystacks.some((h) => h.includes(piece))) return piece;
  }
  return null;
}
