/**
 * Adds and removes Reins' hook entries in an agent's settings text, leaving everything else as the
 * user wrote it. Text edits with jsonc-parser (comments and the user's entries survive; the edited
 * list may be re-indented). Uninstall gives back the exact bytes from before the install when the
 * file holds nothing else new: it compares with the backup taken at install time.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parse,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { isReinsEntry, type HookSettingsSpec } from './hook-settings.ts';

/** A settings file Reins cannot edit safely; the message says what to fix. */
export class HookSettingsError extends Error {
  override readonly name = 'HookSettingsError';
}

type Json = Record<string, unknown>;

function parseObject(text: string, path: string): { tree: Node; value: Json } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const line = first ? text.slice(0, first.offset).split('\n').length : 1;
    throw new HookSettingsError(
      `${path} is not valid JSON (${first ? printParseErrorCode(first.error) : 'empty'} on line ${line}); fix it and run the command again.`,
    );
  }
  if (tree.type !== 'object') throw new HookSettingsError(`${path} does not hold a JSON object; fix it and run the command again.`);
  return { tree, value: parse(text, [], { allowTrailingComma: true }) as Json };
}

/** Indentation and line ends of the file, so that inserted text looks like the rest. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

const edit = (text: string, path: (string | number)[], value: unknown, insert = false): string =>
  applyEdits(text, modify(text, path, value, { formattingOptions: formattingOf(text), ...(insert ? { isArrayInsertion: true } : {}) }));

/** The list at `at`, checked to be one; undefined when absent. */
function listAt(text: string, at: string[], path: string): Node | undefined {
  const { tree } = parseObject(text, path);
  for (let i = 1; i <= at.length; i++) {
    const node = findNodeAtLocation(tree, at.slice(0, i));
    if (!node) return undefined;
    const want = i === at.length ? 'array' : 'object';
    if (node.type !== want)
      throw new HookSettingsError(
        `"${at.slice(0, i).join('.')}" in ${path} is not ${want === 'array' ? 'a list' : 'an object'}; fix it and run the command again.`,
      );
  }
  return findNodeAtLocation(tree, at);
}

const reinsIndexes = (list: Node | undefined): number[] => (list?.children ?? []).flatMap((child, i) => (isReinsEntry(nodeValue(child)) ? [i] : []));

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value as string, p.children![1] ? nodeValue(p.children![1]) : null]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** True when the text holds any of Reins' entries. */
export function hasReinsEntries(text: string, spec: HookSettingsSpec): boolean {
  return spec.entries.some(({ at }) => reinsIndexes(listAt(text, at, spec.path)).length > 0);
}

/**
 * The text with Reins' entries in place: added after the user's own, or replaced where an older one
 * differs. `text` null means the file does not exist. Returns the input unchanged when nothing is missing.
 */
export function addEntries(text: string | null, spec: HookSettingsSpec): string {
  const start = text ?? `${JSON.stringify(spec.skeleton, null, 2)}\n`;
  let out = start;
  for (const { at, entry } of spec.entries) {
    const list = listAt(out, at, spec.path);
    const ours = reinsIndexes(list);
    if (ours.length === 1 && isDeepStrictEqual(nodeValue(list!.children![ours[0]!]!), entry)) continue;
    for (const i of [...ours].reverse()) out = edit(out, [...at, i], undefined);
    out = edit(out, [...at, -1], entry, true);
  }
  return out;
}

/** True when the path `at` exists in `value`. */
function has(value: unknown, at: string[]): boolean {
  let v = value;
  for (const key of at) {
    if (typeof v !== 'object' || v === null || !(key in v)) return false;
    v = (v as Json)[key];
  }
  return true;
}

/**
 * The text without Reins' entries; null when the file should be deleted (Reins created it and nothing
 * else was added). With the install's backup, lists and objects the user did not have are removed
 * again, and when the rest equals the backup its exact bytes come back.
 */
export function removeEntries(text: string, backup: string | null, spec: HookSettingsSpec): string | null {
  const before = backup === null ? null : parseObject(backup, `${spec.path} backup`).value;
  let out = text;
  for (const { at } of spec.entries) {
    for (const i of reinsIndexes(listAt(out, at, spec.path)).reverse()) out = edit(out, [...at, i], undefined);
    // Prune what the install created: an emptied list, then emptied parents the user never had.
    for (let depth = at.length; depth > 0; depth--) {
      const path = at.slice(0, depth);
      const node = findNodeAtLocation(parseObject(out, spec.path).tree, path);
      if (!node || (node.children?.length ?? 0) > 0 || (before !== null && has(before, path))) break;
      out = edit(out, path, undefined);
    }
  }
  const after = parseObject(out, spec.path).value;
  if (backup !== null && isDeepStrictEqual(after, before)) return backup;
  if (backup === null && isDeepStrictEqual(after, spec.skeleton)) return null;
  return out;
}
