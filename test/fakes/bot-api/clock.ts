/** Time source for flood limits, callback-query expiry, message dates and update retention. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock; use it when a real client (grammY) drives the fake in real time. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when the test says so, for limits and expiry without sleeping.
 * Long-poll timeouts still run on real timers: they pace a real HTTP client.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`ManualClock.advance needs a non-negative step, got ${ms}`);
    this.current += ms;
  }
}
