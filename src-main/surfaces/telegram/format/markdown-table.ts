/**
 * Markdown pipe tables. Telegram has no tables, so a table becomes aligned monospace text:
 * cells are reduced to plain text, padded per column, and the caller wraps it in `<pre>`.
 */
import { renderInline } from './markdown-inline.ts';

const SEPARATOR = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** Whether `header` and `separator` start a pipe table (`a | b` then `--- | ---`). */
export function isTableStart(header: string, separator: string | undefined): boolean {
  return separator !== undefined && header.includes('|') && separator.includes('|') && SEPARATOR.test(separator);
}

/** Whether `line` continues a table already started. */
export function isTableRow(line: string): boolean {
  return line.includes('|') && line.trim() !== '';
}

/** Renders table lines (header, separator, rows) as aligned plain text, not yet escaped. */
export function renderTableText(lines: readonly string[]): string {
  const [header = '', separator = '', ...body] = lines;
  const aligns = splitCells(separator).map((c) => {
    const t = c.trim();
    return t.startsWith(':') && t.endsWith(':') ? 'center' : t.endsWith(':') ? 'right' : 'left';
  });
  const rows = [header, ...body].map((l) => splitCells(l).map((c) => renderInline(c.trim(), { allowCode: false, allowLink: false, plain: true, styled: [] })));
  const columns = Math.max(aligns.length, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(1, ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]) =>
    widths
      .map((w, c) => pad(cells[c] ?? '', w, aligns[c] ?? 'left'))
      .join(' | ')
      .trimEnd();
  const [head = [], ...rest] = rows;
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rest.map(line)].join('\n');
}

/** Splits a row on `|`, ignoring escaped pipes and pipes inside code spans, minus the outer ones. */
function splitCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i] as string;
    if (ch === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  if (row.trim().startsWith('|')) cells.shift();
  if (row.trim().endsWith('|') && cells.length > 0) cells.pop();
  return cells;
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, w: number, align: string): string {
  const gap = Math.max(0, w - width(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}
