/**
 * The Responses API stream (`text/event-stream`) for a decided reply, in the event shapes the
 * pinned Codex parses (codex-rs `core/tests/common/responses.rs`).
 */
import type { Reply } from './script.ts';

/** A piece of the body, written `delayMs` after the previous one. */
export interface Frame {
  delayMs: number;
  data: string;
}

/** Most pieces a `SLOW:` text is cut into. */
const MAX_SLOW_PIECES = 20;

function sseEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The frames of one response; `inputTokens` is a deterministic stand-in for a token count. */
export function responseFrames(reply: Reply, ids: { response: string; item: string; call: string }, inputTokens: number): Frame[] {
  const frames: Frame[] = [];
  const now = (data: Record<string, unknown> & { type: string }): void => void frames.push({ delayMs: 0, data: sseEvent(data) });
  now({ type: 'response.created', response: { id: ids.response } });
  let outputChars: number;
  if (reply.kind === 'text') {
    outputChars = reply.text.length;
    now({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', role: 'assistant', id: ids.item, content: [] } });
    const pieces = reply.streamMs > 0 ? Math.min(MAX_SLOW_PIECES, Math.max(1, reply.text.length)) : 1;
    const size = Math.ceil(reply.text.length / pieces) || 1;
    for (let at = 0; at < Math.max(1, reply.text.length); at += size) {
      const delta = reply.text.slice(at, at + size);
      frames.push({
        delayMs: reply.streamMs / pieces,
        data: sseEvent({ type: 'response.output_text.delta', item_id: ids.item, output_index: 0, content_index: 0, delta }),
      });
    }
    now({
      type: 'response.output_item.done',
      output_index: 0,
      item: { type: 'message', role: 'assistant', id: ids.item, content: [{ type: 'output_text', text: reply.text, annotations: [] }] },
    });
  } else if (reply.kind === 'function_call') {
    const args = JSON.stringify(reply.arguments);
    outputChars = args.length;
    now({
      type: 'response.output_item.done',
      output_index: 0,
      item: { type: 'function_call', id: ids.item, call_id: ids.call, name: reply.name, arguments: args },
    });
  } else {
    outputChars = reply.input.length;
    now({
      type: 'response.output_item.done',
      output_index: 0,
      item: { type: 'custom_tool_call', id: ids.item, call_id: ids.call, name: reply.name, input: reply.input },
    });
  }
  const outputTokens = Math.max(1, Math.ceil(outputChars / 4));
  now({
    type: 'response.completed',
    response: {
      id: ids.response,
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
    },
  });
  return frames;
}
