/**
 * Compact diffs of file edits for approval cards: removed lines as `- `, added as `+ `. Short
 * diffs are a `<pre>` block; long ones an expandable quote (Telegram does not allow a code block
 * inside a quote, so those lines are plain text).
 */
import { escapeHtml } from '../format/index.ts';

/** Lines shown at most; the rest is counted. */
const MAX_LINES = 60;
/** Characters of diff text shown at most. */
const MAX_CHARS = 2500;
/** Diffs with more lines than this are collapsed. */
const COLLAPSE_AFTER = 12;

/** The diff lines of a file tool's input, or null when the tool edits no file content. */
export function diffLines(tool: string, input: Record<string, unknown>): string[] | null {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const minus = (s: string): string[] => (s === '' ? [] : s.split('\n').map((l) => `- ${l}`));
  const plus = (s: string): string[] => (s === '' ? [] : s.split('\n').map((l) => `+ ${l}`));
  switch (tool) {
    case 'Edit':
      return [...minus(text(input.old_string)), ...plus(text(input.new_string))];
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? input.edits : [];
      return edits.flatMap((e, i) => {
        const edit = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
        return [...(i > 0 ? ['@@'] : []), ...minus(text(edit.old_string)), ...plus(text(edit.new_string))];
      });
    }
    case 'Write':
      return plus(text(input.content));
    case 'NotebookEdit':
      return plus(text(input.new_source));
    default:
      return null;
  }
}

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
