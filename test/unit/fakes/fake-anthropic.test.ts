import { afterEach, describe, expect, it } from 'vitest';
import {
  decideReply,
  FakeAnthropicWaitError,
  parseScript,
  planScript,
  RUN_DESCRIPTION,
  RUN_PREAMBLE,
  ScriptError,
  startFakeAnthropic,
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
      'intro line\nSAY: hello\nRUN: echo hi > x.txt\nTOOL: Read {"file_path":"/a"}\nSLOW: 300 slowly\nHANG: 50\nFAIL: 529 2',
    );
    expect(steps).toEqual([
      { kind: 'say', text: 'hello' },
      { kind: 'run', command: 'echo hi > x.txt' },
      { kind: 'tool', name: 'Read', input: { file_path: '/a' } },
      { kind: 'slow', ms: 300, text: 'slowly' },
      { kind: 'hang', ms: 50 },
      { kind: 'fail', status: 529, times: 2 },
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
  });

  it('cuts steps into one response per tool call plus a tail', () => {
    const plan = planScript(parseScript('SAY: a\nRUN: one\nRUN: two\nSAY: done'));
    expect(plan.toolTurns.map((turn) => turn.map((s) => s.kind))).toEqual([['say', 'run'], ['run']]);
    expect(plan.tail).toEqual([{ kind: 'say', text: 'done' }]);
  });
});

describe('decideReply', () => {
  it('answers SAY with text and ignores system entries and reminders', () => {
    const reply = message(
      decideReply(
        [{ role: 'user', content: [reminder, { type: 'text', text: 'SAY: hi there' }] }, environment],
        deps(),
      ),
    );
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
      content: [
        { type: 'tool_result', tool_use_id: 't2', is_error: true, content: [{ type: 'text', text: 'no such file' }] },
        reminder,
      ],
    };
    const step2 = message(decideReply([prompt, first, firstResult], deps()));
    expect(step2.blocks.at(-1)).toMatchObject({ type: 'tool_use', name: 'Read', input: { file_path: '/x' } });
    const done = message(decideReply([prompt, environment, first, firstResult, second, secondResult], deps()));
    expect(done.stopReason).toBe('end_turn');
    expect(done.blocks).toEqual([
      { type: 'text', text: 'Tool Read finished. is_error=true. Output: no such file', streamMs: 0 },
    ]);
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
    const messages = [{ role: 'user', content: 'FAIL: 529 2\nSAY: finally' }];
    expect(decideReply(messages, d)).toEqual({ kind: 'error', status: 529 });
    expect(decideReply(messages, d)).toEqual({ kind: 'error', status: 529 });
    expect(message(decideReply(messages, d)).blocks).toEqual([{ type: 'text', text: 'finally', streamMs: 0 }]);
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

describe('startFakeAnthropic (HTTP)', () => {
  let fake: FakeAnthropic | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  async function post(body: unknown, path = '/v1/messages?beta=true'): Promise<Response> {
    if (fake === null) throw new Error('fake not started');
    return fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'fake' },
      body: JSON.stringify(body),
    });
  }

  it('streams the Messages API event sequence byte-compatibly and records the request', async () => {
    fake = await startFakeAnthropic();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await post({
      model: 'claude-test',
      stream: true,
      messages: [{ role: 'user', content: 'RUN: rm -rf ./build' }],
    });
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
    expect(recorded?.url).toBe('/v1/messages?beta=true');
    expect(recorded?.headers['x-api-key']).toBe('fake');
    expect(recorded?.messages).toEqual([{ role: 'user', content: 'RUN: rm -rf ./build' }]);
    expect(recorded?.stream).toBe(true);
  });

  it('answers stream:false with a message JSON', async () => {
    fake = await startFakeAnthropic();
    const res = await post({
      model: 'm',
      messages: [{ role: 'user', content: 'TOOL: Write {"file_path":"a","content":"b"}' }],
    });
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

  it('answers probes and unknown paths with 200 and does not record them', async () => {
    fake = await startFakeAnthropic();
    expect((await fetch(`${fake.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${fake.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
    const other = await fetch(`${fake.url}/v1/something/else`);
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({});
    expect(fake.requests).toHaveLength(0);
  });

  it('answers FAIL with an Anthropic error body, and a bad script or body with 400', async () => {
    fake = await startFakeAnthropic();
    const failed = await post({ stream: true, messages: [{ role: 'user', content: 'FAIL: 529' }] });
    expect(failed.status).toBe(529);
    expect(await failed.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    const badScript = await post({ stream: true, messages: [{ role: 'user', content: 'TOOL: Write {oops' }] });
    expect(badScript.status).toBe(400);
    expect(await badScript.json()).toMatchObject({ error: { type: 'invalid_request_error', message: /TOOL input/ } });
    const badBody = await post([1, 2]);
    expect(badBody.status).toBe(400);
    expect(fake.requests).toHaveLength(3);
  });

  it('spreads SLOW deltas over the requested time', async () => {
    fake = await startFakeAnthropic();
    const started = performance.now();
    const res = await post({ stream: true, messages: [{ role: 'user', content: 'SLOW: 200 abcdefghij' }] });
    const events = parseSse(await res.text());
    const elapsed = performance.now() - started;
    const deltas = events.filter((e) => e.event === 'content_block_delta');
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.map((e) => (e.data['delta'] as { text: string }).text).join('')).toBe('abcdefghij');
    expect(elapsed).toBeGreaterThanOrEqual(150);
  });

  it('holds a HANG stream open after message_start, and close() cuts it', async () => {
    fake = await startFakeAnthropic();
    const res = await post({ stream: true, messages: [{ role: 'user', content: 'HANG: 60000' }] });
    const reader = res.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(parseSse(first).map((e) => e.event)).toEqual(['message_start']);
    const started = performance.now();
    await fake.close();
    fake = null;
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(reader.read()).rejects.toThrow();
  });

  it('waitForRequests resolves on arrival and rejects with a typed error on timeout or close', async () => {
    fake = await startFakeAnthropic();
    const waiting = fake.waitForRequests(1, 2000);
    await post({ stream: true, messages: [{ role: 'user', content: 'SAY: hi' }] }).then((r) => r.text());
    expect(await waiting).toHaveLength(1);
    await expect(fake.waitForRequests(2, 30)).rejects.toBeInstanceOf(FakeAnthropicWaitError);
    const pending = fake.waitForRequests(5, 5000);
    await fake.close();
    await expect(pending).rejects.toThrow(/closed/);
    fake = null;
  });
});
