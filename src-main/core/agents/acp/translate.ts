/**
 * ACP `session/update` notifications, permission requests and prompt results, translated into
 * Reins' {@link RunOutput} items. Stateful per agent process:
 * - message chunks are coalesced into one `message` event per message (a new `messageId`, a tool
 *   call, a plan or the end of the turn closes it), as surfaces show each message event whole;
 * - a tool call's `tool_call` event waits until the call is complete enough to describe (it runs,
 *   finished, or asks for permission): OpenCode first announces `bash` with no command and sends
 *   the command in the next update;
 * - a finished call (`completed` / `failed`) gives one `tool_result`.
 * Anything else is kept as a `raw` event, never dropped.
 */
import type { NewEvent } from '../../../contract/index.ts';

type UsagePayload = Extract<NewEvent, { kind: 'usage' }>['payload'];
import type { PermissionRequest, RunOutput } from '../runner.ts';
import { acpAction, mergeToolCall, newToolCall, type AcpToolCall } from './action.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Longest tool result text kept in an event. */
const TOOL_RESULT_MAX_CHARS = 64 * 1024;

const ev = (event: NewEvent): RunOutput => ({ type: 'event', event });
const raw = (agentType: string, data: unknown): RunOutput => ev({ kind: 'raw', payload: { agentType, data } });

interface Tracked {
  call: AcpToolCall;
  announced: boolean;
  finished: boolean;
}

/** The text of content blocks and tool call contents (diffs summarised by path). */
function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .filter(isObj)
    .map((b) => {
      if (b.type === 'text' && typeof b.text === 'string') return b.text;
      if (b.type === 'content') return textOf(b.content);
      if (b.type === 'diff') return `(changed ${String(b.path)})`;
      if (b.type === 'resource_link') return String(b.uri ?? '');
      return '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

/** Usage of a prompt result: ACP's `usage` (OpenCode, Copilot), else Gemini's `_meta.quota.token_count`. */
function usageOf(result: Json, durationMs: number | null): UsagePayload | null {
  const usage = isObj(result.usage) ? result.usage : null;
  if (usage) return { costUsd: null, inputTokens: num(usage.inputTokens) + num(usage.cachedReadTokens), outputTokens: num(usage.outputTokens), durationMs };
  const meta = isObj(result._meta) ? result._meta : {};
  const quota = isObj(meta.quota) ? meta.quota : {};
  const count = isObj(quota.token_count) ? quota.token_count : null;
  if (count) return { costUsd: null, inputTokens: num(count.input_tokens), outputTokens: num(count.output_tokens), durationMs };
  return null;
}

/** Creates the translator for one agent process. */
export function createAcpTranslator(opts: { asksAboutEveryCall?: boolean } = {}) {
  const calls = new Map<string, Tracked>();
  let text = '';
  let textId: string | null = null;
  let thought = '';
  /** Usage Qwen Code sends as `_meta.usage` on message chunks (one per model call), summed per turn. */
  let chunkUsage: { inputTokens: number; outputTokens: number } | null = null;

  const flushText = (): RunOutput[] => {
    const out: RunOutput[] = [];
    if (thought !== '') out.push(raw('agent_thought', { text: thought }));
    if (text !== '') out.push(ev({ kind: 'message', payload: { role: 'assistant', text, ...(textId ? { messageId: textId } : {}) } }));
    text = '';
    thought = '';
    textId = null;
    return out;
  };

  const track = (id: string): Tracked => {
    let t = calls.get(id);
    if (!t) {
      t = { call: newToolCall(id), announced: false, finished: false };
      calls.set(id, t);
    }
    return t;
  };

  const announce = (t: Tracked): RunOutput[] => {
    if (t.announced) return [];
    t.announced = true;
    const action = acpAction(t.call);
    return [ev({ kind: 'tool_call', payload: { toolUseId: t.call.toolCallId, tool: action.tool, input: action.input, action } })];
  };

  const finish = (t: Tracked): RunOutput[] => {
    if (t.finished || (t.call.status !== 'completed' && t.call.status !== 'failed')) return [];
    t.finished = true;
    let full = textOf(t.call.content);
    if (full === '' && t.call.rawOutput !== undefined) full = typeof t.call.rawOutput === 'string' ? t.call.rawOutput : JSON.stringify(t.call.rawOutput);
    const truncated = full.length > TOOL_RESULT_MAX_CHARS;
    return [
      ev({
        kind: 'tool_result',
        payload: {
          toolUseId: t.call.toolCallId,
          isError: t.call.status === 'failed',
          text: truncated ? full.slice(0, TOOL_RESULT_MAX_CHARS) : full,
          truncated,
        },
      }),
    ];
  };

  const toolUpdate = (u: Json): RunOutput[] => {
    const id = typeof u.toolCallId === 'string' ? u.toolCallId : '';
    const t = track(id);
    t.call = mergeToolCall(t.call, u);
    // `pending` may still lack its input (OpenCode): wait for `in_progress`, a result, or a permission request.
    const ready = t.call.status !== null && t.call.status !== 'pending';
    return [...flushText(), ...(ready ? announce(t) : []), ...finish(t)];
  };

  return {
    /** One `session/update`'s `update`. */
    update(u: Json): RunOutput[] {
      const kind = typeof u.sessionUpdate === 'string' ? u.sessionUpdate : 'unknown';
      switch (kind) {
        case 'agent_message_chunk': {
          const meta = isObj(u._meta) && isObj(u._meta.usage) ? u._meta.usage : null;
          if (meta)
            chunkUsage = {
              inputTokens: (chunkUsage?.inputTokens ?? 0) + num(meta.inputTokens),
              outputTokens: (chunkUsage?.outputTokens ?? 0) + num(meta.outputTokens),
            };
          const id = typeof u.messageId === 'string' ? u.messageId : null;
          const out = id !== null && textId !== null && id !== textId ? flushText() : [];
          text += textOf(u.content);
          textId = id ?? textId;
          return out;
        }
        case 'agent_thought_chunk':
          thought += textOf(u.content);
          return [];
        case 'tool_call':
        case 'tool_call_update':
          return toolUpdate(u);
        case 'plan':
          return [...flushText(), raw('plan', { entries: Array.isArray(u.entries) ? u.entries : [] })];
        default:
          // available_commands_update, current_mode_update, config_option_update, usage_update, …
          return [raw(kind, u)];
      }
    },

    /**
     * A `session/request_permission`: the call's `tool_call` event first (if not yet out), then the
     * permission with the action as the request describes it, merged over what updates said before.
     */
    permission(requestId: string, toolCall: Json): RunOutput[] {
      const id = typeof toolCall.toolCallId === 'string' ? toolCall.toolCallId : '';
      const t = track(id);
      t.call = mergeToolCall(t.call, toolCall);
      const action = acpAction(t.call);
      // An agent set up to ask about every call (Qwen Code under Reins' settings) tells nothing by asking.
      const request: PermissionRequest = { requestId, toolUseId: id || null, action, agentReason: null, agentAsked: !opts.asksAboutEveryCall };
      return [...flushText(), ...announce(t), { type: 'permission', request }];
    },

    /** The end of a prompt turn: what is left of the text, usage, and `turn-ended`. */
    endTurn(result: Json, durationMs: number | null): RunOutput[] {
      const out = flushText();
      // A call the agent never finished (denied, cancelled) is still shown as asked.
      for (const t of calls.values()) out.push(...announce(t));
      calls.clear();
      const usage = usageOf(result, durationMs) ?? (chunkUsage ? { costUsd: null, ...chunkUsage, durationMs } : null);
      chunkUsage = null;
      if (usage) out.push(ev({ kind: 'usage', payload: usage }));
      const stop = typeof result.stopReason === 'string' ? result.stopReason : 'end_turn';
      const interrupted = stop === 'cancelled';
      const ok = stop === 'end_turn';
      if (!ok && !interrupted)
        out.push(ev({ kind: 'error', payload: { source: 'agent-protocol', message: `The turn ended early: ${stop.replace(/_/g, ' ')}.` } }));
      out.push({ type: 'turn-ended', ok, interrupted });
      return out;
    },

    /** A prompt that failed as a request (the agent answered with an error). */
    failTurn(message: string): RunOutput[] {
      calls.clear();
      return [...flushText(), ev({ kind: 'error', payload: { source: 'agent-protocol', message } }), { type: 'turn-ended', ok: false, interrupted: false }];
    },
  };
}
