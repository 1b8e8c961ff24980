/**
 * A real daemon (core, API, Telegram bridge) in a temp data directory, driving the real pinned
 * `claude` against the fake Anthropic API, with its bot talking to the fake Bot API. Telegram's
 * limits are scaled 20× faster on both sides (the fake enforces them, the outbox keeps under
 * them), so the suite is quick but pacing is still exercised.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InlineKeyboardButton, User } from 'grammy/types';
import type { Approval, Session } from '../../src-main/contract/index.ts';
import { parseConfig, type CoreDeps } from '../../src-main/core/index.ts';
import { createFileSecretStore, type SecretStore } from '../../src-main/core/secrets/index.ts';
import { BOT_TOKEN_SECRET, type PairingInfo, type TelegramStatus, type TelegramTuning } from '../../src-main/surfaces/telegram/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts';
import { startFakeBotApi, type BotMessageView, type FakeBotApi, type FakeBotApiOptions } from '../fakes/bot-api/index.ts';
import { apiClient, type TestApi } from '../helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../helpers/claude-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** Telegram's flood limits, 20× faster. */
export const FAST_FAKE_LIMITS = { privatePerSecond: 20, privateBurst: 3, groupPerMinute: 400, globalPerSecond: 600 };

/**
 * The bridge's timings, 20× faster (same proportions as production), except the private chat's
 * margin under the fake's limit: 3 calls per 225 ms (a third under the fake's 20 a second) instead of
 * 10 %, because loopback delays on a loaded machine do not shrink 20× with everything else: calls the
 * outbox spaced out can arrive bunched after an event-loop stall, and the fake counts arrivals. At
 * 225 ms a stall of up to 75 ms still leaves the fake's bucket room for the next three.
 */
export const FAST_TUNING: Partial<TelegramTuning> = {
  pollTimeoutS: 5,
  pollBackoffMs: 50,
  pollBackoffMaxMs: 500,
  liveDebounceMs: 35,
  liveEditIntervalMs: 100,
  liveTickMs: 750,
  refusalAuditIntervalMs: 50,
  statusBudget: {
    private: [{ limit: 2, windowMs: 225 }],
    group: [
      { limit: 1, windowMs: 150 },
      { limit: 240, windowMs: 60_000 },
    ],
  },
  outbox: {
    private: [{ limit: 3, windowMs: 225 }],
    group: [
      { limit: 2, windowMs: 150 },
      { limit: 400, windowMs: 60_000 },
    ],
    global: [{ limit: 600, windowMs: 1000 }],
    editIntervalMs: 100,
    backoff: { baseMs: 25, maxMs: 1500, maxAttempts: 5 },
    fallbackRetryAfterS: 1,
  },
};

export interface TelegramHarnessOptions {
  /** Extra environment for the real claude (e.g. `CLAUDE_CODE_MAX_RETRIES`). */
  claudeEnv?: Record<string, string>;
  /** config.json fields (merged; `telegram.apiRoot` is always the fake's). */
  config?: Record<string, unknown>;
  tuning?: Partial<TelegramTuning>;
  fake?: FakeBotApiOptions;
  /** Where the daemon finds the token (default: the secret store). */
  tokenVia?: 'store' | 'env' | 'none';
  /** Adds a forum group to the fake and configures it as `telegram.forumChatId`. */
  forum?: boolean;
  /** The core's clock and timers (a manual clock drives its approvals, watchdog and reaper). */
  time?: Pick<CoreDeps, 'clock' | 'timers'>;
  /** The daemon's logger (default: silent). */
  log?: CoreDeps['log'];
}

/** Creates the whole setup; `close()` it in afterEach. */
export async function startTelegramHarness(opts: TelegramHarnessOptions = {}) {
  const dir = tempDir('reins-tg-');
  const home = join(dir.path, 'home');
  const project = join(dir.path, 'project');
  const agentHome = join(dir.path, 'agent-home');
  mkdirSync(project, { recursive: true });
  mkdirSync(agentHome, { recursive: true });
  const anthropic: FakeAnthropic = await startFakeAnthropic();
  const bot: FakeBotApi = await startFakeBotApi({ limits: FAST_FAKE_LIMITS, ...opts.fake });
  const owner: User = bot.addUser({ first_name: 'Olivia', username: 'olivia_owner' });
  const stranger: User = bot.addUser({ first_name: 'Mallory', username: 'mallory' });
  const forum = opts.forum ? bot.addGroup({ title: 'Reins HQ', forum: true }) : null;
  const secrets: SecretStore = createFileSecretStore(join(dir.path, 'secrets'));
  const tokenVia = opts.tokenVia ?? 'store';
  if (tokenVia === 'store') await secrets.set(BOT_TOKEN_SECRET, bot.token);
  const { telegram: tgConfig, agents, ...rest } = (opts.config ?? {}) as { telegram?: Record<string, unknown>; agents?: Record<string, unknown> };
  const config = parseConfig({
    port: 0,
    ...rest,
    agents: { ...agents, claude: { bin: claudeBin(), ...(opts.claudeEnv ? { env: opts.claudeEnv } : {}) } },
    telegram: { apiRoot: bot.url, ...(forum ? { forumChatId: forum.id } : {}), ...tgConfig },
  });
  const env = { ...claudeChildEnv(anthropic.url, agentHome), ...(tokenVia === 'env' ? { REINS_TELEGRAM_TOKEN: bot.token } : {}) };
  const start = () =>
    startDaemon({ home, config, env, ...opts.time, ...(opts.log ? { log: opts.log } : {}), telegram: { secrets, tuning: { ...FAST_TUNING, ...opts.tuning } } });

  let daemon = await start();
  let api: TestApi = apiClient(daemon.url, daemon.token);

  const h = {
    home,
    project,
    dir: dir.path,
    anthropic,
    bot,
    owner,
    stranger,
    /** The forum group (with `forum: true`). */
    forum,
    secrets,
    get daemon() {
      return daemon;
    },
    get api() {
      return api;
    },
    /** The bridge's status through the API. */
    async status(): Promise<TelegramStatus> {
      return (await api.get<{ status: TelegramStatus }>('/telegram/status')).status;
    },
    async waitStatus(pred: (s: TelegramStatus) => boolean, what: string): Promise<TelegramStatus> {
      return waitFor(
        async () => {
          const s = await h.status();
          return pred(s) ? s : undefined;
        },
        what,
        10_000,
      );
    },
    /**
     * Waits until the bot has handled every update (Telegram forgets an update when the next
     * getUpdates confirms it, i.e. once the bot handled it), then until its outbox has sent what
     * that handling queued: an update counts as handled while its answers may still be queued.
     */
    async consumed(): Promise<void> {
      await waitFor(() => bot.pendingUpdates().length === 0, 'the bot to take every update', 10_000);
      await waitFor(
        () => {
          const outbox = daemon.telegram?.stats()?.outbox;
          return outbox !== undefined && outbox.queueDepth === 0 && outbox.inFlight === 0;
        },
        "the bot's outbox to send what the updates queued",
        10_000,
      );
    },
    /** Pairs `owner` through the deep link, as the phone would. */
    async pair(): Promise<PairingInfo> {
      const info = await api.post<PairingInfo>('/telegram/pair');
      await bot.waitFor(() => bot.calls('getUpdates').length > 0, 5000, 'the bot to poll');
      bot.userSends(owner, owner.id, `/start ${info.code}`);
      await h.waitMessage((m) => m.text.startsWith('🤝 Paired'), 'the welcome message');
      return info;
    },
    /** The bot's messages in the owner's chat. */
    messages(chatId = owner.id): BotMessageView[] {
      return bot.messages(chatId);
    },
    /** Waits for a bot message in the owner's chat (or `chatId`) matching `pred`. */
    waitMessage(pred: (m: BotMessageView) => boolean, what: string, timeoutMs = 20_000, chatId = owner.id): Promise<BotMessageView> {
      return bot.waitFor(() => bot.messages(chatId).find(pred), timeoutMs, what);
    },
    /** The owner taps the button whose label starts with `label` on `message`. */
    tap(message: BotMessageView, label: string, from: User = owner): string {
      const data = callbackData(message, label);
      return bot.userTaps(from, message.chatId, message.messageId, data);
    },
    /** The latest answer toast text for a query id. */
    async toast(queryId: string): Promise<string> {
      const call = await bot.waitFor(() => bot.calls('answerCallbackQuery').find((c) => c.params.callback_query_id === queryId), 5000, 'the toast');
      return String(call.params.text ?? '');
    },
    /** Starts a session over the API. */
    async startSession(prompt: string, extra: Record<string, unknown> = {}): Promise<Session> {
      return (await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt, ...extra })).session;
    },
    /** The approval card of an approval (found by its handle in the buttons), in the owner's chat or the forum. */
    waitCard(a: Pick<Approval, 'handle'>, pred: (m: BotMessageView) => boolean = () => true, what = 'the approval card'): Promise<BotMessageView> {
      const chat = forum?.id ?? owner.id;
      return h.waitMessage(
        (m) => (m.text.startsWith('🔐') && buttons(m).some((b) => b.callback_data.includes(`.${a.handle}.`)) && pred(m)) || false,
        what,
        20_000,
        chat,
      );
    },
    /** The card's message as it stands now. */
    current(m: BotMessageView): BotMessageView {
      const now = bot.messages(m.chatId).find((x) => x.messageId === m.messageId);
      if (!now) throw new Error(`message ${m.messageId} is gone`);
      return now;
    },
    /** Stops the daemon and starts a new one on the same data directory. */
    async restart(): Promise<void> {
      await daemon.stop();
      daemon = await start();
      api = apiClient(daemon.url, daemon.token);
    },
    async close(): Promise<void> {
      await daemon.stop();
      await bot.close();
      await anthropic.close();
      dir.remove();
    },
  };
  return h;
}
/** What {@link startTelegramHarness} returns. */
export type TelegramHarness = Awaited<ReturnType<typeof startTelegramHarness>>;

/** The callback buttons of a message. */
export function buttons(m: BotMessageView): Array<InlineKeyboardButton.CallbackButton> {
  return (m.replyMarkup?.inline_keyboard.flat() ?? []).filter((b): b is InlineKeyboardButton.CallbackButton => 'callback_data' in b);
}

/** The callback_data of the button labelled `label…` on `m`. */
export function callbackData(m: BotMessageView, label: string): string {
  const b = buttons(m).find((x) => x.text.startsWith(label));
  if (!b)
    throw new Error(
      `no button "${label}" on message ${m.messageId}: ${buttons(m)
        .map((x) => x.text)
        .join(', ')}`,
    );
  return b.callback_data;
}
