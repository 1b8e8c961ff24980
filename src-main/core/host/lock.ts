import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { processIdentity } from './process-identity.ts';

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

/** Lock file content: `<pid>` or `<pid> <identity>` (see processIdentity). */
function parseLock(text: string): { pid: number; identity: string | null } {
  const [pid, identity] = text.trim().split(' ');
  return { pid: Number(pid), identity: identity ?? null };
}

/**
 * Whether the lock's holder still runs. A live pid is not enough: after a reboot or pid reuse
 * another program may have the old core's pid, and Reins would refuse to start for no reason.
 */
function holderRuns(lock: { pid: number; identity: string | null }): boolean {
  if (!Number.isInteger(lock.pid) || lock.pid <= 0 || !isAlive(lock.pid)) return false;
  if (lock.identity === null) return true;
  const now = processIdentity(lock.pid);
  return now === null || now === lock.identity;
}

/**
 * Takes the one-core-per-data-directory lock: a file created exclusively, holding our pid and
 * process identity. A lock left by a dead process (crash, kill -9, reboot) is taken over; one
 * held by a live core — in another process or this one — is refused. Returns the release function.
 */
export function acquireLock(lockPath: string, pid = process.pid): () => void {
  const identity = processIdentity(pid);
  const content = identity ? `${pid} ${identity}` : String(pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, content);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === content) unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid: number; identity: string | null };
      try {
        holder = parseLock(readFileSync(lockPath, 'utf8'));
      } catch {
        continue; // removed between our open and read: try again
      }
      if (holderRuns(holder)) throw new CoreLockedError(lockPath, holder.pid);
      try {
        unlinkSync(lockPath);
      } catch {
        // Someone else removed the stale lock first; the next attempt decides.
      }
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no Reins core is running.`);
}
