import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Another live core owns this data directory. */
export class CoreLockedError extends Error {
  override readonly name = 'CoreLockedError';
  readonly pid: number;
  constructor(lockPath: string, pid: number) {
    super(
      `Another Reins core (pid ${pid}) is running for this data directory (${lockPath}). ` +
        'Use it (`reins sessions`, or open the desktop app, which attaches to it), or stop it first.',
    );
    this.pid = pid;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the one-core-per-data-directory lock: a file created exclusively, holding our pid.
 * A lock left by a dead process (crash, kill -9) is taken over. Returns the release function.
 */
export function acquireLock(lockPath: string, pid = process.pid): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(pid)) unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(lockPath, 'utf8').trim());
      } catch {
        continue; // removed between our open and read: try again
      }
      // Our own pid counts as alive: a second core in this same process must be refused too.
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new CoreLockedError(lockPath, owner);
      try {
        unlinkSync(lockPath);
      } catch {
        // Someone else removed the stale lock first; the next attempt decides.
      }
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no Reins core is running.`);
}
