/**
 * Approval cards and live messages on the real outbox, writer and state, against the fake Bot
 * API: repaints cut short by shutdown, cards whose forum topic is missing, plan cards that
 * Telegram refuses.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import type { User } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Session, SessionEvent } from '../../../src-main/contract/index.ts';
import type { Core } from '../../../src-main/core/create-core.ts';
import { silentLogger } from '../../../src-main/core/log.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { createApprovalCards } from '../../../src-main/surfaces/telegram/approval-cards.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { createLiveStatus } from '../../../src-main/surfaces/telegram/live-status.ts';
import { createOutbox, type Outbox } from '../../../src-main/surfaces/telegram/outbox/index.ts';
import { createRouting } from '../../../src-main/surfaces/telegram/routing.ts';
import { createSessionCache } from '../../../src-main/surfaces/telegram/session-cache.ts';
import { createTelegramState, type TelegramState } from '../../../src-main/surfaces/telegram/state.ts';
import { createTasks, type Tasks } from '../../../src-main/surfaces/telegram/tasks.ts';
import { resolveTuning } from '../../../src-main/surfaces/telegram/tuning.ts';
import { createWriter, type Writer } from '../../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/bot-api/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

const clock = { now: () => Date.now() };
const codec = createCallbackCodec(Buffer.alloc(32, 3));
const tuning = resolveTuning({
  liveDebounceMs: 5,
  liveEditIntervalMs: 10,
  liveTickMs: 60_000,
  statusBudget: { private: [{ limit: 50, windowMs: 1000 }], group: [{ limit: 50, windowMs: 1000 }] },
});

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

/** One run of the bridge's plumbing on a shared data dir; `offline` makes every call fail like a dead network. */
function bridge(user: User, core: Pick<Core, 'sessions' | 'approvals'>, forumChatId: number | null = null) {
  const store = openStore(join(dir!.path, 'reins.db'));
  stores.push(store);
  const state: TelegramState = createTelegramState({ kv: store.kv, clock, log: silentLogger });
  const net = { offline: false };
  const raw = new Api(fake!.token, { apiRoot: fake!.url }).raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
  const outbox = createOutbox({
    call: (m, p, s) => (net.offline ? Promise.reject(new Error('socket hang up')) : raw[m]!(p, s)),
    clock,
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
    logger: silentLogger,
    limits: {
      private: [{ limit: 50, windowMs: 1000 }],
      group: [{ limit: 50, windowMs: 1000 }],
      editIntervalMs: 0,
      stopGraceMs: 100,
      backoff: { baseMs: 10, maxMs: 20, maxAttempts: 5 },
    },
  });
  outboxes.push(outbox);
  const redactor = () => createRedactor({});
  const writer: Writer = createWriter({ outbox, codec, redactor });
  const tasks: Tasks = createTasks(silentLogger);
  const sessions = createSessionCache(core);
  const routing = createRouting({ state, writer, sessions, forumChatId, ownerId: () => user.id, redactor, log: silentLogger });
  const common = { state, writer, routing, sessions, redactor, clock, tasks, log: silentLogger };
  const cards = createApprovalCards({ ...common, core });
  const live = createLiveStatus({ ...common, core, timers: { setTimeout, clearTimeout } as never, tuning });
  /** What `RunningBot.stop()` does with these parts. */
  const stop = async (): Promise<void> => {
    live.stop();
    await outbox.stop();
    await tasks.drain();
  };
  return { state, net, outbox, cards, live, stop };
}

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

function approval(status: Approval['status'], extra: Partial<Approval> = {}): Approval {
  return {
    id: 'appr-0001',
    handle: 'AbCdEfGh',
    sessionId: session.id,
    kind: 'tool',
    tool: 'Bash',
    input: { command: 'rm -rf build' },
    action: claudeAction('Bash', { command: 'rm -rf build' }),
    plan: null,
    questions: null,
    risk: { level: 'high', tags: [], reasons: ['deletes files'] },
    status,
    decidedBy: status === 'pending' ? null : 'api',
    surface: status === 'pending' ? null : 'cli',
    reason: status === 'pending' ? null : 'allowed by cli',
    message: null,
    answers: null,
    grantOffer: null,
    createdAt: 0,
    decidedAt: status === 'pending' ? null : 1,
    expiresAt: Date.now() + 300_000,
    ...extra,
  };
}

/** A stand-in for the core's session and approval reads: one session, one approval, a fixed event log. */
function coreOf(current: { approval: Approval; events: SessionEvent[]; session: Session }) {
  return {
    sessions: {
      get: () => ({ session: current.session, pendingApprovals: [], followups: [] }),
      events: (_id: string, after: number) => ({
        events: current.events.filter((e) => e.seq > after),
        nextAfter: current.events.at(-1)?.seq ?? after,
        more: false,
      }),
    },
    approvals: {
      get: () => current.approval,
      list: (status?: string) => (status === undefined || current.approval.status === status ? [current.approval] : []),
    },
  } as unknown as Pick<Core, 'sessions' | 'approvals'>;
}

async function setup() {
  fake = await startFakeBotApi({ limits: { privatePerSecond: 100, privateBurst: 50, groupPerMinute: 1000, globalPerSecond: 1000 } });
  dir = tempDir('reins-tg-recovery-');
  const user = fake.addUser({ first_name: 'Olivia' });
  fake.userSends(user, user.id, 'hi');
  return { f: fake, user };
}

describe('shutdown in the middle of a repaint', () => {
  it('keeps the card record when the outcome edit is cut short, and the next start repaints it', async () => {
    const { f, user } = await setup();
    const current = { approval: approval('pending'), events: [] as SessionEvent[], session };
    const first = bridge(user, coreOf(current));
    first.cards.onApproval(current.approval);
    const card = await f.waitFor(() => f.messages(user.id).find((m) => m.text.startsWith('🔐') && m.replyMarkup !== undefined), 5000, 'the card');
    await waitFor(() => first.state.cards.get(current.approval.id)?.messageId === card.messageId, 'the card recorded', 5000);

    // Decided from the CLI while Telegram is unreachable; then Reins shuts down.
    first.net.offline = true;
    current.approval = approval('allowed');
    first.cards.onApproval(current.approval);
    await first.stop();
    expect(f.messages(user.id).find((m) => m.messageId === card.messageId)?.replyMarkup).toBeDefined();
    expect(first.state.cards.get(current.approval.id)).toEqual({ place: { chatId: user.id }, messageId: card.messageId });

    const second = bridge(user, coreOf(current));
    second.cards.recover();
    const repainted = await f.waitFor(
      () => f.messages(user.id).find((m) => m.messageId === card.messageId && m.text.startsWith('✅ Allowed')),
      5000,
      'the card repainted',
    );
    expect(repainted.replyMarkup).toBeUndefined();
    await second.stop();
    expect(second.state.cards.entries()).toEqual([]);
  });

  it('keeps the live record when the closing edit is cut short, and the next start repaints the message', async () => {
    const { f, user } = await setup();
    const ev = (seq: number, payload: { state: Session['state']; turn?: 'started' | 'ended'; detail?: string }): SessionEvent => ({
      sessionId: session.id,
      seq,
      ts: Date.now(),
      kind: 'status',
      payload,
    });
    const started = ev(1, { state: 'running', turn: 'started' });
    const current = { approval: approval('allowed'), events: [started], session };
    const first = bridge(user, coreOf(current));
    first.live.onEvent(started);
    const msg = await f.waitFor(() => f.messages(user.id).find((m) => m.text.startsWith('⚙️')), 5000, 'the live message');
    await waitFor(() => first.state.live.get(session.id)?.messageId === msg.messageId, 'the live message recorded', 5000);
    expect(msg.replyMarkup).toBeDefined();

    // The session stops while Telegram is unreachable; then Reins shuts down.
    first.net.offline = true;
    const stopped = ev(2, { state: 'stopped', detail: 'stopped by the owner' });
    current.events = [started, stopped];
    current.session = { ...session, state: 'stopped' };
    first.live.onEvent(stopped);
    // Stop once the closing edit has been tried and refused, so the stop cuts its retries short.
    await waitFor(() => first.outbox.stats().retries > 0, 'the closing edit refused by the dead network', 5000);
    await first.stop();
    expect(f.messages(user.id).find((m) => m.messageId === msg.messageId)?.replyMarkup).toBeDefined();
    expect(first.state.live.get(session.id)).toMatchObject({ messageId: msg.messageId, startSeq: 1 });

    const second = bridge(user, coreOf(current));
    second.live.recover();
    const repainted = await f.waitFor(
      () => {
        const m = f.messages(user.id).find((x) => x.messageId === msg.messageId);
        return m && m.replyMarkup === undefined ? m : undefined;
      },
      5000,
      'the live message repainted',
    );
    expect(repainted.text).toContain('stopped');
    await waitFor(() => second.state.live.get(session.id) === undefined, 'the live record closed', 5000);
    await second.stop();
  });
});

describe('cards that cannot go where they should', () => {
  it('a forum topic that cannot be made: the card goes to the General topic, and its buttons work there', async () => {
    const { f, user } = await setup();
    const group = f.addGroup({ title: 'Reins HQ', forum: true, botIsAdmin: false });
    const current = { approval: approval('pending'), events: [] as SessionEvent[], session };
    const b = bridge(user, coreOf(current), group.id);
    b.cards.onApproval(current.approval);
    const card = await f.waitFor(() => f.messages(group.id).find((m) => m.text.startsWith('🔐')), 5000, 'the card in General');
    expect(card.threadId).toBeUndefined();
    const allow = (card.replyMarkup?.inline_keyboard[0]?.[0] as { callback_data: string }).callback_data;
    expect(codec.decode(allow, group.id)).toMatchObject({ ok: true, handle: current.approval.handle, action: 'allow' });
    await waitFor(() => b.state.cards.get(current.approval.id)?.messageId === card.messageId, 'the card recorded', 5000);
    await b.stop();
  });

  it('a topic deleted since: the card Telegram refuses there is sent to the General topic', async () => {
    const { f, user } = await setup();
    const group = f.addGroup({ title: 'Reins HQ', forum: true });
    const current = { approval: approval('pending'), events: [] as SessionEvent[], session };
    const b = bridge(user, coreOf(current), group.id);
    b.state.setTopic(session.id, 424242);
    b.cards.onApproval(current.approval);
    const card = await f.waitFor(() => f.messages(group.id).find((m) => m.text.startsWith('🔐')), 5000, 'the card in General');
    expect(card.threadId).toBeUndefined();
    expect(f.calls('sendMessage').some((c) => c.params.message_thread_id === 424242 && c.outcome === 'error')).toBe(true);
    await waitFor(() => b.state.cards.get(current.approval.id)?.messageId === card.messageId, 'the card recorded', 5000);
    await b.stop();
  });

  it('a long plan to a chat that blocked the bot: the refusals are handled, nothing is left unhandled', async () => {
    const { f, user } = await setup();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const plan = Array.from({ length: 80 }, (_, i) => `${i + 1}. Step ${i + 1}: ${'change things carefully '.repeat(3)}`).join('\n');
      const current = { approval: approval('pending', { kind: 'plan', tool: 'ExitPlanMode', input: {}, plan }), events: [] as SessionEvent[], session };
      const b = bridge(user, coreOf(current));
      f.userBlocksBot(user);
      b.cards.onApproval(current.approval);
      await waitFor(() => b.state.cards.get(current.approval.id) === undefined, 'the refused card forgotten', 5000);
      await b.stop();
      // A rejection nobody handled is reported once the current turn of the event loop ends.
      await new Promise((resolve) => setImmediate(resolve));
      expect(f.calls('sendMessage').filter((c) => c.outcome === 'error').length).toBeGreaterThanOrEqual(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
