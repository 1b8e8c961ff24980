import { afterEach, describe, expect, it } from 'vitest';
import { OutboxError } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import { apiError } from './fake-telegram.ts';
import { capture, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

describe('outbox drain and stop', () => {
  it('drain() resolves once everything queued has been delivered', async () => {
    h = harness({ latencyMs: 50 });
    const sends = ['a', 'b', 'c'].map((t) => h.outbox.sendMessage(-100, t));
    await h.clock.settle(h.outbox.drain());
    expect(h.clock.now()).toBe(6050);
    expect(h.fake.calls('sendMessage')).toHaveLength(3);
    expect(h.outbox.stats()).toMatchObject({ queueDepth: 0, inFlight: 0 });
    await Promise.all(sends);
    await expect(h.outbox.drain()).resolves.toBeUndefined();
  });

  it('stop() rejects queued operations, waits for the calls in flight, and leaves nothing pending', async () => {
    h = harness({ latencyMs: 500 });
    const first = h.outbox.sendMessage(1, 'a');
    const commands = h.outbox.call('setMyCommands', { commands: [] });
    await h.clock.advance(100);
    const queued = ['b', 'c'].map((t) => capture(h.outbox.sendMessage(1, t, {}, { priority: 'approval' })));
    expect(h.outbox.stats()).toMatchObject({ inFlight: 2, queueDepth: 2 });

    let stopped = false;
    const stopping = h.outbox.stop();
    void stopping.then(() => {
      stopped = true;
    });
    for (const result of await Promise.all(queued)) {
      expect(result.ok ? null : result.error).toBeInstanceOf(OutboxError);
      expect(result.ok ? null : result.error).toMatchObject({ reason: 'stopped', method: 'sendMessage', chatId: 1 });
    }
    await h.clock.advance(300);
    expect(stopped).toBe(false);
    await h.clock.settle(stopping);
    expect(h.clock.now()).toBe(500);
    expect((await first).messageId).toBeGreaterThan(0);
    expect(await commands).toEqual({ status: 'ok', result: true });

    expect(h.outbox.stats()).toMatchObject({ queueDepth: 0, inFlight: 0, failed: 2 });
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.fake.received.map((c) => c.method)).toEqual(['sendMessage', 'setMyCommands']);
    const late = await capture(h.outbox.sendMessage(1, 'late'));
    expect(late.ok ? null : late.error).toMatchObject({ reason: 'stopped' });
    expect(h.outbox.stop()).toBe(stopping);
  });

  it('gives queued final edits stopGraceMs to go out and rejects what is still blocked then', async () => {
    h = harness({ limits: { stopGraceMs: 2000 } });
    const [a, b, c] = await h.clock.settle(Promise.all([1, 2, 3].map((chat) => h.outbox.sendMessage(chat, 'running', {}, { ref: `run-${chat}` }))));
    h.fake.setFault((method, params) =>
      method === 'editMessageText' && params['chat_id'] === 2 ? apiError(method, 429, 'Too Many Requests: retry after 30', 30) : undefined,
    );
    const blocked = capture(h.outbox.editMessageText({ ref: 'run-2' }, 'stopped', {}, { final: true }));
    await h.clock.advance(1010);
    expect(h.fake.calls('editMessageText', 2).map((call) => call.outcome)).toEqual([429]);

    const delivered = h.outbox.editMessageText({ ref: 'run-1' }, 'stopped', {}, { final: true });
    const nonFinal = capture(h.outbox.editMessageText({ ref: 'run-3' }, 'still running'));
    const status = capture(h.outbox.sendMessage(1, 'not final'));
    const stopAt = h.clock.now();
    const stopping = h.outbox.stop();

    for (const result of await Promise.all([nonFinal, status])) {
      expect(result.ok ? null : result.error).toMatchObject({ reason: 'stopped' });
    }
    expect(await h.clock.settle(delivered)).toBe('edited');
    expect(h.fake.text(1, a?.messageId ?? 0)).toBe('stopped');
    await h.clock.settle(stopping);
    const blockedResult = await blocked;
    expect(blockedResult.ok ? null : blockedResult.error).toMatchObject({ reason: 'stopped', method: 'editMessageText', chatId: 2 });
    expect(h.clock.now()).toBe(stopAt + 2000);
    expect(h.fake.text(2, b?.messageId ?? 0)).toBe('running');
    expect(h.fake.text(3, c?.messageId ?? 0)).toBe('running');
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.outbox.stats()).toMatchObject({ queueDepth: 0, inFlight: 0 });
  });

  it('aborts calls still in flight when the grace period ends', async () => {
    h = harness({ limits: { stopGraceMs: 2000 } });
    h.fake.setHang((method) => method === 'sendMessage');
    const card = capture(h.outbox.sendMessage(1, 'Allow?', {}, { priority: 'approval' }));
    await h.clock.advance(500);
    expect(h.outbox.stats().inFlight).toBe(1);
    await h.clock.settle(h.outbox.stop());
    expect(h.clock.now()).toBe(2500);
    const result = await card;
    expect(result.ok ? null : result.error).toMatchObject({ name: 'OutboxError', reason: 'stopped', method: 'sendMessage' });
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.outbox.stats()).toMatchObject({ inFlight: 0, queueDepth: 0 });
  });
});
