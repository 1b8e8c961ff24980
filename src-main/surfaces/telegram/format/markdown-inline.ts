/**
 * Inline Markdown (emphasis, code spans, links) to Telegram HTML.
 *
 * Output is balanced by construction: a tag is written only together with its closing tag,
 * around an inner range that is rendered recursively; a delimiter without a partner is plain
 * text. Telegram's nesting rules are honoured through the context: `code` may not sit inside
 * any other entity, and a link may not sit inside a link or a blockquote (Bot API
 * "Formatting options": only bold/italic/underline/strike/spoiler may contain or be part of
 * other entities, never pre or code).
 */
import { escapeHtml, escapeHtmlAttribute } from './html-escape.ts';

/** Where inline text is rendered, which decides what may be emitted there. */
export interface InlineContext {
  /** `<code>` allowed here (false inside bold/italic/links/blockquotes). */
  allowCode: boolean;
  /** `<a>` allowed here (false inside a link or a blockquote). */
  allowLink: boolean;
  /** No tags at all; the text comes back unescaped (table cells, measured before escaping). */
  plain: boolean;
  /** Style tags already open around this text; emphasis repeating one adds no second tag. */
  styled: readonly string[];
}

/** Context for ordinary top-level paragraph text. */
export const TOP_LEVEL: InlineContext = { allowCode: true, allowLink: true, plain: false, styled: [] };

/** Emphasis and link nesting beyond this is written as literal text, which bounds recursion on hostile input. */
const MAX_DEPTH = 12;
const LINK_SCHEMES = /^(?:https?:\/\/[A-Za-z0-9[]|tg:\/\/[A-Za-z]|mailto:[^@\s]+@)/i;
const ASCII_PUNCT = /[!-/:-@[-`{-~]/;
const AUTOLINK = /<([a-z][a-z0-9+.-]*:[^\s<>]+)>/iy;
/** `(url)`, `(<url>)` or `(url "title")` right after a link's `]`. */
const LINK_TAIL = /\(\s*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+))(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/y;

/** Renders one inline Markdown fragment (may span lines) in `ctx`. */
export function renderInline(md: string, ctx: InlineContext): string {
  const p = new InlineParser(md);
  return p.render(0, md.length, ctx, 0);
}

/** Whether `url` may become an `<a href>`: only http(s), tg and mailto links reach Telegram. */
function isAllowedLinkUrl(url: string): boolean {
  if (!LINK_SCHEMES.test(url) || /[\s<>"\u0000-\u001f\u007f]/.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

interface LinkMatch {
  textStart: number;
  textEnd: number;
  url: string;
  end: number;
}

class InlineParser {
  readonly src: string;
  /** Code span start index → index just past its closing backticks. */
  readonly codeSpans = new Map<number, number>();
  /** `[` index → index of its matching `]`. */
  readonly brackets = new Map<number, number>();
  /** Per delimiter kind and range end: the lowest start from which no closer was found. */
  readonly noCloser = new Map<string, number>();

  constructor(src: string) {
    this.src = src;
    this.indexCodeSpans();
    this.indexBrackets();
  }

  /** Pairs brackets once with a stack (outside code spans), so link parsing is a lookup. */
  private indexBrackets(): void {
    const s = this.src;
    const open: number[] = [];
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') i += 2;
      else if (c === '`' && this.codeSpans.has(i)) i = this.codeSpans.get(i) as number;
      else {
        if (c === '[') open.push(i);
        else if (c === ']' && open.length > 0) this.brackets.set(open.pop() as number, i);
        i++;
      }
    }
  }

  /** Pairs backtick runs left to right once, so every later scan agrees on what is code. */
  private indexCodeSpans(): void {
    const s = this.src;
    const unmatched = new Set<number>();
    let i = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch !== '`') {
        i++;
        continue;
      }
      const n = runLength(s, i, s.length, '`');
      let j = i + n;
      let closedAt = -1;
      // A run length that found no partner once finds none later either.
      while (j < s.length && !unmatched.has(n)) {
        const k = s.indexOf('`', j);
        if (k < 0) break;
        const m = runLength(s, k, s.length, '`');
        if (m === n) {
          closedAt = k;
          break;
        }
        j = k + m;
      }
      if (closedAt < 0) {
        unmatched.add(n);
        i += n;
        continue;
      }
      this.codeSpans.set(i, closedAt + n);
      i = closedAt + n;
    }
  }

  render(start: number, end: number, ctx: InlineContext, depth: number): string {
    const s = this.src;
    const esc = ctx.plain ? (t: string) => t : escapeHtml;
    let out = '';
    let i = start;
    while (i < end) {
      const ch = s[i] as string;
      if (ch === '\\' && i + 1 < end && ASCII_PUNCT.test(s[i + 1] as string)) {
        out += esc(s[i + 1] as string);
        i += 2;
        continue;
      }
      if (ch === '`') {
        const spanEnd = this.codeSpans.get(i);
        const n = runLength(s, i, end, '`');
        if (spanEnd !== undefined && spanEnd <= end) {
          out += this.codeSpan(s.slice(i + n, spanEnd - n), ctx);
          i = spanEnd;
        } else {
          out += esc(s.slice(i, i + n));
          i += n;
        }
        continue;
      }
      if ((ch === '[' || (ch === '!' && s[i + 1] === '[')) && depth < MAX_DEPTH) {
        const link = this.parseLink(ch === '!' ? i + 1 : i, end);
        if (link) {
          out += this.link(link, ctx, depth);
          i = link.end;
          continue;
        }
      }
      if (ch === '<') {
        AUTOLINK.lastIndex = i;
        const m = AUTOLINK.exec(s);
        if (m && i + m[0].length <= end && isAllowedLinkUrl(m[1] as string)) {
          const url = m[1] as string;
          out += ctx.plain || !ctx.allowLink ? esc(url) : `<a href="${escapeHtmlAttribute(url)}">${escapeHtml(url)}</a>`;
          i += m[0].length;
          continue;
        }
      }
      if (ch === '*' || ch === '_' || ch === '~') {
        const n = runLength(s, i, end, ch);
        const written = this.emphasis(i, n, end, ctx, depth);
        if (written !== null) {
          out += written.html;
          i = written.end;
        } else {
          // No partner for the whole run: the first delimiter is text, the rest may still open.
          out += esc(ch);
          i += 1;
        }
        continue;
      }
      out += esc(ch);
      i++;
    }
    return out;
  }

  private codeSpan(raw: string, ctx: InlineContext): string {
    const body = raw.length >= 2 && raw.startsWith(' ') && raw.endsWith(' ') && raw.trim() !== '' ? raw.slice(1, -1) : raw;
    if (ctx.plain) return body;
    return ctx.allowCode ? `<code>${escapeHtml(body)}</code>` : escapeHtml(body);
  }

  private link(link: LinkMatch, ctx: InlineContext, depth: number): string {
    const allowed = isAllowedLinkUrl(link.url);
    const inner: InlineContext = { ...ctx, allowCode: false, allowLink: false };
    let text = this.render(link.textStart, link.textEnd, inner, depth + 1);
    if (text.trim() === '') text = ctx.plain ? link.url : escapeHtml(link.url);
    if (!allowed || ctx.plain) return text;
    if (ctx.allowLink) return `<a href="${escapeHtmlAttribute(link.url)}">${text}</a>`;
    // Where a link may not nest (blockquote), keep the address visible instead.
    const textOnly = this.render(link.textStart, link.textEnd, { ...inner, plain: true }, depth + 1);
    return textOnly === link.url ? text : `${text} (${escapeHtml(link.url)})`;
  }

  /** `*x*`, `_x_` italic; `**x**`, `__x__` bold; `***x***` both; `~~x~~` strike. */
  private emphasis(i: number, n: number, end: number, ctx: InlineContext, depth: number): { html: string; end: number } | null {
    const s = this.src;
    const ch = s[i] as string;
    if (depth >= MAX_DEPTH) return null;
    const size = ch === '~' ? (n === 2 ? 2 : 0) : Math.min(n, 3);
    if (size === 0 || !this.canOpen(i, size, end)) return null;
    if (size < n && ch !== '~') return null;
    const closer = this.findCloser(ch, size, i + size + 1, end);
    if (closer < 0) return null;
    const tags = (ch === '~' ? ['s'] : size === 1 ? ['i'] : size === 2 ? ['b'] : ['b', 'i']).filter((t) => !ctx.styled.includes(t));
    const inner: InlineContext = { ...ctx, allowCode: false, styled: [...ctx.styled, ...tags] };
    const body = this.render(i + size, closer, inner, depth + 1);
    const html = ctx.plain
      ? body
      : `${tags.map((t) => `<${t}>`).join('')}${body}${[...tags]
          .reverse()
          .map((t) => `</${t}>`)
          .join('')}`;
    return { html, end: closer + size };
  }

  private canOpen(i: number, size: number, end: number): boolean {
    const s = this.src;
    const next = s[i + size];
    if (i + size >= end || next === undefined || /\s/.test(next)) return false;
    // Underscores inside words (snake_case) are not emphasis.
    return !(s[i] === '_' && i > 0 && /[\p{L}\p{N}]/u.test(s[i - 1] as string));
  }

  /**
   * Index of the closing run for an opener of `size` delimiters, or -1. A run closes when it has
   * the same size, or is a triple (the inner emphasis closes with it). Code spans and escapes are
   * skipped. Failed searches are remembered: candidates only shrink as `from` grows, so a
   * failure from `from` means failure from every later start, which keeps hostile input linear.
   */
  private findCloser(ch: string, size: number, from: number, end: number): number {
    const key = `${ch}${size}:${end}`;
    const failedFrom = this.noCloser.get(key);
    if (failedFrom !== undefined && from >= failedFrom) return -1;
    const s = this.src;
    let j = from;
    while (j < end) {
      const c = s[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '`') {
        const spanEnd = this.codeSpans.get(j);
        j = spanEnd !== undefined && spanEnd <= end ? spanEnd : j + runLength(s, j, end, '`');
        continue;
      }
      if (c !== ch) {
        j++;
        continue;
      }
      const m = runLength(s, j, end, ch);
      const sizeFits = m === size || (ch !== '~' && m === 3 && size < 3);
      const prev = s[j - 1] as string;
      const after = s[j + m];
      const rightFlanking = !/\s/.test(prev) && !(ch === '_' && after !== undefined && /[\p{L}\p{N}]/u.test(after));
      if (sizeFits && rightFlanking) return m === size ? j : j + m - size;
      j += m;
    }
    this.noCloser.set(key, from);
    return -1;
  }

  /** `[text](url "title")` starting at the `[`; null when it is not a complete inline link. */
  private parseLink(open: number, end: number): LinkMatch | null {
    const s = this.src;
    const close = this.brackets.get(open) ?? -1;
    if (close < 0 || close >= end || s[close + 1] !== '(') return null;
    LINK_TAIL.lastIndex = close + 1;
    const m = LINK_TAIL.exec(s);
    if (!m || close + 1 + m[0].length > end) return null;
    const url = (m[1] ?? m[2] ?? '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
    return { textStart: open + 1, textEnd: close, url, end: close + 1 + m[0].length };
  }
}

function runLength(s: string, i: number, end: number, ch: string): number {
  let n = 0;
  while (i + n < end && s[i + n] === ch) n++;
  return n;
}
