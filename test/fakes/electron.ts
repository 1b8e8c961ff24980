/**
 * A stand-in for the parts of the 'electron' module the desktop host uses. Electron cannot run on CI
 * machines (its binary is downloaded from GitHub), so desktop code receives its Electron objects by
 * injection and the tests pass these. Each fake records what was done to it and lets the test fire
 * the events Electron would.
 */
import type { IpcMainHandle, IpcSender } from '../../src-main/desktop/ipc.ts';
import type { AppHandle, DesktopElectron, NotificationHandle, NotificationOptions } from '../../src-main/desktop/lifecycle.ts';
import type { TrayHandle, TrayMenuItem } from '../../src-main/desktop/tray.ts';
import type { BrowserWindowHandle, MainWindowOptions, SessionHandle, WebContentsHandle } from '../../src-main/desktop/window.ts';

type Listener = (...args: never[]) => unknown;

/** Minimal event registry shared by the fakes. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  /** Fires `event` with `args`, as Electron would. */
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

/** A built context menu: just its items. */
export interface FakeMenu {
  items: TrayMenuItem[];
}

export class FakeTray extends Emitter implements TrayHandle<FakeMenu> {
  static instances: FakeTray[] = [];
  image: string;
  toolTip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  readonly calls: string[] = [];
  constructor(image: string) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: string): void {
    this.calls.push('setImage');
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.calls.push('setToolTip');
    this.toolTip = toolTip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.calls.push('setContextMenu');
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const FakeMenuBuilder = {
  buildFromTemplate: (template: TrayMenuItem[]): FakeMenu => ({ items: template }),
};

/** A navigation event whose `preventDefault` is observable. */
class FakeNavigationEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

class FakeWebContents extends Emitter implements WebContentsHandle {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  /** Messages main sent to the page: [channel, ...args]. */
  readonly sent: unknown[][] = [];
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Simulates the page trying to navigate; returns whether the navigation was blocked. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const navigation = new FakeNavigationEvent();
    this.emit(event, navigation, url);
    return navigation.defaultPrevented;
  }
}

export class FakeBrowserWindow extends Emitter implements BrowserWindowHandle {
  static instances: FakeBrowserWindow[] = [];
  /** Makes the next loadURL fail, as when the core is unreachable. */
  static failNextLoad: Error | null = null;
  readonly webContents = new FakeWebContents();
  readonly options: MainWindowOptions;
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  constructor(options: MainWindowOptions) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    const error = FakeBrowserWindow.failNextLoad;
    FakeBrowserWindow.failNextLoad = null;
    return error ? Promise.reject(error) : Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

class FakeSession implements SessionHandle {
  permissionHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  headerFilters: Array<{ urls: string[] }> = [];
  headerListener:
    | ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void)
    | null = null;
  readonly webRequest = {
    onHeadersReceived: (
      filter: { urls: string[] },
      listener: (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void,
    ): void => {
      this.headerFilters.push(filter);
      this.headerListener = listener;
    },
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
    this.permissionHandler = handler;
  }
  /** Runs the header hook on a response, returning the headers the page would get. */
  respond(headers: Record<string, string[]>): Record<string, string[]> {
    let result: Record<string, string[]> = {};
    this.headerListener?.({ responseHeaders: headers }, (response) => (result = response.responseHeaders));
    return result;
  }
}

class FakeIpcMain extends Emitter implements IpcMainHandle {
  removeAllListeners(channel: string): void {
    this.listeners.delete(channel);
  }
  /** Sends on a channel as `ipcRenderer.send` from the given frame would. */
  send(channel: string, frame: IpcSender['senderFrame'], ...args: unknown[]): void {
    this.emit(channel, { senderFrame: frame } satisfies IpcSender, ...args);
  }
  private readonly handlers = new Map<string, (event: IpcSender, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcSender, ...args: unknown[]) => unknown): void {
    // Like Electron: a second handler for one channel is an error.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a channel as `ipcRenderer.invoke` from the given frame would; rejects when nothing handles it. */
  async invoke(channel: string, frame: IpcSender['senderFrame'], ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frame }, ...args);
  }
}

export class FakeNotification extends Emitter implements NotificationHandle {
  static shown: FakeNotification[] = [];
  readonly title: string;
  readonly body: string;
  /** The button labels, as macOS would show them. */
  readonly actions: string[];
  constructor(options: NotificationOptions) {
    super();
    this.title = options.title;
    this.body = options.body;
    this.actions = (options.actions ?? []).map((action) => action.text);
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

class FakeApp extends Emitter implements AppHandle {
  hasLock = true;
  quitCalls = 0;
  private readyResolve: () => void = () => {};
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<unknown> {
    return this.ready;
  }
  /** Electron's `ready` event. */
  becomeReady(): void {
    this.readyResolve();
  }
  /** Like Electron: emits `before-quit`; the quit goes through only if no listener prevented it. */
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeNavigationEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('quit');
  }
}

/** A complete stand-in for the desktop host, fresh per test. */
export function createFakeElectron() {
  FakeTray.instances = [];
  FakeBrowserWindow.instances = [];
  FakeBrowserWindow.failNextLoad = null;
  FakeNotification.shown = [];
  const opened: string[] = [];
  const fake = {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    Notification: FakeNotification,
    session: { defaultSession: new FakeSession() },
    shell: {
      openExternal: async (url: string): Promise<void> => {
        opened.push(url);
      },
    },
    Tray: FakeTray,
    Menu: FakeMenuBuilder,
    BrowserWindow: FakeBrowserWindow,
    /** URLs handed to the OS browser. */
    opened,
  } satisfies DesktopElectron<FakeMenu> & { opened: string[] };
  return fake;
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;
