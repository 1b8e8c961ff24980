/**
 * Splitting Telegram HTML that is too long for one message.
 *
 * Telegram limits a message to 4096 characters of *visible* text after entity parsing, counted
 * in UTF-16 code units. A part never cuts a tag, an entity or a surrogate pair; tags open at a
 * cut are closed at the end of the part and reopened (with their attributes, e.g. a `<pre>`
 * code block's language) at the start of the next. Cuts prefer a paragraph break, then a line
 * break, then a space.
 *
 * Continuation marker: when more than one part is needed, every part ends with a line
 * `(k/n)` in italics (e.g. "(1/3)"). Its room is reserved before cutting, so each part
 * including its marker stays within `limit`. A message that fits is returned unchanged,
 * without a marker.
 */
import { tokenizeTelegramHtml, type HtmlAtom } from './html-atoms.ts';

/** A preferred break is used only if the part is at least this full; otherwise cut hard. */
const MIN_FILL = 0.4;
/** Smallest limit accepted: room for a marker and some text. */
const MIN_LIMIT = 32;

/** The limit is too small to hold any text next to a continuation marker. */
export class SplitLimitError extends Error {
  override name = 'SplitLimitError';
  readonly limit: number;
  readonly minimum: number;
  constructor(limit: number, minimum: number) {
    super(`Cannot split Telegram HTML with a limit of ${limit}; pass at least ${minimum} (Telegram's own limit is 4096).`);
    this.limit = limit;
    this.minimum = minimum;
  }
}

/** Visible length of Telegram HTML, as Telegram counts it (UTF-16 code units after entities). */
export function telegramVisibleLength(html: string): number {
  return visibleLength(tokenizeTelegramHtml(html));
}

function visibleLength(atoms: readonly HtmlAtom[]): number {
  let n = 0;
  for (const a of atoms) if (a.kind === 'char') n += a.text.length;
  return n;
}

/**
 * Splits valid Telegram HTML into messages of at most `limit` visible characters each.
 * Use on everything sent with parse_mode HTML that might exceed 4096 (agent output, diffs).
 */
export function splitTelegramHtml(html: string, limit = 4096): string[] {
  if (!Number.isInteger(limit) || limit < MIN_LIMIT) throw new SplitLimitError(limit, MIN_LIMIT);
  const atoms = tokenizeTelegramHtml(html);
  if (visibleLength(atoms) <= limit) return [html];

  const stacks = openStacks(atoms);
  // The marker's width depends on the number of parts: reserve for `digits`, and redo with
  // more room in the rare case the split needed more parts than that many digits can count.
  let digits = 1;
  for (;;) {
    const pieces = cutPieces(atoms, stacks, limit - markerLength(digits));
    if (String(pieces.length).length <= digits) return pieces.map((p, k) => `${p}\n<i>(${k + 1}/${pieces.length})</i>`);
    digits = String(pieces.length).length;
  }
}

/** Visible length of the "\n(k/n)" marker when n has `digits` digits. */
function markerLength(digits: number): number {
  return 4 + 2 * digits;
}

function cutPieces(atoms: readonly HtmlAtom[], stacks: readonly OpenAtom[][], budget: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < atoms.length) {
    const end = chooseCut(atoms, start, budget);
    const open = stacks[start] ?? [];
    const stillOpen = stacks[end] ?? [];
    pieces.push(
      open.map((a) => a.raw).join('') +
        atoms
          .slice(start, end)
          .map((a) => a.raw)
          .join('') +
        [...stillOpen]
          .reverse()
          .map((a) => `</${a.name}>`)
          .join(''),
    );
    start = end;
  }
  return pieces;
}

type OpenAtom = Extract<HtmlAtom, { kind: 'open' }>;

/** For each atom index, the tags open just before it (shared arrays are never mutated). */
function openStacks(atoms: readonly HtmlAtom[]): OpenAtom[][] {
  const stacks: OpenAtom[][] = [];
  let stack: OpenAtom[] = [];
  for (const a of atoms) {
    stacks.push(stack);
    if (a.kind === 'open') stack = [...stack, a];
    else if (a.kind === 'close') {
      const at = stack.map((s) => s.name).lastIndexOf(a.name);
      if (at >= 0) stack = stack.slice(0, at);
    }
  }
  stacks.push(stack);
  return stacks;
}

/** End index (exclusive) of the part starting at `start`: within budget, at the best break. */
function chooseCut(atoms: readonly HtmlAtom[], start: number, budget: number): number {
  let used = 0;
  let paragraph = -1;
  let line = -1;
  let space = -1;
  let k = start;
  for (; k < atoms.length; k++) {
    const a = atoms[k] as HtmlAtom;
    if (a.kind !== 'char') continue;
    if (used + a.text.length > budget) break;
    used += a.text.length;
    if (used < budget * MIN_FILL) continue;
    if (a.text === '\n') {
      if (prevChar(atoms, k, start) === '\n') paragraph = k + 1;
      else line = k + 1;
    } else if (a.text === ' ') space = k + 1;
  }
  if (k >= atoms.length) return atoms.length;
  let end = paragraph > 0 ? paragraph : line > 0 ? line : space > 0 ? space : k;
  // Closing tags right at the cut belong to this part; opening tags right before it to the next.
  while (end < atoms.length && atoms[end]?.kind === 'close') end++;
  while (end - 1 > start && atoms[end - 1]?.kind === 'open') end--;
  return end;
}

function prevChar(atoms: readonly HtmlAtom[], k: number, start: number): string | null {
  for (let j = k - 1; j >= start; j--) {
    const a = atoms[j] as HtmlAtom;
    if (a.kind === 'char') return a.text;
  }
  return null;
}
