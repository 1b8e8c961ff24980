/**
 * Terminal sessions: a real shell in a real pseudo-terminal, driven through the API like any session;
 * output recorded as events, keystrokes and resizes from the API, every input audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { processesWith } from '../helpers/process-table.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** A sleep long enough never to end by itself, unique to this run so it can be found in the process table. */
const SLEEP_MARK = String(30_000 + (process.pid % 60_000));
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const output = (events: SessionEvent[]): string => events.flatMap((e) => (e.kind === 'terminal_output' ? [e.payload.data] : [])).join('');

async function waitOutput(id: string, pattern: RegExp, what: string): Promise<string> {
  return waitFor(
    async () => {
      const text = output(await h!.api.events(id));
      return pattern.test(text) ? text : undefined;
    },
    what,
    20_000,
  );
}

describe('terminal sessions', () => {
  it('runs the first message in a shell, takes keystrokes and resizes, and audits every input', async () => {
    h = await startHarness({ agents: { terminal: { bin: '/bin/sh' } } });
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'terminal', cwd: h.project, prompt: 'echo "reins-$((40 + 2))"' });
    await waitOutput(session.id, /reins-42/, 'the first command to print');
    await h.api.post(`/sessions/${session.id}/resize`, { cols: 91, rows: 17 });
    await h.api.post(`/sessions/${session.id}/input`, { data: 'stty size\r' });
    await waitOutput(session.id, /17 91/, 'the new size');
    // Ctrl-C ends a running command; the shell lives on. It is sent once the command runs in the
    // foreground: before that, the terminal would deliver it to the shell itself.
    await h.api.post(`/sessions/${session.id}/input`, { data: `sleep ${SLEEP_MARK}\r` });
    await waitFor(() => processesWith(`sleep ${SLEEP_MARK}`).length === 1, 'the sleep to run', 10_000);
    await h.api.post(`/sessions/${session.id}/input`, { data: '\x03' });
    await waitFor(() => processesWith(`sleep ${SLEEP_MARK}`).length === 0, 'Ctrl-C to end the sleep', 10_000);
    // Typed only now: the terminal flushes its pending input when Ctrl-C arrives.
    await h.api.post(`/sessions/${session.id}/input`, { data: 'echo after-ctrl-c\r' });
    await waitOutput(session.id, /\nafter-ctrl-c/, 'the shell to answer after Ctrl-C');
    const { entries } = await h.api.get<{ entries: AuditEntry[] }>('/audit?limit=50');
    expect(entries.filter((e) => e.type === 'terminal.input' && e.subject === session.id).map((e) => e.detail.data)).toEqual([
      'echo after-ctrl-c\r',
      '\x03',
      `sleep ${SLEEP_MARK}\r`,
      'stty size\r',
      'echo "reins-$((40 + 2))"',
    ]);
  });

  it('refuses keystrokes for a session that is not a terminal', async () => {
    h = await startHarness();
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'SAY: hi' });
    const r = await h.api.raw('POST', `/sessions/${session.id}/input`, { data: 'rm -rf ~\r' });
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: { message: string } }).error.message).toBe(`Session ${session.id} is not a terminal session.`);
  });

  it('ends the shell and what it started when the session stops', async () => {
    h = await startHarness({ agents: { terminal: { bin: '/bin/sh' } } });
    const { session } = await h.api.post<{ session: Session }>('/sessions', {
      agent: 'terminal',
      cwd: h.project,
      prompt: 'nohup sleep 300 >/dev/null 2>&1 & echo "bg=$! sh=$$"',
    });
    const text = await waitOutput(session.id, /bg=\d+ sh=\d+/, 'the background job');
    const [, bg, sh] = /bg=(\d+) sh=(\d+)/.exec(text)!.map(Number);
    await h.api.post(`/sessions/${session.id}/stop`);
    const gone = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    await waitFor(() => gone(sh!) && gone(bg!), 'the shell and its nohup job to be gone', 10_000);
  });
});
