/**
 * Codex's thread items as normalised actions. The only place that knows Codex's item types and
 * fields; everything after the runner reads the {@link ToolAction}.
 */
import type { ToolAction } from '../../../contract/index.ts';
import type { FileUpdateChange } from './generated/v2/FileUpdateChange.ts';
import type { ThreadItem } from './generated/v2/ThreadItem.ts';

type CommandItem = Extract<ThreadItem, { type: 'commandExecution' }>;
type FileChangeItem = Extract<ThreadItem, { type: 'fileChange' }>;

/**
 * A command as Codex runs it: `/bin/bash -lc '<what the model asked for>'`. The action's `command`
 * is that full line (the exact thing that runs, which risk rules unwrap); the title is the model's
 * own command when Codex parsed it as one action.
 */
export function shellAction(command: string, cwd: string | null, parsed: readonly { command: string }[] | null | undefined): ToolAction {
  const inner = parsed?.length === 1 ? parsed[0]!.command : null;
  return { kind: 'shell', tool: 'commandExecution', title: inner ?? command, command, input: { command, ...(cwd ? { cwd } : {}) } };
}

export const commandAction = (item: CommandItem): ToolAction => shellAction(item.command, item.cwd, item.commandActions);

/**
 * One file's part of the patch. Codex gives an update as a unified diff, but an added file as its
 * bare content and a deleted one as the old content: those become a diff here, so `patch` always
 * reads as one.
 */
function filePatch(change: FileUpdateChange): string {
  const lines = (text: string, sign: string): string =>
    text
      .split('\n')
      .slice(0, text.endsWith('\n') ? -1 : undefined)
      .map((l) => `${sign}${l}`)
      .join('\n');
  const count = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  switch (change.kind.type) {
    case 'add':
      return `--- /dev/null\n+++ ${change.path}\n@@ -0,0 +1,${count(change.diff)} @@\n${lines(change.diff, '+')}\n`;
    case 'delete':
      return `--- ${change.path}\n+++ /dev/null\n@@ -1,${count(change.diff)} +0,0 @@\n${lines(change.diff, '-')}\n`;
    case 'update': {
      const header = change.diff.startsWith('---') ? '' : `--- ${change.path}\n+++ ${change.kind.move_path ?? change.path}\n`;
      return `${header}${change.diff}${change.diff.endsWith('\n') ? '' : '\n'}`;
    }
  }
}

/**
 * A file change (`apply_patch`): `write` when it only adds files, else `edit`; the paths it
 * touches (a move's target too), the diff in `patch`, and new files' content in `edits`.
 */
export function fileChangeAction(item: Pick<FileChangeItem, 'changes'>): ToolAction {
  const { changes } = item;
  const paths = [...new Set(changes.flatMap((c) => (c.kind.type === 'update' && c.kind.move_path ? [c.path, c.kind.move_path] : [c.path])))];
  const kind = changes.length > 0 && changes.every((c) => c.kind.type === 'add') ? 'write' : 'edit';
  const edits = changes.filter((c) => c.kind.type === 'add').map((c) => ({ path: c.path, oldText: null, newText: c.diff }));
  return {
    kind,
    tool: 'fileChange',
    title: `${kind} ${paths.length === 1 ? paths[0] : `${paths.length} files`}`,
    paths,
    patch: changes.map(filePatch).join(''),
    ...(edits.length ? { edits } : {}),
    input: { changes },
  };
}

/** An MCP tool call. */
export function mcpAction(item: Extract<ThreadItem, { type: 'mcpToolCall' }>): ToolAction {
  const input =
    typeof item.arguments === 'object' && item.arguments !== null && !Array.isArray(item.arguments)
      ? (item.arguments as Record<string, unknown>)
      : { arguments: item.arguments };
  return {
    kind: 'mcp',
    tool: `mcp__${item.server}__${item.tool}`,
    title: `${item.server}: ${item.tool}`,
    mcp: { server: item.server, tool: item.tool },
    input,
  };
}

/** A web search (Codex runs it on the provider's side; there is no URL). */
export function webSearchAction(item: Extract<ThreadItem, { type: 'webSearch' }>): ToolAction {
  return { kind: 'fetch', tool: 'webSearch', title: `search the web for ${item.query}`, query: item.query, input: { query: item.query } };
}
