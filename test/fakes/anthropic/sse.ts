/**
 * Turns a planned reply into the Messages API wire format: the SSE event sequence the CLI
 * streams (byte-compatible with the captured stream in the protocol reference, Appendix F),
 * cut short by an `event: error` when scripted, and the non-streamed message JSON.
 */
import type { Reply, ReplyBlock } from './decide.ts';
import type { StreamErrorType } from './script.ts';

/** A piece of the response body, written `delayMs` after the previous one. */
export interface Frame {
  delayMs: number;
  data: string;
}

/** Identity and accounting of one response. */
export interface ReplyMeta {
  messageId: string;
  model: string;
  inputTokens: number;
}

type MessageReply = Extract<Reply, { kind: 'message' }>;

/** Most pieces a `SLOW:` text is cut into; enough to interrupt between them. */
const MAX_SLOW_PIECES = 10;

/** Encodes one server-sent event exactly as the Messages API does. */
function sseEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The message of each error a stream can end with, as the real API words it. */
const STREAM_ERROR_MESSAGES: Readonly<Record<StreamErrorType, string>> = { overloaded_error: 'Overloaded' };

/** The error a `BREAK:` ends a stream with, worded as the real API words it. */
export function streamError(type: StreamErrorType): { type: StreamErrorType; message: string } {
  return { type, message: STREAM_ERROR_MESSAGES[type] };
}

/**
 * The SSE frames of a streamed reply, in order; frames with `delayMs` 0 can be written at once.
 * A reply with `breakWith` stops after its first delta that carries content (after `message_start`
 * when none does), with an `error` event.
 */
export function streamFrames(reply: MessageReply, meta: ReplyMeta): Frame[] {
  const frames: Frame[] = [];
  let cut = 0;
  const now = (data: string): void => {
    frames.push({ delayMs: 0, data });
  };
  const delta = (delayMs: number, index: number, payload: Record<string, unknown>, hasContent: boolean): void => {
    frames.push({ delayMs, data: sseEvent({ type: 'content_block_delta', index, delta: payload }) });
    if (hasContent && cut === 0) cut = frames.length;
  };
  now(
    sseEvent({
      type: 'message_start',
      message: {
        id: meta.messageId,
        type: 'message',
        role: 'assistant',
        model: meta.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage(meta.inputTokens), output_tokens: 1, service_tier: 'standard' },
      },
    }),
  );
  // `HANG:` — the stream is open and started, then silent (what an idle watchdog must notice).
  frames.push({ delayMs: reply.hangMs, data: sseEvent({ type: 'ping' }) });
  reply.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      now(sseEvent({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      const pieces = block.streamMs > 0 ? Math.min(MAX_SLOW_PIECES, block.text.length) : 2;
      const gap = block.streamMs > 0 ? block.streamMs / Math.max(1, pieces) : 0;
      for (const text of splitInto(block.text, pieces)) delta(gap, index, { type: 'text_delta', text }, text !== '');
    } else {
      now(
        sseEvent({
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      // The real API starts with an empty partial and may split the JSON anywhere; the CLI must
      // reassemble it, so always send at least two non-empty chunks.
      for (const partial of ['', ...splitInto(JSON.stringify(block.input), 2)]) {
        delta(0, index, { type: 'input_json_delta', partial_json: partial }, partial !== '');
      }
    }
    now(sseEvent({ type: 'content_block_stop', index }));
  });
  now(
    sseEvent({
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { output_tokens: reply.usage?.outputTokens ?? outputTokens(reply.blocks) },
    }),
  );
  now(sseEvent({ type: 'message_stop' }));
  if (reply.breakWith === null) return frames;
  const error = sseEvent({ type: 'error', error: streamError(reply.breakWith) });
  return [...frames.slice(0, cut === 0 ? 1 : cut), { delayMs: 0, data: error }];
}

/** The non-streamed (`stream:false`) message JSON of a reply. */
export function messageJson(reply: MessageReply, meta: ReplyMeta): Record<string, unknown> {
  return {
    id: meta.messageId,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: reply.blocks.map((b) => (b.type === 'text' ? { type: 'text', text: b.text } : { type: 'tool_use', id: b.id, name: b.name, input: b.input })),
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: { ...inputUsage(meta.inputTokens), output_tokens: reply.usage?.outputTokens ?? outputTokens(reply.blocks), service_tier: 'standard' },
  };
}

/** How long a reply takes in total; a non-streamed answer waits this long before it is sent. */
export function replyDurationMs(reply: MessageReply): number {
  return reply.hangMs + reply.blocks.reduce((sum, b) => sum + (b.type === 'text' ? b.streamMs : 0), 0);
}

function inputUsage(inputTokens: number): Record<string, number> {
  return { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

function outputTokens(blocks: readonly ReplyBlock[]): number {
  const chars = blocks.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length), 0);
  return Math.max(1, Math.ceil(chars / 4));
}

/** Cuts `text` into at most `pieces` consecutive parts; never returns an empty list. */
function splitInto(text: string, pieces: number): string[] {
  if (text.length <= 1 || pieces <= 1) return [text];
  const size = Math.ceil(text.length / pieces);
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts;
}
