import type { Db } from '../db.ts';

/** The passcode row: the PHC hash (never the passcode) and the lock after wrong tries. */
export interface PasscodeRow {
  hash: string | null;
  setAt: number | null;
  failedTries: number;
  lockedUntil: number | null;
}

/** The one-row `passcode` table (migration 0090). */
export function createPasscodeRepo(db: Db) {
  const get = db.prepare<[], { hash: string | null; set_at: number | null; failed_tries: number; locked_until: number | null }>(
    'SELECT hash, set_at, failed_tries, locked_until FROM passcode WHERE id = 1',
  );
  const setHash = db.prepare('UPDATE passcode SET hash = ?, set_at = ?, failed_tries = 0, locked_until = NULL WHERE id = 1');
  const setLock = db.prepare('UPDATE passcode SET failed_tries = ?, locked_until = ? WHERE id = 1');
  return {
    get(): PasscodeRow {
      const r = get.get();
      return r === undefined
        ? { hash: null, setAt: null, failedTries: 0, lockedUntil: null }
        : { hash: r.hash, setAt: r.set_at, failedTries: r.failed_tries, lockedUntil: r.locked_until };
    },
    /** Sets (or with null clears) the hash; either way the wrong tries and the lock start over. */
    setHash(hash: string | null, now: number | null): void {
      setHash.run(hash, now);
    },
    setLock(failedTries: number, lockedUntil: number | null): void {
      setLock.run(failedTries, lockedUntil);
    },
  };
}
