/**
 * Sliding-window rate limits for Telegram's Bot API.
 *
 * Telegram does not publish exact limits; its FAQ says: about one message per second in a
 * chat, no more than 20 messages per minute in a group, about 30 messages per second overall.
 * A sliding-window log ("at most `limit` calls in any `windowMs`") keeps a hard ceiling, which
 * a token bucket cannot: a bucket lets `burst + rate * window` through in one window.
 */
import { OutboxConfigError } from './errors.ts';
import type { ChatId, ChatType } from './types.ts';

/** At most `limit` calls in any interval of `windowMs` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Remembers when calls went out and says when the next one may go, under one or more windows.
 * Use one per chat and one for the whole bot; record a call when it is dispatched.
 */
export class SlidingWindowLimiter {
  readonly #windows: readonly RateWindow[];
  readonly #keep: number;
  readonly #longestMs: number;
  readonly #stamps: number[];

  constructor(windows: readonly RateWindow[], stamps: readonly number[] = []) {
    if (windows.length === 0) throw new OutboxConfigError('a rate limit needs at least one window');
    for (const w of windows) {
      if (!Number.isInteger(w.limit) || w.limit < 1 || !(w.windowMs > 0)) {
        throw new OutboxConfigError(`invalid rate window {limit: ${w.limit}, windowMs: ${w.windowMs}}: limit must be a positive integer and windowMs > 0`);
      }
    }
    this.#windows = windows;
    this.#keep = Math.max(...windows.map((w) => w.limit));
    this.#longestMs = Math.max(...windows.map((w) => w.windowMs));
    this.#stamps = stamps.slice(-this.#keep);
  }

  /** The earliest time, not before `now`, at which one more call stays within every window. */
  nextAllowedAt(now: number): number {
    let at = now;
    for (const w of this.#windows) {
      const stamp = this.#stamps[this.#stamps.length - w.limit];
      if (stamp !== undefined) at = Math.max(at, stamp + w.windowMs);
    }
    return at;
  }

  /** Counts a call dispatched at `at` (times must not go backwards). */
  record(at: number): void {
    this.#stamps.push(at);
    if (this.#stamps.length > this.#keep) this.#stamps.splice(0, this.#stamps.length - this.#keep);
  }

  /** True when no past call constrains any future one, so the limiter can be discarded. */
  idle(now: number): boolean {
    const last = this.#stamps.at(-1);
    return last === undefined || last + this.#longestMs <= now;
  }

  /** A limiter with other windows that keeps this one's history (a chat's type became known). */
  reconfigure(windows: readonly RateWindow[]): SlidingWindowLimiter {
    return new SlidingWindowLimiter(windows, this.#stamps);
  }
}

/**
 * Guesses a chat's type from its id when the caller did not say: Telegram gives users and
 * bots positive ids and groups, supergroups and channels negative ones; `@username` strings
 * only name public groups and channels.
 */
export function inferChatType(chatId: ChatId): ChatType {
  if (typeof chatId === 'string') {
    const n = Number(chatId);
    return Number.isFinite(n) && n > 0 ? 'private' : 'group';
  }
  return chatId > 0 ? 'private' : 'group';
}
