/**
 * Escaping for Telegram's HTML parse mode. Telegram understands only four named entities
 * (&lt; &gt; &amp; &quot;) plus numeric ones, so these are the only ones ever produced.
 */

/** Escapes text content: `&`, `<` and `>` must never appear raw outside a tag or entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/** Escapes an attribute value written between double quotes (also escapes `"`). */
export function escapeHtmlAttribute(value: string): string {
  return escapeHtml(value).replace(/"/g, '&quot;');
}
