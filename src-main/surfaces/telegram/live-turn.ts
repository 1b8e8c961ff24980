/**
 * What one run (a turn of the agent) looks like so far, as a pure fold over the session's events.
 * The live-status message renders it; after a restart it is rebuilt from the event log, so a
 * message left behind by a crash is repainted with what really happened.
 */
import type { ActionKind, SessionEvent, ToolAction } from '../../contract/index.ts';
import { actionLabel, actionOf, actionSubject, providerErrorTitle, retryWords } from '../../contract/index.ts';

/** Where a run stands. The last four are final. */
export type LivePhase = 'thinking' | 'tool' | 'waiting' | 'stalled' | 'done' | 'failed' | 'interrupted' | 'stopped';

/** One tool call of the run. `ok` is null until its result arrives. */
export interface TurnStep {
  readonly id: string;
  /** What it does in one word ("Run", "Edit"; see actionLabel). */
  readonly label: string;
  readonly kind: ActionKind;
  readonly summary: string;
  readonly at: number;
  ok: boolean | null;
}

/** The fold's state. */
export interface LiveTurn {
  readonly sessionId: string;
  readonly startSeq: number;
  readonly startedAt: number;
  /** Turn starts not matched by an end yet (a steered message starts a turn inside a turn). */
  depth: number;
  /** The latest tool calls, oldest first. */
  actions: TurnStep[];
  /** Files the run wrote or edited, in first-touched order. */
  files: string[];
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  /** The agent's latest text: the final answer once the run ended. */
  lastText: string | null;
  /** Approvals of the run still waiting. */
  waiting: number;
  stalled: boolean;
  /** Why the run failed or ended the way it did. */
  detail: string | null;
  /** The agent is retrying a failed model request: "Rate limited: retrying in 8 s, attempt 2 of 10". */
  retry: string | null;
  /** The provider failure that ended the run: its title, what happened and what to do. */
  providerError: { title: string; message: string; advice: string } | null;
  /** Final phase once the run is over. */
  end: Extract<LivePhase, 'done' | 'failed' | 'interrupted' | 'stopped'> | null;
  lastSeq: number;
}

/** Tool calls kept for display. */
const MAX_ACTIONS = 6;

/** A run that started with the status event `seq` at `ts`. */
export function startTurn(sessionId: string, seq: number, ts: number): LiveTurn {
  return {
    sessionId,
    startSeq: seq,
    startedAt: ts,
    depth: 1,
    actions: [],
    files: [],
    costUsd: null,
    inputTokens: 0,
    outputTokens: 0,
    lastText: null,
    waiting: 0,
    stalled: false,
    detail: null,
    retry: null,
    providerError: null,
    end: null,
    lastSeq: seq,
  };
}

/** Applies one event of the session (in seq order) to the run. */
export function applyEvent(turn: LiveTurn, ev: SessionEvent): void {
  if (ev.seq <= turn.lastSeq && ev.seq !== turn.startSeq) return;
  turn.lastSeq = Math.max(turn.lastSeq, ev.seq);
  if (turn.end !== null) return;
  switch (ev.kind) {
    case 'message':
      if (ev.payload.role === 'assistant' && ev.payload.text.trim()) turn.lastText = ev.payload.text;
      return;
    case 'tool_call': {
      const action = actionOf(ev.payload);
      turn.actions.push({ id: ev.payload.toolUseId, label: actionLabel(action), kind: action.kind, summary: summarizeAction(action), at: ev.ts, ok: null });
      if (turn.actions.length > MAX_ACTIONS) turn.actions.splice(0, turn.actions.length - MAX_ACTIONS);
      if (action.kind === 'write' || action.kind === 'edit') {
        for (const file of action.paths ?? []) if (!turn.files.includes(file)) turn.files.push(file);
      }
      return;
    }
    case 'tool_result': {
      const action = turn.actions.find((a) => a.id === ev.payload.toolUseId);
      if (action) action.ok = !ev.payload.isError;
      return;
    }
    case 'approval_requested':
      turn.waiting++;
      return;
    case 'approval_decided':
      turn.waiting = Math.max(0, turn.waiting - 1);
      return;
    case 'usage':
      if (ev.payload.costUsd !== null) turn.costUsd = (turn.costUsd ?? 0) + ev.payload.costUsd;
      turn.inputTokens += ev.payload.inputTokens;
      turn.outputTokens += ev.payload.outputTokens;
      return;
    case 'error':
      turn.detail = ev.payload.message;
      return;
    case 'provider_error': {
      const title = providerErrorTitle(ev.payload.category);
      if (ev.payload.retry) {
        turn.retry = `${title}: ${retryWords(ev.payload.retry)}`;
        return;
      }
      turn.retry = null;
      turn.providerError = { title, message: ev.payload.message, advice: ev.payload.advice };
      return;
    }
    case 'status':
      applyStatus(turn, ev.payload.state, ev.payload.turn, ev.payload.detail, ev.seq);
      return;
    default:
      return;
  }
}

function applyStatus(turn: LiveTurn, state: string, boundary: 'started' | 'ended' | undefined, detail: string | undefined, seq: number): void {
  if (boundary === 'started' && seq !== turn.startSeq) turn.depth++;
  if (state === 'stalled') turn.stalled = true;
  else if (state === 'running') turn.stalled = false;
  if (state === 'stopped' || state === 'failed' || state === 'interrupted') {
    turn.end = state;
    turn.detail = detail ?? turn.detail;
    return;
  }
  if (boundary === 'ended') {
    turn.depth--;
    if (turn.depth > 0) return;
    if (detail === 'turn interrupted') turn.end = 'interrupted';
    else if (detail === 'turn ended with an error') turn.end = 'failed';
    else turn.end = 'done';
  }
}

/** The phase to show now. */
export function phaseOf(turn: LiveTurn): LivePhase {
  if (turn.end !== null) return turn.end;
  if (turn.waiting > 0) return 'waiting';
  if (turn.stalled) return 'stalled';
  return runningAction(turn) ? 'tool' : 'thinking';
}

/** The tool call still running (the latest one without a result). */
export function runningAction(turn: LiveTurn): TurnStep | undefined {
  const last = turn.actions.at(-1);
  return last && last.ok === null ? last : undefined;
}

/** Longest summary kept (memory bound); views shorten it after redaction. */
const SUMMARY_KEPT = 4096;

/**
 * What a tool call does: the command, the file, the pattern… Kept whole (up to a bound); the view
 * redacts it, then shows its first line shortened: a secret cut before redaction (or split by a
 * line break) would no longer match any pattern and part of it would be shown.
 */
export function summarizeAction(action: ToolAction): string {
  const subject = actionSubject(action).trim();
  return (subject || compactJson(action.input)).slice(0, SUMMARY_KEPT);
}

function compactJson(input: Record<string, unknown>): string {
  const json = JSON.stringify(input);
  return json === '{}' ? '' : json;
}
