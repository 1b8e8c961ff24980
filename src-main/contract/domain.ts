import type { ToolAction } from './action.ts';

/**
 * Domain vocabulary shared by core, the loopback API, the preload and the renderer.
 * Types only: no IO, nothing that needs Node.
 */

/**
 * An agent's id in the registry (`claude`, `codex`, `gemini`, …, or a name the owner gave an ACP agent
 * in config): lower-case letters, digits and dashes.
 */
export type AgentId = string;
export const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * How policy treats risky tool calls in a session.
 * - `ask`: risky calls wait for the owner; read-only tools run.
 * - `auto`: everything is allowed, and the owner is notified.
 * - `standby`: risky calls are denied and the agent is told the owner is away.
 */
export const SESSION_MODES = ['ask', 'auto', 'standby'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/**
 * Session lifecycle. `stalled` is `running` with no agent output for longer than the
 * watchdog allows; it returns to `running` when output resumes.
 */
const SESSION_STATES = ['starting', 'running', 'stalled', 'waiting', 'idle', 'stopped', 'failed', 'interrupted'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** States from which the session's agent process is gone (a follow-up resumes it). */
export const ENDED_STATES: readonly SessionState[] = ['stopped', 'failed', 'interrupted'];

/**
 * A session's short name (`api`, `api-2`, `fix-login`): 1–32 lower-case letters, digits and dashes,
 * unique (ignoring case) among the sessions not archived. Accepted wherever a session id is.
 */
export const SESSION_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
export const SESSION_NAME_MAX = 32;

export interface Session {
  id: string;
  /** The session's short name; see {@link SESSION_NAME_PATTERN}. */
  name: string;
  agent: AgentId;
  projectId: string;
  cwd: string;
  mode: SessionMode;
  state: SessionState;
  /** Why the session is in its state (error text, "core restarted", …); null when nothing to say. */
  stateReason: string | null;
  /** What a `waiting` session waits for. */
  waitingFor: 'approval' | 'input' | null;
  /** The agent's own id, used to resume (`claude --resume <id>`). */
  agentSessionId: string | null;
  /**
   * An agent Reins did not start (run by hand, its hook posts each tool call): Reins decides its tool
   * calls but owns no process, so it cannot send it messages, stop or resume it.
   */
  adopted: boolean;
  /** The agent's transcript file, when its hook named one (Claude). */
  transcriptPath: string | null;
  title: string;
  /**
   * When the session was archived (by age, see the reaper), or null. Archived sessions leave the default
   * lists and free their name; a follow-up brings one back. Not a state: the state machine stays as it was.
   */
  archivedAt: number | null;
  /** What the session may spend and has spent (from its agent's usage reports). */
  budget: SessionBudget;
  /** Highest event seq appended so far. */
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
}

/** Spend as the agents report it: US dollars (null figures count as 0) and tokens (input, output and cache). */
export interface Spend {
  costUsd: number;
  tokens: number;
}

/** A spending limit in dollars, in tokens, or both; null means no limit of that kind. */
export interface BudgetLimit {
  costUsd: number | null;
  tokens: number | null;
}

/** A session's limit and what it has spent so far. */
export interface SessionBudget {
  limit: BudgetLimit;
  spent: Spend;
}

/** A local day's spend across sessions and its limit (the configured one unless raised that day). */
export interface DayBudget {
  day: string;
  spent: Spend;
  limit: BudgetLimit;
}

/**
 * A limit that was reached: a session's own, or the day's across all sessions (`day` is the local
 * date, `YYYY-MM-DD`). `next` is the limit "continue" sets unless the owner names another.
 */
export interface BudgetAsk {
  scope: 'session' | 'day';
  day?: string;
  spent: Spend;
  limit: BudgetLimit;
  next: BudgetLimit;
}

export interface Project {
  id: string;
  path: string;
  name: string;
  createdAt: number;
}

/** `budget`: a session reached its spending limit and waits to continue with a new one, or to stop. */
const APPROVAL_KINDS = ['tool', 'plan', 'question', 'budget'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export const APPROVAL_STATUSES = ['pending', 'allowed', 'denied', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * Why a call is considered risky; several may apply. `reins` means the call reaches Reins itself
 * (its data directory, runtime file, keychain entries or API port): policy denies it in every mode,
 * since an agent holding the API token could approve its own requests.
 */
export const RISK_TAGS = ['writes', 'destructive', 'network', 'privilege', 'outside-project', 'secrets', 'reins', 'unknown-tool'] as const;
export type RiskTag = (typeof RISK_TAGS)[number];

export interface Risk {
  level: RiskLevel;
  tags: RiskTag[];
  /** Human sentences, one per finding ("deletes files recursively (rm -rf)"). */
  reasons: string[];
}

/**
 * Where a decision came from. `policy` and `timeout` are the core itself; `schedule` and `webhook`
 * start sessions on the owner's behalf.
 */
const SURFACES = ['api', 'cli', 'telegram', 'desktop', 'tray', 'notification', 'policy', 'timeout', 'core', 'schedule', 'webhook'] as const;
export type Surface = (typeof SURFACES)[number];

interface QuestionOption {
  label: string;
  description?: string;
}
export interface Question {
  question: string;
  header?: string;
  options: QuestionOption[];
  multiSelect?: boolean;
}

export interface Approval {
  id: string;
  /** Short, URL- and callback-safe handle (8 chars) for buttons and the CLI. */
  handle: string;
  sessionId: string;
  kind: ApprovalKind;
  tool: string;
  input: Record<string, unknown>;
  /** What the call does, as the agent's runner described it. */
  action: ToolAction;
  /** For `plan`: the plan text. For `question`: the questions. */
  plan: string | null;
  questions: Question[] | null;
  risk: Risk;
  status: ApprovalStatus;
  decidedBy: string | null;
  surface: Surface | null;
  /** Why it ended the way it did ("timed out after 300 s", "denied by owner", …). */
  reason: string | null;
  /** The text returned to the agent on deny. */
  message: string | null;
  answers: Record<string, string> | null;
  /** What "allow for this session/project" would cover; null when the call can only be allowed once. */
  grantOffer: GrantOffer | null;
  createdAt: number;
  decidedAt: number | null;
  expiresAt: number;
}

export const GRANT_SCOPES = ['run', 'session', 'project'] as const;
export type GrantScope = (typeof GRANT_SCOPES)[number];

/**
 * What a grant covers. Exact by default: the same shell command, the same file, the folder a search
 * ran in, the origin of a fetch, or the same input. The wider forms (`command-prefix`, `folder` for
 * file tools, `any`) exist only when the owner picked them explicitly.
 * - `command`: the same command line (same words after normalising quotes and spaces).
 * - `command-prefix`: the command with any further arguments, one plain command per line.
 * - `file`: this file (absolute path, symlinks resolved).
 * - `folder`: anything inside this folder (absolute path, symlinks resolved).
 * - `origin`: web fetches of this origin (`https://host:port`).
 * - `input`: exactly this input (canonical JSON).
 * - `any`: every input of the tool.
 */
export type GrantMatcher =
  | { kind: 'command'; command: string }
  | { kind: 'command-prefix'; prefix: string }
  | { kind: 'file'; path: string }
  | { kind: 'folder'; path: string }
  | { kind: 'origin'; origin: string }
  | { kind: 'input'; input: string }
  | { kind: 'any' };

/** A standing auto-allow of one tool, narrowed by its matcher. It never covers critical, secret or Reins-touching calls. */
export interface Grant {
  id: string;
  scope: GrantScope;
  sessionId: string | null;
  projectId: string | null;
  tool: string;
  matcher: GrantMatcher;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  createdBy: string;
}

/**
 * The grants "allow for this session/project" may create for one approval: `exact` by default,
 * `wider` only when the owner picks it. Null on the approval when no grant may cover the call
 * (critical, secrets, Reins itself).
 */
export interface GrantOffer {
  exact: GrantMatcher;
  wider: GrantMatcher | null;
}

export const DELIVERIES = ['queue', 'steer', 'interrupt'] as const;
export type Delivery = (typeof DELIVERIES)[number];

const FOLLOWUP_STATES = ['queued', 'sent', 'cancelled', 'failed'] as const;
export type FollowupState = (typeof FOLLOWUP_STATES)[number];

export interface Followup {
  id: string;
  sessionId: string;
  text: string;
  delivery: Delivery;
  state: FollowupState;
  source: Surface;
  createdAt: number;
  sentAt: number | null;
}

export interface AuditEntry {
  seq: number;
  ts: number;
  /** Dotted verb: `approval.decided`, `auth.rejected`, `grant.created`, … */
  type: string;
  actor: string;
  surface: Surface | string;
  subject: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
