/** Default limits of the outbox and the merge of a caller's overrides. */
import { OutboxConfigError } from './errors.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';
import type { OutboxLimits, OutboxLimitsInput } from './types.ts';

/**
 * Telegram's published guidance, kept a little under where it has to: about 1 message/s in a
 * private chat; 20 messages/minute in a group, spread to one every 3 s so a flood of edits
 * cannot use the minute up front and hold an approval card back for most of a minute;
 * 30 calls/s for the bot.
 */
const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  global: [{ limit: 30, windowMs: 1000 }],
  private: [{ limit: 1, windowMs: 1000 }],
  group: [
    { limit: 1, windowMs: 3000 },
    { limit: 20, windowMs: 60_000 },
  ],
  editIntervalMs: 2000,
  maxInFlight: 8,
  backoff: { baseMs: 500, maxMs: 30_000, maxAttempts: 5 },
  fallbackRetryAfterS: 5,
  callTimeoutMs: 60_000,
  stopGraceMs: 2000,
  refCapacity: 10_000,
};

/** Fills unset fields from {@link DEFAULT_OUTBOX_LIMITS}; throws `OutboxConfigError` on nonsense. */
export function resolveLimits(input: OutboxLimitsInput = {}): OutboxLimits {
  const limits: OutboxLimits = {
    ...DEFAULT_OUTBOX_LIMITS,
    ...input,
    backoff: { ...DEFAULT_OUTBOX_LIMITS.backoff, ...input.backoff },
  };
  for (const windows of [limits.global, limits.private, limits.group]) new SlidingWindowLimiter(windows);
  const nonNegative: Array<[string, number]> = [
    ['editIntervalMs', limits.editIntervalMs],
    ['fallbackRetryAfterS', limits.fallbackRetryAfterS],
    ['stopGraceMs', limits.stopGraceMs],
    ['backoff.baseMs', limits.backoff.baseMs],
    ['backoff.maxMs', limits.backoff.maxMs],
  ];
  for (const [name, value] of nonNegative) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new OutboxConfigError(`${name} must be a finite number >= 0, got ${value}`);
  }
  if (!(limits.callTimeoutMs > 0)) throw new OutboxConfigError(`callTimeoutMs must be > 0, got ${limits.callTimeoutMs}`);
  const positiveInts: Array<[string, number]> = [
    ['maxInFlight', limits.maxInFlight],
    ['backoff.maxAttempts', limits.backoff.maxAttempts],
    ['refCapacity', limits.refCapacity],
  ];
  for (const [name, value] of positiveInts) {
    if (!Number.isInteger(value) || value < 1) throw new OutboxConfigError(`${name} must be a positive integer, got ${value}`);
  }
  return limits;
}
