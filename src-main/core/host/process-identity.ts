import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Boot time and start time through `sysctl`/`ps` (macOS and the BSDs, which have no /proc). */
function identityFromPs(pid: number): string | null {
  try {
    const boot = execFileSync('sysctl', ['-n', 'kern.boottime'], { encoding: 'utf8', timeout: 2000 }).trim();
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim();
    return boot && started ? `${boot}:${started}` : null;
  } catch {
    return null;
  }
}

/**
 * A key that tells one process apart from a later one that got the same pid: the boot id plus the
 * process's start time (Linux `/proc`; macOS `sysctl` + `ps`). Null where the OS exposes neither or
 * the process does not exist; callers must then not act on the pid alone.
 */
export function processIdentity(pid: number): string | null {
  if (process.platform === 'darwin') return identityFromPs(pid);
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
