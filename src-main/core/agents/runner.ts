/**
 * The contract every agent runner implements. A runner owns one agent process and translates its
 * structured output into agent-neutral {@link RunOutput} items; the session manager does the rest.
 */
import type { AgentCapabilities, AgentId, NewEvent, ToolAction } from '../../contract/index.ts';
import type { Logger } from '../log.ts';

/** The agent asks whether it may run a tool (Claude: `can_use_tool`; Codex: a request for approval; ACP: `session/request_permission`). */
export interface PermissionRequest {
  /** Id to answer with; unique per process. */
  requestId: string;
  toolUseId: string | null;
  /** What the call does (plans and questions included). */
  action: ToolAction;
  /** The agent's own reason for asking (e.g. a blocked path), if it gave one. */
  agentReason: string | null;
  /**
   * True when the agent decided by itself that the call needs permission; false when it only asks
   * because Reins' own tool check answered `ask` (then its asking says nothing about the risk).
   */
  agentAsked: boolean;
}

/**
 * The agent is about to run a tool and lets Reins decide first (Claude: an in-process `PreToolUse`
 * hook registered for every tool). Every call passes here, including those the agent would allow on
 * its own (read-only shell commands, reads inside the project). Only runners whose capabilities say
 * `toolChecks` produce these.
 */
export interface ToolCheck {
  /** Id to answer with; unique per process. */
  requestId: string;
  toolUseId: string | null;
  action: ToolAction;
}

/**
 * Reins' answer to a tool check: run it (`allow`), refuse it with `reason` shown to the agent
 * (`deny`), or hand it to the agent's permission flow (`ask`), which then asks Reins for an approval.
 */
export interface ToolCheckAnswer {
  decision: 'allow' | 'deny' | 'ask';
  reason: string;
}

/**
 * The owner's (or policy's) answer to a permission request, in no agent's words; each runner maps
 * it to its protocol. Always for this call only: an agent-side "allow always" would let the agent
 * skip Reins for later calls, so a grant lives in Reins (exact, audited) and runners never pass one on.
 * `answers` (question text → chosen label or free text) for a question; `message` is what the
 * agent reads on deny; `interrupt` asks it to stop the turn as well.
 */
export type AgentDecision = { decision: 'allow'; answers: Record<string, string> | null } | { decision: 'deny'; message: string; interrupt?: boolean };

/** One translated item of agent output, in the order it arrived. */
export type RunOutput =
  | { type: 'event'; event: NewEvent }
  | { type: 'agent-session'; id: string }
  | { type: 'permission'; request: PermissionRequest }
  | { type: 'tool-check'; check: ToolCheck }
  | { type: 'permission-cancelled'; requestId: string }
  /**
   * Tokens one model call of the running turn used, as the agent reports them mid-turn (an estimate:
   * the turn's `usage` event has the exact figures), so a token budget is seen before the turn ends.
   */
  | { type: 'usage-progress'; tokens: number }
  /** The agent retries a failed model request by itself: `note` says why and when, for the running session's reason. */
  | { type: 'provider-retry'; note: string }
  /** `reason`: why a failed turn failed, in plain words with what to do (the idle session's state reason). */
  | { type: 'turn-ended'; ok: boolean; interrupted: boolean; reason?: string };

/** How the process ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** Last lines of stderr, for the failure reason. */
  stderrTail: string;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
}

/** Receives a run's output. `output` is called once per stdout chunk with everything it held. */
interface RunSink {
  output(items: RunOutput[]): void;
  exited(info: ExitInfo): void;
}

export interface RunStartOptions {
  cwd: string;
  env: Record<string, string>;
  /** Agent-side session id to continue (`--resume`). */
  resumeId: string | null;
  /** Start in plan mode (a new session that should plan before acting). */
  planMode: boolean;
  sink: RunSink;
  log: Logger;
}

/** A live agent process. */
export interface AgentRun {
  readonly pid: number | undefined;
  /** The agent's process group, which a crashed core's successor kills (null where groups do not apply). */
  readonly pgid: number | null;
  /** Sends a user message; the agent starts a turn (or queues it if one is running). */
  sendUserMessage(text: string): void;
  /** Answers a permission request; false when the process can no longer receive it. */
  respond(requestId: string, decision: AgentDecision): boolean;
  /** Answers a tool check; false when the process can no longer receive it. */
  answerToolCheck(requestId: string, answer: ToolCheckAnswer): boolean;
  /** Stops the current turn. Resolves true once the agent acknowledged. */
  interrupt(): Promise<boolean>;
  /** Ends the process politely (end of input), killing it after `graceMs`. */
  close(graceMs: number): Promise<ExitInfo>;
  /** Kills the process now. */
  kill(): void;
  /** Raw keystrokes and size changes, for runs in a pseudo-terminal (terminal sessions) only. */
  readonly terminal?: {
    input(data: string): boolean;
    resize(cols: number, rows: number): void;
  };
  readonly exited: Promise<ExitInfo>;
}

export type { SpawnFn } from './process/lifeline.ts';

export interface AgentRunner {
  readonly agent: AgentId;
  /** What this agent supports; the session manager and the surfaces branch on it. */
  readonly capabilities: AgentCapabilities;
  start(opts: RunStartOptions): AgentRun;
}
