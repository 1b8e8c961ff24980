/**
 * No agent outlives its core: an agent started through the lifeline, with commands of its own in
 * new sessions (as Claude's Bash tool runs them) and in the background, is gone with everything it
 * started when its core is killed with -9, and when the core cuts the lifeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { processesWith } from '../helpers/process-table.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** Markers unique to this run, so that nothing left by another run can be mistaken for ours. */
const RUN = String(10_000 + (process.pid % 80_000));
const HOLDER = fileURLToPath(new URL('../fixtures/lifeline/hold-agent.ts', import.meta.url));
let holder: ChildProcess | undefined;
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
});

/** Processes carrying `marker`, other than the stand-in core itself (its command line holds the script). */
const agentProcesses = (marker: string) => processesWith(marker).filter((p) => p.pid !== holder?.pid);

/** Starts a stand-in core whose agent runs `script`; resolves the agent pid once `marker` processes run. */
async function startAgent(script: string, marker: string, count: number, extra: string[] = [], watcher = 'sh'): Promise<{ pid: number; lines: string[] }> {
  holder = spawn(process.execPath, [HOLDER, '/bin/sh', '-c', script, ...extra], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, WATCHER: watcher },
  });
  const lines: string[] = [];
  createInterface({ input: holder.stdout! }).on('line', (l) => lines.push(l));
  const pid = Number(await waitFor(() => lines[0], 'the agent pid'));
  await waitFor(() => agentProcesses(marker).length >= count, `${count} processes with ${marker}`);
  return { pid, lines };
}

/** An agent whose commands escape its process group: a new session, a background job, a plain child. */
const escaping = (m: string) => `setsid sleep ${m}1 & (trap '' HUP; sleep ${m}2) & nohup sleep ${m}3 >/dev/null 2>&1 & sleep ${m}4`;

describe('the lifeline', () => {
  it.each([
    ['the sh watcher', `${RUN}1`, 'sh'],
    ['the Node watcher (the one Windows uses)', `${RUN}4`, 'node'],
  ])('kill -9 of the core: %s ends the agent and every command it started, new sessions included', async (_label, marker, watcher) => {
    await startAgent(escaping(marker), marker, 4, [], watcher);
    const core = holder!;
    await new Promise<void>((done) => {
      core.once('exit', () => done());
      core.kill('SIGKILL');
    });
    await waitFor(() => agentProcesses(marker).length === 0, 'every agent process gone after the core died', 2000);
  });

  it('cutting the lifeline ends the tree while the core lives on', async () => {
    const marker = `${RUN}2`;
    const { lines } = await startAgent(escaping(marker), marker, 4);
    holder!.stdin!.write('cut\n');
    await waitFor(() => agentProcesses(marker).length === 0, 'every agent process gone after the cut', 3000);
    await waitFor(() => lines.find((l) => l.startsWith('exit ')), 'the agent exit reported to the core');
    expect(holder!.exitCode).toBeNull();
  });

  it('the agent runs with its arguments untouched by any shell', async () => {
    const marker = `${RUN}3`;
    const { lines } = await startAgent(`printf '%s\\n' "$0" ; sleep ${marker}`, marker, 1, ['$(touch /tmp/never)']);
    await waitFor(() => lines.includes('$(touch /tmp/never)'), 'the argument printed as given');
    holder!.stdin!.write('cut\n');
    await waitFor(() => agentProcesses(marker).length === 0, 'agent gone');
  });
});
