/**
 * A running bot: grammY for update parsing and routing (one Composer per feature), the outbox for
 * every Bot API write, the live-status and approval-card controllers fed by the core's committed
 * frames, and the long-poll loop. `stop()` ends polling, timers, the outbox and pending work.
 */
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Clock, Timers } from '../../core/clock.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { createAnnouncements } from './announcements.ts';
import { createApprovalCards } from './approval-cards.ts';
import { grammySignal } from './grammy-signal.ts';
import { createCallbackCodec } from './callback-codec.ts';
import { createDownloader } from './download.ts';
import { accessFeature } from './features/access.ts';
import { callbacksFeature } from './features/callbacks.ts';
import { BOT_COMMANDS, commandsFeature } from './features/commands.ts';
import type { FeatureDeps, MenuHandler } from './features/deps.ts';
import { filesFeature } from './features/files.ts';
import { followupsFeature } from './features/followups.ts';
import { newSessionFeature } from './features/new-session.ts';
import { createPasscodeGate, passcodeFeature } from './features/passcode.ts';
import { schedulesFeature } from './features/schedules.ts';
import { shellFeature } from './features/shell.ts';
import { createLiveStatus } from './live-status.ts';
import { createOutbox, type OutboxSleep, type OutboxStats } from './outbox/index.ts';
import { startPolling } from './polling.ts';
import { createPasscodePrompts } from './passcode-prompts.ts';
import { createQueueNotices } from './queue-notices.ts';
import type { Redaction } from '../../core/redaction/index.ts';
import { createRefusalAudit } from './refusals.ts';
import { createReminders } from './reminders.ts';
import { createRouting } from './routing.ts';
import { createSessionCache } from './session-cache.ts';
import type { TelegramState } from './state.ts';
import { createTasks, describe } from './tasks.ts';
import type { TelegramTuning } from './tuning.ts';
import { createWriter } from './writer.ts';

/** What a running bot is started with. */
export interface BotOptions {
  core: CoreFacade;
  token: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
  signingKey: Buffer;
  state: TelegramState;
  redaction: Redaction;
  tuning: TelegramTuning;
  clock: Clock;
  timers: Timers;
  sleep: OutboxSleep;
  fetch: typeof fetch;
  log: Logger;
  owner(): number | null;
  paired(userId: number): void;
  /** Polling ended for good (the token was refused). */
  fatal(message: string): void;
}

/** A running bot; see {@link startBot}. */
export interface RunningBot {
  stats(): { outbox: OutboxStats; live: number };
  stop(): Promise<void>;
}

/** Starts the bot: commands, recovery of live messages and cards, frames, then polling. */
export function startBot(o: BotOptions): RunningBot {
  const log = o.log;
  const bot = new Bot(o.token, { client: { apiRoot: o.apiRoot }, botInfo: o.botInfo });
  const raw = bot.api.raw as unknown as Record<string, (params: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>>;
  const outbox = createOutbox({
    call: (method, params, signal) => {
      const fn = raw[method];
      if (!fn) throw new Error(`grammY has no Bot API method ${method}`);
      return fn(params, signal);
    },
    clock: o.clock,
    sleep: o.sleep,
    logger: log,
    limits: o.tuning.outbox,
  });
  const tasks = createTasks(log);
  const redactor = o.redaction.current;
  const codec = createCallbackCodec(o.signingKey);
  const forumChatId = o.core.config.telegram.forumChatId ?? null;
  const writer = createWriter({
    outbox,
    codec,
    redactor,
    // A deleted or closed topic is forgotten, so the session's next message makes a new one.
    onTopicGone: (chatId, threadId) => {
      if (chatId === forumChatId) o.state.forgetTopic(threadId);
    },
  });
  const sessions = createSessionCache(o.core);
  const routing = createRouting({ state: o.state, writer, sessions, forumChatId, ownerId: o.owner, redactor, log });
  const common = { state: o.state, writer, routing, sessions, redactor, clock: o.clock, tasks, log };
  const cards = createApprovalCards({ ...common, core: o.core });
  const live = createLiveStatus({ ...common, core: o.core, timers: o.timers, tuning: o.tuning });
  const notices = createQueueNotices({ ...common, core: o.core, tuning: o.tuning });
  const reminders = createReminders(common);
  const announcements = createAnnouncements({ ...common, core: o.core });
  const refusals = createRefusalAudit({ append: o.core.audit.append, clock: o.clock, timers: o.timers, intervalMs: o.tuning.refusalAuditIntervalMs });
  // A stalled download or a shell answer still following its terminal must not hold up the bot's stop.
  const bridgeStopping = new AbortController();
  const passcode = createPasscodeGate({
    core: o.core,
    writer,
    prompts: createPasscodePrompts(o.core.kv, () => o.clock.now()),
    clock: o.clock,
    timers: o.timers,
    tasks,
    log,
    ttlMs: o.tuning.passcodePromptTtlMs,
  });
  const deps: FeatureDeps = {
    ...common,
    core: o.core,
    cards,
    notices,
    refusals,
    tuning: o.tuning,
    passcode,
    stopping: bridgeStopping.signal,
    owner: o.owner,
    paired: (userId) => {
      o.paired(userId);
      // Approvals that were already waiting had nowhere to go before there was an owner.
      cards.recover();
    },
    download: createDownloader({ writer, apiRoot: o.apiRoot, token: o.token, fetch: o.fetch, timeoutMs: 120_000, signal: bridgeStopping.signal }),
  };

  const menus = new Map<string, MenuHandler>();
  bot.use(accessFeature(deps));
  // Before every other reader of text: a passcode reply must reach no command, wizard or agent.
  bot.use(passcodeFeature(deps));
  bot.use(callbacksFeature(deps, codec, menus));
  bot.use(newSessionFeature(deps, menus));
  bot.use(commandsFeature(deps, menus));
  bot.use(schedulesFeature(deps, menus));
  bot.use(shellFeature(deps));
  bot.use(filesFeature(deps));
  bot.use(followupsFeature(deps));

  tasks.run('setMyCommands', () => writer.call('setMyCommands', { commands: BOT_COMMANDS }));
  live.recover();
  cards.recover();
  notices.recover();

  const unsubscribe = o.core.subscribe((frame) => {
    switch (frame.type) {
      case 'event':
        live.onEvent(frame.event);
        notices.onEvent(frame.event);
        reminders.onEvent(frame.event);
        announcements.onEvent(frame.event);
        return;
      case 'session':
        sessions.update(frame.session);
        if (frame.session.state === 'starting') {
          o.redaction.refresh();
          // A forum topic is made as the session starts, so its first approval need not wait for one.
          if (forumChatId !== null) tasks.run('topic', () => routing.placeFor(frame.session.id));
        }
        return;
      case 'approval':
        cards.onApproval(frame.approval);
        return;
      case 'hello':
        return;
    }
  });

  const poller = startPolling({
    getUpdates: (params, signal) => bot.api.getUpdates(params as Parameters<typeof bot.api.getUpdates>[0], grammySignal(signal)),
    handle: (update) => bot.handleUpdate(update),
    offset: o.state.offset,
    setOffset: o.state.setOffset,
    sleep: (ms, signal) => o.sleep(ms, signal),
    timeoutS: o.tuning.pollTimeoutS,
    backoffMs: o.tuning.pollBackoffMs,
    backoffMaxMs: o.tuning.pollBackoffMaxMs,
    onFatal: o.fatal,
    log,
  });

  let stopping: Promise<void> | null = null;
  return {
    stats: () => ({ outbox: outbox.stats(), live: live.activeCount() }),
    stop() {
      stopping ??= (async () => {
        await poller.stop();
        unsubscribe();
        live.stop();
        passcode.stop();
        bridgeStopping.abort();
        await outbox.stop();
        await tasks.drain();
        refusals.flush();
      })().catch((err: unknown) => log.error({ err: describe(err) }, 'telegram.stop_failed'));
      return stopping;
    },
  };
}
