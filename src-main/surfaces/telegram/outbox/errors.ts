/**
 * Errors of the Telegram outbox, and the adapter that sorts whatever the transport throws
 * (grammY's `GrammyError` / `HttpError`, or anything else) into what the outbox does next.
 */
import type { ChatId } from './types.ts';

/** What the outbox does with a failed call. */
export type TelegramErrorClass =
  /** 429: wait `retryAfterS` seconds, then send the same call again. */
  | { readonly kind: 'rate_limited'; readonly retryAfterS: number }
  /** 400 "message is not modified": the message already shows this content; a success. */
  | { readonly kind: 'not_modified' }
  /** A 4xx Telegram will keep answering: retrying cannot help; the caller must change the call. */
  | {
      readonly kind: 'fatal';
      readonly errorCode: number;
      readonly description: string;
      readonly migrateToChatId: number | null;
    }
  /** Network failure or 5xx: retry with backoff. */
  | { readonly kind: 'transient'; readonly errorCode: number | null; readonly description: string };

interface ApiErrorShape {
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter: number | null;
  readonly migrateToChatId: number | null;
}

/**
 * Sorts a thrown value from the Bot API transport. Telegram errors are recognised by shape
 * (`error_code`, `description`, `parameters.retry_after`), as grammY's `GrammyError` and the raw
 * Bot API JSON both have it; anything else (grammY's `HttpError`, a reset socket, a timeout)
 * is a network problem and transient. `fallbackRetryAfterS` is used when a 429 has no
 * `retry_after`.
 */
export function classifyError(err: unknown, fallbackRetryAfterS = 5): TelegramErrorClass {
  const api = apiErrorOf(err);
  if (api === null) return { kind: 'transient', errorCode: null, description: describeThrown(err) };
  if (api.errorCode === 429) {
    return { kind: 'rate_limited', retryAfterS: api.retryAfter ?? fallbackRetryAfterS };
  }
  // Telegram refuses an edit that would leave the message as it is with 400; the content the
  // caller wanted is on screen, so this is the outcome the caller asked for.
  if (api.errorCode === 400 && /message is not modified/i.test(api.description)) return { kind: 'not_modified' };
  if (api.errorCode >= 500) return { kind: 'transient', errorCode: api.errorCode, description: api.description };
  return {
    kind: 'fatal',
    errorCode: api.errorCode,
    description: api.description,
    migrateToChatId: api.migrateToChatId,
  };
}

function apiErrorOf(err: unknown): ApiErrorShape | null {
  if (typeof err !== 'object' || err === null) return null;
  const rec = err as Record<string, unknown>;
  if (typeof rec['error_code'] !== 'number') return null;
  const params = typeof rec['parameters'] === 'object' && rec['parameters'] !== null ? (rec['parameters'] as Record<string, unknown>) : {};
  const retryAfter = params['retry_after'];
  const migrate = params['migrate_to_chat_id'];
  return {
    errorCode: rec['error_code'],
    description: typeof rec['description'] === 'string' ? rec['description'] : `error ${rec['error_code']}`,
    retryAfter: typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
    migrateToChatId: typeof migrate === 'number' ? migrate : null,
  };
}

// Network error messages can carry the request URL, and Bot API URLs carry the bot token.
const BOT_TOKEN_IN_URL = /bot\d+:[A-Za-z0-9_-]+/g;

function describeThrown(err: unknown): string {
  let text: string;
  if (err instanceof Error) {
    const inner = (err as { error?: unknown }).error ?? err.cause;
    text = inner instanceof Error ? `${err.message} (${inner.message})` : err.message;
  } else {
    text = String(err);
  }
  return text.replace(BOT_TOKEN_IN_URL, 'bot<redacted>');
}

/** Why an outbox operation's promise was rejected. */
const OUTBOX_ERROR_REASONS = ['rejected', 'gave_up', 'stopped', 'unknown_ref', 'invalid'] as const;
/** See {@link OUTBOX_ERROR_REASONS}. */
export type OutboxErrorReason = (typeof OUTBOX_ERROR_REASONS)[number];

/** Fields of an {@link OutboxError}. */
export interface OutboxErrorInit {
  readonly reason: OutboxErrorReason;
  readonly method: string;
  readonly chatId: ChatId | null;
  readonly attempts?: number;
  readonly errorCode?: number | null;
  readonly description?: string | null;
  readonly migrateToChatId?: number | null;
  readonly ref?: string | null;
  readonly cause?: unknown;
}

/**
 * An outbox operation that will not be delivered. `reason` says why:
 * - `rejected`: Telegram refused the call for good (400 bad entities, 403 bot blocked, message
 *   to edit not found…); `errorCode` and `description` are Telegram's. Change the call (e.g.
 *   resend as plain text, or send a new message instead of editing) rather than repeating it.
 * - `gave_up`: a non-critical call kept failing on the network or with 5xx.
 * - `stopped`: the outbox was stopped before the call went out.
 * - `unknown_ref`: an operation named a message by a ref whose send failed or never happened.
 * - `invalid`: the operation itself was malformed (e.g. a ref reused while its send is pending).
 */
export class OutboxError extends Error {
  override readonly name = 'OutboxError';
  readonly reason: OutboxErrorReason;
  readonly method: string;
  readonly chatId: ChatId | null;
  readonly attempts: number;
  readonly errorCode: number | null;
  readonly description: string | null;
  /** Set when Telegram says a group became a supergroup: resend to this chat id. */
  readonly migrateToChatId: number | null;
  readonly ref: string | null;

  constructor(init: OutboxErrorInit) {
    super(messageFor(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.method = init.method;
    this.chatId = init.chatId;
    this.attempts = init.attempts ?? 0;
    this.errorCode = init.errorCode ?? null;
    this.description = init.description ?? null;
    this.migrateToChatId = init.migrateToChatId ?? null;
    this.ref = init.ref ?? null;
  }
}

function messageFor(init: OutboxErrorInit): string {
  const where = init.chatId === null ? init.method : `${init.method} in chat ${init.chatId}`;
  switch (init.reason) {
    case 'rejected':
      return `Telegram rejected ${where} (${init.errorCode}: ${init.description}); change the request (for example resend it as plain text) instead of retrying it.`;
    case 'gave_up':
      return `${where} failed ${init.attempts} times (last: ${init.description}); Telegram or the network is unreachable, try again later.`;
    case 'stopped':
      return `The Telegram outbox stopped before ${where} was delivered; send it again after the next start.`;
    case 'unknown_ref':
      return `${where} names message ref "${init.ref}", which was never sent or whose send failed; send a new message instead.`;
    case 'invalid':
      return `${where} is not a valid outbox operation: ${init.description}.`;
  }
}

/** A Bot API call that got no answer in time; the outbox aborts it and retries like a network error. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  readonly method: string;
  readonly timeoutMs: number;

  constructor(method: string, timeoutMs: number) {
    super(`${method} got no answer from Telegram within ${timeoutMs} ms; it was aborted and will be retried.`);
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}

/** Thrown by `createOutbox` when its limits are unusable; fix the configuration values. */
export class OutboxConfigError extends Error {
  override readonly name = 'OutboxConfigError';

  constructor(message: string) {
    super(`Telegram outbox configuration: ${message}.`);
  }
}
