/**
 * What the desktop preload exposes to the renderer as `window.reins`. Types only: the preload implements
 * it, the renderer consumes it, and neither can drift from the other.
 *
 * No token crosses this bridge: the window is signed in by a one-time login URL the main process mints
 * and loads, so the page holds only its HttpOnly session cookie, as in a browser tab.
 */

/** `window.reins` inside the desktop app. Absent when the renderer runs in a plain browser. */
export interface DesktopBridge {
  /** `process.platform` of the desktop host, for platform-specific wording and shortcuts. */
  readonly platform: string;
}
