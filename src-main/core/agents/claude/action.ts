/**
 * Claude Code's tools as normalised actions. The only place that knows Claude's tool names and
 * input fields; everything after the runner reads the {@link ToolAction}.
 */
import type { ActionEdit, Question, ToolAction } from '../../../contract/index.ts';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Tools that only manage the agent's own state or its background commands: nothing to assess. */
const INTERNAL_TOOLS = new Set([
  'TodoWrite',
  'EnterPlanMode',
  'BashOutput',
  'TaskOutput',
  'KillShell',
  'KillBash',
  'TaskStop',
  'TaskCreate',
  'TaskGet',
  'TaskUpdate',
  'TaskList',
  'ToolSearch',
  'ListAgents',
  'Skill',
  'ReportFindings',
]);

/** Sub-agent modes that skip approvals for everything the sub-agent does. */
const UNSUPERVISED_MODES = new Set(['bypassPermissions', 'acceptEdits', 'dontAsk', 'auto']);

/** The questions of an `AskUserQuestion` input. */
export function claudeQuestions(input: Json): Question[] | null {
  if (!Array.isArray(input.questions)) return null;
  return input.questions.filter(isObj).map((q) => ({
    question: String(q.question ?? ''),
    header: str(q.header) ?? undefined,
    multiSelect: q.multiSelect === true,
    options: (Array.isArray(q.options) ? q.options : []).filter(isObj).map((o) => ({
      label: String(o.label ?? ''),
      description: str(o.description) ?? undefined,
    })),
  }));
}

function editsOf(tool: string, input: Json, path: string): ActionEdit[] {
  if (tool === 'Write') return [{ path, oldText: null, newText: str(input.content) ?? '' }];
  if (tool === 'Edit') return [{ path, oldText: str(input.old_string) ?? '', newText: str(input.new_string) ?? '' }];
  if (tool === 'MultiEdit' && Array.isArray(input.edits)) {
    return input.edits.filter(isObj).map((e) => ({ path, oldText: str(e.old_string) ?? '', newText: str(e.new_string) ?? '' }));
  }
  if (tool === 'NotebookEdit') return [{ path, oldText: null, newText: str(input.new_source) ?? '' }];
  return [];
}

/** Hosts are shown, not whole URLs: those may carry keys in their query. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The action of one Claude tool call. `plan` and `questions` are filled by the caller where the input lacks them. */
export function claudeAction(tool: string, input: Json): ToolAction {
  const base = { tool, input };
  switch (tool) {
    case 'Bash': {
      const command = str(input.command);
      return {
        ...base,
        kind: 'shell',
        title: command ?? 'a shell command',
        ...(command !== undefined ? { command } : {}),
        ...(str(input.description) ? { description: str(input.description) } : {}),
        ...(input.dangerouslyDisableSandbox === true ? { escalated: true } : {}),
      };
    }
    case 'Read':
    case 'NotebookRead': {
      const path = str(input[tool === 'Read' ? 'file_path' : 'notebook_path']);
      return { ...base, kind: 'read', title: `read ${path ?? '(no path)'}`, paths: path === undefined ? [] : [path] };
    }
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit': {
      const path = str(input[tool === 'NotebookEdit' ? 'notebook_path' : 'file_path']);
      const kind = tool === 'Write' ? 'write' : 'edit';
      return {
        ...base,
        kind,
        title: `${kind} ${path ?? '(no path)'}`,
        paths: path === undefined ? [] : [path],
        edits: path === undefined ? [] : editsOf(tool, input, path),
      };
    }
    case 'LS':
    case 'Glob':
    case 'Grep': {
      const path = str(input.path);
      const pattern = str(input.pattern);
      const filter = tool === 'Grep' ? str(input.glob) : undefined;
      return {
        ...base,
        kind: 'search',
        title: tool === 'LS' ? `list ${path ?? '.'}` : `search ${pattern ?? ''}${path ? ` in ${path}` : ''}`,
        paths: [path ?? '.'],
        ...(tool === 'Glob' && pattern !== undefined ? { pattern } : {}),
        ...(tool === 'Grep' && pattern !== undefined ? { query: pattern } : {}),
        ...(filter !== undefined ? { filter } : {}),
      };
    }
    case 'WebFetch': {
      const url = str(input.url) ?? '';
      return { ...base, kind: 'fetch', title: `fetch ${hostOf(url) || '(no URL)'}`, url };
    }
    case 'WebSearch': {
      const query = str(input.query) ?? '';
      return { ...base, kind: 'fetch', title: `search the web: ${query}`, query };
    }
    case 'Task':
    case 'Agent': {
      const mode = str(input.mode);
      return {
        ...base,
        kind: 'subagent',
        title: `start a sub-agent: ${str(input.description) ?? str(input.subagent_type) ?? ''}`.trim(),
        ...(mode !== undefined && UNSUPERVISED_MODES.has(mode) ? { unsupervisedMode: mode } : {}),
      };
    }
    case 'ExitPlanMode':
      return { ...base, kind: 'plan', title: 'approve a plan', plan: str(input.plan) ?? '' };
    case 'AskUserQuestion':
      return { ...base, kind: 'question', title: 'answer questions', questions: claudeQuestions(input) ?? [] };
  }
  const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
  if (mcp !== null) return { ...base, kind: 'mcp', title: `${mcp[2]} (MCP server ${mcp[1]})`, mcp: { server: mcp[1] ?? '', tool: mcp[2] ?? '' } };
  return { ...base, kind: 'other', title: tool, ...(INTERNAL_TOOLS.has(tool) ? { internal: true } : {}) };
}
