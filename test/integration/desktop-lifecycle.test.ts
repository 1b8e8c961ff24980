import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { homePaths, silentLogger } from '../../src-main/core/index.ts';
import { claudeAction } from '../../src-main/core/agents/claude/action.ts';
import { connectToCore, type CoreLink } from '../../src-main/desktop/core-connection.ts';
import { runDesktop, type DesktopOptions } from '../../src-main/desktop/lifecycle.ts';
import { watchCoreStatus } from '../../src-main/desktop/status-feed.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { createFakeElectron, FakeBrowserWindow, FakeNotification, FakeTray, type FakeElectron } from '../fakes/electron.ts';
import { FOCUSED_SESSION_CHANNEL, OPEN_SESSION_CHANNEL } from '../../src-main/contract/desktop.ts';
import type { CoreView } from '../../src-main/desktop/tray-model.ts';
import type { Approval } from '../../src-main/contract/domain.ts';
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

function pendingApproval(id: string, sessionId: string): Approval {
  return {
    id,
    handle: id.padEnd(8, 'x'),
    sessionId,
    kind: 'tool',
    tool: 'Bash',
    input: { command: 'rm -rf build' },
    action: claudeAction('Bash', { command: 'rm -rf build' }),
    plan: null,
    questions: null,
    risk: { level: 'high', tags: ['destructive'], reasons: ['deletes files recursively (rm -rf)'] },
    status: 'pending',
    decidedBy: null,
    surface: null,
    reason: null,
    message: null,
    answers: null,
    grantOffer: null,
    createdAt: 1,
    decidedAt: null,
    expiresAt: 2,
  };
}

function freshHome(): string {
  const dir = tempDir('reins-desktop-');
  cleanup.push(() => dir.remove());
  return join(dir.path, 'home');
}

const apiFor = (link: CoreLink, surface: 'tray' | 'notification' = 'tray') =>
  createApiClient({ url: link.url, token: link.token }, { surface, io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } });

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
    watchStatus: (link, onView) =>
      watchCoreStatus({
        client: apiFor(link),
        sleep: (ms, signal) => sleep(ms, undefined, { signal }),
        onView,
        onError: () => {},
      }),
    api: apiFor,
    platform: 'linux',
    preloadPath: '/app/out/preload/index.cjs',
    trayIconDir: '/app/assets/tray',
    launchAtLogin: { get: async () => false, set: async () => {} },
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

    // The window opens on a one-time login URL; following it signs in by cookie, without the token.
    const window = FakeBrowserWindow.instances[0]!;
    await waitFor(() => window.loadedUrl !== null, 'the window to load its login URL');
    expect(window.loadedUrl).toMatch(new RegExp(`^${link.url}/login\\?code=[\\w-]+$`));
    const login = await fetch(window.loadedUrl!, { redirect: 'manual' });
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toMatch(/^reins_session_\d+=/);
    const signedIn = await fetch(`${link.url}/api/v1/auth/session`, { headers: { cookie: cookie! } });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { via: string }).via).toBe('cookie');
    // One-time: the same URL signs nobody in again.
    expect((await fetch(window.loadedUrl!, { redirect: 'manual' })).headers.get('set-cookie')).toBeNull();
    expect(electron.session.defaultSession.headerFilters).toEqual([{ urls: ['http://127.0.0.1/*'] }]);

    const tray = FakeTray.instances[0]!;
    await waitFor(() => tray.toolTip === 'Reins: idle', 'the tray to show the core status');

    await quit(electron);
    expect(existsSync(homePaths(home).runtime)).toBe(false);
    expect(tray.destroyed).toBe(true);
    expect(electron.ipcMain.listeners.size).toBe(0);
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

  it('notifies about a new approval unless the focused window shows its session, and a click opens that session', async () => {
    const electron = createFakeElectron();
    electron.app.becomeReady();
    let publish: (view: CoreView) => void = () => {};
    const options: DesktopOptions = {
      ...desktopOptions(freshHome()),
      // The view is handed in directly here; desktop-tray.test.ts drives the real feed.
      watchStatus: (_link, onView) => {
        publish = onView;
        return { stop: async () => {} };
      },
    };
    const desktop = await runDesktop(electron, options);
    cleanup.push(() => desktop?.link.stop());
    const origin = new URL(desktop!.link.url).origin;
    const window = FakeBrowserWindow.instances[0]!;
    window.focused = true;
    const page = { url: `${origin}/`, origin, parent: null };
    const view = (...ids: string[]): CoreView => ({ sessions: [], approvals: ids.map((id) => pendingApproval(id, 's1')) });

    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, page, 's1');
    publish(view('a1'));
    expect(FakeNotification.shown).toEqual([]);

    // A foreign page or a malformed id cannot change what main thinks the window shows.
    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, { url: 'https://evil.example/', origin: 'https://evil.example', parent: null }, null);
    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, page, { id: 's2' });
    publish(view('a1', 'a2'));
    expect(FakeNotification.shown).toEqual([]);

    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, page, null);
    publish(view('a1', 'a2', 'a3'));
    expect(FakeNotification.shown.map((notice) => notice.title)).toEqual(['Approval needed: Bash']);
    expect(FakeNotification.shown[0]!.actions).toEqual([]);
    window.visible = false;
    FakeNotification.shown[0]!.emit('click');
    expect(window.visible).toBe(true);
    expect(window.webContents.sent).toEqual([[OPEN_SESSION_CHANNEL, 's1']]);
  });

  it('keeps the session of a notification clicked with no window open until the new page listens', async () => {
    const electron = createFakeElectron();
    electron.app.becomeReady();
    let publish: (view: CoreView) => void = () => {};
    const desktop = await runDesktop(electron, {
      ...desktopOptions(freshHome()),
      launchAtLogin: { get: async () => false, set: async () => {} },
      showWindowOnStart: false,
      watchStatus: (_link, onView) => {
        publish = onView;
        return { stop: async () => {} };
      },
    });
    cleanup.push(() => desktop?.link.stop());
    const origin = new URL(desktop!.link.url).origin;
    publish({ sessions: [], approvals: [pendingApproval('a1', 's7')] });
    expect(FakeBrowserWindow.instances).toEqual([]);

    FakeNotification.shown[0]!.emit('click');
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.webContents.sent).toEqual([]);
    // The page's first focus report says it has subscribed: only now can it take the id, exactly once.
    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, { url: `${origin}/`, origin, parent: null }, null);
    electron.ipcMain.send(FOCUSED_SESSION_CHANNEL, { url: `${origin}/`, origin, parent: null }, 's7');
    expect(window.webContents.sent).toEqual([[OPEN_SESSION_CHANNEL, 's7']]);
  });
});
