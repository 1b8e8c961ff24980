import type { BotCommand, Chat, File, InlineKeyboardMarkup, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';
import { Backend } from './backend.ts';
import { systemClock, type Clock } from './clock.ts';
import { FakeBotApiTimeoutError, FakeBotApiUsageError, type ApiErrorBody } from './errors.ts';
import { FaultPlan } from './faults.ts';
import type { FileKind } from './files.ts';
import { TELEGRAM_RATE_LIMITS, type RateLimitConfig, type RateLimitViolation } from './limits.ts';
import { BotApiServer, type CallRecord } from './server.ts';
import { TelegramState, chatJson, type GroupInit, type StoredMessage, type UserInit } from './state.ts';
import { userBlocksBot, userSends, userTaps, type TapOptions, type UserMessageContent } from './user-actions.ts';

/** How to start the fake; every field has a Telegram-like default. */
export interface FakeBotApiOptions {
  /** Bot token in Telegram's `<bot id>:<secret>` form. */
  readonly token?: string;
  /** Overrides of the bot's getMe fields. */
  readonly bot?: Partial<Pick<UserFromGetMe, 'first_name' | 'username' | 'can_join_groups' | 'can_read_all_group_messages'>>;
  /** Time for flood limits, callback-query expiry and message dates (default: wall clock). */
  readonly clock?: Clock;
  /** Flood limits; defaults are Telegram's ({@link TELEGRAM_RATE_LIMITS}). */
  readonly limits?: Partial<RateLimitConfig>;
  /** How long a callback query may go unanswered (default 15 000 ms). */
  readonly callbackAnswerTimeoutMs?: number;
  /** The first update_id handed out (default 500 000 001). */
  readonly firstUpdateId?: number;
}

/** What a bot message looks like now, for assertions. */
export interface BotMessageView {
  readonly chatId: number;
  readonly messageId: number;
  readonly threadId: number | undefined;
  /** Plain text after parse_mode (the caption for media). */
  readonly text: string;
  /** The HTML markup as the bot sent it, when parse_mode was HTML. */
  readonly html: string | undefined;
  readonly entities: readonly MessageEntity[];
  readonly replyMarkup: InlineKeyboardMarkup | undefined;
  readonly media: 'photo' | 'document' | undefined;
  readonly replyToMessageId: number | undefined;
  readonly disableNotification: boolean;
  readonly editCount: number;
  readonly deleted: boolean;
}

/** A forum topic as it stands. */
export interface TopicView {
  readonly threadId: number;
  readonly name: string;
  readonly iconColor: number;
  readonly closed: boolean;
}

/** A callback query a user created, and whether the bot answered it. */
export interface CallbackQueryView {
  readonly id: string;
  readonly chatId: number;
  readonly messageId: number;
  readonly data: string;
  readonly answered: boolean;
}

/** A raw (non-JSON) HTTP answer to inject, such as the HTML page of a 502. */
export interface RawHttpFault {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/**
 * A fake Telegram Bot API on 127.0.0.1 for one bot. Point grammY at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.url } })`, act as users with `userSends` /
 * `userTaps`, and assert on `calls()`, `messages()` and `violations`. Always `close()` it.
 */
export class FakeBotApi {
  /** apiRoot for grammY (no trailing slash). */
  readonly url: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly clock: Clock;
  private readonly backend: Backend;
  private readonly server: BotApiServer;
  private readonly faults: FaultPlan;

  private constructor(url: string, token: string, backend: Backend, server: BotApiServer, faults: FaultPlan) {
    this.url = url;
    this.token = token;
    this.backend = backend;
    this.server = server;
    this.faults = faults;
    this.botInfo = backend.state.bot;
    this.clock = backend.clock;
  }

  /** Starts a fake on an ephemeral 127.0.0.1 port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const token = options.token ?? '7000000001:AAFakeBotApiTokenForTestsOnly0123456789';
    const botId = Number(token.split(':')[0]);
    if (!Number.isSafeInteger(botId) || botId <= 0) throw new RangeError(`token must look like "<bot id>:<secret>", got ${token}`);
    const clock = options.clock ?? systemClock;
    const bot: UserFromGetMe = {
      id: botId,
      is_bot: true,
      first_name: options.bot?.first_name ?? 'Reins Test Bot',
      username: options.bot?.username ?? 'reins_test_bot',
      can_join_groups: options.bot?.can_join_groups ?? true,
      can_read_all_group_messages: options.bot?.can_read_all_group_messages ?? false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    const backend = new Backend(new TelegramState(bot, clock), clock, {
      limits: { ...TELEGRAM_RATE_LIMITS, ...options.limits },
      callbackAnswerTimeoutMs: options.callbackAnswerTimeoutMs ?? 15_000,
      firstUpdateId: options.firstUpdateId ?? 500_000_001,
    });
    const faults = new FaultPlan();
    const server = new BotApiServer(backend, token, faults);
    return new FakeBotApi(await server.listen(), token, backend, server, faults);
  }

  /** Every 429 the fake sent; a client that respects the limits leaves this empty. */
  get violations(): readonly RateLimitViolation[] {
    return this.backend.violations;
  }

  /** Creates a user (who still has to send something before the bot may write to them). */
  addUser(init: UserInit): User {
    return this.backend.state.addUser(init);
  }

  /** Adds the bot to a new group, supergroup or forum; returns the chat object Telegram sends. */
  addGroup(init: GroupInit): Chat {
    return chatJson(this.backend.state.addGroup(init));
  }

  /** `from` posts in `chat` (a chat id, or anything with `id`); returns the message the bot will get. */
  userSends(from: User, chat: number | { readonly id: number }, content: string | UserMessageContent): Message {
    return userSends(this.backend, from, chatIdOf(chat), content);
  }

  /** `from` taps the button with `callbackData` under bot message `messageId`; returns the query id. */
  userTaps(from: User, chat: number | { readonly id: number }, messageId: number, callbackData: string, options?: TapOptions): string {
    return userTaps(this.backend, from, chatIdOf(chat), messageId, callbackData, options);
  }

  /** `user` blocks the bot. */
  userBlocksBot(user: User): void {
    userBlocksBot(this.backend, user);
  }

  /** Stores bytes as a Telegram file so getFile and `/file/bot<token>/<file_path>` serve them. */
  registerFile(bytes: Uint8Array, options: { fileName?: string; mimeType?: string; kind?: FileKind } = {}): File {
    const file = this.backend.files.add(bytes, options.kind ?? 'documents', options.fileName, options.mimeType);
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath };
  }

  /** Calls in arrival order, optionally only one method (matched case-insensitively). */
  calls(method?: string): readonly CallRecord[] {
    const name = method?.toLowerCase();
    return this.server.calls.filter((call) => name === undefined || call.method.toLowerCase() === name);
  }

  /** The bot's messages in a chat (service messages excluded), oldest first, as they stand now. */
  messages(chatId: number): BotMessageView[] {
    const chat = this.backend.state.chat(chatId);
    if (chat === undefined) throw new FakeBotApiUsageError(`chat ${chatId} is unknown`);
    return [...chat.messages.values()].filter((m) => m.fromBot && m.service === undefined).map(view);
  }

  /** The forum topics of a chat. */
  topics(chatId: number): TopicView[] {
    const chat = this.backend.state.chat(chatId);
    if (chat === undefined) throw new FakeBotApiUsageError(`chat ${chatId} is unknown`);
    return [...chat.topics.values()].map(({ threadId, name, iconColor, closed }) => ({ threadId, name, iconColor, closed }));
  }

  /** Callback queries users created, with whether each was answered. */
  callbackQueries(): CallbackQueryView[] {
    return [...this.backend.callbackQueries.values()].map(({ id, chatId, messageId, data, answered }) => ({
      id,
      chatId,
      messageId,
      data,
      answered,
    }));
  }

  /** The command menu set for a scope (default scope) and language. */
  commands(scope: object = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.backend.commands.get(JSON.stringify([scope, languageCode])) ?? [];
  }

  /** The webhook URL currently set ('' when none). */
  webhookUrl(): string {
    return this.backend.webhookUrl;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): Update[] {
    return this.backend.updates.pending();
  }

  /** The next `times` calls of `method` (`*` = any) fail with this Bot API error (e.g. 409, 429, 502). */
  failNext(method: string, body: ApiErrorBody, times = 1): void {
    this.faults.add(method, { kind: 'error', body }, times);
  }

  /** The next `times` calls of `method` get a raw HTTP answer, e.g. an HTML 502 page. */
  failNextRaw(method: string, fault: RawHttpFault, times = 1): void {
    const contentType = fault.contentType ?? 'text/html';
    this.faults.add(method, { kind: 'raw', status: fault.status, body: fault.body, contentType }, times);
  }

  /** The next `times` calls of `method` lose their connection with no answer. */
  dropNext(method: string, times = 1): void {
    this.faults.add(method, { kind: 'drop' }, times);
  }

  /**
   * Resolves with the predicate's value once it is neither undefined, null nor false; it is checked
   * now and after every call and state change. Rejects with FakeBotApiTimeoutError after `timeoutMs`.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 2000, what = 'the condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const settle = (): void => {
        if (done) return;
        let value: T | undefined | null | false;
        try {
          value = predicate();
        } catch (failure) {
          finish();
          reject(failure as Error);
          return;
        }
        if (value !== undefined && value !== null && value !== false) {
          finish();
          resolve(value);
        }
      };
      const unsubscribe = this.backend.onChange(settle);
      const timer = setTimeout(() => {
        finish();
        reject(new FakeBotApiTimeoutError(timeoutMs, what));
      }, timeoutMs);
      function finish(): void {
        done = true;
        unsubscribe();
        clearTimeout(timer);
      }
      settle();
    });
  }

  /** Answers held long polls, closes all connections and stops listening. */
  close(): Promise<void> {
    return this.server.close();
  }
}

/** Starts a fake Bot API; see {@link FakeBotApi}. */
export function startFakeBotApi(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  return FakeBotApi.start(options);
}

function chatIdOf(chat: number | { readonly id: number }): number {
  return typeof chat === 'number' ? chat : chat.id;
}

function view(message: StoredMessage): BotMessageView {
  return {
    chatId: message.chatId,
    messageId: message.messageId,
    threadId: message.threadId,
    text: message.body?.text ?? '',
    html: message.body?.html,
    entities: message.body?.entities ?? [],
    replyMarkup: message.replyMarkup,
    media: message.media?.kind,
    replyToMessageId: message.replyToMessageId,
    disableNotification: message.disableNotification,
    editCount: message.editCount,
    deleted: message.deleted,
  };
}
