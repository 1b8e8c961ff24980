import type { DesktopBridge } from '../src-main/contract/desktop.ts';

declare global {
  interface Window {
    /** Set by the desktop preload; absent in a plain browser tab. */
    reins?: DesktopBridge;
  }
}
