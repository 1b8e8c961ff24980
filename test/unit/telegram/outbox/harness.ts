/** Wiring for outbox tests: a manual clock, the fake Bot API, a recording logger, the outbox. */
import { createOutbox, type Outbox, type OutboxLimitsInput, type OutboxLogger } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import { manualClock, type ManualClock } from '../../../helpers/manual-clock.ts';
import { fakeTelegram, type FakeLimits, type FakeTelegram } from './fake-telegram.ts';

/** A logged line. */
interface LogLine {
  readonly level: 'debug' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/** What a test gets from {@link harness}. */
export interface Harness {
  readonly clock: ManualClock;
  readonly fake: FakeTelegram;
  readonly outbox: Outbox;
  readonly logs: LogLine[];
  readonly sent: Array<{ ref: string; messageId: number }>;
  /** Stops the outbox, running the clock as needed; call in afterEach. */
  dispose(): Promise<void>;
}

/** Builds an outbox on a fake Bot API. Jitter is fixed at 0.5 unless `random` is given. */
export function harness(options: { latencyMs?: number; limits?: OutboxLimitsInput; fakeLimits?: FakeLimits; random?: () => number } = {}): Harness {
  const clock = manualClock();
  const fake = fakeTelegram(clock, {
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.fakeLimits === undefined ? {} : { limits: options.fakeLimits }),
  });
  const logs: LogLine[] = [];
  const logger: OutboxLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
  };
  const sent: Array<{ ref: string; messageId: number }> = [];
  const outbox = createOutbox({
    call: fake.call,
    clock,
    sleep: clock.sleep,
    logger,
    random: options.random ?? (() => 0.5),
    onSent: (ref, messageId) => sent.push({ ref, messageId }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  return { clock, fake, outbox, logs, sent, dispose: () => clock.settle(outbox.stop()) };
}

/** Lets a promise's rejection be asserted later without an unhandled-rejection warning. */
export function capture<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
