/**
 * `reins open` and the daemon's start line, as a user runs them: the real `bin/reins.js` against a
 * real `reins daemon` process; the login URL they give is then used, once, over real loopback HTTP.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemon-process.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'reins.js');
const exec = promisify(execFile);
const EXPIRED_TEXT = 'This login link was used or has expired.';

let dir: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;

beforeAll(async () => {
  dir = tempDir();
  daemon = await startDaemonProcess(join(dir.path, 'home'));
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

/** Runs `bin/reins.js …`; resolves with code and output whether or not it failed. */
async function reins(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env, timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

/** Uses a login URL the way a browser does: first time a cookie and `/`, then the expired page. */
async function expectWorksOnce(url: string): Promise<void> {
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(303);
  expect(first.headers.get('location')).toBe('/');
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  expect((await fetch(`${daemon.url}/api/v1/sessions`, { headers: { cookie } })).status).toBe(200);
  const again = await fetch(url, { redirect: 'manual' });
  expect(again.status).toBe(401);
  expect(await again.text()).toContain(EXPIRED_TEXT);
}

const LOGIN_URL = /^http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]{43}$/;

describe('reins open', () => {
  it('--print prints one login URL, which works once', async () => {
    const r = await reins(['open', '--print', '--home', daemon.home]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(LOGIN_URL);
    expect(lines[0]!.startsWith(`${daemon.url}/login?code=`)).toBe(true);
    expect(r.out).not.toContain(daemon.token);
    await expectWorksOnce(lines[0]!);
  });

  it('opens the URL with the desktop opener (xdg-open), spawned without a shell', async () => {
    const fakeBin = join(dir.path, 'fake-bin');
    const opened = join(dir.path, 'opened.txt');
    mkdirSync(fakeBin, { recursive: true });
    // Records its argument list exactly: a shell would have split or expanded it.
    writeFileSync(join(fakeBin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$#" "$@" > '${opened}'\n`);
    chmodSync(join(fakeBin, 'xdg-open'), 0o755);
    const r = await reins(['open', '--home', daemon.home], { ...process.env, PATH: `${fakeBin}:${dirname(process.execPath)}:/usr/bin:/bin` });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Opened Reins in your browser');
    expect(r.out).not.toContain('code=');
    const [count, url] = (await waitFor(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : undefined), 'xdg-open to run')).trim().split('\n');
    expect(count).toBe('1');
    expect(url).toMatch(LOGIN_URL);
    await expectWorksOnce(url!);
  });

  it('says in one line when no browser opener is installed, with the link to open by hand', async () => {
    const r = await reins(['open', '--home', daemon.home], { ...process.env, PATH: dirname(process.execPath) });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^reins: Could not start xdg-open to open a browser \(ENOENT\)\. Open this link yourself: http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
  });

  it('says in one line that no core is running', async () => {
    const empty = join(dir.path, 'no-core');
    for (const args of [['open'], ['open', '--print']]) {
      const r = await reins([...args, '--home', empty]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(`reins: No Reins core is running (data directory ${empty}). Start it with \`reins daemon\` or the desktop app.\n`);
    }
  });
});

describe('reins daemon', () => {
  it('prints a login URL when it starts, which works once', async () => {
    const line = await waitFor(
      () => /^Open Reins: (\S+) {2}\(valid for 2 minutes; `reins open` makes a new one\)$/m.exec(daemon.stdout()) ?? undefined,
      'the login line',
    );
    expect(line[1]).toMatch(LOGIN_URL);
    expect(daemon.stdout()).not.toContain(daemon.token);
    await expectWorksOnce(line[1]!);
  });
});
