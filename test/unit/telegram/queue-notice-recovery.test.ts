/**
 * Queued follow-up notices across a restart of the bridge, on the real state, outbox and writer
 * against the fake Bot API: a follow-up sent or cancelled while the bridge was down gets its
 * notice repainted at the next start, and finished notices leave no record behind.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import type { User } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import type { Followup, Session, SessionEvent } from '../../../src-main/contract/index.ts';
import type { Core } from '../../../src-main/core/create-core.ts';
import { silentLogger } from '../../../src-main/core/log.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { createOutbox, type Outbox } from '../../../src-main/surfaces/telegram/outbox/index.ts';
import { createQueueNotices } from '../../../src-main/surfaces/telegram/queue-notices.ts';
import { createSessionCache } from '../../../src-main/surfaces/telegram/session-cache.ts';
import { createTelegramState } from '../../../src-main/surfaces/telegram/state.ts';
import { createTasks } from '../../../src-main/surfaces/telegram/tasks.ts';
import { resolveTuning } from '../../../src-main/surfaces/telegram/tuning.ts';
import { createWriter } from '../../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/bot-api/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const clock = { now: () => Date.now() };
const codec = createCallbackCodec(Buffer.alloc(32, 4));

let fake: FakeBotApi | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
const stores: Store[] = [];
const outboxes: Outbox[] = [];
afterEach(async () => {
  for (const o of outboxes.splice(0)) await o.stop();
  for (const s of stores.splice(0)) s.close();
  await fake?.close();
  dir?.remove();
  fake = undefined;
  dir = undefined;
});

const session: Session = {
  id: 'sess-0001',
  agent: 'claude',
  projectId: 'p1',
  cwd: '/tmp/project',
  mode: 'ask',
  state: 'running',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 'demo',
  name: 'demo',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
};

const followup = (id: string, text: string): Followup => ({
  id,
  sessionId: session.id,
  text,
  delivery: 'queue',
  state: 'queued',
  source: 'telegram',
  createdAt: 0,
  sentAt: null,
});

/** One run of the notices on the shared data dir, reading follow-ups from `core.followups`. */
function bridge(_user: User, core: { followups: Followup[] }) {
  const store = openStore(join(dir!.path, 'reins.db'));
  stores.push(store);
  const state = createTelegramState({ kv: store.kv, clock, log: silentLogger });
  const raw = new Api(fake!.token, { apiRoot: fake!.url }).raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
  const outbox = createOutbox({
    call: (m, p, s) => raw[m]!(p, s),
    clock,
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
    logger: silentLogger,
    limits: { private: [{ limit: 50, windowMs: 1000 }], editIntervalMs: 0, stopGraceMs: 100, backoff: { baseMs: 10, maxMs: 20, maxAttempts: 3 } },
  });
  outboxes.push(outbox);
  const writer = createWriter({ outbox, codec, redactor: () => createRedactor({}) });
  const tasks = createTasks(silentLogger);
  const sessionsCore = { sessions: { get: () => ({ session, pendingApprovals: [], followups: core.followups }) } } as unknown as Pick<Core, 'sessions'>;
  const sessions = createSessionCache(sessionsCore);
  const notices = createQueueNotices({ state, writer, sessions, core: sessionsCore, clock, tuning: resolveTuning({}), tasks, log: silentLogger });
  const stop = async (): Promise<void> => {
    await outbox.stop();
    await tasks.drain();
  };
  return { state, notices, stop };
}

async function setup() {
  fake = await startFakeBotApi({ limits: { privatePerSecond: 100, privateBurst: 50, groupPerMinute: 1000, globalPerSecond: 1000 } });
  dir = tempDir('reins-tg-queue-');
  const user = fake.addUser({ first_name: 'Olivia' });
  fake.userSends(user, user.id, 'hi');
  return { f: fake, user };
}

describe('queued follow-up notices across a restart', () => {
  it('repaints notices of follow-ups sent or cancelled while the bridge was down, and keeps the still-queued one', async () => {
    const { f, user } = await setup();
    const core = { followups: [followup('f-sent', 'run the tests'), followup('f-cancel', 'and lint'), followup('f-wait', 'then deploy')] };
    const first = bridge(user, core);
    for (const x of core.followups) first.notices.show({ chatId: user.id }, x);
    await waitFor(
      () => first.state.queue.entries().every(([, r]) => r.messageId !== null) && first.state.queue.entries().length === 3,
      'the notices recorded',
      5000,
    );
    await first.stop();

    // While Reins is down the agent takes one follow-up and the owner cancels another from the CLI.
    core.followups = [{ ...core.followups[0]!, state: 'sent', sentAt: 1 }, { ...core.followups[1]!, state: 'cancelled' }, core.followups[2]!];
    const second = bridge(user, core);
    second.notices.recover();
    const sent = await f.waitFor(
      () => f.messages(user.id).find((m) => m.text.startsWith('📨 Sent to') && m.text.includes('run the tests')),
      5000,
      'the sent notice repainted',
    );
    expect(sent.replyMarkup).toBeUndefined();
    const cancelled = await f.waitFor(
      () => f.messages(user.id).find((m) => m.text.startsWith('✖ Cancelled') && m.text.includes('and lint')),
      5000,
      'the cancelled notice repainted',
    );
    expect(cancelled.replyMarkup).toBeUndefined();
    const waiting = f.messages(user.id).find((m) => m.text.includes('then deploy'));
    expect(waiting?.text).toMatch(/^⏳ Queued/);
    expect(waiting?.replyMarkup).toBeDefined();
    await waitFor(() => second.state.queue.entries().length === 1, 'the finished records dropped', 5000);
    expect(second.state.queue.get('f-wait')).toBeDefined();

    // The last one goes in later: its record goes too.
    const ev: SessionEvent = {
      sessionId: session.id,
      seq: 9,
      ts: Date.now(),
      kind: 'followup',
      payload: { followupId: 'f-wait', text: 'then deploy', delivery: 'queue', state: 'sent' },
    };
    second.notices.onEvent(ev);
    await f.waitFor(
      () => f.messages(user.id).find((m) => m.text.startsWith('📨 Sent to') && m.text.includes('then deploy')),
      5000,
      'the last notice repainted',
    );
    await waitFor(() => second.state.queue.entries().length === 0, 'every record dropped', 5000);
    await second.stop();
  });

  it('drops records of notices whose follow-up the core no longer knows, or whose send never completed', async () => {
    const { user } = await setup();
    const core = { followups: [] as Followup[] };
    const first = bridge(user, core);
    first.state.queue.put('f-gone', { place: { chatId: user.id }, messageId: 12345, sessionId: session.id });
    first.state.queue.put('f-unsent', { place: { chatId: user.id }, messageId: null, sessionId: session.id });
    first.notices.recover();
    expect(first.state.queue.entries()).toEqual([]);
    await first.stop();
  });
});
