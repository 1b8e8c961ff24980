/**
 * Electron main entry (package.json `main`, built to out/desktop/main.js). The composition root
 * of the desktop host: it hands the real 'electron' module, the daemon host and the OS clocks to
 * {@link runDesktop}; all behaviour lives in the modules it wires.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, session, shell, Tray } from 'electron';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger, homePaths, resolveHome } from '../core/index.ts';
import { startDaemon } from '../daemon/index.ts';
import { connectToCore } from './core-connection.ts';
import { runDesktop } from './lifecycle.ts';
import { serviceLaunchAtLogin } from './launch-at-login.ts';
import { createServiceManager, currentServiceHost, desktopServiceSpec } from '../service/index.ts';
import { watchCoreStatus } from './status-feed.ts';
import { createApiClient } from '../client/api-client.ts';
import type { CoreLink } from './core-connection.ts';

function flagValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const log = createLogger();
/** The shared API client on the core, with the link's bearer token, as the given desktop surface. */
const apiFor = (link: CoreLink, surface: 'tray' | 'notification' = 'tray') =>
  createApiClient({ url: link.url, token: link.token }, { surface, io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } });
const home = resolveHome(flagValue('--home'), process.env);
// Built layout: out/desktop/main.js, out/preload/index.cjs; the repository (or app.asar) root holds out/.
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const appRoot = fileURLToPath(new URL('../../', import.meta.url));
const trayIconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(appRoot, 'assets', 'tray');

await runDesktop(
  { app, BrowserWindow, Menu, Tray, Notification, ipcMain, session, shell },
  {
    connect: () =>
      connectToCore({
        home,
        runtimePath: homePaths(home).runtime,
        env: process.env,
        startDaemon,
        log,
        fetch,
        isAlive,
        sleep: (ms) => sleep(ms),
      }),
    watchStatus: (link, onView) =>
      watchCoreStatus({
        client: apiFor(link),
        sleep: (ms, signal) => sleep(ms, undefined, { signal }),
        onView,
        onError: (error) => log.warn({ err: error }, 'desktop.status_feed_error'),
      }),
    api: apiFor,
    platform: process.platform,
    preloadPath,
    trayIconDir,
    launchAtLogin: serviceLaunchAtLogin(
      createServiceManager(currentServiceHost(process.env)),
      // Packaged: the app's own executable. From a checkout: Electron's binary plus the app folder.
      desktopServiceSpec({ executable: process.execPath, appArgs: app.isPackaged ? [] : [appRoot], home, path: process.env.PATH ?? '/usr/bin:/bin' }),
    ),
    showWindowOnStart: !process.argv.includes('--hidden'),
    onFatal: (error) => {
      log.error({ err: error }, 'desktop.fatal');
      dialog.showErrorBox('Reins could not start', error.message);
      app.exit(1);
    },
    log,
  },
);
