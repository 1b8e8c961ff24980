/**
 * What the desktop preload exposes to the renderer as `window.reins`. Types only (and the channel names):
 * the preload implements it, the renderer consumes it, and neither can drift from the other.
 *
 * No token crosses this bridge: the window is signed in by a one-time login URL the main process mints
 * and loads, so the page holds only its HttpOnly session cookie, as in a browser tab.
 */

/** Renderer → main: the session the window shows (or null), so main skips notifying about it. */
export const FOCUSED_SESSION_CHANNEL = 'reins:focused-session';
/** Main → renderer: a notification was clicked; show this session. */
export const OPEN_SESSION_CHANNEL = 'reins:open-session';

/** Renderer → main (invoke): is the app started at login? Answers a boolean. */
export const GET_LAUNCH_AT_LOGIN_CHANNEL = 'reins:get-launch-at-login';
/** Renderer → main (invoke): start the app at login, or not (a boolean); the same login service `reins service` uses. */
export const SET_LAUNCH_AT_LOGIN_CHANNEL = 'reins:set-launch-at-login';

/** `window.reins` inside the desktop app. Absent when the renderer runs in a plain browser. */
export interface DesktopBridge {
  /** `process.platform` of the desktop host, for platform-specific wording and shortcuts. */
  readonly platform: string;
  /** Tells main which session the window shows (null: none); main checks the sender and the id. */
  setFocusedSession(sessionId: string | null): void;
  /** Calls `listener` when a notification asks to show a session; returns the unsubscriber. */
  onOpenSession(listener: (sessionId: string) => void): () => void;
  /** Whether the desktop app starts (hidden, in the tray) when the user logs in. */
  getLaunchAtLogin(): Promise<boolean>;
  /** Installs or removes the app's login service; rejects with a one-line reason when the OS refuses. */
  setLaunchAtLogin(enabled: boolean): Promise<void>;
}
