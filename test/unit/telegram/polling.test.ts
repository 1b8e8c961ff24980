import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/log.ts';
import { grammySignal } from '../../../src-main/surfaces/telegram/grammy-signal.ts';
import { startPolling, type PollerDeps } from '../../../src-main/surfaces/telegram/polling.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/bot-api/index.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let fake: FakeBotApi | undefined;
const pollers: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const p of pollers.splice(0)) await p.stop();
  await fake?.close();
  fake = undefined;
});

/** A poller on the fake whose offset lives in `saved` (as the kv store would hold it). */
function poller(f: FakeBotApi, saved: { offset: number | null }, handle: (u: Update) => Promise<void>, extra: Partial<PollerDeps> = {}) {
  const api = new Api(f.token, { apiRoot: f.url });
  const p = startPolling({
    getUpdates: (params, signal) => api.getUpdates(params as Parameters<typeof api.getUpdates>[0], grammySignal(signal)),
    handle,
    offset: () => saved.offset,
    setOffset: (o) => {
      saved.offset = o;
    },
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    timeoutS: 1,
    backoffMs: 20,
    backoffMaxMs: 100,
    onFatal: () => undefined,
    log: silentLogger,
    ...extra,
  });
  pollers.push(p);
  return p;
}

describe('the long-poll loop', () => {
  it('handles updates in order and persists the offset after each', async () => {
    fake = await startFakeBotApi();
    const user = fake.addUser({ first_name: 'Ada' });
    for (const t of ['one', 'two', 'three']) fake.userSends(user, user.id, t);
    const saved = { offset: null as number | null };
    const seen: string[] = [];
    poller(fake, saved, async (u) => {
      seen.push(u.message?.text ?? '');
    });
    await waitFor(() => seen.length === 3, 'three updates');
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(saved.offset).toBe(500_000_004);
    expect(fake.calls('getUpdates')[0]?.params).toMatchObject({ allowed_updates: ['message', 'callback_query', 'my_chat_member'] });
  });

  it('after a restart, updates Telegram delivers again are not handled twice, and none is dropped', async () => {
    fake = await startFakeBotApi();
    const user = fake.addUser({ first_name: 'Ada' });
    const saved = { offset: null as number | null };
    const handled: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = poller(fake, saved, async (u) => {
      handled.push(u.update_id);
      if (handled.length === 2) await gate;
    });
    for (const t of ['a', 'b', 'c']) fake.userSends(user, user.id, t);
    await waitFor(() => handled.length === 2, 'two updates started');
    // Stop while the second update is being handled: it finishes, the third is left for later.
    const stopping = first.stop();
    release();
    await stopping;
    expect(saved.offset).toBe(500_000_003);
    // Telegram still holds all three: only a later getUpdates with the offset confirms them.
    expect(fake.pendingUpdates()).toHaveLength(3);
    const again: number[] = [];
    poller(fake, saved, async (u) => {
      again.push(u.update_id);
    });
    // Updates are handled in order: once one sent after the restart is handled, any redelivered
    // update handled again would already be in the list before it.
    fake.userSends(user, user.id, 'd');
    await waitFor(() => again.includes(500_000_004), 'the update sent after the restart');
    expect(again).toEqual([500_000_003, 500_000_004]);
    expect(handled).toEqual([500_000_001, 500_000_002]);
  });

  it('a failing update counts as handled and does not block the next', async () => {
    fake = await startFakeBotApi();
    const user = fake.addUser({ first_name: 'Ada' });
    fake.userSends(user, user.id, 'poison');
    fake.userSends(user, user.id, 'fine');
    const saved = { offset: null as number | null };
    const ok: string[] = [];
    poller(fake, saved, async (u) => {
      if (u.message?.text === 'poison') throw new Error('boom');
      ok.push(u.message?.text ?? '');
    });
    await waitFor(() => ok.length === 1, 'the second update');
    expect(saved.offset).toBe(500_000_003);
  });

  it('retries with backoff after 409 and network errors', async () => {
    fake = await startFakeBotApi();
    const user = fake.addUser({ first_name: 'Ada' });
    fake.failNext('getUpdates', { error_code: 409, description: 'Conflict: terminated by other getUpdates request' }, 2);
    fake.dropNext('getUpdates');
    fake.userSends(user, user.id, 'hello');
    const got: string[] = [];
    poller(fake, { offset: null }, async (u) => {
      got.push(u.message?.text ?? '');
    });
    await waitFor(() => got.length === 1, 'the update after the faults');
    expect(
      fake
        .calls('getUpdates')
        .slice(0, 3)
        .map((c) => c.outcome),
    ).toEqual(['error', 'error', 'dropped']);
  });

  it('stops for good when Telegram refuses the token', async () => {
    fake = await startFakeBotApi();
    fake.failNext('getUpdates', { error_code: 401, description: 'Unauthorized' });
    const fatal: string[] = [];
    const p = poller(fake, { offset: null }, async () => undefined, { onFatal: (m) => fatal.push(m) });
    await p.done;
    expect(fatal).toEqual([expect.stringContaining('reins telegram setup')]);
    expect(fake.calls('getUpdates')).toHaveLength(1);
  });

  it('stop() ends a held long poll at once', async () => {
    fake = await startFakeBotApi();
    const p = poller(fake, { offset: null }, async () => undefined, { timeoutS: 30 });
    await waitFor(() => fake!.calls('getUpdates').some((c) => c.outcome === 'pending'), 'a held poll');
    const t0 = Date.now();
    await p.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
