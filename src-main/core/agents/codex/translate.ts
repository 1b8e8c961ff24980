/**
 * Pure translation of `codex app-server` notifications and approval requests into agent-neutral
 * output. See PROTOCOL.md in this folder for the methods and the CLI version they were pinned against.
 */
import type { NewEvent } from '../../../contract/index.ts';
import type { PermissionRequest, RunOutput } from '../runner.ts';
import { commandAction, fileChangeAction, mcpAction, shellAction, webSearchAction } from './action.ts';
import { providerFailure } from '../provider-errors.ts';
import { codexFailureReport, codexRetry } from './provider-failure.ts';
import type { CommandExecutionRequestApprovalParams } from './generated/v2/CommandExecutionRequestApprovalParams.ts';
import type { ErrorNotification } from './generated/v2/ErrorNotification.ts';
import type { FileChangeRequestApprovalParams } from './generated/v2/FileChangeRequestApprovalParams.ts';
import type { ItemCompletedNotification } from './generated/v2/ItemCompletedNotification.ts';
import type { ItemStartedNotification } from './generated/v2/ItemStartedNotification.ts';
import type { ThreadItem } from './generated/v2/ThreadItem.ts';
import type { ThreadTokenUsageUpdatedNotification } from './generated/v2/ThreadTokenUsageUpdatedNotification.ts';
import type { TurnCompletedNotification } from './generated/v2/TurnCompletedNotification.ts';
import type { TurnPlanUpdatedNotification } from './generated/v2/TurnPlanUpdatedNotification.ts';
import type { TurnStartedNotification } from './generated/v2/TurnStartedNotification.ts';

/** Tool output longer than this is cut in events (the agent still got the whole text). */
export const TOOL_RESULT_MAX_CHARS = 64 * 1024;

/** Per-process state the translation needs across notifications. */
export interface TranslateState {
  /** Tool items started and not yet completed; a file-change approval names its item only by id. */
  items: Map<string, ThreadItem>;
  /** The running turn, once `turn/started` named it. */
  turnId: string | null;
  /** Tokens of the running turn's model calls, summed from each `thread/tokenUsage/updated`'s `last`. */
  usage: { input: number; output: number };
  /** An `error` already reported the running turn's failure. */
  errorReported: boolean;
  /** Why the running turn failed, in plain words and what to do, once an `error` said. */
  failureReason: string | null;
}

export const newTranslateState = (): TranslateState => ({
  items: new Map(),
  turnId: null,
  usage: { input: 0, output: 0 },
  errorReported: false,
  failureReason: null,
});

/**
 * Notifications that carry nothing the final items do not: text and output deltas (the completed
 * item has the whole text), thread status (the turn lifecycle says it), the turn's running diff
 * (each file change carries its own), rate-limit snapshots, hook runs and connection status.
 */
const IGNORED = new Set([
  'thread/started',
  'thread/status/changed',
  'turn/diff/updated',
  'item/agentMessage/delta',
  'item/reasoning/summaryTextDelta',
  'item/reasoning/summaryPartAdded',
  'item/reasoning/textDelta',
  'item/commandExecution/outputDelta',
  'item/fileChange/outputDelta',
  'item/plan/delta',
  'account/rateLimits/updated',
  'remoteControl/status/changed',
  'hook/started',
  'hook/completed',
  'serverRequest/resolved',
]);

const ev = (event: NewEvent): RunOutput => ({ type: 'event', event });
const raw = (agentType: string, data: unknown): RunOutput => ev({ kind: 'raw', payload: { agentType, data } });

function toolResult(toolUseId: string, isError: boolean, full: string): RunOutput {
  const truncated = full.length > TOOL_RESULT_MAX_CHARS;
  return ev({ kind: 'tool_result', payload: { toolUseId, isError, text: truncated ? full.slice(0, TOOL_RESULT_MAX_CHARS) : full, truncated } });
}

/** The `tool_call` of an item that is a tool call; null for messages, reasoning and the like. */
function toolCall(item: ThreadItem): RunOutput | null {
  const call = (action: ReturnType<typeof commandAction>): RunOutput =>
    ev({ kind: 'tool_call', payload: { toolUseId: item.id, tool: action.tool, input: action.input, action } });
  switch (item.type) {
    case 'commandExecution':
      return call(commandAction(item));
    case 'fileChange':
      return call(fileChangeAction(item));
    case 'mcpToolCall':
      return call(mcpAction(item));
    case 'webSearch':
      return call(webSearchAction(item));
    default:
      return null;
  }
}

/** A command's result: its output, then its exit status (or why it did not run). */
function commandResultText(item: Extract<ThreadItem, { type: 'commandExecution' }>): string {
  const output = item.aggregatedOutput ?? '';
  const status =
    item.status === 'declined' ? '[declined: the command did not run]' : item.exitCode === null ? `[${item.status}]` : `[exit code ${item.exitCode}]`;
  return output === '' ? status : `${output}${output.endsWith('\n') ? '' : '\n'}${status}`;
}

function completed(item: ThreadItem, state: TranslateState): RunOutput[] {
  const started = state.items.delete(item.id);
  // An item that completes without having started still shows its call before its result.
  const before = started ? [] : [toolCall(item)].filter((o): o is RunOutput => o !== null);
  switch (item.type) {
    case 'agentMessage':
      return item.text === '' ? [] : [ev({ kind: 'message', payload: { role: 'assistant', text: item.text, messageId: item.id } })];
    case 'reasoning': {
      const text = [...item.summary, ...item.content].join('\n');
      return text === '' ? [] : [raw('reasoning', { id: item.id, text })];
    }
    case 'plan':
      return [raw('plan', { id: item.id, text: item.text })];
    case 'commandExecution':
      return [...before, toolResult(item.id, item.status !== 'completed' || item.exitCode !== 0, commandResultText(item))];
    case 'fileChange': {
      const paths = item.changes.map((c) => c.path).join(', ');
      const text = item.status === 'completed' ? `applied: ${paths}` : item.status === 'declined' ? `declined: ${paths} unchanged` : `${item.status}: ${paths}`;
      return [...before, toolResult(item.id, item.status !== 'completed', text)];
    }
    case 'mcpToolCall': {
      const text = item.error ? item.error.message : JSON.stringify(item.result?.content ?? null);
      return [...before, toolResult(item.id, item.status !== 'completed' || item.error !== null, text)];
    }
    case 'webSearch':
      return [...before, toolResult(item.id, false, `searched: ${item.query}`)];
    case 'userMessage':
    case 'hookPrompt':
      // The owner's own text: the session records it when it is sent.
      return [];
    default:
      return [raw(`item/${item.type}`, item)];
  }
}

/** Translates one server notification. Unknown methods come back as `raw` events, never dropped. */
export function translateNotification(method: string, params: unknown, state: TranslateState): RunOutput[] {
  if (IGNORED.has(method)) return [];
  switch (method) {
    case 'turn/started': {
      const p = params as TurnStartedNotification;
      Object.assign(state, { turnId: p.turn.id, usage: { input: 0, output: 0 }, errorReported: false, failureReason: null });
      return [];
    }
    case 'item/started': {
      const { item } = params as ItemStartedNotification;
      const call = toolCall(item);
      if (call) state.items.set(item.id, item);
      return call ? [call] : [];
    }
    case 'item/completed':
      return completed((params as ItemCompletedNotification).item, state);
    case 'thread/tokenUsage/updated': {
      const p = params as ThreadTokenUsageUpdatedNotification;
      // `total` spans the whole thread (resumed history included); `last` is one model call.
      if (p.turnId !== state.turnId) return [];
      state.usage.input += p.tokenUsage.last.inputTokens;
      state.usage.output += p.tokenUsage.last.outputTokens;
      return [{ type: 'usage-progress', tokens: p.tokenUsage.last.inputTokens + p.tokenUsage.last.outputTokens }];
    }
    case 'turn/plan/updated': {
      const p = params as TurnPlanUpdatedNotification;
      return [raw('plan', { explanation: p.explanation, plan: p.plan })];
    }
    case 'error': {
      const p = params as ErrorNotification;
      // A retried failure ("Reconnecting… 1/5") is progress, not the turn's end.
      const failure = providerFailure({ ...codexFailureReport(p.error), ...(p.willRetry ? { retry: codexRetry(p.error.message) } : {}) });
      if (p.willRetry) return [ev({ kind: 'provider_error', payload: failure.payload }), { type: 'provider-retry', note: failure.reason }];
      state.errorReported = true;
      state.failureReason = failure.reason;
      if (failure.known) return [ev({ kind: 'provider_error', payload: failure.payload })];
      return [ev({ kind: 'error', payload: { source: 'agent-protocol', message: `The turn ended with an error: ${p.error.message}` } })];
    }
    case 'turn/completed': {
      const { turn } = params as TurnCompletedNotification;
      const out: RunOutput[] = [
        ev({ kind: 'usage', payload: { costUsd: null, inputTokens: state.usage.input, outputTokens: state.usage.output, durationMs: turn.durationMs } }),
      ];
      if (turn.status === 'failed' && !state.errorReported) {
        out.push(
          ev({ kind: 'error', payload: { source: 'agent-protocol', message: `The turn ended with an error: ${turn.error?.message ?? 'no reason given'}` } }),
        );
      }
      const reason = turn.status === 'failed' ? (state.failureReason ?? undefined) : undefined;
      out.push({ type: 'turn-ended', ok: turn.status === 'completed', interrupted: turn.status === 'interrupted', ...(reason ? { reason } : {}) });
      Object.assign(state, { turnId: null, usage: { input: 0, output: 0 }, errorReported: false, failureReason: null });
      return out;
    }
    default:
      return [raw(method, params)];
  }
}

/** `item/commandExecution/requestApproval` as a permission request. */
export function commandPermission(requestId: string, p: CommandExecutionRequestApprovalParams, state: TranslateState): PermissionRequest {
  const item = state.items.get(p.itemId);
  const fromItem = item?.type === 'commandExecution' ? item : null;
  const command = p.command ?? fromItem?.command ?? '';
  const reasons = [
    p.reason,
    p.kind === 'writeStdin' ? 'input to a running command' : null,
    p.networkApprovalContext ? `network access to ${p.networkApprovalContext.host}` : null,
  ].filter(Boolean);
  return {
    requestId,
    toolUseId: p.itemId,
    action: shellAction(command, p.cwd ?? fromItem?.cwd ?? null, p.commandActions ?? fromItem?.commandActions),
    agentReason: reasons.length ? reasons.join('; ') : null,
    agentAsked: true,
  };
}

/**
 * `item/fileChange/requestApproval` as a permission request. The request names only the item: the
 * paths and the diff come from that item's `item/started`, which Codex sends first.
 */
export function fileChangePermission(requestId: string, p: FileChangeRequestApprovalParams, state: TranslateState): PermissionRequest {
  const item = state.items.get(p.itemId);
  const action = fileChangeAction(item?.type === 'fileChange' ? item : { changes: [] });
  const reasons = [p.reason, p.grantRoot ? `asks to write anywhere under ${p.grantRoot}` : null].filter(Boolean);
  return { requestId, toolUseId: p.itemId, action, agentReason: reasons.length ? reasons.join('; ') : null, agentAsked: true };
}
