/**
 * Reading the machine's process table (Linux /proc) in tests: which processes are still alive,
 * so that "no agent outlives its core" is checked against the OS, not against what Reins believes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A live process: pid, parent, group, state and command line. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  cmdline: string;
}

/** Every process that is not a zombie. */
export function liveProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z' || f[0] === 'X') continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(name), ppid: Number(f[1]), pgid: Number(f[2]), state: f[0] ?? '?', cmdline });
    } catch {
      // Gone while reading: not alive.
    }
  }
  return out;
}

/** Live processes whose command line contains `marker`. */
export function processesWith(marker: string): ProcessInfo[] {
  return liveProcesses().filter((p) => p.cmdline.includes(marker));
}
