/**
 * Compact diffs of file edits for approval cards (lines from actionDiffLines). Short diffs are a `<pre>` block; long ones an expandable quote (Telegram does not allow a code block
 * inside a quote, so those lines are plain text).
 */
import { escapeHtml } from '../format/index.ts';

/** Lines shown at most; the rest is counted. */
const MAX_LINES = 60;
/** Characters of diff text shown at most. */
const MAX_CHARS = 2500;
/** Diffs with more lines than this are collapsed. */
const COLLAPSE_AFTER = 12;

/** Renders diff lines within the card's budget. */
export function renderDiff(lines: readonly string[]): string {
  const shown: string[] = [];
  let chars = 0;
  for (const line of lines) {
    if (shown.length >= MAX_LINES || chars + line.length > MAX_CHARS) break;
    shown.push(line);
    chars += line.length + 1;
  }
  const hidden = lines.length - shown.length;
  const body = escapeHtml(shown.join('\n')) + (hidden > 0 ? `\n… ${hidden} more line${hidden === 1 ? '' : 's'}` : '');
  return lines.length > COLLAPSE_AFTER ? `<blockquote expandable>${body}</blockquote>` : `<pre>${body}</pre>`;
}
