/**
 * Agent Markdown → Telegram HTML (parse_mode "HTML").
 *
 * Telegram accepts a small tag set, so block structure is mapped onto text: headings become
 * bold lines, list items "• " / "1. " lines, rules a line of box-drawing dashes, tables a `<pre>`
 * block. Fenced code becomes `<pre>` (with `<code class="language-x">` when a language is
 * given) and `>` quotes a `<blockquote>`. Everything else is escaped text, so the result is
 * always valid, balanced HTML whatever the input. Redact secrets *before* converting.
 */
import { escapeHtml, escapeHtmlAttribute } from './html-escape.ts';
import { renderInline, TOP_LEVEL, type InlineContext } from './markdown-inline.ts';
import { isTableRow, isTableStart, renderTableText } from './markdown-table.ts';

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** All leading `>` markers: nested quotes are flattened, so one pass strips every level. */
const QUOTE = /^(?: {0,3}> ?)+/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const TASK = /^\[([ xX])\]\s+(.*)$/;
const LANGUAGE = /^[A-Za-z0-9_+#.-]{1,32}$/;
const RULE_TEXT = '────────';
/** Longer lines are never rules; the bound keeps the backtracking rule pattern cheap. */
const MAX_RULE_LENGTH = 120;
/** Quotes longer than this are sent collapsed (Telegram's expandable blockquote). */
const EXPANDABLE_QUOTE_LINES = 12;

/** Converts agent-written Markdown to Telegram HTML; never throws, never emits invalid HTML. */
export function markdownToTelegramHtml(md: string): string {
  // Lone surrogates would make the request body invalid UTF-8 for Telegram.
  return renderBlocks(md.toWellFormed().replace(/\r\n?/g, '\n').split('\n'), false);
}

/** Inside a blockquote only bold/italic/strike may appear: no code, links, pre or nested quotes. */
const IN_QUOTE: InlineContext = { allowCode: false, allowLink: false, plain: false, styled: [] };
const IN_HEADING: InlineContext = { allowCode: false, allowLink: true, plain: false, styled: ['b'] };
const IN_QUOTED_HEADING: InlineContext = { ...IN_QUOTE, styled: ['b'] };

function renderBlocks(lines: readonly string[], inQuote: boolean): string {
  const ctx = inQuote ? IN_QUOTE : TOP_LEVEL;
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(renderInline(paragraph.join('\n'), ctx));
    paragraph = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      flush();
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      i++;
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence && !(fence[2]?.startsWith('`') && fence[3]?.includes('`'))) {
      flush();
      const [, indent = '', marker = '', rest = ''] = fence;
      const info = rest.trim().split(/\s+/)[0] ?? '';
      const body: string[] = [];
      i++;
      while (i < lines.length && !isFenceClose(lines[i] as string, marker)) {
        body.push(stripIndent(lines[i] as string, indent.length));
        i++;
      }
      i++;
      out.push(codeBlock(body.join('\n'), info, inQuote));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const text = renderInline(stripClosingHashes(heading[2] ?? ''), inQuote ? IN_QUOTED_HEADING : IN_HEADING);
      if (text.trim() !== '') out.push(`<b>${text}</b>`);
      i++;
      continue;
    }
    if (line.length <= MAX_RULE_LENGTH && RULE.test(line)) {
      flush();
      out.push(RULE_TEXT);
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] as string)) {
        quoted.push((lines[i] as string).replace(QUOTE, ''));
        i++;
      }
      const inner = renderBlocks(quoted, true);
      if (inner.trim() === '') continue;
      // Telegram forbids nested blockquotes: an inner quote is flattened into this one.
      if (inQuote) out.push(inner);
      else out.push(`<blockquote${quoted.length > EXPANDABLE_QUOTE_LINES ? ' expandable' : ''}>${inner}</blockquote>`);
      continue;
    }
    if (isTableStart(line, lines[i + 1])) {
      flush();
      const rows = [line, lines[i + 1] as string];
      i += 2;
      while (i < lines.length && isTableRow(lines[i] as string)) rows.push(lines[i++] as string);
      const text = escapeHtml(renderTableText(rows));
      out.push(inQuote ? text : `<pre>${text}</pre>`);
      continue;
    }
    const item = listItem(line, ctx);
    if (item !== null) {
      flush();
      out.push(item);
      i++;
      continue;
    }
    paragraph.push(line);
    i++;
  }
  flush();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function listItem(line: string, ctx: InlineContext): string | null {
  const bullet = BULLET.exec(line);
  if (bullet) {
    const [, lead = '', text = ''] = bullet;
    const task = TASK.exec(text);
    const marker = task ? (task[1] === ' ' ? '☐ ' : '☑ ') : '• ';
    return indentFor(lead) + marker + renderInline(task ? (task[2] ?? '') : text, ctx);
  }
  const ordered = ORDERED.exec(line);
  if (ordered) {
    const [, lead = '', num = '', text = ''] = ordered;
    return `${indentFor(lead)}${num}. ${renderInline(text, ctx)}`;
  }
  return null;
}

/** Two spaces per nesting level (2–4 source spaces or a tab each), capped so hostile input stays short. */
function indentFor(lead: string): string {
  const columns = lead.replace(/\t/g, '    ').length;
  return '  '.repeat(Math.min(6, Math.floor(columns / 2)));
}

/** `## Title ##` → `Title`: a closing run of `#` counts only after whitespace. */
function stripClosingHashes(text: string): string {
  const t = text.trimEnd();
  let k = t.length;
  while (k > 0 && t[k - 1] === '#') k--;
  if (k === t.length) return t;
  return k === 0 ? '' : /\s/.test(t[k - 1] as string) ? t.slice(0, k).trimEnd() : t;
}

function isFenceClose(line: string, marker: string): boolean {
  const m = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  return m !== null && (m[1] as string)[0] === marker[0] && (m[1] as string).length >= marker.length;
}

function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
  return line.slice(k);
}

function codeBlock(code: string, info: string, inQuote: boolean): string {
  // Telegram rejects an empty pre entity's text; keep at least one visible character.
  const body = escapeHtml(code === '' ? ' ' : code);
  if (inQuote) return body;
  const lang = LANGUAGE.test(info) ? info : '';
  return lang ? `<pre><code class="language-${escapeHtmlAttribute(lang)}">${body}</code></pre>` : `<pre>${body}</pre>`;
}
