import { afterEach, describe, expect, it } from 'vitest';
import {
  decideReply,
  FAKE_API_KEY,
  FakeAnthropicWaitError,
  parseScript,
  planScript,
  RUN_DESCRIPTION,
  RUN_PREAMBLE,
  ScriptError,
  startFakeAnthropic,
  streamFrames,
  toolResultsIn,
  type FakeAnthropic,
  type Reply,
} from '../../fakes/anthropic/index.ts';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((chunk) => chunk !== '')
    .map((chunk) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(chunk);
      if (match === null) throw new Error(`malformed SSE chunk: ${JSON.stringify(chunk)}`);
      const data = JSON.parse(match[2] ?? '') as Record<string, unknown>;
      expect(data['type']).toBe(match[1]);
      return { event: match[1] ?? '', data };
    });
}

function ledger(): { count(key: string): number; add(key: string): void } {
  const counts = new Map<string, number>();
  return { count: (k) => counts.get(k) ?? 0, add: (k) => counts.set(k, (counts.get(k) ?? 0) + 1) };
}

function deps(): Parameters<typeof decideReply>[1] {
  let n = 0;
  return { newToolUseId: () => `toolu_${++n}`, failures: ledger() };
}

function message(reply: Reply): Extract<Reply, { kind: 'message' }> {
  if (reply.kind !== 'message') throw new Error(`expected a message reply, got HTTP ${reply.status}`);
  return reply;
}

const reminder = { type: 'text', text: '<system-reminder>\nSAY: not from the user\n</system-reminder>\n' };
const environment = { role: 'system', content: '# Environment\nSAY: not from the user either' };

describe('parseScript', () => {
  it('parses every directive, in order, ignoring other lines', () => {
    const steps = parseScript(
      [
        'intro line',
        'SAY: hello',
        'RUN: echo hi > x.txt',
        'TOOL: Read {"file_path":"/a"}',
        'SLOW: 300 slowly',
        'HANG: 50',
        'FAIL: 529 2',
        'FAIL: 429 retry-after=3',
        'FAIL: 529 1 retry-after=0',
        'BREAK: overloaded',
        'BREAK: overloaded 2',
        'FAIL: 400 too-long',
        'USAGE: 30000 500',
      ].join('\n'),
    );
    expect(steps).toEqual([
      { kind: 'say', text: 'hello' },
      { kind: 'run', command: 'echo hi > x.txt' },
      { kind: 'tool', name: 'Read', input: { file_path: '/a' } },
      { kind: 'slow', ms: 300, text: 'slowly' },
      { kind: 'hang', ms: 50 },
      { kind: 'fail', status: 529, times: 2, retryAfterS: null, message: null },
      { kind: 'fail', status: 429, times: null, retryAfterS: 3, message: null },
      { kind: 'fail', status: 529, times: 1, retryAfterS: 0, message: null },
      { kind: 'break', error: 'overloaded_error', times: null },
      { kind: 'break', error: 'overloaded_error', times: 2 },
      { kind: 'fail', status: 400, times: null, retryAfterS: null, message: 'prompt is too long: 215344 tokens > 200000 maximum' },
      { kind: 'usage', inputTokens: 30000, outputTokens: 500 },
    ]);
  });

  it('echoes a prompt without directives', () => {
    expect(parseScript('  just chatting\n')).toEqual([{ kind: 'say', text: 'just chatting' }]);
  });

  it('rejects malformed directives with a ScriptError naming the line', () => {
    expect(() => parseScript('TOOL: Write {not json')).toThrow(ScriptError);
    expect(() => parseScript('TOOL: Write [1]')).toThrow(/JSON object/);
    expect(() => parseScript('SLOW: soon text')).toThrow(/duration/);
    expect(() => parseScript('FAIL: 200')).toThrow(/400-599/);
    expect(() => parseScript('RUN:')).toThrow(/RUN needs a command/);
    expect(() => parseScript('FAIL: 529 0')).toThrow(/positive integer/);
    expect(() => parseScript('FAIL: 529 2 3')).toThrow(/\[times\] \[retry-after=<s>\]/);
    expect(() => parseScript('FAIL: 529 retry-after=soon')).toThrow(/whole number of seconds/);
    expect(() => parseScript('BREAK: tired')).toThrow(/BREAK needs an error kind \(overloaded\)/);
    expect(() => parseScript('BREAK:')).toThrow(/BREAK needs an error kind/);
  });

  it('cuts steps into one response per tool call plus a tail', () => {
    const plan = planScript(parseScript('SAY: a\nRUN: one\nRUN: two\nSAY: done'));
    expect(plan.toolTurns.map((turn) => turn.map((s) => s.kind))).toEqual([['say', 'run'], ['run']]);
    expect(plan.tail).toEqual([{ kind: 'say', text: 'done' }]);
  });
});

describe('decideReply', () => {
  it('answers SAY with text and ignores system entries and reminders', () => {
    const reply = message(decideReply([{ role: 'user', content: [reminder, { type: 'text', text: 'SAY: hi there' }] }, environment], deps()));
    expect(reply.blocks).toEqual([{ type: 'text', text: 'hi there', streamMs: 0 }]);
    expect(reply.stopReason).toBe('end_turn');
  });

  it('answers RUN with a preamble and a Bash tool_use', () => {
    const reply = message(decideReply([{ role: 'user', content: 'RUN: rm -rf ./build' }], deps()));
    expect(reply.stopReason).toBe('tool_use');
    expect(reply.blocks).toEqual([
      { type: 'text', text: RUN_PREAMBLE, streamMs: 0 },
      { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'rm -rf ./build', description: RUN_DESCRIPTION } },
    ]);
  });

  it('runs tool steps one per response, then reports the last tool result', () => {
    const prompt = { role: 'user', content: 'RUN: one\nTOOL: Read {"file_path":"/x"}' };
    const first = { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] };
    const firstResult = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'out-1' }] };
    const second = { role: 'assistant', content: [{ type: 'tool_use', id: 't2', name: 'Read', input: {} }] };
    const secondResult = {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 't2', is_error: true, content: [{ type: 'text', text: 'no such file' }] }, reminder],
    };
    const step2 = message(decideReply([prompt, first, firstResult], deps()));
    expect(step2.blocks.at(-1)).toMatchObject({ type: 'tool_use', name: 'Read', input: { file_path: '/x' } });
    const done = message(decideReply([prompt, environment, first, firstResult, second, secondResult], deps()));
    expect(done.stopReason).toBe('end_turn');
    expect(done.blocks).toEqual([{ type: 'text', text: 'Tool Read finished. is_error=true. Output: no such file', streamMs: 0 }]);
  });

  it('after an interrupt, treats the prompt appended to a rejected tool result as a new prompt', () => {
    const reply = message(
      decideReply(
        [
          { role: 'user', content: 'RUN: rm -rf ./build' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'rejected' },
              { type: 'text', text: '[Request interrupted by user for tool use]' },
              { type: 'text', text: 'SAY: fresh start' },
            ],
          },
        ],
        deps(),
      ),
    );
    expect(reply.blocks).toEqual([{ type: 'text', text: 'fresh start', streamMs: 0 }]);
  });

  it('uses the last directive-bearing text of a merged prompt', () => {
    const reply = message(
      decideReply(
        [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'SAY: old' },
              { type: 'text', text: 'SAY: new' },
              { type: 'text', text: 'plain' },
            ],
          },
        ],
        deps(),
      ),
    );
    expect(reply.blocks).toEqual([{ type: 'text', text: 'new', streamMs: 0 }]);
  });

  it('fails as often as FAIL says, then answers', () => {
    const d = deps();
    const messages = [{ role: 'user', content: 'FAIL: 529 2 retry-after=1\nSAY: finally' }];
    expect(decideReply(messages, d)).toEqual({ kind: 'error', status: 529, retryAfterS: 1, message: null });
    expect(decideReply(messages, d)).toEqual({ kind: 'error', status: 529, retryAfterS: 1, message: null });
    expect(message(decideReply(messages, d)).blocks).toEqual([{ type: 'text', text: 'finally', streamMs: 0 }]);
  });

  it('breaks the stream as often as BREAK says, then answers whole', () => {
    const d = deps();
    const messages = [{ role: 'user', content: 'BREAK: overloaded 1\nSAY: finally' }];
    expect(message(decideReply(messages, d))).toMatchObject({ breakWith: 'overloaded_error', blocks: [{ type: 'text', text: 'finally' }] });
    expect(message(decideReply(messages, d)).breakWith).toBeNull();
  });

  it('carries SLOW and HANG timing into the reply', () => {
    const reply = message(decideReply([{ role: 'user', content: 'HANG: 40\nSLOW: 90 take your time' }], deps()));
    expect(reply.hangMs).toBe(40);
    expect(reply.blocks).toEqual([{ type: 'text', text: 'take your time', streamMs: 90 }]);
  });
});

describe('toolResultsIn', () => {
  it('lists every tool result with its tool name', () => {
    const results = toolResultsIn([
      { role: 'user', content: 'TOOL: AskUserQuestion {}' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'q1', name: 'AskUserQuestion', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'q1', content: 'answered: make' }] },
    ]);
    expect(results).toEqual([{ toolUseId: 'q1', toolName: 'AskUserQuestion', isError: false, text: 'answered: make' }]);
  });
});

describe('streamFrames', () => {
  it('spreads a SLOW text over the requested time in several deltas', () => {
    const reply = message(decideReply([{ role: 'user', content: 'SLOW: 200 abcdefghij' }], deps()));
    const frames = streamFrames(reply, { messageId: 'msg_1', model: 'm', inputTokens: 1 });
    const deltas = frames.filter((f) => f.data.startsWith('event: content_block_delta'));
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.every((f) => f.delayMs > 0)).toBe(true);
    expect(frames.reduce((sum, f) => sum + f.delayMs, 0)).toBe(200);
  });
});

/** The headers the pinned CLI sends (protocol reference §7), minus the ones the fake ignores. */
const CLI_HEADERS = { 'content-type': 'application/json', 'x-api-key': FAKE_API_KEY, 'anthropic-version': '2023-06-01' };

/** A body the real API takes: what the CLI sends, reduced to the fields the fake checks. */
function validBody(messages: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-test', max_tokens: 128000, stream: true, messages, ...extra };
}

interface ErrorAnswer {
  type: string;
  error: { type: string; message: string };
  request_id: string;
}

const withoutHeader = (name: string): Record<string, string> => Object.fromEntries(Object.entries(CLI_HEADERS).filter(([key]) => key !== name));
const user = (content: unknown): unknown => ({ role: 'user', content });
const assistant = (content: unknown): unknown => ({ role: 'assistant', content });
const toolUse = (id: string): unknown => assistant([{ type: 'tool_use', id, name: 'Bash', input: { command: 'ls' } }]);
const toolResult = (id: string): unknown => user([{ type: 'tool_result', tool_use_id: id, content: 'ok' }]);

describe('startFakeAnthropic (HTTP)', () => {
  let running: FakeAnthropic | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  async function started(): Promise<FakeAnthropic> {
    running = await startFakeAnthropic();
    return running;
  }

  async function post(body: unknown, headers: Record<string, string> = CLI_HEADERS, path = '/v1/messages?beta=true'): Promise<Response> {
    if (running === null) throw new Error('fake not started');
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${running.url}${path}`, { method: 'POST', headers, body: raw });
  }

  /** Checks the real API's error shape, with the same request id in the header and the body. */
  async function errorOf(res: Response): Promise<ErrorAnswer['error']> {
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as ErrorAnswer;
    expect(Object.keys(body).sort()).toEqual(['error', 'request_id', 'type']);
    expect(body.type).toBe('error');
    expect(Object.keys(body.error).sort()).toEqual(['message', 'type']);
    expect(body.request_id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(res.headers.get('request-id')).toBe(body.request_id);
    return body.error;
  }

  it('streams the Messages API event sequence byte-compatibly and records the request', async () => {
    const fake = await started();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await post(validBody([user('RUN: rm -rf ./build')]));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const body = await res.text();
    expect(body.startsWith('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_')).toBe(true);
    const events = parseSse(body);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data['message']).toMatchObject({ model: 'claude-test', role: 'assistant', content: [] });
    const text = events
      .filter((e) => e.event === 'content_block_delta' && e.data['index'] === 0)
      .map((e) => (e.data['delta'] as { text: string }).text)
      .join('');
    expect(text).toBe(RUN_PREAMBLE);
    const partials = events
      .filter((e) => e.event === 'content_block_delta' && e.data['index'] === 1)
      .map((e) => (e.data['delta'] as { partial_json: string }).partial_json);
    expect(partials[0]).toBe('');
    expect(partials.slice(1).every((p) => p.length > 0)).toBe(true);
    expect(JSON.parse(partials.join(''))).toEqual({ command: 'rm -rf ./build', description: RUN_DESCRIPTION });
    expect(events[6]?.data['content_block']).toMatchObject({ type: 'tool_use', name: 'Bash', input: {} });
    expect(events[11]?.data).toMatchObject({ delta: { stop_reason: 'tool_use', stop_sequence: null } });

    const [recorded] = await fake.waitForRequests(1, 1000);
    expect(recorded).toMatchObject({ url: '/v1/messages?beta=true', stream: true, status: 200, error: null });
    expect(recorded?.headers['x-api-key']).toBe(FAKE_API_KEY);
    expect(recorded?.messages).toEqual([{ role: 'user', content: 'RUN: rm -rf ./build' }]);
  });

  it('answers stream:false with a message JSON', async () => {
    await started();
    const res = await post(validBody([user('TOOL: Write {"file_path":"a","content":"b"}')], { model: 'm', stream: false }));
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'm',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Calling Write.' },
        { type: 'tool_use', name: 'Write', input: { file_path: 'a', content: 'b' } },
      ],
    });
    expect((json['usage'] as { output_tokens: number }).output_tokens).toBeGreaterThan(0);
  });

  it('takes the conversation the pinned CLI sends: a system entry, tools answered, a bearer token', async () => {
    const fake = await started();
    const conversation = [
      { role: 'user', content: [{ type: 'text', text: 'RUN: echo one' }] },
      { role: 'system', content: [{ type: 'text', text: '# Environment' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: RUN_PREAMBLE },
          { type: 'tool_use', id: 't1', name: 'Bash', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'one' },
          { type: 'text', text: 'and a note' },
        ],
      },
    ];
    expect((await post(validBody(conversation))).status).toBe(200);
    const res = await post(validBody([user('SAY: hi')]), { ...withoutHeader('x-api-key'), authorization: `Bearer ${FAKE_API_KEY}` });
    expect(res.status).toBe(200);
    await res.text();
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  /** Each request the real API refuses, with the status, error type and message it answers. */
  const refusals: ReadonlyArray<{ what: string; body: unknown; headers?: Record<string, string>; status: number; type: string; message: string }> = [
    {
      what: 'no key',
      body: validBody([user('hi')]),
      headers: withoutHeader('x-api-key'),
      status: 401,
      type: 'authentication_error',
      message: 'x-api-key header is required',
    },
    {
      what: 'a wrong key',
      body: validBody([user('hi')]),
      headers: { ...CLI_HEADERS, 'x-api-key': 'sk-ant-other' },
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    },
    {
      what: 'a wrong bearer token',
      body: validBody([user('hi')]),
      headers: { ...withoutHeader('x-api-key'), authorization: 'Bearer other' },
      status: 401,
      type: 'authentication_error',
      message: 'Invalid bearer token',
    },
    {
      what: 'no anthropic-version',
      body: validBody([user('hi')]),
      headers: withoutHeader('anthropic-version'),
      status: 400,
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    },
    {
      what: 'an unknown anthropic-version',
      body: validBody([user('hi')]),
      headers: { ...CLI_HEADERS, 'anthropic-version': '2099-01-01' },
      status: 400,
      type: 'invalid_request_error',
      message: 'anthropic-version: "2099-01-01" is not a valid version',
    },
    { what: 'a body that is not JSON', body: '{"model":', status: 400, type: 'invalid_request_error', message: 'The request body must be a JSON object.' },
    { what: 'a body that is a list', body: [1, 2], status: 400, type: 'invalid_request_error', message: 'The request body must be a JSON object.' },
    { what: 'no model', body: { max_tokens: 10, messages: [user('hi')] }, status: 400, type: 'invalid_request_error', message: 'model: Field required' },
    {
      what: 'a model that is not a string',
      body: validBody([user('hi')], { model: 5 }),
      status: 400,
      type: 'invalid_request_error',
      message: 'model: Input should be a valid string',
    },
    { what: 'no max_tokens', body: { model: 'm', messages: [user('hi')] }, status: 400, type: 'invalid_request_error', message: 'max_tokens: Field required' },
    {
      what: 'a fractional max_tokens',
      body: validBody([user('hi')], { max_tokens: 1.5 }),
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: Input should be a valid integer',
    },
    {
      what: 'max_tokens 0',
      body: validBody([user('hi')], { max_tokens: 0 }),
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: Input should be greater than or equal to 1',
    },
    {
      what: 'stream that is not a boolean',
      body: validBody([user('hi')], { stream: 'yes' }),
      status: 400,
      type: 'invalid_request_error',
      message: 'stream: Input should be a valid boolean',
    },
    { what: 'no messages', body: { model: 'm', max_tokens: 10 }, status: 400, type: 'invalid_request_error', message: 'messages: Field required' },
    {
      what: 'messages that are not a list',
      body: validBody([], { messages: 'hi' }),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: Input should be a valid list',
    },
    { what: 'no message at all', body: validBody([]), status: 400, type: 'invalid_request_error', message: 'messages: at least one message is required' },
    {
      what: 'an unknown role',
      body: validBody([user('hi'), { role: 'tool', content: 'x' }]),
      status: 400,
      type: 'invalid_request_error',
      message: "messages.1.role: Input should be 'user' or 'assistant'",
    },
    {
      what: 'a message without content',
      body: validBody([{ role: 'user' }]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.0.content: Field required',
    },
    {
      what: 'a block without a type',
      body: validBody([user([{ text: 'hi' }])]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.0.content.0.type: Field required',
    },
    {
      what: 'a tool_use without an id',
      body: validBody([user('hi'), assistant([{ type: 'tool_use', name: 'Bash', input: {} }])]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.1.content.0.tool_use.id: Field required',
    },
    {
      what: 'an assistant first',
      body: validBody([assistant('hello'), user('hi')]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: first message must use the "user" role',
    },
    {
      what: 'two user turns in a row',
      body: validBody([user('one'), user('two')]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    },
    {
      what: 'two assistant turns in a row (a system entry between does not count)',
      body: validBody([user('one'), assistant('a'), { role: 'system', content: 'env' }, assistant('b')]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: roles must alternate between "user" and "assistant", but found multiple "assistant" roles in a row',
    },
    {
      what: 'an empty user message',
      body: validBody([user('')]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.0: all messages must have non-empty content except for the optional final assistant message',
    },
    {
      what: 'an empty text block',
      body: validBody([user([{ type: 'text', text: '' }])]),
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: text content blocks must be non-empty',
    },
    {
      what: 'a tool_use not answered in the next turn',
      body: validBody([user('RUN: ls'), toolUse('toolu_a'), user('just text')]),
      status: 400,
      type: 'invalid_request_error',
      message:
        'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    },
    {
      what: 'a tool_use left unanswered at the end',
      body: validBody([user('RUN: ls'), toolUse('toolu_b')]),
      status: 400,
      type: 'invalid_request_error',
      message:
        'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    },
    {
      what: 'a tool_result answering no tool_use of the turn before',
      body: validBody([user('RUN: ls'), toolUse('toolu_c'), toolResult('toolu_c'), assistant('done'), toolResult('toolu_c')]),
      status: 400,
      type: 'invalid_request_error',
      message:
        'messages.4.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_c. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    },
  ];

  it.each(refusals)('refuses $what as the real API does', async ({ body, headers, status, type, message }) => {
    const fake = await started();
    const res = await post(body, headers);
    expect(res.status).toBe(status);
    expect(await errorOf(res)).toEqual({ type, message });
    const [recorded] = await fake.waitForRequests(1, 1000);
    expect(recorded).toMatchObject({ status, error: { type, message } });
  });

  it('answers the CLI probes, and anything else with a 404 not_found_error, listing them apart', async () => {
    const fake = await started();
    expect((await fetch(`${fake.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${fake.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
    const unknown = [
      fetch(`${fake.url}/v1/models`, { headers: CLI_HEADERS }),
      fetch(`${fake.url}/v1/messages`, { headers: CLI_HEADERS }),
      post(validBody([user('hi')]), CLI_HEADERS, '/v1/messages/count_tokens'),
      post(validBody([user('hi')]), CLI_HEADERS, '/v1/complete'),
    ];
    for (const res of await Promise.all(unknown)) {
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toEqual({ type: 'not_found_error', message: 'Not Found' });
    }
    expect(fake.requests).toHaveLength(0);
    expect(fake.otherRequests.slice(0, 2)).toEqual([
      { method: 'HEAD', url: '/', status: 200 },
      { method: 'HEAD', url: '/api/hello', status: 200 },
    ]);
    expect(
      fake.otherRequests
        .slice(2)
        .map((r) => `${r.method} ${r.url} ${r.status}`)
        .sort(),
    ).toEqual(['GET /v1/messages 404', 'GET /v1/models 404', 'POST /v1/complete 404', 'POST /v1/messages/count_tokens 404']);
  });

  it('answers FAIL with the error type of its status and retry-after when asked; a bad script with 400', async () => {
    const fake = await started();
    const overloaded = await post(validBody([user('FAIL: 529')]));
    expect(overloaded.status).toBe(529);
    expect(overloaded.headers.get('retry-after')).toBeNull();
    expect(await errorOf(overloaded)).toEqual({ type: 'overloaded_error', message: 'Scripted failure (FAIL: 529).' });
    const limited = await post(validBody([user('FAIL: 429 retry-after=7')]));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await errorOf(limited)).toMatchObject({ type: 'rate_limit_error' });
    const badScript = await post(validBody([user('TOOL: Write {oops')]));
    expect(badScript.status).toBe(400);
    expect(await errorOf(badScript)).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/TOOL input/) });
    expect(fake.requests.map((r) => r.status)).toEqual([529, 429, 400]);
  });

  it('BREAK ends a stream after its first delta with an overloaded_error event, then answers once spent', async () => {
    const fake = await started();
    const messages = [user('BREAK: overloaded 1\nSAY: after the break')];
    const broken = await post(validBody(messages));
    expect(broken.status).toBe(200);
    const events = parseSse(await broken.text());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'error']);
    expect(events.at(-1)?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const whole = parseSse(await (await post(validBody(messages))).text());
    expect(whole.at(-1)?.event).toBe('message_stop');
    expect(fake.requests.map((r) => [r.status, r.error?.type ?? null])).toEqual([
      [200, 'overloaded_error'],
      [200, null],
    ]);
  });

  it('BREAK on a stream:false request is the plain 529 (a whole answer cannot break off)', async () => {
    await started();
    const res = await post(validBody([user('BREAK: overloaded\nSAY: never')], { stream: false }));
    expect(res.status).toBe(529);
    expect(await errorOf(res)).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('streams SLOW deltas whole, in order', async () => {
    await started();
    const res = await post(validBody([user('SLOW: 100 abcdefghij')]));
    const deltas = parseSse(await res.text()).filter((e) => e.event === 'content_block_delta');
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.map((e) => (e.data['delta'] as { text: string }).text).join('')).toBe('abcdefghij');
  });

  it('holds a HANG stream open after message_start, and close() cuts it', async () => {
    const fake = await started();
    const res = await post(validBody([user('HANG: 60000')]));
    const reader = res.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(parseSse(first).map((e) => e.event)).toEqual(['message_start']);
    await fake.close();
    await expect(reader.read()).rejects.toThrow();
  });

  it('waitForRequests resolves on arrival and rejects with a typed error on timeout or close', async () => {
    const fake = await started();
    const waiting = fake.waitForRequests(1, 2000);
    await post(validBody([user('SAY: hi')])).then((r) => r.text());
    expect(await waiting).toHaveLength(1);
    await expect(fake.waitForRequests(2, 30)).rejects.toBeInstanceOf(FakeAnthropicWaitError);
    const pending = fake.waitForRequests(5, 5000);
    await fake.close();
    await expect(pending).rejects.toThrow(/closed/);
  });
});
