import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homePaths } from '../../src-main/core/index.ts';
import { connectToCore, CoreUnreachableError, type ConnectOptions, type CoreLink } from '../../src-main/desktop/core-connection.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemon-process.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// The desktop's choice between attaching to a running daemon and hosting the core itself, against
// real daemons in temp data directories.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function options(home: string, overrides: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    home,
    runtimePath: homePaths(home).runtime,
    // Port 0: never collide with a Reins the developer is running.
    env: { ...process.env, REINS_PORT: '0' },
    startDaemon,
    fetch,
    isAlive,
    sleep: () => Promise.resolve(),
    ...overrides,
  };
}

function freshHome(): string {
  const dir = tempDir('reins-desktop-home-');
  cleanup.push(() => dir.remove());
  return join(dir.path, 'home');
}

/** A daemon in its own process, so it (not this test process) holds the data-directory lock. */
async function daemon(): Promise<DaemonProcess> {
  const d = await startDaemonProcess(freshHome());
  cleanup.push(async () => {
    await d.stop();
  });
  return d;
}

async function connect(opts: ConnectOptions): Promise<CoreLink> {
  const link = await connectToCore(opts);
  cleanup.push(() => link.stop());
  return link;
}

describe('connectToCore', () => {
  it('attaches to the daemon already running for the data directory', async () => {
    const d = await daemon();
    const link = await connect(options(d.home));
    expect(link).toMatchObject({ url: d.url, token: d.token, owned: false });
    await link.stop();
    const health = (await (await fetch(`${d.url}/api/v1/health`)).json()) as { pid: number };
    expect(health.pid).toBe(d.pid);
  });

  it('hosts the core itself when no daemon runs, and stopping it cleans up', async () => {
    const home = freshHome();
    const link = await connect(options(home));
    expect(link.owned).toBe(true);
    const runtime = JSON.parse(readFileSync(homePaths(home).runtime, 'utf8')) as { url: string; pid: number };
    expect(runtime).toMatchObject({ url: link.url, pid: process.pid });
    const health = (await (await fetch(`${link.url}/api/v1/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    await link.stop();
    expect(existsSync(homePaths(home).runtime)).toBe(false);
    expect(existsSync(homePaths(home).lock)).toBe(false);
  });

  it('ignores a runtime.json left by a dead process', async () => {
    const home = freshHome();
    const first = await connect(options(home));
    const stale = readFileSync(homePaths(home).runtime, 'utf8');
    await first.stop();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(homePaths(home).runtime, stale.replace(/"pid": \d+/, `"pid": ${dead.stdout}`));
    const link = await connect(options(home));
    expect(link.owned).toBe(true);
    expect(link.url).not.toBe(first.url);
  });

  it('ignores a runtime.json whose API does not answer for that pid', async () => {
    const home = freshHome();
    const first = await connect(options(home));
    const stale = readFileSync(homePaths(home).runtime, 'utf8');
    await first.stop();
    writeFileSync(homePaths(home).runtime, stale); // our own (live) pid, but nothing listens any more
    const link = await connect(options(home));
    expect(link.owned).toBe(true);
  });

  it('waits for a core that holds the lock but has not written runtime.json yet, then attaches', async () => {
    const d = await daemon();
    const runtimePath = homePaths(d.home).runtime;
    const written = readFileSync(runtimePath, 'utf8');
    rmSync(runtimePath);
    let naps = 0;
    const link = await connect(
      options(d.home, {
        sleep: async () => {
          naps += 1;
          if (naps === 2) writeFileSync(runtimePath, written, { mode: 0o600 });
        },
      }),
    );
    expect(link).toMatchObject({ url: d.url, owned: false });
    expect(naps).toBe(2);
  });

  it('gives up on a lock holder that never answers, naming it', async () => {
    const d = await daemon();
    rmSync(homePaths(d.home).runtime);
    const attempt = connectToCore(options(d.home, { lockWaitMs: 1_000 }));
    await expect(attempt).rejects.toBeInstanceOf(CoreUnreachableError);
    await expect(attempt).rejects.toThrow(`A Reins core (pid ${d.pid}) holds ${d.home} but does not answer on its API.`);
  });
});
