/**
 * `reins run` in a real terminal (a pseudo-terminal): the real claude behind a real core asks to
 * run a command, the card shows in the terminal, a key press decides it, and the run follows the
 * turn to its end. Also: deny with a reason typed in place, and Ctrl-C detaching while the session
 * goes on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as ptySpawn, type IPty } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));

let h: Harness | undefined;
let term: IPty | undefined;
afterEach(async () => {
  term?.kill();
  term = undefined;
  await h?.close();
  h = undefined;
});

/** `reins …` in a pseudo-terminal: what it showed so far, and its exit code once it ends. */
function inTerminal(args: string[]): { screen: () => string; exited: Promise<number> } {
  let out = '';
  term = ptySpawn(process.execPath, [CLI, ...args], { cols: 160, rows: 50, cwd: h!.project, env: process.env as Record<string, string> });
  term.onData((data) => {
    out += data;
  });
  const exited = new Promise<number>((resolve) => term!.onExit(({ exitCode }) => resolve(exitCode)));
  return { screen: () => out, exited };
}
const shows = (t: { screen: () => string }, text: string | RegExp) =>
  waitFor(() => ((typeof text === 'string' ? t.screen().includes(text) : text.test(t.screen())) ? true : undefined), `the terminal to show ${text}`);

describe('reins run in a terminal', () => {
  it('shows the approval card, takes a key (an unknown one shows the keys again), and follows the turn to its end', async () => {
    h = await startHarness();
    const t = inTerminal(['run', '--home', h.home, '--cwd', h.project, 'RUN: touch from-the-terminal.txt']);
    await shows(t, '[a] allow  [s] allow for this session  [d] deny  [r] deny with a reason');
    expect(t.screen()).toContain('? Run touch from-the-terminal.txt');
    term!.write('x');
    await waitFor(() => (t.screen().split('[a] allow  [s]').length === 3 ? true : undefined), 'the keys shown again');
    term!.write('a');
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(existsSync(join(h.project, 'from-the-terminal.txt'))).toBe(true);
    expect(screen).toContain('● Run touch from-the-terminal.txt');
    expect(screen).toMatch(/✔ allowed by \S+ via cli/);
    expect(screen).toContain('⎿ done');
    expect(screen).toContain('Tool Bash finished. is_error=false');
    expect(screen).toMatch(/project is idle\./);
  });

  it('denies with a reason typed in place; Ctrl-C detaches and the session goes on', async () => {
    h = await startHarness();
    const t = inTerminal(['run', '--home', h.home, '--cwd', h.project, 'RUN: touch never.txt']);
    await shows(t, '[r] deny with a reason');
    term!.write('r');
    await shows(t, 'Reason (the agent reads it):');
    term!.write('use the build folder\r');
    await shows(t, /✘ denied by \S+ via cli/);
    expect(await t.exited).toBe(0);
    expect(existsSync(join(h.project, 'never.txt'))).toBe(false);
    expect(t.screen()).toContain('use the build folder');

    const slow = inTerminal(['run', '--home', h.home, '--cwd', h.project, 'SLOW: 4000 still going']);
    await shows(slow, 'Following it here');
    const id = /Started session (\S+)/.exec(slow.screen())![1]!;
    await waitFor(async () => ((await h!.api.session(id)).state === 'running' ? true : undefined), 'the turn to run');
    term!.write('\x03');
    expect(await slow.exited).toBe(0);
    expect(slow.screen()).toContain(`Detached; the session goes on. Follow it again with \`reins attach ${id.slice(0, 8)}\``);
    expect((await h.api.session(id)).state).toBe('running');
  });
});
