import { FOCUSED_SESSION_CHANNEL, GET_LAUNCH_AT_LOGIN_CHANNEL, SET_LAUNCH_AT_LOGIN_CHANNEL } from '../contract/desktop.ts';

/** The part of an IPC event the sender check reads (Electron's `IpcMainEvent` has it). */
export interface IpcSender {
  senderFrame: { url: string; origin: string; parent: unknown } | null;
}

/** The part of Electron's `ipcMain` the desktop uses. */
export interface IpcMainHandle {
  on(channel: string, listener: (event: IpcSender, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
  /** Answers `ipcRenderer.invoke(channel, …)`: the listener's value (or rejection) goes back to the page. */
  handle(channel: string, listener: (event: IpcSender, ...args: unknown[]) => unknown): unknown;
  removeHandler(channel: string): unknown;
}

/** Session ids are ULID-like tokens; anything else from the page is refused. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * True when the message comes from the top frame of a page on `allowedOrigin`. Why both: neither a page
 * the window was navigated to nor an iframe embedded in ours may speak for the window (the VS Code
 * `validatedIpcMain` rule).
 */
function isTrustedSender(event: IpcSender, allowedOrigin: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && frame.origin === allowedOrigin;
}

/**
 * Listens for the renderer's `setFocusedSession(id | null)` and passes valid ids from the Reins page on;
 * other senders and malformed ids are dropped (`onRefused` is told). Returns the function that stops listening.
 */
export function registerFocusIpc(
  ipcMain: IpcMainHandle,
  options: { allowedOrigin: string; onFocus(sessionId: string | null): void; onRefused(reason: string): void },
): () => void {
  ipcMain.on(FOCUSED_SESSION_CHANNEL, (event, sessionId) => {
    if (!isTrustedSender(event, options.allowedOrigin))
      return options.onRefused(`sender ${event.senderFrame?.url ?? 'a destroyed frame'} is not the Reins window`);
    if (sessionId !== null && (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))) return options.onRefused('not a session id');
    options.onFocus(sessionId);
  });
  return () => ipcMain.removeAllListeners(FOCUSED_SESSION_CHANNEL);
}

/** Reads and changes whether the desktop app starts at login. */
export interface LaunchAtLoginControl {
  get(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
}

/**
 * Answers the window's `getLaunchAtLogin()` / `setLaunchAtLogin(on)`. Only the Reins page's top frame
 * may ask (it installs a program to run at every login), and only with a boolean. Returns the unregisterer.
 */
export function registerLaunchAtLoginIpc(
  ipcMain: IpcMainHandle,
  options: { allowedOrigin: string; control: LaunchAtLoginControl; onRefused(reason: string): void },
): () => void {
  const refuse = (event: IpcSender): Error | null => {
    if (isTrustedSender(event, options.allowedOrigin)) return null;
    const reason = `sender ${event.senderFrame?.url ?? 'a destroyed frame'} is not the Reins window`;
    options.onRefused(reason);
    return new Error(reason);
  };
  ipcMain.handle(GET_LAUNCH_AT_LOGIN_CHANNEL, (event) => {
    const refused = refuse(event);
    return refused ? Promise.reject(refused) : options.control.get();
  });
  ipcMain.handle(SET_LAUNCH_AT_LOGIN_CHANNEL, (event, enabled) => {
    const refused = refuse(event);
    if (refused) return Promise.reject(refused);
    if (typeof enabled !== 'boolean') {
      options.onRefused('launch at login needs true or false');
      return Promise.reject(new Error('launch at login needs true or false'));
    }
    return options.control.set(enabled);
  });
  return () => {
    ipcMain.removeHandler(GET_LAUNCH_AT_LOGIN_CHANNEL);
    ipcMain.removeHandler(SET_LAUNCH_AT_LOGIN_CHANNEL);
  };
}
