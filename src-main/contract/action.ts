/**
 * The normalised action: what a tool call does, in words every part of Reins understands, whatever
 * the agent called its tool. Each runner produces one for every tool call and permission request;
 * risk, grants, policy, cards, views, the renderer and the CLI read the action, never an agent's tool
 * names (those stay in `core/agents/<agent>/`).
 */
import type { ApprovalKind, BudgetAsk, Question } from './domain.ts';

/**
 * - `shell`: runs a command line (`command`, `argv` when the agent gave words).
 * - `read`: reads files (`paths`).
 * - `write`: creates or replaces files (`paths`, `edits` with the new content).
 * - `edit`: changes files in place (`paths`, `edits` or `patch`).
 * - `fetch`: reaches the network (`url`; none for a web search, whose `query` is set).
 * - `search`: searches or lists files below folders (`paths`, default the project; `query`, `pattern`, `filter`).
 * - `mcp`: calls a tool of an MCP server (`mcp`).
 * - `subagent`: starts another agent (`unsupervisedMode` when it would skip approvals).
 * - `plan`: asks the owner to approve a plan (`plan`).
 * - `question`: asks the owner questions (`questions`).
 * - `other`: anything else; `internal` when it only manages the agent's own state.
 */
export const ACTION_KINDS = ['shell', 'read', 'write', 'edit', 'fetch', 'search', 'mcp', 'subagent', 'plan', 'question', 'budget', 'other'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One file change as the agent described it: `oldText` null for a new file or a whole-file write. */
export interface ActionEdit {
  path: string;
  oldText: string | null;
  newText: string;
}

export interface ToolAction {
  kind: ActionKind;
  /** The agent's own tool name, for display and the audit log only; decisions never read it. */
  tool: string;
  /** A short line a person reads ("npm test", "edit src/app.ts", "fetch example.com"). */
  title: string;
  /** The agent's own words on what the call is for, when it gave any. */
  description?: string;
  /** `shell`: the command line as the shell receives it. */
  command?: string;
  /** `shell`: the words, when the agent gave them as an argument vector. */
  argv?: string[];
  /** Files or folders the call reads, writes or searches, as the agent named them (relative to the project, `~`, or absolute). */
  paths?: string[];
  /** `search`: a glob pattern that may itself reach elsewhere (`/etc/**`, `../**`). */
  pattern?: string;
  /** `search`: a file filter (a glob such as `*.env`) restricting which files are searched. */
  filter?: string;
  /** `fetch`: the URL. */
  url?: string;
  /** `fetch`: a web search's query. `search`: the text or expression searched for in files. */
  query?: string;
  /** `edit`/`write`: a unified diff, when the agent sent one. */
  patch?: string;
  /** `edit`/`write`: the changes, when the agent sent them as text replacements. */
  edits?: ActionEdit[];
  /** `mcp`: the server and its tool. */
  mcp?: { server: string; tool: string };
  /** `subagent`: the mode it would run in when that mode skips approvals. */
  unsupervisedMode?: string;
  /** `shell`: the call asks to run outside the agent's sandbox. */
  escalated?: boolean;
  /** `other`: a tool that only manages the agent's own state (a to-do list, its background output). */
  internal?: boolean;
  /** `plan`: the plan text. */
  plan?: string;
  /** `question`: the questions. */
  questions?: Question[];
  /** `budget`: the limit that was reached (Reins' own ask, not an agent's tool call). */
  budget?: BudgetAsk;
  /** The input as the agent sent it (exact-input grants of MCP and unknown tools, and display). */
  input: Record<string, unknown>;
}

/** The approval kind an action asks for: the owner's plan or questions, or a tool call. */
export function approvalKindOf(action: Pick<ToolAction, 'kind'>): ApprovalKind {
  if (action.kind === 'plan' || action.kind === 'question' || action.kind === 'budget') return action.kind;
  return 'tool';
}

/** The action of a stored call that predates normalised actions: nothing is known but its name. */
export function unknownAction(tool: string, input: Record<string, unknown>): ToolAction {
  return { kind: 'other', tool, title: tool, input };
}

/**
 * What a grant is keyed on: the kind for actions whose target says everything (a shell command, a
 * file, a folder, an origin), so a grant covers the same target whichever agent asks; the agent's
 * tool name where only the exact input identifies the call.
 */
export function grantSubject(action: Pick<ToolAction, 'kind' | 'tool'>): string {
  switch (action.kind) {
    case 'shell':
    case 'read':
    case 'write':
    case 'edit':
    case 'search':
    case 'fetch':
      return action.kind;
    default:
      return action.tool;
  }
}

/**
 * What an agent can do, so the session manager and every surface offer only what works. A surface
 * hides a control whose capability is false instead of failing when it is used.
 */
export interface AgentCapabilities {
  /** Output arrives while a turn runs (not only at its end). */
  streaming: boolean;
  /** The agent asks before risky calls, and waits for the answer. */
  approvals: boolean;
  /** Every tool call is shown to Reins before it runs, including those the agent would allow on its own. */
  toolChecks: boolean;
  /** The agent can ask the owner questions with options. */
  questions: boolean;
  /** A session can start in a planning mode that asks before acting. */
  planMode: boolean;
  /** An ended session can be continued with its history. */
  resume: boolean;
  /** A running turn can be stopped without ending the process. */
  interrupt: boolean;
  /** A message sent while a turn runs is taken into that turn. */
  steer: boolean;
  /** A message sent while a turn runs is kept and answered after it. */
  queueWhileBusy: boolean;
  /** Images can be attached to a message. */
  images: boolean;
}

/** Every capability false: the start of a descriptor's table. */
export const NO_CAPABILITIES: AgentCapabilities = {
  streaming: false,
  approvals: false,
  toolChecks: false,
  questions: false,
  planMode: false,
  resume: false,
  interrupt: false,
  steer: false,
  queueWhileBusy: false,
  images: false,
};
