/**
 * A session's event log as a chat: the owner's messages, the agent's answers, its tool calls (with
 * their results, reads and searches folded together), approvals, turn costs and quiet state
 * separators. Protocol noise (raw agent lines, policy passes) is kept out unless `details` is on.
 */
import { actionOf } from '../../../src-main/contract/action-words.ts';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import type { ApprovalKind, ApprovalStatus, Delivery, FollowupState, Risk, Surface } from '../../../src-main/contract/domain.ts';
import type { SessionEvent } from '../../../src-main/contract/events.ts';
import { providerErrorTitle, retryWords } from '../../../src-main/contract/provider-errors.ts';

/** One tool call and what came of it. */
export interface ToolCall {
  toolUseId: string;
  action: ToolAction;
  result: { text: string; isError: boolean; truncated: boolean } | null;
  /** Policy refused it before it ran (the reason the agent was told). */
  deniedByPolicy: string | null;
}

/** One row of the chat. `key` is stable across re-renders and page loads (it names the first event). */
export type TranscriptItem =
  | { type: 'user'; key: string; text: string; source: Surface | null; delivery: Delivery | null; state: FollowupState | null }
  | { type: 'assistant'; key: string; text: string }
  | { type: 'tools'; key: string; calls: ToolCall[]; folded: boolean }
  | {
      type: 'approval';
      key: string;
      approvalId: string;
      kind: ApprovalKind;
      action: ToolAction;
      risk: Risk;
      status: ApprovalStatus;
      surface: Surface | null;
      reason: string | null;
    }
  | { type: 'usage'; key: string; costUsd: number | null; inputTokens: number; outputTokens: number; durationMs: number | null }
  | { type: 'separator'; key: string; text: string }
  | { type: 'error'; key: string; text: string }
  /** The model provider failed: retried by the agent (`retry` says when), or the turn gave up (`advice`). */
  | { type: 'provider-error'; key: string; title: string; message: string; advice: string; retry: string | null }
  | { type: 'terminal'; key: string; data: string }
  | { type: 'detail'; key: string; label: string; text: string };

/** Reads and searches fold into one row: they say little one by one. */
const FOLDABLE: ReadonlySet<ToolAction['kind']> = new Set(['read', 'search']);
/** Tool calls whose approval card is the whole story (the plan, the questions). */
const SHOWN_AS_APPROVAL: ReadonlySet<ToolAction['kind']> = new Set(['plan', 'question']);

/**
 * Turn boundaries and the ordinary running/idle flips are what the chat itself shows (a new message,
 * the turn's cost); a separator is for states the owner should notice.
 */
function separatorText(event: Extract<SessionEvent, { kind: 'status' }>): string | null {
  const { state, detail, turn } = event.payload;
  if (turn !== undefined) return null;
  if ((state === 'running' || state === 'idle' || state === 'waiting') && !detail) return null;
  if (state === 'starting') return detail ? `Started · ${detail}` : 'Started';
  return detail ? `${state} · ${detail}` : state;
}

/** Builds the chat rows from events in seq order. Pure: the same events always give the same rows. */
export function buildTranscript(events: readonly SessionEvent[], details = false): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  const calls = new Map<string, ToolCall>();
  const hiddenCalls = new Set<string>();
  const approvals = new Map<string, Extract<TranscriptItem, { type: 'approval' }>>();
  const followups = new Map<string, Extract<TranscriptItem, { type: 'user' }>>();

  for (const event of events) {
    const key = `e${event.seq}`;
    const last = items.at(-1);
    switch (event.kind) {
      case 'message': {
        const { role, text } = event.payload;
        if (role === 'assistant') {
          if (text.trim() === '') break;
          // Claude sends one line per content block: consecutive blocks read as one answer.
          if (last?.type === 'assistant') items[items.length - 1] = { ...last, text: `${last.text}\n\n${text}` };
          else items.push({ type: 'assistant', key, text });
        } else {
          items.push({ type: 'user', key, text, source: event.payload.source ?? null, delivery: null, state: null });
        }
        break;
      }
      case 'followup': {
        const { followupId, text, delivery, state, source } = event.payload;
        const known = followups.get(followupId);
        if (known) {
          // The same message moving from queued to sent (or cancelled): one row, its latest state.
          known.state = state;
          break;
        }
        const item: Extract<TranscriptItem, { type: 'user' }> = { type: 'user', key, text, source: source ?? null, delivery, state };
        followups.set(followupId, item);
        items.push(item);
        break;
      }
      case 'tool_call': {
        const action = actionOf(event.payload);
        if (SHOWN_AS_APPROVAL.has(action.kind)) {
          hiddenCalls.add(event.payload.toolUseId);
          break;
        }
        if (action.kind === 'other' && action.internal && !details) {
          hiddenCalls.add(event.payload.toolUseId);
          break;
        }
        const call: ToolCall = { toolUseId: event.payload.toolUseId, action, result: null, deniedByPolicy: null };
        calls.set(call.toolUseId, call);
        const folds = FOLDABLE.has(action.kind);
        if (folds && last?.type === 'tools' && last.folded) last.calls.push(call);
        else items.push({ type: 'tools', key, calls: [call], folded: folds });
        break;
      }
      case 'tool_result': {
        const call = calls.get(event.payload.toolUseId);
        if (call) call.result = { text: event.payload.text, isError: event.payload.isError, truncated: event.payload.truncated };
        else if (details && !hiddenCalls.has(event.payload.toolUseId)) items.push({ type: 'detail', key, label: 'Tool result', text: event.payload.text });
        break;
      }
      case 'policy_decision': {
        const call = event.payload.toolUseId ? calls.get(event.payload.toolUseId) : undefined;
        if (event.payload.decision === 'deny' && call) call.deniedByPolicy = event.payload.reason;
        else if (event.payload.decision === 'deny') items.push({ type: 'error', key, text: `Denied by policy: ${event.payload.reason}` });
        else if (details)
          items.push({ type: 'detail', key, label: `Policy ${event.payload.decision}`, text: `${event.payload.tool}: ${event.payload.reason}` });
        break;
      }
      case 'approval_requested': {
        const item: Extract<TranscriptItem, { type: 'approval' }> = {
          type: 'approval',
          key,
          approvalId: event.payload.approvalId,
          kind: event.payload.kind,
          action: actionOf(event.payload),
          risk: event.payload.risk,
          status: 'pending',
          surface: null,
          reason: null,
        };
        approvals.set(item.approvalId, item);
        items.push(item);
        break;
      }
      case 'approval_decided': {
        const item = approvals.get(event.payload.approvalId);
        if (item) {
          item.status = event.payload.status;
          item.surface = event.payload.surface;
          item.reason = event.payload.reason;
        }
        break;
      }
      case 'usage':
        items.push({
          type: 'usage',
          key,
          costUsd: event.payload.costUsd,
          inputTokens: event.payload.inputTokens,
          outputTokens: event.payload.outputTokens,
          durationMs: event.payload.durationMs,
        });
        break;
      case 'status': {
        const text = separatorText(event);
        if (text !== null && !(last?.type === 'separator' && last.text === text)) items.push({ type: 'separator', key, text });
        break;
      }
      case 'error':
        items.push({ type: 'error', key, text: event.payload.message });
        break;
      case 'provider_error': {
        const p = event.payload;
        const item = {
          type: 'provider-error' as const,
          key,
          title: providerErrorTitle(p.category),
          message: p.message,
          advice: p.advice,
          retry: p.retry ? retryWords(p.retry) : null,
        };
        // Retries of one request show as one line that counts up, not ten.
        if (last?.type === 'provider-error' && last.retry !== null) items[items.length - 1] = item;
        else items.push(item);
        break;
      }
      case 'terminal_output':
        if (last?.type === 'terminal') items[items.length - 1] = { ...last, data: last.data + event.payload.data };
        else items.push({ type: 'terminal', key, data: event.payload.data });
        break;
      case 'raw':
        if (details)
          items.push({ type: 'detail', key, label: `Agent event ${event.payload.agentType ?? ''}`.trim(), text: JSON.stringify(event.payload.data) });
        break;
    }
  }
  return items;
}
