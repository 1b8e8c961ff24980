import { CONNECTION_CHANNEL, type CoreConnection } from '../contract/desktop.ts';

/** The part of an IPC event the sender check reads (Electron's `IpcMainInvokeEvent` has it). */
export interface IpcSender {
  senderFrame: { url: string; origin: string; parent: unknown } | null;
}

/** The part of Electron's `ipcMain` the desktop uses. */
export interface IpcMainHandle {
  handle(channel: string, listener: (event: IpcSender) => unknown): void;
  removeHandler(channel: string): void;
}

/** An IPC call came from a frame that may not use it; the call is refused and nothing is returned. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
  readonly channel: string;
  readonly senderUrl: string | null;
  constructor(channel: string, senderUrl: string | null, why: string) {
    super(`Refused IPC on '${channel}' from ${senderUrl ?? 'a destroyed frame'}: ${why}. Only the Reins window may ask.`);
    this.channel = channel;
    this.senderUrl = senderUrl;
  }
}

/**
 * Throws {@link IpcRefusedError} unless the call comes from the top frame of a page on `allowedOrigin`.
 * Why both: the token grants full control of the agents, so neither a page the window was navigated to
 * nor an iframe embedded in ours may obtain it (the VS Code `validatedIpcMain` rule).
 */
function assertTrustedSender(channel: string, event: IpcSender, allowedOrigin: string): void {
  const frame = event.senderFrame;
  if (!frame) throw new IpcRefusedError(channel, null, 'the sending frame is gone');
  if (frame.parent !== null) throw new IpcRefusedError(channel, frame.url, 'the sender is not the top frame');
  if (frame.origin !== allowedOrigin) {
    throw new IpcRefusedError(channel, frame.url, `origin ${frame.origin} is not ${allowedOrigin}`);
  }
}

/**
 * Answers `reins:connection` (the renderer's `window.reins.connection()`) with the core's URL and token,
 * for trusted senders only. Returns the function that removes the handler.
 */
export function registerConnectionIpc(ipcMain: IpcMainHandle, options: { allowedOrigin: string; connection: () => CoreConnection }): () => void {
  ipcMain.handle(CONNECTION_CHANNEL, (event) => {
    assertTrustedSender(CONNECTION_CHANNEL, event, options.allowedOrigin);
    const { url, token } = options.connection();
    return { url, token } satisfies CoreConnection;
  });
  return () => ipcMain.removeHandler(CONNECTION_CHANNEL);
}
