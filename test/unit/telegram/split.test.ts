import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml, SplitLimitError, splitTelegramHtml, telegramVisibleLength } from '../../../src-main/surfaces/telegram/format/index.ts';
import { randomMarkdown, seededRandom } from '../../helpers/random-markdown.ts';
import { assertTelegramHtml, telegramVisibleText } from '../../helpers/telegram-html.ts';

const MARKER = /\n<i>\((\d+)\/(\d+)\)<\/i>$/;

/** Checks every part and returns the visible text of the parts without their markers. */
function checkParts(parts: string[], limit: number): string {
  let text = '';
  parts.forEach((part, k) => {
    assertTelegramHtml(part);
    expect(telegramVisibleText(part).length, `part ${k + 1} of ${parts.length}`).toBeLessThanOrEqual(limit);
    if (parts.length > 1) {
      const m = MARKER.exec(part);
      expect(m?.slice(1)).toEqual([String(k + 1), String(parts.length)]);
      text += telegramVisibleText(part.replace(MARKER, ''));
    } else text += telegramVisibleText(part);
  });
  return text;
}

describe('splitTelegramHtml', () => {
  it('returns a message that fits unchanged and without a marker', () => {
    const html = '<b>short</b> &amp; sweet';
    expect(splitTelegramHtml(html)).toEqual([html]);
    expect(splitTelegramHtml('x'.repeat(4096))).toEqual(['x'.repeat(4096)]);
  });

  it('counts visible text as Telegram does: entities decoded, UTF-16 code units', () => {
    expect(telegramVisibleLength('<b>a&amp;b</b>&#x1F600;😀')).toBe(7);
    expect(splitTelegramHtml('&amp;'.repeat(4096))).toHaveLength(1);
    expect(splitTelegramHtml('&amp;'.repeat(4097)).length).toBeGreaterThan(1);
  });

  it('splits at paragraph breaks first, and numbers the parts', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `paragraph ${i} ${'word '.repeat(30).trim()}`);
    const html = paragraphs.join('\n\n');
    const parts = splitTelegramHtml(html, 400);
    expect(checkParts(parts, 400)).toBe(html);
    for (const part of parts) expect(part.replace(MARKER, '')).toMatch(/^paragraph \d[\s\S]*word(\n\n)?$/);
  });

  it('falls back to line breaks, then spaces, then a hard cut', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} xxxxxxxxxx`).join('\n');
    const byLine = splitTelegramHtml(lines, 100);
    expect(checkParts(byLine, 100)).toBe(lines);
    for (const part of byLine.slice(0, -1)) expect(part.replace(MARKER, '')).toMatch(/xxxxxxxxxx\n$/);

    const words = 'word '.repeat(100);
    const bySpace = splitTelegramHtml(words, 64);
    expect(checkParts(bySpace, 64)).toBe(words);
    for (const part of bySpace.slice(0, -1)) expect(part.replace(MARKER, '')).toMatch(/ $/);

    const blob = 'x'.repeat(1000);
    expect(checkParts(splitTelegramHtml(blob, 100), 100)).toBe(blob);
  });

  it('closes tags at the end of a part and reopens them, attributes included, in the next', () => {
    const code = Array.from({ length: 200 }, (_, i) => `print(${i}) # a < b`).join('\n');
    const html = markdownToTelegramHtml(`intro\n\n\`\`\`py\n${code}\n\`\`\``);
    const parts = splitTelegramHtml(html, 500);
    expect(parts.length).toBeGreaterThan(3);
    expect(checkParts(parts, 500)).toBe(telegramVisibleText(html));
    for (const part of parts.slice(1)) expect(part.startsWith('<pre><code class="language-py">')).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.replace(MARKER, '').endsWith('</code></pre>')).toBe(true);

    const linked = `<a href="https://e.x/?a=1&amp;b=2"><b>${'link text '.repeat(40)}</b></a>`;
    const linkParts = splitTelegramHtml(linked, 100);
    expect(checkParts(linkParts, 100)).toBe(telegramVisibleText(linked));
    for (const part of linkParts) expect(part.startsWith('<a href="https://e.x/?a=1&amp;b=2"><b>')).toBe(true);
  });

  it('never cuts an entity or a surrogate pair', () => {
    const html = '&lt;&amp;&gt;😀'.repeat(300);
    const parts = splitTelegramHtml(html, 50);
    expect(checkParts(parts, 50)).toBe(telegramVisibleText(html));
    for (const part of parts) expect(telegramVisibleText(part).isWellFormed()).toBe(true);
  });

  it('does not leave empty tags behind at a cut', () => {
    const html = `${'a'.repeat(60)}<b>${'b'.repeat(60)}</b>`;
    const parts = splitTelegramHtml(html, 64);
    checkParts(parts, 64);
    expect(parts.join('')).not.toContain('<b></b>');
  });

  it('makes room for wider markers when there are ten parts or more', () => {
    const html = 'word '.repeat(2000);
    const parts = splitTelegramHtml(html, 40);
    expect(parts.length).toBeGreaterThan(99);
    expect(checkParts(parts, 40)).toBe(html);
  });

  it('rejects a limit too small to hold text and a marker', () => {
    expect(() => splitTelegramHtml('x'.repeat(100), 31)).toThrow(SplitLimitError);
    expect(() => splitTelegramHtml('x', 1.5)).toThrow(/at least 32/);
  });

  it('keeps random converted documents valid, within the limit and complete', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const html = markdownToTelegramHtml(randomMarkdown(random, 50 + Math.floor(random() * 400)));
      const limit = 32 + Math.floor(random() * 400);
      const parts = splitTelegramHtml(html, limit);
      expect(checkParts(parts, limit), `seed ${seed}`).toBe(telegramVisibleText(html));
    }
  });
});
