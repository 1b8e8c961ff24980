import { FOCUSED_SESSION_CHANNEL } from '../contract/desktop.ts';

/** The part of an IPC event the sender check reads (Electron's `IpcMainEvent` has it). */
export interface IpcSender {
  senderFrame: { url: string; origin: string; parent: unknown } | null;
}

/** The part of Electron's `ipcMain` the desktop uses. */
export interface IpcMainHandle {
  on(channel: string, listener: (event: IpcSender, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
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
