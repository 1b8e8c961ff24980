/**
 * What the desktop preload exposes to the renderer as `window.reins`. Types only: the preload implements
 * it, the renderer consumes it, and neither can drift from the other.
 */

/** Where the renderer finds the core: the loopback API base URL and its bearer token. */
export interface CoreConnection {
  /** Base URL of the loopback API, e.g. `http://127.0.0.1:7717` (no trailing slash, no `/api/v1`). */
  url: string;
  token: string;
}

/** The IPC channel behind {@link DesktopBridge.connection}; the only channel the main process answers. */
export const CONNECTION_CHANNEL = 'reins:connection';

/** `window.reins` inside the desktop app. Absent when the renderer runs in a plain browser. */
export interface DesktopBridge {
  /** Asks the main process for the core connection (the window's origin is checked there). */
  connection(): Promise<CoreConnection>;
  /** `process.platform` of the desktop host, for platform-specific wording and shortcuts. */
  readonly platform: string;
}
