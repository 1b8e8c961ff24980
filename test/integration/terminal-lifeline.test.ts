/**
 * A terminal cannot outlive its core: a stand-in core starts a shell in a PTY under the watcher and is
 * killed with -9; the shell and a `nohup` job it started (which the terminal's hang-up alone would
 * not end) are gone within a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'vitest';
import { processesWith } from '../helpers/process-table.ts';
import { waitFor } from '../helpers/wait-for.ts';

const MARKER = String(20_000 + (process.pid % 70_000));
const HOLDER = fileURLToPath(new URL('../fixtures/lifeline/hold-pty.ts', import.meta.url));
let holder: ChildProcess | undefined;
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
});

describe('the terminal lifeline', () => {
  it('kill -9 of the core ends the shell and its nohup job', async () => {
    holder = spawn(process.execPath, [HOLDER, `nohup sleep ${MARKER}1 >/dev/null 2>&1 & sleep ${MARKER}2`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: holder.stdout! }).on('line', (l) => lines.push(l));
    await waitFor(() => lines[0], 'the shell pid');
    await waitFor(() => processesWith(MARKER).length >= 2, 'both sleeps running', 10_000);
    holder.kill('SIGKILL');
    await waitFor(() => processesWith(MARKER).length === 0, 'every process of the terminal gone', 5000);
  });
});
