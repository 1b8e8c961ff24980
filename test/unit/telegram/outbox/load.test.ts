import { afterEach, describe, expect, it } from 'vitest';
import type { EditOutcome } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import type { ReceivedCall } from './fake-telegram.ts';
import { capture, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

/** A small deterministic generator (mulberry32) so the load pattern is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Most calls of `calls` in any window (t - windowMs, t]. */
function densest(calls: readonly ReceivedCall[], windowMs: number): number {
  const times = calls.map((c) => c.at);
  return Math.max(0, ...times.map((t) => times.filter((s) => s > t - windowMs && s <= t).length));
}

interface Scenario {
  /** The chat each session's status message lives in. */
  readonly chatOf: (session: number) => number;
  readonly sessions: number;
  readonly durationMs: number;
  readonly approvalEveryMs: number;
}

/**
 * Every session edits its status message every 100 ms, approval cards arrive at random
 * sessions, and each status message gets a final edit at the end.
 */
async function runScenario(s: Scenario) {
  const random = seeded(7);
  const ids = await h.clock.settle(
    Promise.all(Array.from({ length: s.sessions }, (_, i) => h.outbox.sendMessage(s.chatOf(i), `s${i} #0`, {}, { ref: `s${i}` }))),
  );
  const edits: Array<Promise<{ ok: true; value: EditOutcome } | { ok: false; error: unknown }>> = [];
  const approvals: Array<{ chat: number; text: string; queuedAt: number; sent: Promise<unknown> }> = [];
  const start = h.clock.now();
  let n = 0;
  let nextApproval = start + s.approvalEveryMs;
  while (h.clock.now() - start < s.durationMs) {
    n += 1;
    for (let i = 0; i < s.sessions; i += 1) {
      edits.push(capture(h.outbox.editMessageText({ ref: `s${i}` }, `s${i} #${n}`, {}, { priority: 'status' })));
    }
    if (h.clock.now() >= nextApproval) {
      const session = Math.floor(random() * s.sessions);
      const text = `approve ${approvals.length} for s${session}?`;
      const chat = s.chatOf(session);
      approvals.push({ chat, text, queuedAt: h.clock.now(), sent: h.outbox.sendMessage(chat, text, {}, { priority: 'approval' }) });
      nextApproval += s.approvalEveryMs;
    }
    await h.clock.advance(100);
  }
  const finals = Array.from({ length: s.sessions }, (_, i) =>
    h.outbox.editMessageText({ ref: `s${i}` }, `s${i} done after #${n}`, {}, { final: true, priority: 'status' }),
  );
  await h.clock.settle(Promise.all([...finals, ...approvals.map((a) => a.sent)]));
  await h.clock.settle(h.outbox.drain());
  return { ids, edits: await Promise.all(edits), approvals, finals: await Promise.all(finals), n };
}

function checkInvariants(run: Awaited<ReturnType<typeof runScenario>>, s: Scenario, chatWindowMs: number, chatLimit: number) {
  expect(h.fake.tooManyRequests()).toBe(0);
  expect(densest(h.fake.received, 1000)).toBeLessThanOrEqual(30);
  for (const chat of new Set(Array.from({ length: s.sessions }, (_, i) => s.chatOf(i)))) {
    expect(
      densest(
        h.fake.received.filter((c) => c.chat === String(chat)),
        chatWindowMs,
      ),
    ).toBeLessThanOrEqual(chatLimit);
  }
  expect(run.finals).toEqual(Array(s.sessions).fill('edited'));
  expect(run.edits.every((e) => e.ok)).toBe(true);
  for (let i = 0; i < s.sessions; i += 1) {
    const messageId = run.ids[i]?.messageId ?? 0;
    const chat = s.chatOf(i);
    expect(h.fake.text(chat, messageId)).toBe(`s${i} done after #${run.n}`);
    // No reorder: the edit counters a message showed only ever went up.
    const counters = h.fake
      .history(chat, messageId)
      .slice(0, -1)
      .map((t) => Number(t.split('#')[1]));
    expect(counters).toEqual([...counters].sort((a, b) => a - b));
    expect(new Set(counters).size).toBe(counters.length);
    // At most one edit per message per 2 s, the final one excepted.
    const times = h.fake
      .calls('editMessageText', chat)
      .filter((c) => c.params['message_id'] === messageId && !String(c.params['text']).includes('done'))
      .map((c) => c.at);
    for (let k = 1; k < times.length; k += 1) expect((times[k] ?? 0) - (times[k - 1] ?? 0)).toBeGreaterThanOrEqual(2000);
  }
}

/** How long after being queued each approval card reached Telegram. */
function approvalDelays(run: Awaited<ReturnType<typeof runScenario>>): number[] {
  return run.approvals.map((a) => {
    const call = h.fake.received.find((c) => c.method === 'sendMessage' && c.params['text'] === a.text);
    return (call?.at ?? Infinity) - a.queuedAt;
  });
}

describe('outbox under load', () => {
  it('20 private chats × an edit every 100 ms: no limit passed, every final text shown, approvals at the next slot', async () => {
    h = harness({ latencyMs: 60 });
    const scenario: Scenario = { chatOf: (i) => 1000 + i, sessions: 20, durationMs: 60_000, approvalEveryMs: 1700 };
    const run = await runScenario(scenario);
    checkInvariants(run, scenario, 1000, 1);
    const delays = approvalDelays(run);
    expect(delays).toHaveLength(35);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    const stats = h.outbox.stats();
    expect(stats.editsCoalesced).toBeGreaterThan(run.n * 20 * 0.9);
    expect(stats).toMatchObject({ rateLimited: 0, failed: 0, queueDepth: 0, inFlight: 0 });
  });

  it('20 sessions in one forum supergroup: 20 calls a minute at most, approvals still first', async () => {
    h = harness({ latencyMs: 60 });
    const scenario: Scenario = { chatOf: () => -1001234567890, sessions: 20, durationMs: 120_000, approvalEveryMs: 10_000 };
    const run = await runScenario(scenario);
    checkInvariants(run, scenario, 60_000, 20);
    const delays = approvalDelays(run);
    expect(delays).toHaveLength(11);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3000);
    expect(h.outbox.stats()).toMatchObject({ rateLimited: 0, failed: 0, queueDepth: 0 });
  });
});
