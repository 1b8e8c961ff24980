/** Public types of the Telegram outbox, and the value lists behind its unions. No IO. */
import type { BackoffConfig } from './backoff.ts';
import type { RateWindow } from './rate-limit.ts';

/** A Telegram chat id: a number, or `@username` of a public group or channel. */
export type ChatId = number | string;

/**
 * How urgent an operation is, most urgent first. When a chat (or the bot) may make its next
 * call, the most urgent waiting operation goes; live-status edits go only when nothing else waits.
 * - `callback`: answerCallbackQuery (the toast after a tap); not chat-paced.
 * - `approval`: a new approval card (a new message notifies the phone; an edit does not).
 * - `approval_update`: an approval card edited to its outcome, buttons removed.
 * - `normal`: other sends and edits (the default).
 * - `status`: live-status edits.
 */
const PRIORITIES = ['callback', 'approval', 'approval_update', 'normal', 'status'] as const;
/** See {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number];

/** The pacing class of a chat: a user's private chat, or a group / supergroup / channel. */
const CHAT_TYPES = ['private', 'group'] as const;
/** See {@link CHAT_TYPES}. */
export type ChatType = (typeof CHAT_TYPES)[number];

/**
 * A message to edit or delete: by its Telegram id, or by the local `ref` given to the send that
 * creates it. A ref can be used before that send has completed: the operation waits for it.
 */
export type MessageTarget = { readonly chatId: ChatId; readonly messageId: number } | { readonly ref: string };

/**
 * Performs one Bot API call; the bot passes `(m, p, signal) => bot.api.raw[m](p, signal)`.
 * `signal` aborts a call that took longer than `callTimeoutMs`, or that is still running when
 * `stop()`'s grace period ends.
 */
type TelegramCall = (method: string, params: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>;

/** Milliseconds clock (injected so tests control time). */
interface OutboxClock {
  now(): number;
}

/** Waits `ms` on the clock; may reject when `signal` aborts. */
export type OutboxSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The slice of a pino logger the outbox uses. Message texts are never logged. */
export interface OutboxLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * One Bot API call to deliver. `chat_id` and `message_id` are filled in by the outbox from
 * `chatId` / `target`; when only `params` carry them, the outbox reads them from there.
 */
export interface OutboxOp {
  readonly method: string;
  readonly params?: Record<string, unknown>;
  /** The chat the call writes to; it is paced there. Omit for calls without a chat. */
  readonly chatId?: ChatId;
  /** The existing message the call acts on (edits, deletes); names the chat too. */
  readonly target?: MessageTarget;
  /** Default `normal`; `answerCallbackQuery` is always `callback`. */
  readonly priority?: Priority;
  /** Names the message this call creates, for later targets and the `onSent` hook. */
  readonly ref?: string;
  /**
   * The last operation on a message, typically its closing edit: a newer edit may still replace
   * its content but it stays final; it skips the edit interval, and `stop()` gives it
   * `stopGraceMs` to go out instead of rejecting it.
   */
  readonly final?: boolean;
  /**
   * Retry network errors until `stop()` instead of giving up after `backoff.maxAttempts`.
   * Default: true for `approval` and `approval_update` priorities and for final edits.
   */
  readonly critical?: boolean;
  /** Overrides the chat type inferred from the id's sign. */
  readonly chatType?: ChatType;
}

/**
 * How an operation ended when it did not fail:
 * - `ok`: Telegram accepted it; `result` is its answer.
 * - `not_modified`: an edit Telegram found identical to the message's content.
 * - `superseded`: an edit replaced by a newer edit of the same message before it went out, or
 *   dropped because the message is being deleted.
 */
export type OutboxReply = { readonly status: 'ok'; readonly result: unknown } | { readonly status: 'not_modified' } | { readonly status: 'superseded' };

/** A message Telegram accepted. */
interface SentMessage {
  readonly messageId: number;
}

/** What happened to an edit; see {@link OutboxReply}. */
export type EditOutcome = 'edited' | 'not_modified' | 'superseded';

/** Options for sends. */
interface SendOptions {
  readonly priority?: Priority;
  readonly ref?: string;
  readonly critical?: boolean;
  readonly chatType?: ChatType;
}

/** Options for edits and deletes. */
interface EditOptions {
  readonly priority?: Priority;
  readonly final?: boolean;
  readonly critical?: boolean;
  readonly chatType?: ChatType;
}

/** Options for {@link Outbox.call}: everything of an {@link OutboxOp} but method and params. */
export type CallOptions = Omit<OutboxOp, 'method' | 'params'>;

/** Limits and timings; every field has a default (see `DEFAULT_OUTBOX_LIMITS`). */
export interface OutboxLimits {
  /** All calls of the bot together. */
  readonly global: readonly RateWindow[];
  /** Calls in one private chat. */
  readonly private: readonly RateWindow[];
  /** Calls in one group, supergroup (all its topics together) or channel. */
  readonly group: readonly RateWindow[];
  /** Minimum time between two edits of one message (final edits excepted). */
  readonly editIntervalMs: number;
  /** Calls in flight at once (callback answers and approval cards may exceed it). */
  readonly maxInFlight: number;
  readonly backoff: BackoffConfig;
  /** Wait after a 429 that carries no `retry_after`. */
  readonly fallbackRetryAfterS: number;
  /** How long a call may wait for Telegram's answer before it is aborted and retried. */
  readonly callTimeoutMs: number;
  /**
   * How long `stop()` keeps delivering queued final edits before rejecting them and aborting
   * calls still in flight.
   */
  readonly stopGraceMs: number;
  /** How many sent refs are remembered (oldest forgotten first). */
  readonly refCapacity: number;
}

/** Partial limits as accepted by `createOutbox`. */
export type OutboxLimitsInput = Partial<Omit<OutboxLimits, 'backoff'>> & { readonly backoff?: Partial<BackoffConfig> };

/** Everything `createOutbox` needs. */
export interface OutboxOptions {
  readonly call: TelegramCall;
  readonly clock: OutboxClock;
  readonly sleep: OutboxSleep;
  readonly logger: OutboxLogger;
  readonly limits?: OutboxLimitsInput;
  /** Jitter source in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Called when a send that carries a ref succeeded, before its promise resolves; persist ids here. */
  readonly onSent?: (ref: string, messageId: number, chatId: ChatId) => void;
}

/** Counters since the outbox was created, plus current queue state. */
export interface OutboxStats {
  readonly callsByMethod: Readonly<Record<string, number>>;
  readonly callsByChat: Readonly<Record<string, number>>;
  /** 429 answers seen. */
  readonly rateLimited: number;
  readonly notModified: number;
  /** Edits replaced by a newer edit of the same message before going out. */
  readonly editsCoalesced: number;
  /** Queued edits dropped because their message is being deleted. */
  readonly editsSuperseded: number;
  /** Calls repeated after a 429, a network error or a 5xx. */
  readonly retries: number;
  /** Operations rejected with an `OutboxError`. */
  readonly failed: number;
  /** Operations waiting to go out. */
  readonly queueDepth: number;
  readonly inFlight: number;
}

/** The single path of every Bot API call of the bot; see `createOutbox`. */
export interface Outbox {
  /** Queues any operation; the typed helpers below build on it. */
  send(op: OutboxOp): Promise<OutboxReply>;
  /** Queues `method` with `params`, e.g. sendDocument or setMyCommands. */
  call(method: string, params: Record<string, unknown>, options?: CallOptions): Promise<OutboxReply>;
  /** Sends a text message; `extra` holds parse_mode, reply_markup, message_thread_id… */
  sendMessage(chatId: ChatId, text: string, extra?: Record<string, unknown>, options?: SendOptions): Promise<SentMessage>;
  /** Edits a message's text; coalesced with other pending text edits of the message. */
  editMessageText(target: MessageTarget, text: string, extra?: Record<string, unknown>, options?: EditOptions): Promise<EditOutcome>;
  /** Replaces a message's inline keyboard; `undefined` removes it. */
  editMessageReplyMarkup(target: MessageTarget, replyMarkup: unknown, options?: EditOptions): Promise<EditOutcome>;
  /** Deletes a message; its queued edits are dropped as superseded. */
  deleteMessage(target: MessageTarget, options?: EditOptions): Promise<void>;
  /** Answers a callback query at once (ahead of everything else). */
  answerCallback(callbackQueryId: string, text?: string, extra?: Record<string, unknown>): Promise<void>;
  stats(): OutboxStats;
  /** Resolves once nothing is queued or in flight. */
  drain(): Promise<void>;
  /**
   * Refuses new operations and rejects queued ones, except final edits, which get
   * `stopGraceMs` to go out; then aborts calls still in flight and resolves once they have
   * ended. Idempotent.
   */
  stop(): Promise<void>;
}
