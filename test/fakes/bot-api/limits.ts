import type { Clock } from './clock.ts';

/**
 * Flood limits, as Telegram documents them in the bots FAQ: about one message per second in a
 * private chat (short bursts tolerated), 20 messages per minute in a group, 30 messages per second
 * across all chats. Edits count against the chat they edit. Set a value to `Infinity` to lift it.
 */
export interface RateLimitConfig {
  /** Sustained sends per second in one private chat. */
  readonly privatePerSecond: number;
  /** Sends a private chat may burst above that rate after being idle. */
  readonly privateBurst: number;
  /** Sends per rolling minute in one group or supergroup. */
  readonly groupPerMinute: number;
  /** Sends per rolling second across every chat. */
  readonly globalPerSecond: number;
}

/** The limits Telegram applies to an ordinary bot. */
export const TELEGRAM_RATE_LIMITS: RateLimitConfig = {
  privatePerSecond: 1,
  privateBurst: 3,
  groupPerMinute: 20,
  globalPerSecond: 30,
};

/** Which limit a request passed. */
type LimitScope = 'private-chat' | 'group-chat' | 'global';

/** A request the fake refused with 429; a well-behaved client produces none. */
export interface RateLimitViolation {
  readonly method: string;
  readonly chatId: number;
  readonly scope: LimitScope;
  /** Clock time of the refused request, in ms. */
  readonly at: number;
  /** The `retry_after` sent back, in seconds. */
  readonly retryAfter: number;
}

/** Outcome of {@link RateLimiter.take}. */
export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly scope: LimitScope; readonly retryAfter: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Counts sends per chat and overall. `take` either consumes one slot from every limit that applies
 * or, if any is exhausted, consumes nothing and says how long to wait (whole seconds, at least 1,
 * as Telegram's `retry_after`).
 */
export class RateLimiter {
  private readonly config: RateLimitConfig;
  private readonly clock: Clock;
  private readonly privateBuckets = new Map<number, Bucket>();
  private readonly groupWindows = new Map<number, number[]>();
  private globalWindow: number[] = [];

  constructor(config: RateLimitConfig, clock: Clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Takes one send slot for `chatId` if every applicable limit allows it. */
  take(chatId: number, chatKind: 'private' | 'group'): TakeResult {
    const now = this.clock.now();
    this.globalWindow = this.globalWindow.filter((t) => t > now - 1000);
    if (this.globalWindow.length >= this.config.globalPerSecond) {
      return refuse('global', (this.globalWindow[0] ?? now) + 1000 - now);
    }
    if (chatKind === 'private') {
      const bucket = this.refill(chatId, now);
      if (bucket.tokens < 1) return refuse('private-chat', ((1 - bucket.tokens) / this.config.privatePerSecond) * 1000);
      bucket.tokens -= 1;
    } else {
      const window = (this.groupWindows.get(chatId) ?? []).filter((t) => t > now - 60_000);
      this.groupWindows.set(chatId, window);
      if (window.length >= this.config.groupPerMinute) return refuse('group-chat', (window[0] ?? now) + 60_000 - now);
      window.push(now);
    }
    this.globalWindow.push(now);
    return { ok: true };
  }

  private refill(chatId: number, now: number): Bucket {
    const { privateBurst, privatePerSecond } = this.config;
    const bucket = this.privateBuckets.get(chatId) ?? { tokens: privateBurst, updatedAt: now };
    const gained = now > bucket.updatedAt ? ((now - bucket.updatedAt) / 1000) * privatePerSecond : 0;
    bucket.tokens = Math.min(privateBurst, bucket.tokens + gained);
    bucket.updatedAt = now;
    this.privateBuckets.set(chatId, bucket);
    return bucket;
  }
}

function refuse(scope: LimitScope, waitMs: number): TakeResult {
  return { ok: false, scope, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
}
