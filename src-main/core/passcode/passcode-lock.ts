/**
 * The lock after wrong passcodes: the fifth wrong try in a row locks phone allows of critical
 * approvals and phone policy changes for a while; a right try starts the count over.
 */

/** Wrong tries in a row that lock. */
export const PASSCODE_MAX_TRIES = 5;
/** How long a lock lasts. */
export const PASSCODE_LOCK_MS = 15 * 60_000;

/** The persisted count and lock. */
export interface LockState {
  failedTries: number;
  lockedUntil: number | null;
}

/** Whether the phone is locked out at `now`. */
export function isLocked(s: LockState, now: number): boolean {
  return s.lockedUntil !== null && s.lockedUntil > now;
}

/**
 * The state after one wrong try at `now`. A lock that ran out counts as over: the count starts
 * again from zero. The try that locks resets the count, so the next lock again takes five.
 */
export function afterWrongTry(s: LockState, now: number, lockMs: number, maxTries: number): LockState & { locked: boolean } {
  const tries = (s.lockedUntil !== null && s.lockedUntil <= now ? 0 : s.failedTries) + 1;
  if (tries >= maxTries) return { failedTries: 0, lockedUntil: now + lockMs, locked: true };
  return { failedTries: tries, lockedUntil: null, locked: false };
}
