import type { ResponseParameters } from 'grammy/types';

/** The error half of a Bot API response body: `{ ok: false, error_code, description, parameters? }`. */
export interface ApiErrorBody {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: ResponseParameters;
}

/**
 * A Bot API failure raised by a method handler. The server turns it into the exact body Telegram
 * sends, with the HTTP status equal to `error_code` (Telegram does the same).
 */
export class BotApiError extends Error {
  override readonly name = 'BotApiError';
  readonly errorCode: number;
  readonly description: string;
  readonly parameters: ResponseParameters | undefined;

  constructor(errorCode: number, description: string, parameters?: ResponseParameters) {
    super(`${errorCode}: ${description}`);
    this.errorCode = errorCode;
    this.description = description;
    this.parameters = parameters;
  }

  /** The JSON body Telegram would send for this error. */
  toBody(): ApiErrorBody {
    return this.parameters === undefined
      ? { error_code: this.errorCode, description: this.description }
      : { error_code: this.errorCode, description: this.description, parameters: this.parameters };
  }
}

/** A 400 with Telegram's "Bad Request: " prefix. */
export function badRequest(detail: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${detail}`);
}

/**
 * Descriptions Telegram sends, word for word, for the failures Reins must handle. Use them in
 * tests (and with `failNext`) instead of retyping the strings.
 */
export const TELEGRAM_ERRORS = {
  unauthorized: { error_code: 401, description: 'Unauthorized' },
  notFound: { error_code: 404, description: 'Not Found' },
  conflictGetUpdates: {
    error_code: 409,
    description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  },
  conflictWebhook: {
    error_code: 409,
    description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  },
  badGateway: { error_code: 502, description: 'Bad Gateway' },
  notModified:
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  messageTooLong: 'Bad Request: message is too long',
  captionTooLong: 'Bad Request: message caption is too long',
  textEmpty: 'Bad Request: message text is empty',
  buttonDataInvalid: 'Bad Request: BUTTON_DATA_INVALID',
  messageToEditNotFound: 'Bad Request: message to edit not found',
  messageToDeleteNotFound: 'Bad Request: message to delete not found',
  queryTooOld: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
  chatNotFound: 'Bad Request: chat not found',
  threadNotFound: 'Bad Request: message thread not found',
  cantInitiate: "Forbidden: bot can't initiate conversation with a user",
  blocked: 'Forbidden: bot was blocked by the user',
  /** The prefix of every HTML/entity parse failure; Telegram appends the parser's own message. */
  cantParseEntities: "Bad Request: can't parse entities: ",
} as const;

/** Body of the 429 Telegram sends when a flood limit is passed. */
export function tooManyRequests(retryAfterSeconds: number): ApiErrorBody {
  return {
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfterSeconds}`,
    parameters: { retry_after: retryAfterSeconds },
  };
}

/** Thrown by the test-side API when a test asks for something a real Telegram user could not do. */
export class FakeBotApiUsageError extends Error {
  override readonly name = 'FakeBotApiUsageError';
}

/** Thrown by `waitFor` when its predicate stays false for the whole timeout. */
export class FakeBotApiTimeoutError extends Error {
  override readonly name = 'FakeBotApiTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, what: string) {
    super(`waitFor timed out after ${timeoutMs} ms waiting for ${what}; check calls() for what the bot did instead`);
    this.timeoutMs = timeoutMs;
  }
}
