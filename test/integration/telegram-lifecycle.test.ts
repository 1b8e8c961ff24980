/**
 * The bridge's lifecycle on a real core: it starts only with someone to serve, and `stop()`
 * ends polling, the outbox, every timer and every sleep it started.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, parseConfig, silentLogger, type Core, type Timers } from '../../src-main/core/index.ts';
import { createFileSecretStore } from '../../src-main/core/secrets/index.ts';
import { BOT_TOKEN_SECRET, createTelegramService } from '../../src-main/surfaces/telegram/index.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { FAST_FAKE_LIMITS, FAST_TUNING } from './telegram-harness.ts';

let fake: FakeBotApi | undefined;
let core: Core | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await core?.stop();
  await fake?.close();
  dir?.remove();
  core = undefined;
  fake = undefined;
  dir = undefined;
});

/** Timers and sleeps that count what is still pending. */
function tracked() {
  const timers = new Set<NodeJS.Timeout>();
  let sleeps = 0;
  const t: Timers = {
    setTimeout(fn, ms) {
      const h = setTimeout(() => {
        timers.delete(h);
        fn();
      }, ms);
      timers.add(h);
      return h;
    },
    clearTimeout(h) {
      clearTimeout(h as NodeJS.Timeout);
      timers.delete(h as NodeJS.Timeout);
    },
  };
  const s = async (ms: number, signal?: AbortSignal): Promise<void> => {
    sleeps++;
    try {
      await sleep(ms, undefined, signal ? { signal } : {});
    } finally {
      sleeps--;
    }
  };
  return { timers: t, sleep: s, pending: () => ({ timers: timers.size, sleeps }) };
}

/**
 * A call of the test's own to the fake Bot API. The fake records calls as they arrive, so any
 * call the bridge had already sent is recorded before this one.
 */
async function botApiBarrier(f: FakeBotApi): Promise<void> {
  await new Api(f.token, { apiRoot: f.url }).getMe();
}

describe('the bridge lifecycle', () => {
  it('stop() ends polling, the outbox, timers and sleeps', async () => {
    fake = await startFakeBotApi({ limits: FAST_FAKE_LIMITS });
    dir = tempDir('reins-tglife-');
    const owner = fake.addUser({ first_name: 'Olivia' });
    core = createCore({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, telegram: { apiRoot: fake.url, ownerId: owner.id } }), env: {} });
    const secrets = createFileSecretStore(join(dir.path, 'secrets'));
    await secrets.set(BOT_TOKEN_SECRET, fake.token);
    const t = tracked();
    const service = createTelegramService({
      core,
      env: {},
      secrets: async () => secrets,
      log: silentLogger,
      timers: t.timers,
      sleep: t.sleep,
      tuning: FAST_TUNING,
    });
    expect((await service.start()).state).toBe('running');
    fake.userSends(owner, owner.id, '/help');
    await fake.waitFor(() => fake!.messages(owner.id).find((m) => m.text.includes('/new — start a session')), 5000, 'the help');
    expect(service.stats()?.outbox.callsByMethod.sendMessage).toBe(1);
    expect(t.pending().timers).toBeGreaterThan(0);

    await service.stop();
    expect(service.status().state).toBe('stopped');
    expect(service.stats()).toBeNull();
    expect(t.pending()).toEqual({ timers: 0, sleeps: 0 });
    // The held long poll was aborted, not left to time out.
    await waitFor(() => fake!.calls('getUpdates').every((c) => c.outcome !== 'pending'), 'no poll held', 2000);
    const calls = fake.calls().length;
    // Nothing is left to call Telegram (no timer, no sleep, no poll); a call of our own reaches the
    // fake after any the bridge had already sent, so it is the only one after the stop.
    await botApiBarrier(fake);
    expect(
      fake
        .calls()
        .slice(calls)
        .map((c) => c.method),
    ).toEqual(['getMe']);
    await service.stop();
  });

  it('a start racing a stop leaves nothing running', async () => {
    fake = await startFakeBotApi();
    dir = tempDir('reins-tglife-');
    core = createCore({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, telegram: { apiRoot: fake.url, ownerId: 5 } }), env: {} });
    const secrets = createFileSecretStore(join(dir.path, 'secrets'));
    await secrets.set(BOT_TOKEN_SECRET, fake.token);
    const t = tracked();
    const service = createTelegramService({
      core,
      env: {},
      secrets: async () => secrets,
      log: silentLogger,
      timers: t.timers,
      sleep: t.sleep,
      tuning: FAST_TUNING,
    });
    const started = service.start();
    await service.stop();
    await started;
    expect(service.status().state).toBe('stopped');
    await waitFor(() => t.pending().sleeps === 0, 'no sleeps');
    expect(t.pending().timers).toBe(0);
    expect(service.stats()).toBeNull();
    await botApiBarrier(fake);
    expect(fake.calls('getUpdates')).toHaveLength(0);
  });
});
