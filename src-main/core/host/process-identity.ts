import { readFileSync } from 'node:fs';

/**
 * A key that tells one process apart from a later one that got the same pid: the boot id plus
 * the process's start time (Linux `/proc`). Null where the OS does not expose them; callers then
 * fall back to "the pid is alive".
 */
export function processIdentity(pid: number): string | null {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19];
    return startTime ? `${bootId}:${startTime}` : null;
  } catch {
    return null;
  }
}
