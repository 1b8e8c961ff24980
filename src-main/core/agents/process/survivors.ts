/**
 * Agents a dead core left behind. The watcher of each agent (lifeline.ts) normally ends it within
 * milliseconds of its core's death; this is the check a new core makes before it resumes anything,
 * for the cases the watcher could not cover (it was killed, the machine was suspended mid-way).
 * A recorded agent still running as the very same process (same identity, so never a stranger that
 * reused the pid) is killed with its whole tree, and its end awaited.
 */
import { readFileSync } from 'node:fs';
import { processIdentity } from '../../host/process-identity.ts';
import { killProcessTree } from './kill-tree.ts';

/** What the store knows of one agent process. */
export interface AgentProcessRef {
  pid: number;
  identity: string | null;
}

/** How long to wait for a killed agent to be gone. */
const GONE_WAIT_MS = 2000;
const POLL_MS = 20;

/** Sleeps synchronously (start-up code, before anything else runs). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** True while `ref` is still the same live process (a zombie has no identity left to match). */
function stillRunning(ref: AgentProcessRef): boolean {
  if (ref.identity === null) return false;
  const now = processIdentity(ref.pid);
  return now !== null && now === ref.identity && !isZombie(ref.pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Ends every agent in `refs` that still runs, with everything it started; returns how many were
 * found running. Waits (bounded) until each is gone.
 */
export function endSurvivors(refs: readonly AgentProcessRef[]): number {
  const alive = refs.filter(stillRunning);
  for (const ref of alive) killProcessTree(ref.pid);
  const deadline = Date.now() + GONE_WAIT_MS;
  while (alive.some(stillRunning) && Date.now() < deadline) sleepSync(POLL_MS);
  return alive.length;
}
