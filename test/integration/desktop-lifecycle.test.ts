import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTION_CHANNEL } from '../../src-main/contract/desktop.ts';
import { homePaths, silentLogger } from '../../src-main/core/index.ts';
import { connectToCore, type CoreLink } from '../../src-main/desktop/core-connection.ts';
import { runDesktop, type DesktopOptions } from '../../src-main/desktop/lifecycle.ts';
import { watchCoreStatus } from '../../src-main/desktop/status-feed.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { createFakeElectron, FakeBrowserWindow, FakeTray, type FakeElectron } from '../fakes/electron.ts';
import { startDaemonProcess } from '../helpers/daemon-process.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { createApiClient } from '../../src-main/client/api-client.ts';

// The desktop host end to end with a stand-in for Electron and a real core: in-process when none runs,
// attached when a daemon already does.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function freshHome(): string {
  const dir = tempDir('reins-desktop-');
  cleanup.push(() => dir.remove());
  return join(dir.path, 'home');
}

function desktopOptions(home: string, fatal: Error[] = [], connects: CoreLink[] = []): DesktopOptions {
  return {
    connect: async () => {
      const link = await connectToCore({
        home,
        runtimePath: homePaths(home).runtime,
        env: { ...process.env, REINS_PORT: '0' },
        startDaemon,
        fetch,
        isAlive,
        sleep: (ms) => sleep(ms),
      });
      connects.push(link);
      return link;
    },
    watchStatus: (link, onStatus) =>
      watchCoreStatus({
        client: createApiClient(
          { url: link.url, token: link.token },
          { surface: 'tray', io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } },
        ),
        sleep: (ms, signal) => sleep(ms, undefined, { signal }),
        onStatus,
        onError: () => {},
      }),
    preloadPath: '/app/out/preload/index.cjs',
    trayIconDir: '/app/assets/tray',
    showWindowOnStart: true,
    onFatal: (error) => fatal.push(error),
    log: silentLogger,
  };
}

async function quit(electron: FakeElectron): Promise<void> {
  const quitted = new Promise<void>((done) => electron.app.on('quit', () => done()));
  electron.app.quit();
  await quitted;
}

describe('runDesktop', () => {
  it('hosts the core in-process, shows the window on it, and stops the core on quit', async () => {
    const home = freshHome();
    const electron = createFakeElectron();
    electron.app.becomeReady();
    const desktop = await runDesktop(electron, desktopOptions(home));
    expect(desktop?.link.owned).toBe(true);
    cleanup.push(() => desktop?.link.stop());
    const link = desktop!.link;

    const window = FakeBrowserWindow.instances[0]!;
    expect(window.loadedUrl).toBe(`${link.url}/`);
    const origin = new URL(link.url).origin;
    await expect(electron.ipcMain.invoke(CONNECTION_CHANNEL, { url: `${origin}/`, origin, parent: null })).resolves.toEqual({
      url: link.url,
      token: link.token,
    });
    await expect(electron.ipcMain.invoke(CONNECTION_CHANNEL, { url: 'https://evil.example/', origin: 'https://evil.example', parent: null })).rejects.toThrow(
      'Refused IPC',
    );
    expect(electron.session.defaultSession.headerFilters).toEqual([{ urls: ['http://127.0.0.1/*'] }]);

    const tray = FakeTray.instances[0]!;
    await waitFor(() => tray.toolTip === 'Reins: idle', 'the tray to show the core status');

    await quit(electron);
    expect(existsSync(homePaths(home).runtime)).toBe(false);
    expect(tray.destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
    await expect(fetch(`${link.url}/api/v1/health`)).rejects.toThrow();
  });

  it('attaches to a running daemon and leaves it running on quit', async () => {
    const daemon = await startDaemonProcess(freshHome());
    cleanup.push(() => daemon.stop());
    const electron = createFakeElectron();
    electron.app.becomeReady();
    const desktop = await runDesktop(electron, desktopOptions(daemon.home));
    expect(desktop?.link).toMatchObject({ url: daemon.url, owned: false });
    await quit(electron);
    const health = (await (await fetch(`${daemon.url}/api/v1/health`)).json()) as { pid: number };
    expect(health.pid).toBe(daemon.pid);
  });

  it('reopens the one window on a second launch instead of opening another', async () => {
    const electron = createFakeElectron();
    electron.app.becomeReady();
    const desktop = await runDesktop(electron, desktopOptions(freshHome()));
    cleanup.push(() => desktop?.link.stop());
    const window = FakeBrowserWindow.instances[0]!;
    window.minimized = true;
    electron.app.emit('second-instance');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window).toMatchObject({ minimized: false, visible: true, focused: true });
    window.destroyed = true;
    FakeTray.instances[0]!.emit('click');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });

  it('quits at once, touching no core, when another instance holds the single-instance lock', async () => {
    const electron = createFakeElectron();
    electron.app.hasLock = false;
    const connects: CoreLink[] = [];
    const desktop = await runDesktop(electron, desktopOptions(freshHome(), [], connects));
    expect(desktop).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(connects).toEqual([]);
    expect(FakeTray.instances).toEqual([]);
  });

  it('hands a core that cannot start to onFatal and opens nothing', async () => {
    const home = freshHome();
    writeFileSync(join(home, '..', 'not-a-dir'), '');
    const electron = createFakeElectron();
    electron.app.becomeReady();
    const fatal: Error[] = [];
    const desktop = await runDesktop(electron, desktopOptions(join(home, '..', 'not-a-dir', 'home'), fatal));
    expect(desktop).toBeNull();
    expect(fatal).toHaveLength(1);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(FakeTray.instances).toEqual([]);
  });
});
