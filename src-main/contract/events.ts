/**
 * The closed event union every agent is translated into. The session event log stores
 * these, the API serves them, and every surface renders them.
 */
import type { ToolAction } from './action.ts';
import type { ApprovalKind, ApprovalStatus, Delivery, FollowupState, Risk, SessionState, Surface } from './domain.ts';
import type { ProviderErrorCategory, ProviderRetry } from './provider-errors.ts';

interface MessagePayload {
  role: 'assistant' | 'user';
  text: string;
  /** Agent message id; several events may share one (Claude sends one line per content block). */
  messageId?: string;
  /** A session's first prompt: the surface the owner started it from (phone, desktop, CLI, …). */
  source?: Surface;
}
interface ToolCallPayload {
  toolUseId: string;
  tool: string;
  input: Record<string, unknown>;
  /** What the call does; absent only in events stored before actions existed. */
  action?: ToolAction;
}
interface ToolResultPayload {
  toolUseId: string;
  isError: boolean;
  /** Text of the result, cut to a bounded length (`truncated` says so). */
  text: string;
  truncated: boolean;
}
interface ApprovalRequestedPayload {
  approvalId: string;
  handle: string;
  kind: ApprovalKind;
  tool: string;
  input: Record<string, unknown>;
  /** What the call does; absent only in events stored before actions existed. */
  action?: ToolAction;
  risk: Risk;
  expiresAt: number;
}
interface ApprovalDecidedPayload {
  approvalId: string;
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string;
  surface: Surface;
  reason: string;
}
/**
 * Reins' policy looked at a tool call before the agent ran it: `allow` and `deny` are final (the
 * call ran, or the agent was told `reason`); `ask` handed it to an approval (an `approval_requested`
 * event follows when the agent asks).
 */
interface PolicyDecisionPayload {
  toolUseId: string | null;
  tool: string;
  /** What the call does; absent only in events stored before actions existed. */
  action?: ToolAction;
  decision: 'allow' | 'deny' | 'ask';
  reason: string;
  risk: Risk;
  /** The grant that allowed it, when one did. */
  grantId?: string;
}
interface FollowupPayload {
  followupId: string;
  text: string;
  delivery: Delivery;
  state: FollowupState;
  /** The surface the owner wrote it on; absent in events stored before it was recorded. */
  source?: Surface;
}
export interface StatusPayload {
  state: SessionState;
  /** Human detail: "turn started", "no output for 5 min", "agent exited with code 1", … */
  detail?: string;
  /** Turn boundaries, so surfaces can show one live card per run. */
  turn?: 'started' | 'ended';
  /**
   * A reminder that the session still waits for the owner (sent once per idle interval instead of
   * reaping it): surfaces notify rather than only repaint. `waitingMs` is how long it has waited.
   */
  reminder?: { waitingMs: number; approvals: number };
}
interface UsagePayload {
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  durationMs: number | null;
  numTurns?: number;
}
interface ErrorPayload {
  source: 'agent-output' | 'agent-stderr' | 'agent-exit' | 'agent-spawn' | 'agent-protocol' | 'core';
  message: string;
  /** A bounded excerpt of the offending input, escaped. */
  sample?: string;
}
/**
 * The model provider failed a request of the agent: what happened and what to do, in plain words.
 * With `retry` the agent retries by itself (the turn goes on); without, the turn gave up.
 */
interface ProviderErrorPayload {
  category: ProviderErrorCategory;
  /** The HTTP status of the failed request, when the agent reported one. */
  status: number | null;
  /** What happened ("the model provider is rate-limiting requests"). */
  message: string;
  /** What to do about it, one sentence. */
  advice: string;
  retry?: ProviderRetry;
  /** The agent's own words for it, bounded. */
  detail?: string;
}
/** Raw output of a terminal session (a program in a pseudo-terminal), control sequences included. */
interface TerminalOutputPayload {
  data: string;
}
interface RawPayload {
  /** The agent line's own type tag, when it had one. */
  agentType: string | null;
  data: unknown;
}

/** Map from event kind to its payload; the union below is derived from it. */
interface EventPayloads {
  message: MessagePayload;
  tool_call: ToolCallPayload;
  tool_result: ToolResultPayload;
  approval_requested: ApprovalRequestedPayload;
  approval_decided: ApprovalDecidedPayload;
  policy_decision: PolicyDecisionPayload;
  followup: FollowupPayload;
  status: StatusPayload;
  usage: UsagePayload;
  error: ErrorPayload;
  provider_error: ProviderErrorPayload;
  terminal_output: TerminalOutputPayload;
  raw: RawPayload;
}
export type EventKind = keyof EventPayloads;
export const EVENT_KINDS: readonly EventKind[] = [
  'message',
  'tool_call',
  'tool_result',
  'approval_requested',
  'approval_decided',
  'policy_decision',
  'followup',
  'status',
  'usage',
  'error',
  'provider_error',
  'terminal_output',
  'raw',
];

/** An event as appended by a producer, before the log gives it a seq and time. */
export type NewEvent = { [K in EventKind]: { kind: K; payload: EventPayloads[K] } }[EventKind];

/** A persisted event. `seq` is per session, gap-free, starting at 1. */
export type SessionEvent = NewEvent & { sessionId: string; seq: number; ts: number };
