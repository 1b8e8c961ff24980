import type { Logger } from '../core/index.ts';
import type { CoreLink } from './core-connection.ts';
import type { StatusFeed } from './status-feed.ts';
import { createTrayController, type TrayElectron } from './tray.ts';
import { buildTrayModel, createTrayDecisions, EMPTY_VIEW, type CoreView, type TrayActions } from './tray-model.ts';
import type { ApiClient } from '../client/api-client.ts';
import { OPEN_SESSION_CHANNEL } from '../contract/desktop.ts';
import { registerFocusIpc, registerLaunchAtLoginIpc, type IpcMainHandle, type LaunchAtLoginControl } from './ipc.ts';
import { createNotificationPolicy, type DesktopNotice } from './notification-policy.ts';
import { createMainWindow, hardenSession, type BrowserWindowHandle, type WindowElectron } from './window.ts';

/** The part of Electron's `app` the desktop lifecycle uses. */
export interface AppHandle {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** The part of Electron's `Notification` the desktop uses. */
export interface NotificationHandle {
  on(event: 'click', listener: () => void): unknown;
  /** A button of `actions` was pressed (macOS): `index` into the actions given. */
  on(event: 'action', listener: (event: unknown, index: number) => void): unknown;
  show(): void;
}

/** Constructor options we pass (a subset of Electron's `NotificationConstructorOptions`). */
export interface NotificationOptions {
  title: string;
  body: string;
  /** Buttons on the notification; only macOS shows them. */
  actions?: { type: 'button'; text: string }[];
}

/** Everything the desktop takes from the 'electron' module (main.ts passes the real one). */
export interface DesktopElectron<TMenu> extends TrayElectron<TMenu>, WindowElectron {
  app: AppHandle;
  ipcMain: IpcMainHandle;
  Notification: new (options: NotificationOptions) => NotificationHandle;
}

/** The buttons of an approval's notification, in the order the OS reports their index. */
const NOTIFICATION_ACTIONS = [
  { text: 'Allow', decision: 'allow' },
  { text: 'Deny', decision: 'deny' },
] as const;

/** Host-specific inputs of {@link runDesktop}. */
export interface DesktopOptions {
  /** Attach to the running core for the data directory, or start one in-process. */
  connect(): Promise<CoreLink>;
  /** Start watching the core for the tray (sessions, pending approvals). */
  watchStatus(link: CoreLink, onView: (view: CoreView) => void): StatusFeed;
  /**
   * The shared API client on the core with the link's token, recording its decisions as `surface`
   * (the tray menu, or a notification's buttons) so the audit says where each came from.
   */
  api(link: CoreLink, surface: 'tray' | 'notification'): Pick<ApiClient, 'mintLoginUrl' | 'decide' | 'setMode'>;
  /** `process.platform`: notifications get Allow / Deny buttons where the OS shows them (macOS). */
  platform: NodeJS.Platform;
  /** Absolute path of the built preload script. */
  preloadPath: string;
  /** Folder with the tray icons. */
  trayIconDir: string;
  /** Starts the app at login or stops doing so (the login service `reins service` also uses). */
  launchAtLogin: LaunchAtLoginControl;
  /** Open the window at start (false for `--hidden`, e.g. login items). */
  showWindowOnStart: boolean;
  /** The core could not be reached or started: tell the user and exit. */
  onFatal(error: Error): void;
  log: Logger;
}

/** A running desktop app. */
export interface DesktopSession {
  link: CoreLink;
  showWindow(): void;
}

/**
 * The desktop app's lifecycle: one instance per user (a second launch focuses the first), attach to or
 * start the core, then tray + window. Closing the window keeps Reins in the tray; Quit stops the feed
 * and, if this process owns the core, stops it before exiting. Resolves null when another instance runs
 * or the core is unreachable.
 */
export async function runDesktop<TMenu>(electron: DesktopElectron<TMenu>, options: DesktopOptions): Promise<DesktopSession | null> {
  const { app } = electron;
  const log = options.log.child({ ns: 'app:desktop' });
  if (!app.requestSingleInstanceLock()) {
    log.info('desktop.already_running');
    app.quit();
    return null;
  }
  // Without a listener Electron quits when the last window closes; Reins lives on in the tray.
  app.on('window-all-closed', () => {});
  await app.whenReady();

  let link: CoreLink;
  try {
    link = await options.connect();
  } catch (error) {
    options.onFatal(error instanceof Error ? error : new Error(String(error)));
    return null;
  }
  log.info({ url: link.url, owned: link.owned }, link.owned ? 'desktop.core_started' : 'desktop.core_attached');
  const origin = new URL(link.url).origin;

  hardenSession(electron.session.defaultSession, origin);
  const api = options.api(link, 'tray');
  const notificationApi = options.api(link, 'notification');

  let window: BrowserWindowHandle | null = null;
  // Why: a notification clicked while no window is open creates one, and its page cannot take the
  // session id until React has subscribed. The renderer subscribes before it first reports its focused
  // session, so that first report means "listening": the id waits here until then.
  let rendererListening = false;
  let sessionToOpen: string | null = null;
  const showWindow = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    rendererListening = false;
    window = createMainWindow(electron, {
      coreUrl: link.url,
      mintLoginUrl: async () => (await api.mintLoginUrl()).url,
      preloadPath: options.preloadPath,
      onError: (error) => log.warn({ err: error }, 'desktop.window_error'),
    });
  };
  const openSession = (sessionId: string): void => {
    showWindow();
    if (rendererListening && window) window.webContents.send(OPEN_SESSION_CHANNEL, sessionId);
    else sessionToOpen = sessionId;
  };

  const policy = createNotificationPolicy({ isWindowFocused: () => window !== null && !window.isDestroyed() && window.isFocused() });
  const removeIpc = registerFocusIpc(electron.ipcMain, {
    allowedOrigin: origin,
    onFocus: (sessionId) => {
      policy.setFocusedSession(sessionId);
      rendererListening = true;
      if (sessionToOpen !== null && window) {
        window.webContents.send(OPEN_SESSION_CHANNEL, sessionToOpen);
        sessionToOpen = null;
      }
    },
    onRefused: (reason) => log.warn({ reason }, 'desktop.ipc_refused'),
  });
  const removeLaunchIpc = registerLaunchAtLoginIpc(electron.ipcMain, {
    allowedOrigin: origin,
    control: options.launchAtLogin,
    onRefused: (reason) => log.warn({ reason }, 'desktop.ipc_refused'),
  });
  const decideFromNotification = (approvalId: string, decision: 'allow' | 'deny'): void => {
    const request = decision === 'allow' ? { decision } : { decision, message: 'Denied from a Reins notification.' };
    notificationApi.decide(approvalId, request).catch((error: unknown) => log.warn({ err: error }, 'desktop.notification_decision_failed'));
  };
  const notify = (notice: DesktopNotice): void => {
    const withButtons = options.platform === 'darwin' && notice.approvalId !== undefined;
    const notification = new electron.Notification({
      title: notice.title,
      body: notice.body,
      ...(withButtons && { actions: NOTIFICATION_ACTIONS.map((action) => ({ type: 'button' as const, text: action.text })) }),
    });
    notification.on('click', () => openSession(notice.sessionId));
    notification.on('action', (_event, index) => {
      const action = NOTIFICATION_ACTIONS[index];
      if (action && notice.approvalId) decideFromNotification(notice.approvalId, action.decision);
    });
    notification.show();
  };

  let view = EMPTY_VIEW;
  const decisions = createTrayDecisions(
    api,
    () => view,
    (error) => log.warn({ err: error }, 'desktop.tray_decision_failed'),
  );
  const actions: TrayActions = { ...decisions, open: showWindow, quit: () => app.quit() };
  const tray = createTrayController(electron, { iconDir: options.trayIconDir, onOpen: showWindow }, buildTrayModel(view, actions));
  const feed = options.watchStatus(link, (next) => {
    view = next;
    tray.update(buildTrayModel(view, actions));
    for (const notice of policy.observe(view)) notify(notice);
  });
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    // Hold the quit until the feed and an owned core have stopped: the core must release its lock,
    // finish its SQLite writes and tell running agents, or the next start finds a "crashed" core.
    event.preventDefault();
    cleanedUp = true;
    void (async () => {
      await decisions.settled();
      await feed.stop();
      removeIpc();
      removeLaunchIpc();
      tray.destroy();
      try {
        await link.stop();
      } catch (error) {
        log.error({ err: error }, 'desktop.core_stop_failed');
      }
      app.quit();
    })();
  });

  if (options.showWindowOnStart) showWindow();
  return { link, showWindow };
}
