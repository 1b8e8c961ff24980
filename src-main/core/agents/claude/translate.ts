/**
 * Pure translation of one parsed Claude stream-json line into agent-neutral output.
 * See PROTOCOL.md in this folder for every line type and the CLI version it was pinned against.
 */
import type { NewEvent, ToolAction } from '../../../contract/index.ts';
import { providerFailure } from '../provider-errors.ts';
import type { RunOutput, ToolCheck } from '../runner.ts';
import { claudeAction, claudeQuestions } from './action.ts';

/** Id of the in-process `PreToolUse` hook Reins registers for every tool (see hooks.ts). */
export const TOOL_CHECK_CALLBACK_ID = 'reins_tool_check';

/** Tool results longer than this are cut in events (the agent still got the whole text). */
export const TOOL_RESULT_MAX_CHARS = 64 * 1024;

/** Per-process state the translation needs across lines. */
export interface TranslateState {
  /** tool_use id → input, from assistant lines; ExitPlanMode requests may arrive with `{}`. */
  toolInputs: Map<string, { tool: string; input: Record<string, unknown> }>;
  /** Whether this process already reported its version/model. */
  announced: boolean;
  /** The model response whose usage was last reported (each of its content blocks comes as a line of its own). */
  usageMessageId: string | null;
}

export const newTranslateState = (): TranslateState => ({ toolInputs: new Map(), announced: false, usageMessageId: null });

/** A control_response to a request Reins sent (interrupt). */
interface HostControlResponse {
  requestId: string;
  ok: boolean;
  error: string | null;
}

/** A CLI → host control request Reins does not serve (answered with an error, per protocol). */
interface UnsupportedControl {
  requestId: string;
  subtype: string;
}

export interface Translation {
  outputs: RunOutput[];
  controlResponse?: HostControlResponse;
  unsupported?: UnsupportedControl;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

const ev = (event: NewEvent): RunOutput => ({ type: 'event', event });
const raw = (agentType: string | null, data: unknown): RunOutput => ev({ kind: 'raw', payload: { agentType, data } });

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((b) => (isObj(b) && b.type === 'text' ? String(b.text ?? '') : isObj(b) ? `[${String(b.type)}]` : '')).join('\n');
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

function translateAssistant(line: Json, state: TranslateState): RunOutput[] {
  const message = isObj(line.message) ? line.message : {};
  const messageId = str(message.id) ?? undefined;
  const out: RunOutput[] = [];
  // Once per model response: its input tokens are final here; its output count is the stream's first
  // figure (the real one comes with the turn's result), so this runs low, never high.
  if (messageId !== undefined && messageId !== state.usageMessageId && isObj(message.usage)) {
    state.usageMessageId = messageId;
    const u = message.usage;
    const tokens = num(u.input_tokens) + num(u.cache_read_input_tokens) + num(u.cache_creation_input_tokens) + num(u.output_tokens);
    if (tokens > 0) out.push({ type: 'usage-progress', tokens });
  }
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isObj(block)) continue;
    if (block.type === 'text') {
      out.push(ev({ kind: 'message', payload: { role: 'assistant', text: String(block.text ?? ''), messageId } }));
    } else if (block.type === 'tool_use') {
      const toolUseId = String(block.id ?? '');
      const tool = String(block.name ?? 'unknown');
      const input = isObj(block.input) ? block.input : {};
      state.toolInputs.set(toolUseId, { tool, input });
      out.push(ev({ kind: 'tool_call', payload: { toolUseId, tool, input, action: claudeAction(tool, input) } }));
    } else {
      out.push(raw(`assistant/${String(block.type)}`, block));
    }
  }
  return out;
}

function translateUser(line: Json, state: TranslateState): RunOutput[] {
  const message = isObj(line.message) ? line.message : {};
  const content = message.content;
  if (typeof content === 'string') return [ev({ kind: 'message', payload: { role: 'user', text: content } })];
  const out: RunOutput[] = [];
  for (const block of Array.isArray(content) ? content : []) {
    if (!isObj(block)) continue;
    if (block.type === 'tool_result') {
      const toolUseId = String(block.tool_use_id ?? '');
      state.toolInputs.delete(toolUseId);
      const full = resultText(block.content);
      const truncated = full.length > TOOL_RESULT_MAX_CHARS;
      out.push(
        ev({
          kind: 'tool_result',
          payload: { toolUseId, isError: block.is_error === true, text: truncated ? full.slice(0, TOOL_RESULT_MAX_CHARS) : full, truncated },
        }),
      );
    } else if (block.type === 'text') {
      out.push(ev({ kind: 'message', payload: { role: 'user', text: String(block.text ?? '') } }));
    } else {
      out.push(raw(`user/${String(block.type)}`, block));
    }
  }
  return out;
}

/**
 * Per-turn usage. `total_cost_usd`/`modelUsage` are cumulative for the session (even across
 * --resume), so the turn's share comes from `model_usage_since_last_result` (PROTOCOL.md, "Usage").
 */
function turnUsage(line: Json): { costUsd: number | null; inputTokens: number; outputTokens: number } {
  const since = isObj(line.model_usage_since_last_result) ? line.model_usage_since_last_result : null;
  if (since) {
    let costUsd = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    for (const m of Object.values(since)) {
      if (!isObj(m)) continue;
      costUsd += num(m.costUSD);
      inputTokens += num(m.inputTokens) + num(m.cacheReadInputTokens) + num(m.cacheCreationInputTokens);
      outputTokens += num(m.outputTokens);
    }
    return { costUsd, inputTokens, outputTokens };
  }
  const usage = isObj(line.usage) ? line.usage : {};
  return {
    costUsd: null,
    inputTokens: num(usage.input_tokens) + num(usage.cache_read_input_tokens) + num(usage.cache_creation_input_tokens),
    outputTokens: num(usage.output_tokens),
  };
}

function translateResult(line: Json): RunOutput[] {
  const subtype = str(line.subtype) ?? 'unknown';
  const isError = line.is_error === true;
  const interrupted = isError && subtype === 'error_during_execution';
  const out: RunOutput[] = [
    ev({
      kind: 'usage',
      payload: { ...turnUsage(line), durationMs: typeof line.duration_ms === 'number' ? line.duration_ms : null, numTurns: num(line.num_turns) },
    }),
  ];
  // API errors end the turn as subtype "success" with is_error set: check is_error, not subtype.
  if (isError && !interrupted) {
    const errors = Array.isArray(line.errors) ? line.errors.map(String).join('; ') : '';
    const detail = str(line.result) ?? (errors || subtype);
    // `api_error_status` is the HTTP status of the failed request (null when none was made, e.g. no login).
    const failure = providerFailure({ status: typeof line.api_error_status === 'number' ? line.api_error_status : null, text: detail });
    // A failure the provider caused (or one with a status) is a provider error; anything else (too many
    // turns, say) stays a plain error with the agent's words.
    if (failure.known) out.push(ev({ kind: 'provider_error', payload: failure.payload }));
    else out.push(ev({ kind: 'error', payload: { source: 'agent-protocol', message: `The turn ended with an error: ${detail} (${failure.reason})` } }));
    out.push({ type: 'turn-ended', ok: false, interrupted, reason: failure.reason });
    return out;
  }
  out.push({ type: 'turn-ended', ok: !isError, interrupted });
  return out;
}

/**
 * The `PreToolUse` hook fired for a call: every tool call comes here first, including those the CLI
 * would allow on its own (PROTOCOL.md, "Tool checks").
 */
function translateHookCallback(requestId: string, req: Json): Translation {
  const input = isObj(req.input) ? req.input : {};
  if (req.callback_id !== TOOL_CHECK_CALLBACK_ID || input.hook_event_name !== 'PreToolUse') {
    return { outputs: [raw('control_request', { request_id: requestId, request: req })], unsupported: { requestId, subtype: 'hook_callback' } };
  }
  const tool = String(input.tool_name ?? 'unknown');
  const check: ToolCheck = {
    requestId,
    toolUseId: str(input.tool_use_id) ?? str(req.tool_use_id),
    action: claudeAction(tool, isObj(input.tool_input) ? input.tool_input : {}),
  };
  return { outputs: [{ type: 'tool-check', check }] };
}

function translateCanUseTool(requestId: string, req: Json, state: TranslateState): RunOutput {
  const tool = String(req.tool_name ?? 'unknown');
  const toolUseId = str(req.tool_use_id);
  const input = isObj(req.input) ? req.input : {};
  const known = toolUseId ? state.toolInputs.get(toolUseId) : undefined;
  let action: ToolAction = claudeAction(tool, input);
  if (action.kind === 'plan' && !action.plan) {
    // 2.1.329 sends the plan file's content, or `{}` when there is none; the model's own
    // argument is then only on the assistant tool_use line (PROTOCOL.md, "ExitPlanMode").
    action = { ...action, plan: str(known?.input.plan) ?? '' };
  } else if (action.kind === 'question' && !Array.isArray(input.questions) && known) {
    action = { ...action, questions: claudeQuestions(known.input) ?? [] };
  }
  // After Reins' own tool check answered `ask`, the CLI asks with decision_reason_type "hook" and
  // Reins' reason: that is not the agent's view of the call.
  const agentAsked = req.decision_reason_type !== 'hook';
  const reasonParts = agentAsked ? [str(req.decision_reason), str(req.blocked_path) && `path: ${str(req.blocked_path)}`].filter(Boolean) : [];
  return {
    type: 'permission',
    request: { requestId, toolUseId, action, agentReason: reasonParts.length ? reasonParts.join('; ') : null, agentAsked },
  };
}

/** Translates one parsed stdout line. Unknown types come back as `raw` events, never dropped. */
export function translateClaudeLine(line: unknown, state: TranslateState): Translation {
  if (!isObj(line)) return { outputs: [raw(null, line)] };
  const type = str(line.type);
  const subtype = str(line.subtype);
  const outputs: RunOutput[] = [];
  const sessionId = str(line.session_id);
  switch (type) {
    case 'system': {
      if (subtype === 'api_retry') {
        // The CLI retries a failed request itself (also 401s, ten times over minutes): say so while it does.
        const failure = providerFailure({
          status: typeof line.error_status === 'number' ? line.error_status : null,
          text: str(line.error) ?? '',
          retry: { attempt: num(line.attempt), maxAttempts: num(line.max_retries), delayMs: num(line.retry_delay_ms) },
        });
        return { outputs: [ev({ kind: 'provider_error', payload: failure.payload }), { type: 'provider-retry', note: failure.reason }] };
      }
      if (subtype === 'init') {
        if (sessionId) outputs.push({ type: 'agent-session', id: sessionId });
        if (!state.announced) {
          state.announced = true;
          outputs.push(raw('system/init', { model: line.model, version: line.claude_code_version, permissionMode: line.permissionMode, cwd: line.cwd }));
        }
        return { outputs };
      }
      return { outputs: [raw(`system/${subtype ?? 'unknown'}`, line)] };
    }
    case 'assistant':
      return { outputs: translateAssistant(line, state) };
    case 'user':
      return { outputs: translateUser(line, state) };
    case 'result':
      if (sessionId) outputs.push({ type: 'agent-session', id: sessionId });
      return { outputs: [...outputs, ...translateResult(line)] };
    case 'control_request': {
      const requestId = str(line.request_id) ?? '';
      const req = isObj(line.request) ? line.request : {};
      if (req.subtype === 'can_use_tool') return { outputs: [translateCanUseTool(requestId, req, state)] };
      if (req.subtype === 'hook_callback') return translateHookCallback(requestId, req);
      return { outputs: [raw('control_request', line)], unsupported: { requestId, subtype: String(req.subtype ?? 'unknown') } };
    }
    case 'control_cancel_request':
      return { outputs: [{ type: 'permission-cancelled', requestId: str(line.request_id) ?? '' }] };
    case 'control_response': {
      const resp = isObj(line.response) ? line.response : {};
      return {
        outputs: [],
        controlResponse: { requestId: str(resp.request_id) ?? '', ok: resp.subtype === 'success', error: str(resp.error) },
      };
    }
    case 'stream_event':
      // Partial-message deltas (only with --include-partial-messages, which Reins does not pass).
      return { outputs: [] };
    default:
      return { outputs: [raw(type, line)] };
  }
}
