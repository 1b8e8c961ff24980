/** The owner's optional passcode for the riskiest phone actions: its status and the one body that carries it. */
import { z } from 'zod';

/** The shortest passcode accepted. */
export const PASSCODE_MIN_LENGTH = 6;

/** Whether a passcode is set and whether phone approvals are locked after wrong tries; never the passcode. */
export interface PasscodeStatus {
  set: boolean;
  setAt: number | null;
  /** Phone allows of critical approvals and phone policy changes are refused until then (ms); null when not locked. */
  lockedUntil: number | null;
  /** Wrong tries since the last right one or the last lock. */
  failedTries: number;
  /** Wrong tries that lock. */
  maxTries: number;
}

/**
 * `PUT /passcode`: the only request that carries the passcode (to set or change it). The answer is
 * the status; the passcode is never sent back, stored or logged.
 */
export const setPasscodeBody = z.strictObject({
  passcode: z.string().min(PASSCODE_MIN_LENGTH, `a passcode needs at least ${PASSCODE_MIN_LENGTH} characters`).max(256),
});

/** The outcome of one passcode try from the phone. */
export type PasscodeCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'not_set' };
