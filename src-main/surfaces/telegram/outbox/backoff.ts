/** Exponential backoff with jitter for network errors and Telegram 5xx answers. */

/** How retries of failed calls are spaced and how often a non-critical call is tried. */
export interface BackoffConfig {
  /** Delay before the first retry, before jitter. */
  readonly baseMs: number;
  /** Ceiling for any single delay (critical calls keep retrying at this pace). */
  readonly maxMs: number;
  /** Attempts in total before a non-critical call is given up. */
  readonly maxAttempts: number;
}

/**
 * Delay before retry number `failures` (1 for the first retry): `baseMs * 2^(failures-1)`,
 * capped at `maxMs`, then jittered into its upper half so that many chats recovering from the
 * same outage do not retry in lockstep. `random` returns a number in [0, 1).
 */
export function backoffDelay(failures: number, config: BackoffConfig, random: () => number): number {
  const exp = Math.min(config.maxMs, config.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
