/**
 * A wall clock and timers that move only when a test says so, and can fall apart the way a laptop's
 * do: while the computer sleeps the wall clock jumps ahead but timers (a monotonic clock) stand still.
 */
import type { Clock, Timers } from '../../src-main/core/clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** See {@link sleepyClock}. */
export interface SleepyClock {
  clock: Clock;
  timers: Timers;
  /** Time passes awake: wall clock and timers move together, due timers fire in order. */
  advance(ms: number): Promise<void>;
  /** The computer sleeps for `ms`: only the wall clock moves; no timer fires. */
  sleep(ms: number): void;
  /** Wall-clock time at which the next timer fires, if any. */
  nextTimerIn(): number | null;
}

/** Creates a {@link SleepyClock} whose wall clock starts at `startMs`. */
export function sleepyClock(startMs: number): SleepyClock {
  let wall = startMs;
  let mono = 0;
  let seq = 0;
  const pending = new Set<Pending>();
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    clock: { now: () => wall },
    timers: {
      setTimeout(fn, ms) {
        const t: Pending = { at: mono + Math.max(0, ms), seq: seq++, fn };
        pending.add(t);
        return t;
      },
      clearTimeout(handle) {
        pending.delete(handle as Pending);
      },
    },
    async advance(ms) {
      const target = mono + ms;
      await settle();
      for (;;) {
        const due = [...pending].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        pending.delete(due);
        wall += due.at - mono;
        mono = due.at;
        due.fn();
        await settle();
      }
      wall += target - mono;
      mono = target;
      await settle();
    },
    sleep(ms) {
      wall += ms;
    },
    nextTimerIn() {
      const next = [...pending].sort((a, b) => a.at - b.at)[0];
      return next ? next.at - mono : null;
    },
  };
}
