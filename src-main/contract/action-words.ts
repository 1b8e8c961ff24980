/**
 * Actions in words, the same on every surface (Telegram, the window, the CLI, notifications), so a
 * card for one agent's command reads like another's.
 */
import type { ActionKind, ToolAction } from './action.ts';
import { unknownAction } from './action.ts';

const LABELS: Readonly<Record<Exclude<ActionKind, 'other'>, string>> = {
  shell: 'Run',
  read: 'Read',
  write: 'Write',
  edit: 'Edit',
  fetch: 'Fetch',
  search: 'Search',
  mcp: 'MCP',
  subagent: 'Agent',
  plan: 'Plan',
  question: 'Question',
  budget: 'Budget',
};

/** One word naming what the call does ("Run", "Edit"); the agent's tool name for other tools. */
export function actionLabel(action: Pick<ToolAction, 'kind' | 'tool'>): string {
  return action.kind === 'other' ? action.tool : LABELS[action.kind];
}

/**
 * What the call acts on, whole: the command, the files, the pattern and folder, the URL or query,
 * the MCP tool. Views redact it before they shorten it (a secret cut first would no longer match).
 */
export function actionSubject(action: ToolAction): string {
  switch (action.kind) {
    case 'shell':
      return action.command ?? action.argv?.join(' ') ?? '';
    case 'read':
    case 'write':
    case 'edit':
      return (action.paths ?? []).join(', ');
    case 'search':
      return [action.query ?? action.pattern, action.filter, action.paths?.join(', ')].filter((x) => x !== undefined && x !== '' && x !== '.').join(' in ');
    case 'fetch':
      return action.url ?? action.query ?? '';
    case 'mcp':
      return action.mcp ? `${action.mcp.server}/${action.mcp.tool}` : action.tool;
    default:
      return action.title === action.tool ? '' : action.title;
  }
}

/** The action of a stored tool call event or approval, also for those stored before actions existed. */
export function actionOf(call: { tool: string; input: Record<string, unknown>; action?: ToolAction }): ToolAction {
  return call.action ?? unknownAction(call.tool, call.input);
}

/**
 * The diff lines of a file change: removed lines as `- `, added as `+ `, `@@` between changes; a
 * unified diff the agent sent is kept as it is. Null when the action changes no file content.
 */
export function actionDiffLines(action: ToolAction): string[] | null {
  if (action.kind !== 'edit' && action.kind !== 'write') return null;
  if (action.edits !== undefined && action.edits.length > 0) {
    const minus = (s: string | null): string[] => (s === null || s === '' ? [] : s.split('\n').map((l) => `- ${l}`));
    const plus = (s: string): string[] => (s === '' ? [] : s.split('\n').map((l) => `+ ${l}`));
    return action.edits.flatMap((e, i) => [...(i > 0 ? ['@@'] : []), ...minus(e.oldText), ...plus(e.newText)]);
  }
  if (action.patch !== undefined && action.patch !== '') return action.patch.replace(/\n$/, '').split('\n');
  return null;
}
