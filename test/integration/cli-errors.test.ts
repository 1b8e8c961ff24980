/**
 * The CLI says what is wrong in one line, never a stack trace: unknown options and commands, a
 * taken port, a bad environment variable, a runtime file left by a killed core; and it accepts any
 * unique prefix of an id, as `reins sessions` prints them. Real CLI processes throughout.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);

async function reins(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, REINS_LOG_LEVEL: 'error', ...env }, timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

/** No line of a stack trace anywhere in the output. */
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$|TypeError|ERR_PARSE_ARGS/m);

let h: Harness | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  dir?.remove();
  dir = undefined;
  await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
  blocker = undefined;
});

describe('CLI errors', () => {
  it('an unknown option: one line saying which, the usage, exit 2', async () => {
    const r = await reins(['sessions', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('reins: unknown option --bogus');
    expect(r.err).toContain('Usage: reins <command>');
    noStack(r.err);
  });

  it('an unknown command: one line, the usage, exit 2', async () => {
    const r = await reins(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('reins: unknown command "frobnicate"');
    noStack(r.err);
  });

  it('a taken port: one line saying which and how to pick another, exit 2', async () => {
    dir = tempDir('reins-cli-');
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(0, '127.0.0.1', () => done()));
    const port = (blocker.address() as { port: number }).port;
    const r = await reins(['daemon', '--home', dir.path, '--port', String(port)]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n').at(-1)).toBe(
      `reins: Port ${port} on 127.0.0.1 is taken by another program. Pick another with --port N or REINS_PORT (0 picks a free one).`,
    );
    noStack(r.err);
  });

  it('a bad environment variable is named as one, not as a file to fix', async () => {
    dir = tempDir('reins-cli-');
    const r = await reins(['daemon', '--home', dir.path], { REINS_PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('reins: The environment variable REINS_PORT is not valid: "abc" is not a port number (0–65535). Fix or unset it.');
  });

  it("an agent's configured environment may not carry Reins' own variables", async () => {
    dir = tempDir('reins-cli-');
    writeFileSync(join(dir.path, 'config.json'), JSON.stringify({ agents: { claude: { env: { REINS_TELEGRAM_TOKEN: 'x', FOO: 'bar' } } } }));
    const r = await reins(['daemon', '--home', dir.path, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/agents\.claude\.env\.REINS_TELEGRAM_TOKEN: Reins' own variables cannot be passed to an agent/);
  });

  it('a runtime.json left by a killed core: "no core running", not a connection error', async () => {
    dir = tempDir('reins-cli-');
    // A pid that cannot be alive: beyond pid_max on every system.
    writeFileSync(
      join(dir.path, 'runtime.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', token: 't', pid: 2 ** 30, version: '0', startedAt: 0, home: dir.path }),
      { mode: 0o600 },
    );
    const r = await reins(['sessions', '--home', dir.path]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^reins: No Reins core is running for .*stopped without cleaning up.*reins daemon/);
  });
});

describe('short ids', () => {
  it('send, stop and allow take the 8-character ids that sessions and approvals print', async () => {
    h = await startHarness();
    const home = ['--home', h.home];
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'SAY: first' });
    await h.api.waitTurnEnd(session.id);
    const listed = await reins(['sessions', ...home]);
    const short = session.id.slice(0, 8);
    expect(listed.out).toContain(short);
    const before = (await h.api.session(session.id)).lastSeq;
    const sent = await reins(['send', ...home, short, 'RUN: touch short.txt']);
    expect(sent.code, sent.err).toBe(0);
    const a = await h.api.waitApproval(session.id);
    const allowed = await reins(['allow', ...home, a.handle.slice(0, 5)]);
    expect(allowed.code, allowed.err).toBe(0);
    await h.api.waitTurnEnd(session.id, before);
    expect(readFileSync(join(h.project, 'short.txt'), 'utf8')).toBe('');
    const stopped = await reins(['stop', ...home, short.slice(0, 6)]);
    expect(stopped.code, stopped.err).toBe(0);
    expect(stopped.out).toMatch(/is stopped/);
  });
});
