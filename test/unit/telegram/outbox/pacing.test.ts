import { afterEach, describe, expect, it } from 'vitest';
import { capture, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

/** Most calls of `times` that fall in any window of `windowMs` (a window is (t - windowMs, t]). */
function densest(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((t) => times.filter((s) => s > t - windowMs && s <= t).length));
}

describe('outbox pacing', () => {
  it('sends to a private chat one per second, in order', async () => {
    h = harness();
    const texts = ['a', 'b', 'c', 'd', 'e'];
    const done = Promise.all(texts.map((t) => h.outbox.sendMessage(1, t)));
    const sent = await h.clock.settle(done);
    const calls = h.fake.calls('sendMessage', 1);
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(calls.map((c) => c.params['text'])).toEqual(texts);
    expect(new Set(sent.map((s) => s.messageId)).size).toBe(5);
    expect(h.fake.tooManyRequests()).toBe(0);
  });

  it('spreads a group chat to one call per 3 s and never more than 20 a minute', async () => {
    h = harness();
    const done = Promise.all(Array.from({ length: 25 }, (_, i) => h.outbox.sendMessage(-1001, `m${i}`)));
    await h.clock.settle(done);
    const times = h.fake.calls('sendMessage', -1001).map((c) => c.at);
    expect(times).toEqual(Array.from({ length: 25 }, (_, i) => i * 3000));
    expect(densest(times, 60_000)).toBe(20);
    expect(h.fake.tooManyRequests()).toBe(0);
  });

  it('uses the chat type the caller gives over the one the id suggests', async () => {
    h = harness();
    const done = Promise.all([1, 2, 3].map((i) => h.outbox.sendMessage(7, `m${i}`, {}, { chatType: 'group' })));
    await h.clock.settle(done);
    expect(h.fake.calls('sendMessage', 7).map((c) => c.at)).toEqual([0, 3000, 6000]);
  });

  it('keeps the whole bot at 30 calls per second across 40 chats', async () => {
    h = harness();
    const done = Promise.all(Array.from({ length: 40 }, (_, i) => h.outbox.sendMessage(i + 1, 'hello')));
    await h.clock.settle(done);
    const times = h.fake.calls('sendMessage').map((c) => c.at);
    expect(times.filter((t) => t === 0)).toHaveLength(30);
    expect(times.filter((t) => t === 1000)).toHaveLength(10);
    expect(densest(times, 1000)).toBe(30);
    expect(h.fake.tooManyRequests()).toBe(0);
  });

  it('answers a callback query at once, whatever the chat is waiting for', async () => {
    h = harness();
    const sends = Promise.all(['a', 'b', 'c'].map((t) => h.outbox.sendMessage(1, t)));
    await h.clock.advance(200);
    const answered = h.outbox.answerCallback('cbq-1', 'Approved');
    await h.clock.settle(answered);
    const [answer] = h.fake.calls('answerCallbackQuery');
    expect(answer?.at).toBe(200);
    expect(answer?.params).toEqual({ callback_query_id: 'cbq-1', text: 'Approved' });
    await h.clock.settle(sends);
    expect(h.fake.calls('sendMessage', 1).map((c) => c.at)).toEqual([0, 1000, 2000]);
  });

  it('puts a callback answer first in line when the global limit is the bottleneck', async () => {
    h = harness();
    const sends = Promise.all(Array.from({ length: 35 }, (_, i) => h.outbox.sendMessage(i + 1, 'status')));
    await h.clock.advance(10);
    const answered = h.outbox.answerCallback('cbq-2');
    await h.clock.settle(Promise.all([sends, answered]));
    const atSecond = h.fake.received.filter((c) => c.at === 1000);
    expect(atSecond[0]?.method).toBe('answerCallbackQuery');
    expect(atSecond).toHaveLength(6);
    expect(h.fake.tooManyRequests()).toBe(0);
    expect(h.outbox.stats().callsByMethod).toEqual({ sendMessage: 35, answerCallbackQuery: 1 });
  });

  it('sends an approval card at the next slot of a chat flooded with status edits', async () => {
    h = harness({ latencyMs: 40 });
    const chat = 5;
    await h.clock.settle(Promise.all([0, 1, 2, 3].map((i) => h.outbox.sendMessage(chat, `status ${i}`, {}, { ref: `s${i}` }))));
    let n = 0;
    const pending: Array<Promise<unknown>> = [];
    const flood = async (until: number): Promise<void> => {
      while (h.clock.now() < until) {
        n += 1;
        for (let i = 0; i < 4; i += 1) {
          pending.push(capture(h.outbox.editMessageText({ ref: `s${i}` }, `status ${i} #${n}`, {}, { priority: 'status' })));
        }
        await h.clock.advance(100);
      }
    };
    await flood(10_150);
    const queuedAt = h.clock.now();
    const card = h.outbox.sendMessage(chat, 'Allow Bash(rm -rf build)?', {}, { priority: 'approval' });
    const floodMore = flood(20_000);
    const { messageId } = await h.clock.settle(card);
    await floodMore;

    const chatCalls = h.fake.received.filter((c) => c.chat === String(chat));
    const index = chatCalls.findIndex((c) => c.method === 'sendMessage' && c.params['text'] === 'Allow Bash(rm -rf build)?');
    const approval = chatCalls[index];
    const before = chatCalls[index - 1];
    expect(approval).toBeDefined();
    expect(before).toBeDefined();
    // The next slot: one second after the chat's previous call, or at once if that was long ago.
    expect(approval?.at).toBe(Math.max(queuedAt, (before?.at ?? 0) + 1000));
    expect((approval?.at ?? Infinity) - queuedAt).toBeLessThanOrEqual(1000);
    expect(messageId).toBeGreaterThan(0);
    expect(h.outbox.stats().editsCoalesced).toBeGreaterThan(100);
    expect(h.fake.tooManyRequests()).toBe(0);
  });

  it('lets approval cards past maxInFlight while slow calls fill it', async () => {
    h = harness({ latencyMs: 5000, limits: { maxInFlight: 2 } });
    const slow = Promise.all([1, 2, 3].map((chat) => h.outbox.sendMessage(chat, 'status')));
    await h.clock.advance(1);
    expect(h.outbox.stats()).toMatchObject({ inFlight: 2, queueDepth: 1 });
    const card = h.outbox.sendMessage(4, 'Allow?', {}, { priority: 'approval' });
    await h.clock.settle(Promise.all([slow, card]));
    expect(h.fake.received.map((c) => [c.chat, c.at])).toEqual([
      ['1', 0],
      ['2', 0],
      ['4', 1],
      ['3', 5000],
    ]);
  });

  it('paces and orders calls that carry chat_id and message_id only in their params', async () => {
    h = harness();
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0'));
    const typing = [1, 2].map(() => h.outbox.call('sendChatAction', { chat_id: 1, action: 'typing' }));
    const raw = h.outbox.call('editMessageText', { chat_id: 1, message_id: messageId, text: 'v1' });
    const helper = h.outbox.editMessageText({ chatId: 1, messageId }, 'v2');
    const [, , rawReply, outcome] = await h.clock.settle(Promise.all([...typing, raw, helper]));
    expect(h.fake.received.map((c) => [c.method, c.at])).toEqual([
      ['sendMessage', 0],
      ['sendChatAction', 1000],
      ['sendChatAction', 2000],
      ['editMessageText', 3000],
    ]);
    expect([rawReply, outcome]).toEqual([{ status: 'superseded' }, 'edited']);
    expect(h.fake.text(1, messageId)).toBe('v2');
  });
});
