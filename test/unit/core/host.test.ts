import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentEnv } from '../../../src-main/core/agents/agent-env.ts';
import { resolveAgents } from '../../../src-main/core/agents/registry.ts';
import { ConfigError, DEFAULT_PORT, loadConfig, parseConfig } from '../../../src-main/core/host/config.ts';
import { acquireLock, CoreLockedError } from '../../../src-main/core/host/lock.ts';
import { processIdentity } from '../../../src-main/core/host/process-identity.ts';
import { resolveHome } from '../../../src-main/core/host/paths.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

describe('config', () => {
  it('defaults every field', () => {
    expect(parseConfig({})).toMatchObject({
      port: DEFAULT_PORT,
      approvalTimeoutSeconds: 300,
      watchdog: { stallAfterMinutes: 5, killAfterMinutes: 10 },
      agents: {},
    });
  });

  it('names every bad field in one error that says how to fix it', () => {
    let err: unknown;
    try {
      parseConfig({ port: 99999, approvalTimeoutSeconds: -1, nonsense: true }, '/x/config.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('/x/config.json');
    expect(msg).toMatch(/port:/);
    expect(msg).toMatch(/approvalTimeoutSeconds:/);
    expect(msg).toMatch(/nonsense/);
    expect(msg).toMatch(/Fix the file/);
  });

  it('reports invalid JSON with the file name, and reads environment overrides', () => {
    dir = tempDir();
    const path = join(dir.path, 'config.json');
    writeFileSync(path, '{ "port": 1,');
    expect(() => loadConfig(path, {})).toThrow(/not valid JSON/);
    writeFileSync(path, JSON.stringify({ port: 1234 }));
    const env = { REINS_PORT: '4321', REINS_CLAUDE_BIN: '/opt/claude', REINS_TELEGRAM_OWNER_ID: '42' };
    const c = loadConfig(path, env);
    expect(c).toMatchObject({ port: 4321, telegram: { ownerId: 42 } });
    // An agent's binary: REINS_<ID>_BIN, then agents.<id>.bin, then the descriptor's default.
    expect(resolveAgents(c, env).get('claude')?.bin).toBe('/opt/claude');
    expect(resolveAgents(parseConfig({ agents: { claude: { bin: '/cfg/claude' } } }), {}).get('claude')?.bin).toBe('/cfg/claude');
    expect(resolveAgents(parseConfig({}), {}).get('claude')?.bin).toBe('claude');
    expect(() => loadConfig(path, { REINS_PORT: 'eighty' })).toThrow(/REINS_PORT/);
    expect(loadConfig(join(dir.path, 'absent.json'), {}).port).toBe(DEFAULT_PORT);
  });
});

describe('data directory', () => {
  it('prefers --home, then REINS_HOME, then the OS convention', () => {
    expect(resolveHome('/a', { REINS_HOME: '/b' })).toBe('/a');
    expect(resolveHome(undefined, { REINS_HOME: '/b' })).toBe('/b');
    expect(resolveHome(undefined, { HOME: '/h', XDG_DATA_HOME: '/x' })).toBe(
      process.platform === 'linux' ? '/x/reins' : resolveHome(undefined, { HOME: '/h', XDG_DATA_HOME: '/x' }),
    );
  });
});

describe('one core per data directory', () => {
  it('refuses a second holder while the first lives, in this process or another', () => {
    dir = tempDir();
    const lock = join(dir.path, 'reins.lock');
    const release = acquireLock(lock);
    expect(readFileSync(lock, 'utf8').split(' ')[0]).toBe(String(process.pid));
    expect(() => acquireLock(lock)).toThrow(CoreLockedError);
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock left by a dead process', () => {
    dir = tempDir();
    const lock = join(dir.path, 'reins.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(lock, dead);
    const release = acquireLock(lock);
    expect(readFileSync(lock, 'utf8').split(' ')[0]).toBe(String(process.pid));
    release();
  });

  it('takes over a lock whose pid now belongs to another process (reboot, pid reuse)', () => {
    dir = tempDir();
    const lock = join(dir.path, 'reins.lock');
    // A live pid (ours) with the identity of some earlier process that had it.
    writeFileSync(lock, `${process.pid} 00000000-0000-0000-0000-000000000000:1`);
    const release = acquireLock(lock);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid} ${processIdentity(process.pid)}`);
    expect(processIdentity(process.pid)).toMatch(/^[0-9a-f-]{36}:\d+$/);
    release();
  });
});

describe('agent environment', () => {
  it("passes the user's environment minus Reins' own variables and the nested-session marker", () => {
    const env = agentEnv(
      { PATH: '/bin', HOME: '/h', REINS_TELEGRAM_TOKEN: 'secret', REINS_HOME: '/r', CLAUDECODE: '1', ANTHROPIC_API_KEY: 'k' },
      { EXTRA: 'x' },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', ANTHROPIC_API_KEY: 'k', EXTRA: 'x' });
  });
});
