import type { BotCommand, InlineKeyboardMarkup } from 'grammy/types';
import type { Clock } from './clock.ts';
import { BotApiError, TELEGRAM_ERRORS, badRequest, tooManyRequests } from './errors.ts';
import { FileStore } from './files.ts';
import { RateLimiter, type RateLimitConfig, type RateLimitViolation } from './limits.ts';
import type { Params } from './params.ts';
import type { TelegramState, ChatRecord, StoredMedia, StoredMessage } from './state.ts';
import type { FormattedText } from './text.ts';
import { UpdateQueue } from './updates.ts';

/** A callback query a test user created by tapping a button. */
export interface CallbackRecord {
  readonly id: string;
  readonly fromId: number;
  readonly chatId: number;
  readonly messageId: number;
  readonly data: string;
  /** Clock time in ms. */
  readonly createdAt: number;
  answered: boolean;
}

/** Settings of the fake that tests may change. */
export interface BackendSettings {
  readonly limits: RateLimitConfig;
  /** How long a callback query may wait for its answer (Telegram: about 15 s). */
  readonly callbackAnswerTimeoutMs: number;
  readonly firstUpdateId: number;
}

/** A message the bot sends: what sendMessage, sendPhoto and sendDocument have in common. */
export interface OutgoingMessage {
  readonly body: FormattedText | undefined;
  readonly media: StoredMedia | undefined;
  readonly replyMarkup: InlineKeyboardMarkup | undefined;
}

/**
 * Everything the fake Telegram holds for one bot, plus the checks several methods share (which
 * chat, which topic, which reply target, flood limits). Method handlers read and change it; the
 * test-side API observes it.
 */
export class Backend {
  readonly clock: Clock;
  readonly settings: BackendSettings;
  readonly state: TelegramState;
  readonly updates: UpdateQueue;
  readonly files = new FileStore();
  readonly callbackQueries = new Map<string, CallbackRecord>();
  /** Commands per `JSON.stringify([scope, language_code])`. */
  readonly commands = new Map<string, BotCommand[]>();
  readonly violations: RateLimitViolation[] = [];
  webhookUrl = '';
  private readonly limiter: RateLimiter;
  private readonly listeners = new Set<() => void>();

  constructor(state: TelegramState, clock: Clock, settings: BackendSettings) {
    this.state = state;
    this.clock = clock;
    this.settings = settings;
    this.updates = new UpdateQueue(clock, settings.firstUpdateId);
    this.limiter = new RateLimiter(settings.limits, clock);
  }

  /** Subscribes to every change (calls answered, updates queued); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells subscribers something changed. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** The chat named by `chat_id`, or Telegram's "chat not found". */
  knownChat(params: Params): ChatRecord {
    const chat = this.state.chat(params.chatId());
    if (chat === undefined || (chat.type === 'private' && !chat.started)) throw new BotApiError(400, TELEGRAM_ERRORS.chatNotFound);
    return chat;
  }

  /** The chat named by `chat_id`, if the bot may write there. */
  writableChat(params: Params): ChatRecord {
    const chat = this.state.chat(params.chatId());
    if (chat === undefined) throw new BotApiError(400, TELEGRAM_ERRORS.chatNotFound);
    // A bot cannot message a user first, and a blocked bot cannot message at all.
    if (chat.type === 'private' && chat.blocked) throw new BotApiError(403, TELEGRAM_ERRORS.blocked);
    if (chat.type === 'private' && !chat.started) throw new BotApiError(403, TELEGRAM_ERRORS.cantInitiate);
    return chat;
  }

  /**
   * Takes a flood-limit slot for a send or edit in `chat`, or records a violation and throws the
   * 429 Telegram sends.
   */
  flood(method: string, chat: ChatRecord): void {
    const taken = this.limiter.take(chat.id, chat.type === 'private' ? 'private' : 'group');
    if (taken.ok) return;
    this.violations.push({ method, chatId: chat.id, scope: taken.scope, at: this.clock.now(), retryAfter: taken.retryAfter });
    const body = tooManyRequests(taken.retryAfter);
    throw new BotApiError(body.error_code, body.description, body.parameters);
  }

  /** The forum topic a send goes to (`message_thread_id`), checked against the chat's topics. */
  threadFor(chat: ChatRecord, params: Params, reply: StoredMessage | undefined): number | undefined {
    const threadId = params.optionalInt('message_thread_id');
    if (!chat.isForum) return undefined;
    // A reply without message_thread_id lands in the topic of the message it answers.
    if (threadId === undefined) return reply?.threadId;
    if (!chat.topics.has(threadId)) throw badRequest('message thread not found');
    return threadId;
  }

  /** The message a send replies to (`reply_parameters` or the older `reply_to_message_id`). */
  replyTarget(chat: ChatRecord, params: Params): StoredMessage | undefined {
    const parameters = params.optionalJson('reply_parameters', "can't parse ReplyParameters JSON object") as
      | { message_id?: unknown; chat_id?: unknown; allow_sending_without_reply?: unknown }
      | undefined;
    const id = parameters === undefined ? params.optionalInt('reply_to_message_id') : Number(parameters.message_id);
    if (id === undefined) return undefined;
    const sameChat = parameters?.chat_id === undefined || this.state.chat(parameters.chat_id as number | string) === chat;
    const target = sameChat && Number.isInteger(id) ? chat.messages.get(id) : undefined;
    if (target !== undefined && !target.deleted) return target;
    const allowWithout = parameters?.allow_sending_without_reply === true || params.optionalBool('allow_sending_without_reply') === true;
    if (allowWithout) return undefined;
    throw badRequest('message to be replied not found');
  }

  /** Stores a message the bot sent, after the chat, topic, reply and flood checks. */
  sendFromBot(method: string, params: Params, chat: ChatRecord, outgoing: OutgoingMessage): StoredMessage {
    const reply = this.replyTarget(chat, params);
    const threadId = this.threadFor(chat, params, reply);
    this.flood(method, chat);
    return this.state.append(chat, {
      chatId: chat.id,
      threadId,
      from: this.state.botUser,
      fromBot: true,
      body: outgoing.body,
      media: outgoing.media,
      replyMarkup: outgoing.replyMarkup,
      replyToMessageId: reply?.messageId,
      service: undefined,
      disableNotification: params.optionalBool('disable_notification') === true,
    });
  }

  /** The bot's own message named by chat_id + message_id, for an edit. */
  editableMessage(params: Params): { chat: ChatRecord; message: StoredMessage } {
    if (params.optionalString('inline_message_id') !== undefined) throw badRequest('MESSAGE_ID_INVALID');
    const chat = this.knownChat(params);
    if (chat.type === 'private' && chat.blocked) throw new BotApiError(403, TELEGRAM_ERRORS.blocked);
    const message = chat.messages.get(params.requiredInt('message_id', 'message identifier is not specified'));
    if (message === undefined || message.deleted) throw new BotApiError(400, TELEGRAM_ERRORS.messageToEditNotFound);
    if (!message.fromBot || message.service !== undefined) throw badRequest("message can't be edited");
    return { chat, message };
  }
}
