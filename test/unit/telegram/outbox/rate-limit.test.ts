import { describe, expect, it } from 'vitest';
import { backoffDelay, inferChatType, OutboxConfigError, resolveLimits, SlidingWindowLimiter } from '../../../../src-main/surfaces/telegram/outbox/index.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` calls in any window and says when the next may go', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 3, windowMs: 1000 }]);
    for (const at of [0, 10, 20]) {
      expect(limiter.nextAllowedAt(at)).toBe(at);
      limiter.record(at);
    }
    expect(limiter.nextAllowedAt(30)).toBe(1000);
    limiter.record(1000);
    expect(limiter.nextAllowedAt(1000)).toBe(1010);
  });

  it('applies every window at once', () => {
    const limiter = new SlidingWindowLimiter([
      { limit: 1, windowMs: 3000 },
      { limit: 2, windowMs: 60_000 },
    ]);
    limiter.record(0);
    expect(limiter.nextAllowedAt(0)).toBe(3000);
    limiter.record(3000);
    expect(limiter.nextAllowedAt(3000)).toBe(60_000);
    expect(limiter.idle(61_000)).toBe(false);
    expect(limiter.idle(63_000)).toBe(true);
  });

  it('keeps its history when reconfigured', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 1000 }]);
    limiter.record(500);
    expect(limiter.reconfigure([{ limit: 1, windowMs: 3000 }]).nextAllowedAt(600)).toBe(3500);
  });

  it('refuses windows that cannot work', () => {
    expect(() => new SlidingWindowLimiter([])).toThrow(OutboxConfigError);
    expect(() => new SlidingWindowLimiter([{ limit: 0, windowMs: 1000 }])).toThrow(/positive integer/);
  });
});

describe('inferChatType', () => {
  it('reads the id sign: users positive, groups and channels negative or @username', () => {
    expect(inferChatType(123456)).toBe('private');
    expect(inferChatType(-1001234567890)).toBe('group');
    expect(inferChatType('@reins_channel')).toBe('group');
    expect(inferChatType('987')).toBe('private');
  });
});

describe('backoffDelay', () => {
  const config = { baseMs: 500, maxMs: 4000, maxAttempts: 5 };

  it('doubles per failure, caps at maxMs, and jitters within the upper half', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, config, () => 0))).toEqual([250, 500, 1000, 2000, 2000, 2000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, config, () => 0.999999))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('resolveLimits', () => {
  it('merges overrides into the defaults', () => {
    const limits = resolveLimits({ editIntervalMs: 500, backoff: { maxAttempts: 2 } });
    expect(limits.editIntervalMs).toBe(500);
    expect(limits.backoff).toEqual({ baseMs: 500, maxMs: 30_000, maxAttempts: 2 });
    expect(limits.private).toEqual([{ limit: 1, windowMs: 1000 }]);
  });

  it('rejects unusable values', () => {
    expect(() => resolveLimits({ maxInFlight: 0 })).toThrow(OutboxConfigError);
    expect(() => resolveLimits({ editIntervalMs: -1 })).toThrow(/editIntervalMs/);
  });
});
