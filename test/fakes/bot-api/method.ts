import type { Backend } from './backend.ts';
import type { Params } from './params.ts';

/** One incoming Bot API call, as a handler sees it. */
export interface Call {
  /** The method's canonical name, e.g. `sendMessage`. */
  readonly method: string;
  readonly params: Params;
  /** Aborted when the client disconnects before the answer is written. */
  readonly signal: AbortSignal;
}

/** Handles one Bot API method: returns its `result` or throws a `BotApiError`. */
export type MethodHandler = (backend: Backend, call: Call) => unknown;

/** A successful result that Telegram sends with a `description` (e.g. "Webhook was set"). */
export class Described {
  readonly result: unknown;
  readonly description: string;

  constructor(result: unknown, description: string) {
    this.result = result;
    this.description = description;
  }
}

/** Raised when the client went away while its call was held (a long poll), so nothing is written. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}
