import { describe, expect, it } from 'vitest';
import { callGaps, ToolCallBenchError } from '../../bench/tool-call-overhead.ts';
import type { RecordedMessage, RecordedRequest } from '../fakes/anthropic/index.ts';

const request = (messages: RecordedMessage[], receivedAt: number, respondedAt: number | null): RecordedRequest => ({
  method: 'POST',
  url: '/v1/messages?beta=true',
  headers: {},
  body: { messages },
  messages,
  stream: true,
  status: 200,
  error: null,
  receivedAt,
  respondedAt,
});
const prompt: RecordedMessage = { role: 'user', content: [{ type: 'text', text: 'TOOL: Read {}\nRUN: cat README.md' }] };
const use = (id: string, name: string): RecordedMessage => ({
  role: 'assistant',
  content: [
    { type: 'text', text: `Calling ${name}.` },
    { type: 'tool_use', id, name, input: {} },
  ],
});
const result = (id: string): RecordedMessage => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] });

describe('per-call gaps seen by the model API', () => {
  it('measures each call from its tool_use fully sent to its tool_result arriving', () => {
    const first = [prompt];
    const second = [...first, use('t1', 'Read'), result('t1')];
    const third = [...second, use('t2', 'Bash'), result('t2')];
    const gaps = callGaps([request(first, 0, 5), request(second, 17.5, 20), request(third, 31, 33)]);
    expect(gaps).toEqual([
      { tool: 'Read', ms: 12.5 },
      { tool: 'Bash', ms: 11 },
    ]);
  });

  it('skips requests that start a turn, and a user message that carries text with the results', () => {
    const first = [prompt];
    const followUp = [
      ...first,
      use('t1', 'Read'),
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'ok' },
          { type: 'text', text: 'SAY: next' },
        ],
      },
    ];
    expect(callGaps([request(first, 0, 1), request(followUp, 10, 11)])).toEqual([]);
  });

  it('refuses to pair a tool result with a request it does not answer', () => {
    const first = [prompt];
    const unrelated = [{ role: 'user', content: 'a side request' }];
    const second = [...first, use('t1', 'Read'), result('t1')];
    expect(() => callGaps([request(first, 0, 1), request(unrelated, 2, 3), request(second, 10, 11)])).toThrow(ToolCallBenchError);
  });

  it('refuses a pair whose first response never finished', () => {
    const first = [prompt];
    const second = [...first, use('t1', 'Read'), result('t1')];
    expect(() => callGaps([request(first, 0, null), request(second, 10, 11)])).toThrow(/never finished/);
  });
});
