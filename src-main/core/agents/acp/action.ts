/**
 * ACP tool calls as normalised actions. ACP names no tools: it gives a `kind` (read, edit, delete,
 * move, search, execute, think, fetch, switch_mode, other), a human `title`, `locations`, the
 * agent's `rawInput` and `content` (text, or diffs of the files it would change). This file turns
 * that into a {@link ToolAction}; everything after the runner reads the action.
 */
import type { ActionEdit, ToolAction } from '../../../contract/index.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What is known about one tool call so far: `tool_call` and every `tool_call_update` merged. */
export interface AcpToolCall {
  toolCallId: string;
  title: string;
  kind: string | null;
  /** The programmatic tool name, when the agent sends one (ACP's optional `name`). */
  name: string | null;
  status: string | null;
  rawInput: unknown;
  locations: { path: string }[];
  content: unknown[];
  rawOutput: unknown;
}

/** An empty record for a call first seen with this id. */
export function newToolCall(toolCallId: string): AcpToolCall {
  return { toolCallId, title: '', kind: null, name: null, status: null, rawInput: undefined, locations: [], content: [], rawOutput: undefined };
}

/** Merges a `tool_call`, a `tool_call_update` or a permission request's `toolCall` into `call` (only the fields it carries). */
export function mergeToolCall(call: AcpToolCall, u: Json): AcpToolCall {
  const next = { ...call };
  if (typeof u.title === 'string') next.title = u.title;
  if (typeof u.kind === 'string') next.kind = u.kind;
  if (typeof u.name === 'string') next.name = u.name;
  if (typeof u.status === 'string') next.status = u.status;
  if (u.rawInput !== undefined && u.rawInput !== null) next.rawInput = u.rawInput;
  if (Array.isArray(u.locations)) next.locations = u.locations.filter(isObj).flatMap((l) => (typeof l.path === 'string' ? [{ path: l.path }] : []));
  if (Array.isArray(u.content)) next.content = u.content;
  if (u.rawOutput !== undefined && u.rawOutput !== null) next.rawOutput = u.rawOutput;
  return next;
}

const PATH_KEYS = ['file_path', 'filePath', 'filepath', 'absolute_path', 'path', 'dir_path', 'notebook_path'];
const MOVE_KEYS = ['source', 'destination', 'from', 'to', 'old_path', 'new_path', 'oldPath', 'newPath'];
/** Raw-input keys of a permission that opens folders (OpenCode's `external_directory`). */
const FOLDER_KEYS = ['directories', 'parentDir', 'filepath'] as const;

const unique = (xs: string[]): string[] => [...new Set(xs.filter((x) => x !== ''))];

/**
 * The file changes a call carries: its `diff` contents, else the replacement its raw input names.
 * A diff without old text (Gemini and OpenCode send `""` for a file they create) is a whole-file write.
 */
function editsOf(call: AcpToolCall, input: Json): ActionEdit[] {
  const diffs = call.content.filter((c): c is Json => isObj(c) && c.type === 'diff' && typeof c.path === 'string');
  if (diffs.length > 0) {
    return diffs.map((d) => ({ path: String(d.path), oldText: str(d.oldText) ?? null, newText: typeof d.newText === 'string' ? d.newText : '' }));
  }
  const path = PATH_KEYS.map((k) => str(input[k])).find(Boolean);
  if (path === undefined) return [];
  const content = input.content;
  if (typeof content === 'string') return [{ path, oldText: null, newText: content }];
  const oldText = str(input.old_string) ?? str(input.oldString);
  const newText = input.new_string ?? input.newString;
  if (oldText !== undefined && typeof newText === 'string') return [{ path, oldText, newText }];
  return [];
}

function pathsOf(call: AcpToolCall, input: Json, edits: ActionEdit[], extraKeys: readonly string[] = []): string[] {
  const fromInput = [...PATH_KEYS, ...extraKeys].flatMap((k) => {
    const v = input[k];
    return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  });
  return unique([...edits.map((e) => e.path), ...call.locations.map((l) => l.path), ...fromInput]);
}

/** The shell command of an `execute` call: its raw input's `command`, else the title (Gemini sends no raw input and titles a shell call with its exact command). */
function commandOf(call: AcpToolCall, input: Json): { command: string; argv?: string[] } {
  const c = input.command ?? input.cmd;
  if (Array.isArray(c) && c.every((w) => typeof w === 'string')) return { command: c.join(' '), argv: c };
  return { command: str(c) ?? call.title };
}

/** The first http(s) URL in a text (Gemini's web fetch takes a prompt that contains the URLs). */
const urlIn = (text: string): string | undefined => /https?:\/\/[^\s"'<>]+/.exec(text)?.[0];

/**
 * The action of an ACP tool call. `input` is the raw input when the agent sent one; otherwise the
 * title and paths stand in for it, so that an exact-input grant still tells two calls apart.
 */
export function acpAction(call: AcpToolCall): ToolAction {
  const raw = isObj(call.rawInput) ? call.rawInput : {};
  const input: Json = Object.keys(raw).length > 0 ? raw : { title: call.title, ...(call.locations.length ? { paths: call.locations.map((l) => l.path) } : {}) };
  const tool = call.name ?? call.kind ?? 'other';
  const title = call.title || tool;
  switch (call.kind) {
    case 'execute': {
      const { command, argv } = commandOf(call, raw);
      return { kind: 'shell', tool, title: command, command, ...(argv ? { argv } : {}), input };
    }
    case 'read': {
      const paths = pathsOf(call, raw, []);
      return { kind: 'read', tool, title: `read ${paths.join(', ') || '(no path)'}`, paths, input };
    }
    case 'edit':
    case 'delete':
    case 'move': {
      const edits = call.kind === 'edit' ? editsOf(call, raw) : [];
      const paths = pathsOf(call, raw, edits, call.kind === 'move' ? MOVE_KEYS : []);
      const kind = call.kind === 'edit' && edits.length > 0 && edits.every((e) => e.oldText === null) ? 'write' : 'edit';
      const verb = call.kind === 'edit' ? kind : call.kind;
      const patch = str(raw.diff) ?? str(raw.patch);
      return { kind, tool, title: `${verb} ${paths.join(', ') || '(no path)'}`, paths, ...(edits.length ? { edits } : {}), ...(patch ? { patch } : {}), input };
    }
    case 'search': {
      const paths = pathsOf(call, raw, []);
      const pattern = /glob/i.test(tool) ? str(raw.pattern) : undefined;
      const filter = str(raw.include) ?? str(raw.glob);
      return {
        kind: 'search',
        tool,
        title: `search ${str(raw.pattern) ?? str(raw.query) ?? title}`,
        paths: paths.length ? paths : ['.'],
        ...(pattern ? { pattern } : {}),
        ...(filter ? { filter } : {}),
        input,
      };
    }
    case 'fetch': {
      const url = str(raw.url) ?? urlIn(str(raw.prompt) ?? '') ?? urlIn(call.title);
      const query = url === undefined ? (str(raw.query) ?? call.title) : undefined;
      return {
        kind: 'fetch',
        tool,
        title: url ? `fetch ${url}` : `search the web: ${query ?? ''}`,
        ...(url ? { url } : {}),
        ...(query ? { query } : {}),
        input,
      };
    }
    case 'think':
      return { kind: 'other', tool, title, internal: true, input };
    default: {
      // A permission for folders rather than a tool (OpenCode's `external_directory`, asked before a
      // call reaches outside the project): what it opens is those folders, so policy sees their paths.
      const folders = pathsOf(call, raw, [], FOLDER_KEYS);
      if (folders.length > 0) return { kind: 'read', tool, title: `reach outside the project: ${folders.join(', ')}`, paths: folders, input };
      // `switch_mode`, `other`, or a kind this version does not know: Reins cannot tell what it does.
      return { kind: 'other', tool, title, input };
    }
  }
}
