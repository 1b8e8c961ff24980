/**
 * Starts schedules on time, driven by the injected clock and timers (tests move both by hand).
 *
 * Why a capped wait: a computer that sleeps stops the timers' monotonic clock but not the wall
 * clock, so a timer armed for 09:00 at 18:00 the day before would fire hours late after a night's
 * sleep. The scheduler therefore never waits longer than `maxWaitMs` and compares the wall clock on
 * each wake: a schedule whose time passed by more than `toleranceMs` was missed, and runs once now,
 * saying so; the slots it skipped are not made up one by one.
 *
 * Why the first look waits `startDelayMs`: hosts start their surfaces (the API, the Telegram bridge)
 * after the core, and a run missed while Reins was down should be announced where the owner sees it.
 */
import type { Schedule } from '../../contract/index.ts';
import type { Clock, Timers } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { nextRunAfter, timeOfDayInZone } from './cron.ts';

/** One start of a schedule: when it was due, and why it is late if it is. */
interface ScheduledRun {
  scheduledFor: number;
  missed: boolean;
  /** "missed at 03:00 while the computer slept; running now", or null when on time. */
  lateNote: string | null;
}

export interface SchedulerDeps {
  store: Pick<Store, 'schedules'>;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Starts the schedule's session; it must not throw (failures are its to record). */
  fire(schedule: Schedule, run: ScheduledRun): void;
  /** How late a start may be and still count as on time. */
  toleranceMs?: number;
  /** Longest wait between two looks at the wall clock. */
  maxWaitMs?: number;
  /** How long after `start()` the first look happens. */
  startDelayMs?: number;
}

const DEFAULT_TOLERANCE_MS = 2 * 60_000;
const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_START_DELAY_MS = 10_000;

/** The scheduler: `start()` once (it runs what was missed while Reins was down), `changed()` after an edit. */
export function createScheduler(deps: SchedulerDeps) {
  const { store, clock, timers, log } = deps;
  const tolerance = deps.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const maxWait = deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  let timer: unknown = null;
  let stopped = false;
  /** Wall-clock time of the first look; null once it happened. */
  let firstLookAt: number | null = null;

  /** Starts every schedule that is due; `why` names what kept a late one from running in time. */
  const check = (why: 'the computer slept' | 'Reins was not running'): void => {
    const now = clock.now();
    for (const s of store.schedules.list()) {
      if (!s.enabled || s.nextRunAt === null || s.nextRunAt > now) continue;
      const missed = now - s.nextRunAt > tolerance;
      let next: number | null;
      try {
        next = nextRunAfter(s.cron, s.timeZone, now);
      } catch (err) {
        log.warn({ schedule: s.name, err: (err as Error).message }, 'schedule.unreadable');
        next = null;
      }
      // Recorded before the start: a crash during it must not start the same run twice.
      store.schedules.setRun(s.name, now, next);
      const lateNote = missed ? `missed at ${timeOfDayInZone(s.nextRunAt, s.timeZone)} while ${why}; running now` : null;
      deps.fire(s, { scheduledFor: s.nextRunAt, missed, lateNote });
    }
  };

  const arm = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const now = clock.now();
    const due =
      firstLookAt ??
      Math.min(
        ...store.schedules
          .list()
          .filter((s) => s.enabled && s.nextRunAt !== null)
          .map((s) => s.nextRunAt as number),
      );
    if (due === Infinity) return;
    timer = timers.setTimeout(
      () => {
        timer = null;
        // Late at the first look means Reins was down; at any later one, the timers stood still.
        check(firstLookAt === null ? 'the computer slept' : 'Reins was not running');
        firstLookAt = null;
        arm();
      },
      Math.min(maxWait, Math.max(0, due - now)),
    );
  };

  return {
    /** Shortly after start, runs what came due while Reins was down (once each); then waits for the next one. */
    start(): void {
      firstLookAt = clock.now() + (deps.startDelayMs ?? DEFAULT_START_DELAY_MS);
      arm();
    },
    /** A schedule was added, removed, paused or resumed: wait for the right time again. */
    changed(): void {
      arm();
    },
    stop(): void {
      stopped = true;
      arm();
    },
  };
}
