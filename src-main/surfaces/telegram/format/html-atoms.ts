/**
 * A flat reading of Telegram HTML as tags and visible characters, for code that must edit
 * HTML without ever cutting a tag or an entity in half (splitting, redaction).
 */

/** One tag, or one visible code point (written raw or as an entity). */
export type HtmlAtom = { kind: 'open'; name: string; raw: string } | { kind: 'close'; name: string; raw: string } | { kind: 'char'; raw: string; text: string };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>/y;
const ENTITY = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));/y;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Reads `html` into atoms. Input is expected to be valid Telegram HTML; a stray `<` or `&`
 * that starts no tag or entity is read as a literal character rather than rejected, so the
 * callers never throw on text they did not produce themselves.
 */
export function tokenizeTelegramHtml(html: string): HtmlAtom[] {
  const atoms: HtmlAtom[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(html);
      if (m) {
        const name = (m[2] ?? '').toLowerCase();
        atoms.push({ kind: m[1] === '/' ? 'close' : 'open', name, raw: m[0] });
        i += m[0].length;
        continue;
      }
    } else if (ch === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(html);
      const text = m ? entityText(m) : null;
      if (m && text !== null) {
        atoms.push({ kind: 'char', raw: m[0], text });
        i += m[0].length;
        continue;
      }
    }
    const cp = html.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const raw = html.slice(i, i + width);
    atoms.push({ kind: 'char', raw, text: raw });
    i += width;
  }
  return atoms;
}

function entityText(m: RegExpExecArray): string | null {
  if (m[3] !== undefined) return NAMED[m[3]] ?? null;
  const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
  if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return String.fromCodePoint(cp);
}

/** Decodes the entities Telegram accepts; anything else is left as written. */
function decodeTelegramEntities(text: string): string {
  return tokenizeTelegramHtml(text)
    .map((a) => (a.kind === 'char' ? a.text : a.raw))
    .join('');
}

/** The decoded value of `href="…"` in an opening tag, or null when it has none. */
export function hrefOf(openTagRaw: string): string | null {
  const m = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(openTagRaw);
  if (!m) return null;
  return decodeTelegramEntities(m[1] ?? m[2] ?? '');
}
