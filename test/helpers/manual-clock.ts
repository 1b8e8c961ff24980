/**
 * A clock and sleep that only move when a test says so. Inject `now` and `sleep` where code
 * takes a clock; call `advance(ms)` (or `settle(promise)`) to run time forward without waiting.
 */

/** A test-controlled clock; see {@link manualClock}. */
export interface ManualClock {
  /** Current time in ms. */
  now(): number;
  /** Resolves when the clock reaches now + ms; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Moves time forward by `ms`, firing due sleeps one by one in time order and letting the
   * code they wake run (microtasks and immediates) before the next one fires.
   */
  advance(ms: number): Promise<void>;
  /** Runs time forward, sleep by sleep, until `promise` settles; returns its value or throws its error. */
  settle<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
  /** Sleeps not yet fired or aborted. */
  pendingTimers(): number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** Creates a {@link ManualClock} starting at `start` ms. */
export function manualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const timers: Timer[] = [];

  const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  const nextDue = (limit: number): Timer | undefined => {
    let next: Timer | undefined;
    for (const t of timers) {
      if (t.at <= limit && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
    }
    return next;
  };

  const clock: ManualClock = {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(signal?.reason);
        };
        const timer: Timer = {
          at: now + ms,
          seq: (seq += 1),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        timers.push(timer);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (let timer = nextDue(target); timer !== undefined; timer = nextDue(target)) {
        timers.splice(timers.indexOf(timer), 1);
        now = Math.max(now, timer.at);
        timer.resolve();
        await flush();
      }
      now = target;
      await flush();
    },
    async settle(promise, maxMs = 3_600_000) {
      let done = false;
      const watched = promise.then(
        (value) => {
          done = true;
          return value;
        },
        (err: unknown) => {
          done = true;
          throw err;
        },
      );
      watched.catch(() => undefined);
      const deadline = now + maxMs;
      await flush();
      while (!done) {
        const next = nextDue(deadline);
        if (next === undefined) {
          throw new Error(`manualClock.settle: the promise is still pending at ${now} ms and no sleep is due before ${deadline} ms`);
        }
        await clock.advance(next.at - now);
      }
      return watched;
    },
    pendingTimers: () => timers.length,
  };
  return clock;
}

/**
 * The core's timer functions on a {@link ManualClock}: a timeout fires when `advance` reaches it,
 * and clearing one drops it. Pass both (`clock`, `timers`) to code that takes a clock and timers.
 */
export function manualTimers(clock: ManualClock): { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void } {
  return {
    setTimeout(fn, ms) {
      const cancel = new AbortController();
      clock.sleep(ms, cancel.signal).then(fn, () => undefined);
      return cancel;
    },
    clearTimeout(handle) {
      (handle as AbortController).abort();
    },
  };
}
