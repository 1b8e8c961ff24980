/** `reins passcode set|status|clear` against a running core, the passcode piped in on stdin. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as ptySpawn } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const PASSCODE = 'heron-quarry-5520';

/** Runs `reins passcode …` with `input` on stdin (a pipe, not a terminal); never blocks the core in this process. */
function passcode(home: string, args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, 'passcode', ...args, '--home', home], { env: { ...process.env, REINS_HOME: home } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  child.stderr.on('data', (d: Buffer) => (err += String(d)));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill(), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

/**
 * Runs `reins passcode set` in a pseudo-terminal and types `typed` at each of its two prompts;
 * resolves with everything the terminal showed and the exit code.
 */
function setAtTerminal(home: string, typed: string): Promise<{ code: number; screen: string }> {
  const term = ptySpawn(process.execPath, [CLI, 'passcode', 'set', '--home', home], {
    cols: 120,
    rows: 10,
    env: { ...process.env, REINS_HOME: home } as Record<string, string>,
  });
  let screen = '';
  let answered = 0;
  term.onData((d) => {
    screen += d;
    const prompts = (screen.match(/New passcode: |Type it again: /g) ?? []).length;
    // Typed one key at a time, as a person would, with a backspace to correct a slip.
    if (prompts > answered) {
      answered++;
      term.write(`${typed}x\u007f\r`);
    }
  });
  const timer = setTimeout(() => term.kill(), 20_000);
  return new Promise((resolve) =>
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ code: exitCode, screen });
    }),
  );
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('reins passcode', () => {
  it('set (piped, then typed at a terminal without echo), status, change, clear; refusals say what to do; the passcode is only hashed', async () => {
    h = await startHarness();
    const outputs: string[] = [];
    const run = async (args: string[], input = '') => {
      const r = await passcode(h!.home, args, input);
      outputs.push(r.out, r.err);
      return r;
    };

    // What changes nothing runs side by side (each CLI start costs about a second).
    const [before, short, differ, once, usage] = await Promise.all([
      run(['status']),
      run(['set'], 'abc12\nabc12\n'),
      run(['set'], `${PASSCODE}\n${PASSCODE}x\n`),
      run(['set'], PASSCODE),
      run(['rotate']),
    ]);
    expect(before.out).toContain('Passcode: not set: `reins passcode set` adds one');
    expect(short).toMatchObject({ code: 2, out: '', err: 'reins: A passcode needs at least 6 characters; nothing was changed.\n' });
    expect(differ).toMatchObject({ code: 2, err: 'reins: The two passcodes differ; nothing was changed.\n' });
    expect(once.code).toBe(2);
    expect(once.err).toMatch(/^reins: Give the passcode twice, one per line/);
    expect(usage).toMatchObject({ code: 2, err: 'reins: Usage: reins passcode set|clear|status\n' });
    expect((await h.api.get<{ passcode: { set: boolean } }>('/passcode')).passcode.set).toBe(false);

    const set = await run(['set'], `${PASSCODE}\n${PASSCODE}\n`);
    expect(set).toMatchObject({ code: 0, err: '' });
    expect(set.out).toBe('✓ Passcode set. The phone now asks for it before allowing critical calls and before changing modes or grants.\n');
    const status = await run(['status']);
    expect(status.out).toMatch(/^Passcode: set \(since .+\)\nPhone: {4}not locked \(0 of 5 wrong tries\)\n$/);
    // At a terminal: asked twice, nothing echoed.
    const typed = await setAtTerminal(h.home, 'second-code-1');
    expect(typed.code).toBe(0);
    expect(typed.screen).toMatch(/New passcode: [\r\n]+Type it again: [\r\n]+✓ Passcode changed\./);
    expect(typed.screen).not.toContain('second-code');
    // What was stored is what was meant: the slip was erased, and the old passcode no longer passes.
    const phone = { by: 'telegram:1', surface: 'telegram' as const };
    expect(await h.daemon.core.passcode.check('second-code-1', phone, { what: 'a test' })).toEqual({ ok: true });
    expect(await h.daemon.core.passcode.check(PASSCODE, phone, { what: 'a test' })).toMatchObject({ ok: false, reason: 'wrong' });
    // Four more wrong tries from the phone lock it; the CLI says until when.
    for (let i = 0; i < 4; i++) await h.daemon.core.passcode.check(`${PASSCODE}-${i}`, phone, { what: 'a test' });
    const lockedUntil = h.daemon.core.passcode.status().lockedUntil;
    expect(lockedUntil).not.toBeNull();
    expect((await run(['status'])).out).toContain(
      `Phone:    locked until ${new Date(lockedUntil!).toLocaleTimeString()} after 5 wrong passcodes; decide here or on the desktop\n`,
    );

    const db = join(h.home, 'reins.db');
    const files = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(files.includes(Buffer.from('$argon2id$'))).toBe(true);
    expect(files.includes(Buffer.from(PASSCODE))).toBe(false);
    expect(files.includes(Buffer.from('second-code-1'))).toBe(false);

    expect((await run(['clear'])).out).toBe('✓ Passcode cleared: the phone no longer asks for one.\n');
    expect((await h.api.get<{ passcode: { set: boolean; lockedUntil: number | null } }>('/passcode')).passcode).toMatchObject({
      set: false,
      lockedUntil: null,
    });

    const { entries } = await h.api.get<{ entries: AuditEntry[] }>('/audit?limit=1000');
    const types = entries.filter((e) => e.type.startsWith('passcode.')).map((e) => `${e.type} ${e.surface}`);
    expect(types.sort()).toEqual([
      'passcode.accepted telegram',
      'passcode.changed cli',
      'passcode.cleared cli',
      'passcode.locked telegram',
      'passcode.rejected telegram',
      'passcode.rejected telegram',
      'passcode.rejected telegram',
      'passcode.rejected telegram',
      'passcode.set cli',
    ]);
    expect(JSON.stringify(entries)).not.toContain(PASSCODE);
    for (const text of outputs) expect(text).not.toContain(PASSCODE);
  });
});
