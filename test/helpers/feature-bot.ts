/**
 * One bridge feature (or several) on a real grammY bot, the real state, outbox and writer, and
 * the fake Bot API, with a stand-in for the core's reads and writes. Updates the fake queued are
 * fed to the bot one at a time, as the polling loop does.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, Bot, type Composer, type Context } from 'grammy';
import type { User } from 'grammy/types';
import type { Core } from '../../src-main/core/create-core.ts';
import { silentLogger } from '../../src-main/core/log.ts';
import { openStore, type Store } from '../../src-main/core/store/index.ts';
import { createApprovalCards } from '../../src-main/surfaces/telegram/approval-cards.ts';
import { createCallbackCodec, type CallbackCodec } from '../../src-main/surfaces/telegram/callback-codec.ts';
import type { FeatureDeps } from '../../src-main/surfaces/telegram/features/deps.ts';
import { createRedactor } from '../../src-main/surfaces/telegram/format/index.ts';
import { createPasscodeGate } from '../../src-main/surfaces/telegram/features/passcode.ts';
import { createOutbox, type Outbox } from '../../src-main/surfaces/telegram/outbox/index.ts';
import { createPasscodePrompts } from '../../src-main/surfaces/telegram/passcode-prompts.ts';
import { createQueueNotices } from '../../src-main/surfaces/telegram/queue-notices.ts';
import { createRefusalAudit } from '../../src-main/surfaces/telegram/refusals.ts';
import { createRouting } from '../../src-main/surfaces/telegram/routing.ts';
import { createSessionCache } from '../../src-main/surfaces/telegram/session-cache.ts';
import { createTelegramState } from '../../src-main/surfaces/telegram/state.ts';
import { createTasks } from '../../src-main/surfaces/telegram/tasks.ts';
import { resolveTuning } from '../../src-main/surfaces/telegram/tuning.ts';
import { createWriter } from '../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api/index.ts';
import { tempDir } from './temp-dir.ts';

/** A running feature bot; `close()` it in afterEach. */
export interface FeatureBot {
  readonly fake: FakeBotApi;
  readonly user: User;
  readonly deps: FeatureDeps;
  readonly codec: CallbackCodec;
  readonly dataDir: string;
  /** Hands every update the fake queued to the bot, in order; resolves once all were handled (or failed). */
  feed(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `features` for `core` (only what the features touch needs to be real). */
export async function startFeatureBot(
  core: Partial<Core>,
  features: (deps: FeatureDeps, codec: CallbackCodec) => Array<Composer<Context>>,
  extra: Partial<Pick<FeatureDeps, 'download'>> = {},
): Promise<FeatureBot> {
  const fake = await startFakeBotApi({ limits: { privatePerSecond: 100, privateBurst: 50, groupPerMinute: 1000, globalPerSecond: 1000 } });
  const dir = tempDir('reins-tg-feature-');
  const store: Store = openStore(join(dir.path, 'reins.db'));
  const user = fake.addUser({ first_name: 'Olivia' });
  fake.userSends(user, user.id, 'hi');
  const clock = { now: () => Date.now() };
  const log = silentLogger;
  const state = createTelegramState({ kv: store.kv, clock, log });
  const raw = new Api(fake.token, { apiRoot: fake.url }).raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
  const outbox: Outbox = createOutbox({
    call: (m, p, s) => raw[m]!(p, s),
    clock,
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
    logger: log,
    limits: {
      private: [{ limit: 50, windowMs: 1000 }],
      group: [{ limit: 50, windowMs: 1000 }],
      editIntervalMs: 0,
      stopGraceMs: 100,
      backoff: { baseMs: 10, maxMs: 20, maxAttempts: 3 },
    },
  });
  const codec = createCallbackCodec(Buffer.alloc(32, 5));
  const redactor = () => createRedactor({});
  const writer = createWriter({ outbox, codec, redactor });
  const tasks = createTasks(log);
  const fullCore = core as Core;
  const sessions = createSessionCache(fullCore);
  const tuning = resolveTuning({});
  const routing = createRouting({ state, writer, sessions, forumChatId: null, ownerId: () => user.id, redactor, log });
  const common = { state, writer, routing, sessions, redactor, clock, tasks, log };
  const stopping = new AbortController();
  const deps: FeatureDeps = {
    ...common,
    core: fullCore,
    cards: createApprovalCards({ ...common, core: fullCore }),
    notices: createQueueNotices({ ...common, core: fullCore, tuning }),
    refusals: createRefusalAudit({ append: () => undefined, clock, timers: { setTimeout, clearTimeout } as never, intervalMs: 50 }),
    tuning,
    passcode: createPasscodeGate({
      core: fullCore,
      writer,
      prompts: createPasscodePrompts(store.kv, clock.now),
      clock,
      timers: { setTimeout, clearTimeout } as never,
      tasks,
      log,
      ttlMs: tuning.passcodePromptTtlMs,
    }),
    stopping: stopping.signal,
    owner: () => user.id,
    paired: () => undefined,
    download: extra.download ?? (() => Promise.reject(new Error('no download in this test'))),
  };
  const bot = new Bot(fake.token, { client: { apiRoot: fake.url }, botInfo: fake.botInfo });
  for (const f of features(deps, codec)) bot.use(f);
  let offset = 0;
  return {
    fake,
    user,
    deps,
    codec,
    dataDir: dir.path,
    async feed() {
      for (const u of await bot.api.getUpdates({ offset, timeout: 0 })) {
        // A failing update counts as handled, as in the polling loop.
        await bot.handleUpdate(u).catch(() => undefined);
        offset = u.update_id + 1;
      }
    },
    async close() {
      stopping.abort();
      await outbox.stop();
      await tasks.drain();
      store.close();
      await fake.close();
      dir.remove();
    },
  };
}
