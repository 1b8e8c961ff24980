import { rendererCsp } from './csp.ts';
import { isSafeExternalUrl } from './external-links.ts';

/** The part of Electron's `WebContents` the window setup touches. */
export interface WebContentsHandle {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  send(channel: string, ...args: unknown[]): void;
}

/** The part of Electron's `BrowserWindow` the desktop uses. */
export interface BrowserWindowHandle {
  readonly webContents: WebContentsHandle;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

/** Constructor options we pass (a subset of Electron's `BrowserWindowConstructorOptions`). */
export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    sandbox: boolean;
    contextIsolation: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInSubFrames: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent: boolean;
    webviewTag: boolean;
    navigateOnDragDrop: boolean;
    spellcheck: boolean;
  };
}

/** The part of Electron's `Session` the window hardening touches. */
export interface SessionHandle {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void,
    ): void;
  };
}

/** What {@link createMainWindow} needs from Electron. */
export interface WindowElectron {
  BrowserWindow: new (options: MainWindowOptions) => BrowserWindowHandle;
  session: { defaultSession: SessionHandle };
  shell: { openExternal(url: string): Promise<void> };
}

/** Options of {@link createMainWindow}. */
export interface MainWindowSetup {
  /** The core's loopback API base URL; the daemon serves the renderer at its root. */
  coreUrl: string;
  /**
   * Mints a one-time login URL on the core (`POST /api/v1/auth/login-codes` with the bearer token). The
   * window opens on it and is signed in by cookie, so the page never sees the token.
   */
  mintLoginUrl(): Promise<string>;
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Told when the page cannot load (core gone) or a link cannot be opened. */
  onError(error: Error): void;
}

/** True when a navigation to `url` stays on the renderer's own origin (a reload, a same-page link). */
function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Session-wide rules, applied once: no permission is ever granted (camera, notifications, …: the
 * renderer needs none; notifications come from the main process), and every response from the core's
 * origin carries the strict CSP, whatever the server sent.
 */
export function hardenSession(session: SessionHandle, coreOrigin: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  const csp = rendererCsp(coreOrigin);
  const { protocol, hostname } = new URL(coreOrigin);
  // Chromium match patterns have no reliable port syntax, so the filter names the host only; the
  // window never shows another page on that host (navigation away from the core's origin is blocked).
  session.webRequest.onHeadersReceived({ urls: [`${protocol}//${hostname}/*`] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * Opens the main window on the renderer the core serves, through a fresh one-time login URL. Sandboxed, context-isolated, no Node; new windows
 * are refused (links on the allowlist of external-links.ts go to the system browser) and navigation away from the core's origin is blocked,
 * so the preload's bridge only ever serves our page.
 */
export function createMainWindow(electron: WindowElectron, setup: MainWindowSetup): BrowserWindowHandle {
  const origin = new URL(setup.coreUrl).origin;
  const window = new electron.BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Reins',
    backgroundColor: '#14161a',
    webPreferences: {
      preload: setup.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const openOutside = (url: string): void => {
    if (isSafeExternalUrl(url)) electron.shell.openExternal(url).catch(setup.onError);
  };
  window.webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  // A plain link click (no target) navigates: the page stays, an allowed link opens in the browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (isSameOrigin(url, origin)) return;
    event.preventDefault();
    openOutside(url);
  });
  // A redirect is the server's choice, not the owner's click: block it off-origin and open nothing.
  window.webContents.on('will-redirect', (event, url) => {
    if (!isSameOrigin(url, origin)) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void loadSignedIn(window, setup, origin);
  return window;
}

/** A login URL that points off the core's origin: the window refuses to open it. */
export class LoginUrlRefusedError extends Error {
  override readonly name = 'LoginUrlRefusedError';
  constructor(url: string, origin: string) {
    super(`Refused to open the login URL ${url}: it is not on the core's origin ${origin}. Check that the attached daemon is the one for this data directory.`);
  }
}

/** Mints a login URL and loads it; any failure (core gone, foreign URL, load error) goes to `onError`. */
async function loadSignedIn(window: BrowserWindowHandle, setup: MainWindowSetup, origin: string): Promise<void> {
  try {
    const url = await setup.mintLoginUrl();
    // Why: the URL carries a sign-in code and the window trusts its origin; load only one on the core.
    if (!isSameOrigin(url, origin)) throw new LoginUrlRefusedError(url, origin);
    await window.loadURL(url);
  } catch (error) {
    setup.onError(error instanceof Error ? error : new Error(String(error)));
  }
}
