/** `reins logs [-f] [-n LINES]`: the daemon's log file as human lines, optionally followed. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatRecord } from '../../core/log-console.ts';
import { CliError } from '../client.ts';

/** How far back the tail reads: enough for thousands of records, bounded for a huge log. */
const TAIL_WINDOW_BYTES = 4 * 1024 * 1024;

function readRange(file: string, from: number, to: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The `-n LINES` option: a whole number of lines (0 allowed), `fallback` when absent. */
export function lineCount(value: string | undefined, fallback: number): number {
  const count = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(count) || count < 0) throw new CliError(`-n needs a number of lines, not "${value}"`, 2);
  return count;
}

/**
 * Prints the last `lines` records of `file` and, when `follow`, every record appended after them until
 * `signal` aborts (by default Ctrl-C). A log that shrinks (rotated or cut) is read again from its start.
 */
export async function logsCommand(o: {
  file: string;
  lines: string | undefined;
  follow: boolean;
  write: (text: string) => void;
  signal?: AbortSignal;
  pollMs?: number;
}): Promise<number> {
  const count = lineCount(o.lines, 50);
  const signal = o.signal ?? interruptSignal();
  let size: number;
  try {
    size = statSync(o.file).size;
  } catch {
    throw new CliError(`No daemon log at ${o.file} yet: start Reins (\`npm start\` or \`reins daemon\`), or pass the --home it uses.`);
  }
  const tail = readRange(o.file, Math.max(0, size - TAIL_WINDOW_BYTES), size)
    .split('\n')
    .filter(Boolean);
  for (const line of count === 0 ? [] : tail.slice(-count)) o.write(`${formatRecord(line)}\n`);
  let position = size;
  let partial = '';
  while (o.follow && !signal.aborted) {
    await sleep(o.pollMs ?? 500, undefined, { signal }).catch(() => undefined);
    let now: number;
    try {
      now = statSync(o.file).size;
    } catch {
      continue; // between a rotation's rename and the new file
    }
    if (now < position) {
      position = 0;
      partial = '';
    }
    if (now === position) continue;
    const text = partial + readRange(o.file, position, now);
    position = now;
    const complete = text.lastIndexOf('\n');
    partial = text.slice(complete + 1);
    for (const line of text
      .slice(0, complete + 1)
      .split('\n')
      .filter(Boolean))
      o.write(`${formatRecord(line)}\n`);
  }
  return 0;
}

/** Aborts on the first Ctrl-C: following a log ends there, cleanly. */
function interruptSignal(): AbortSignal {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  return stop.signal;
}
