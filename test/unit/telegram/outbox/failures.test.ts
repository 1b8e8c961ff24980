import { afterEach, describe, expect, it } from 'vitest';
import { OutboxError } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import { apiError, networkError } from './fake-telegram.ts';
import { capture, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

/** A fault that fails the first `count` calls of `method` with `make()`. */
function failFirst(method: string, count: number, make: () => unknown) {
  let left = count;
  return (m: string): unknown => {
    if (m !== method || left === 0) return undefined;
    left -= 1;
    return make();
  };
}

describe('outbox failure handling', () => {
  it('waits exactly retry_after after a 429 in that chat, resends the same call, and lets other chats go on', async () => {
    h = harness();
    h.fake.setFault((method, params) =>
      method === 'sendMessage' && params['chat_id'] === 1 && h.fake.calls('sendMessage', 1).length === 0
        ? apiError(method, 429, 'Too Many Requests: retry after 7', 7)
        : undefined,
    );
    const card = h.outbox.sendMessage(1, 'Allow?', { parse_mode: 'HTML' }, { priority: 'approval' });
    const others = Promise.all(['a', 'b', 'c'].map((t) => h.outbox.sendMessage(2, t)));
    const [sent] = await h.clock.settle(Promise.all([card, others]));

    const chat1 = h.fake.calls('sendMessage', 1);
    expect(chat1.map((c) => [c.at, c.outcome])).toEqual([
      [0, 429],
      [7000, 'ok'],
    ]);
    expect(chat1[1]?.params).toEqual(chat1[0]?.params);
    expect(h.fake.calls('sendMessage', 2).map((c) => c.at)).toEqual([0, 1000, 2000]);
    expect(sent.messageId).toBeGreaterThan(0);
    expect(h.outbox.stats()).toMatchObject({ rateLimited: 1, retries: 1, failed: 0 });
    expect(h.logs.some((l) => l.level === 'warn' && l.obj['retryAfterS'] === 7)).toBe(true);
  });

  it('holds every call back after a 429 on a call without a chat', async () => {
    h = harness();
    h.fake.setFault(failFirst('setMyCommands', 1, () => apiError('setMyCommands', 429, 'Too Many Requests: retry after 3', 3)));
    const commands = h.outbox.call('setMyCommands', { commands: [{ command: 'status', description: 'Sessions' }] });
    await h.clock.advance(100);
    const message = h.outbox.sendMessage(1, 'hi');
    await h.clock.settle(Promise.all([commands, message]));
    expect(h.fake.received.map((c) => [c.method, c.at, c.outcome])).toEqual([
      ['setMyCommands', 0, 429],
      ['setMyCommands', 3000, 'ok'],
      ['sendMessage', 3000, 'ok'],
    ]);
  });

  it('falls back to fallbackRetryAfterS when a 429 has no retry_after', async () => {
    h = harness({ limits: { fallbackRetryAfterS: 4 } });
    h.fake.setFault(failFirst('sendMessage', 1, () => apiError('sendMessage', 429, 'Too Many Requests')));
    await h.clock.settle(h.outbox.sendMessage(1, 'x'));
    expect(h.fake.calls('sendMessage').map((c) => c.at)).toEqual([0, 4000]);
  });

  it('counts "message is not modified" as success', async () => {
    h = harness();
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'same'));
    const outcome = await h.clock.settle(h.outbox.editMessageText({ chatId: 1, messageId }, 'same'));
    expect(outcome).toBe('not_modified');
    expect(h.fake.calls('editMessageText').map((c) => c.outcome)).toEqual([400]);
    expect(h.outbox.stats()).toMatchObject({ notModified: 1, retries: 0, failed: 0 });
  });

  it('retries network errors and 5xx with capped exponential backoff', async () => {
    h = harness({ limits: { backoff: { baseMs: 1000, maxMs: 4000, maxAttempts: 10 } }, random: () => 0.5 });
    const errors = [networkError('setMyCommands'), apiError('setMyCommands', 502, 'Bad Gateway'), networkError('setMyCommands'), networkError('setMyCommands')];
    h.fake.setFault(failFirst('setMyCommands', errors.length, () => errors.shift()));
    const reply = await h.clock.settle(h.outbox.call('setMyCommands', { commands: [] }));
    expect(reply).toEqual({ status: 'ok', result: true });
    // Delays at jitter 0.5: 0.75 × min(4000, 1000 × 2^(n-1)) = 750, 1500, 3000, 3000.
    expect(h.fake.calls('setMyCommands').map((c) => [c.at, c.outcome])).toEqual([
      [0, 'network'],
      [750, 502],
      [2250, 'network'],
      [5250, 'network'],
      [8250, 'ok'],
    ]);
    expect(h.outbox.stats().retries).toBe(4);
  });

  it('gives a non-critical call up after maxAttempts', async () => {
    h = harness({ limits: { backoff: { baseMs: 100, maxMs: 1000, maxAttempts: 3 } } });
    h.fake.setFault((method) => (method === 'sendMessage' ? networkError(method) : undefined));
    const result = await h.clock.settle(capture(h.outbox.sendMessage(1, 'status')));
    const error = result.ok ? null : result.error;
    expect(error).toBeInstanceOf(OutboxError);
    expect(error).toMatchObject({ reason: 'gave_up', attempts: 3, chatId: 1 });
    expect((error as Error).message).toContain('read ECONNRESET');
    expect(h.fake.calls('sendMessage')).toHaveLength(3);
  });

  it('keeps retrying an approval card past maxAttempts, at most maxMs apart, until it is delivered', async () => {
    h = harness({ limits: { backoff: { baseMs: 500, maxMs: 5000, maxAttempts: 2 } }, random: () => 0.999 });
    h.fake.setFault(failFirst('sendMessage', 8, () => networkError('sendMessage')));
    const card = await h.clock.settle(h.outbox.sendMessage(1, 'Allow?', {}, { priority: 'approval' }));
    const times = h.fake.calls('sendMessage').map((c) => c.at);
    expect(times).toHaveLength(9);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5000);
    // Capped: 5000 × (0.5 + 0.999 / 2), rounded.
    expect(gaps.slice(-3)).toEqual([4998, 4998, 4998]);
    expect(h.fake.text(1, card.messageId)).toBe('Allow?');
  });

  it.each([
    ['sendMessage', 400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0'],
    ['sendMessage', 403, 'Forbidden: bot was blocked by the user'],
  ])('rejects %s answered %i at once, without retrying, and goes on with the chat', async (method, code, description) => {
    h = harness();
    h.fake.setFault(failFirst(method, 1, () => apiError(method, code, description)));
    const failed = capture(h.outbox.sendMessage(1, '<x>', { parse_mode: 'HTML' }, { priority: 'approval' }));
    const next = h.outbox.sendMessage(1, 'plain text');
    const [result] = await h.clock.settle(Promise.all([failed, next]));
    expect(result.ok ? null : result.error).toMatchObject({ name: 'OutboxError', reason: 'rejected', errorCode: code, description, attempts: 1 });
    expect(h.fake.calls('sendMessage').map((c) => c.outcome)).toEqual([code, 'ok']);
    expect(h.outbox.stats()).toMatchObject({ failed: 1, retries: 0 });
  });

  it('rejects an edit of a message Telegram does not know', async () => {
    h = harness();
    const result = await h.clock.settle(capture(h.outbox.editMessageText({ chatId: 1, messageId: 424242 }, 'x', {}, { final: true })));
    expect(result.ok ? null : result.error).toMatchObject({
      reason: 'rejected',
      errorCode: 400,
      description: 'Bad Request: message to edit not found',
    });
    expect(h.fake.calls('editMessageText')).toHaveLength(1);
  });

  it('replaces an edit that hit a 429 with the newer edit that arrived meanwhile', async () => {
    h = harness({ latencyMs: 200 });
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0', {}, { ref: 's' }));
    h.fake.setFault(failFirst('editMessageText', 1, () => apiError('editMessageText', 429, 'Too Many Requests: retry after 4', 4)));
    const first = h.outbox.editMessageText({ ref: 's' }, 'v1');
    await h.clock.advance(900);
    const second = h.outbox.editMessageText({ ref: 's' }, 'v2');
    expect(await h.clock.settle(Promise.all([first, second]))).toEqual(['superseded', 'edited']);
    expect(h.fake.calls('editMessageText').map((c) => [c.at, c.params['text'], c.outcome])).toEqual([
      [1000, 'v1', 429],
      [5200, 'v2', 'ok'],
    ]);
    expect(h.fake.history(1, messageId)).toEqual(['v0', 'v2']);
  });

  it('aborts a call that gets no answer within callTimeoutMs and sends it again', async () => {
    h = harness({ limits: { callTimeoutMs: 10_000 } });
    let hung = 0;
    h.fake.setHang((method) => method === 'sendMessage' && (hung += 1) === 1);
    const card = await h.clock.settle(h.outbox.sendMessage(1, 'Allow?', {}, { priority: 'approval' }));
    // Aborted at 10 000, retried after 0.75 × 500 ms of backoff.
    expect(h.fake.calls('sendMessage').map((c) => [c.at, c.outcome])).toEqual([
      [0, 'hung'],
      [10_375, 'ok'],
    ]);
    expect(h.fake.text(1, card.messageId)).toBe('Allow?');
    expect(h.logs.find((l) => l.msg === 'telegram call failed; retrying')?.obj['description']).toContain('no answer from Telegram within 10000 ms');
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
