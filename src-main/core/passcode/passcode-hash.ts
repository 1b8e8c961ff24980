/**
 * Hashing of the owner's passcode: argon2id through @node-rs/argon2, with OWASP's minimum
 * parameters (19 MiB, 2 passes, 1 lane: ~50 ms here). Only the PHC string (algorithm, parameters,
 * random salt, hash) is ever stored.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** argon2id. The package's `Algorithm` is a const enum, which erasable TypeScript cannot import as a value. */
const ARGON2ID = 2 as Algorithm;

/** OWASP Password Storage Cheat Sheet, argon2id option 5: m=19 MiB, t=2, p=1. */
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The PHC string of `passcode` under a fresh random salt. */
export function hashPasscode(passcode: string): Promise<string> {
  return hash(passcode, PARAMS);
}

/**
 * Whether `passcode` matches the PHC string `phc`. The comparison is argon2's own (constant time
 * in the hash); a stored value that is not a valid PHC string fails closed as a mismatch.
 */
export async function passcodeMatches(phc: string, passcode: string): Promise<boolean> {
  try {
    return await verify(phc, passcode);
  } catch {
    return false;
  }
}
