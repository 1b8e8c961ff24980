import { join } from 'node:path';
import { describeTrayStatus, type TrayState, type TrayStatus } from './tray-status.ts';

/** One entry of the tray's context menu (the subset of Electron's MenuItemConstructorOptions we use). */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
}

/** The part of an Electron `Tray` the controller drives. */
export interface TrayHandle<TMenu> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: TMenu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** The Electron classes the tray needs: `{ Tray, Menu }` from 'electron', or a test stand-in. */
export interface TrayElectron<TMenu> {
  Tray: new (image: string) => TrayHandle<TMenu>;
  Menu: { buildFromTemplate(template: TrayMenuItem[]): TMenu };
}

/** Options of {@link createTrayController}. */
export interface TrayOptions {
  /** Folder holding `<state>.png` and `<state>@2x.png` (assets/tray, or resources/tray when packaged). */
  iconDir: string;
  /** Show the main window (tray click, "Open Reins", the pending-approvals entry). */
  onOpen(): void;
  /** Quit the app (stops an in-process core). */
  onQuit(): void;
}

/** The tray icon and menu, repainted from the core's status. */
export interface TrayController {
  update(status: TrayStatus): void;
  destroy(): void;
}

/** Path of the icon for a state; Electron picks the `@2x` sibling on high-DPI screens by itself. */
function trayIconPath(iconDir: string, state: TrayState): string {
  return join(iconDir, `${state}.png`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Builds the menu for a status: Open, pending approvals (opens the window), active sessions, Quit. */
function trayMenuTemplate(status: TrayStatus, options: Pick<TrayOptions, 'onOpen' | 'onQuit'>): TrayMenuItem[] {
  return [
    { label: 'Open Reins', click: options.onOpen },
    { type: 'separator' },
    {
      label: status.pendingApprovals > 0 ? `${plural(status.pendingApprovals, 'pending approval')}…` : 'No pending approvals',
      enabled: status.pendingApprovals > 0,
      click: options.onOpen,
    },
    { label: status.activeSessions > 0 ? plural(status.activeSessions, 'active session') : 'No active sessions', enabled: false },
    { type: 'separator' },
    { label: 'Quit Reins', click: options.onQuit },
  ];
}

/**
 * Creates the tray icon. Call `update` whenever the status may have changed; it repaints only what
 * differs, because rebuilding a Linux AppIndicator menu on every event makes it flicker.
 */
export function createTrayController<TMenu>(electron: TrayElectron<TMenu>, options: TrayOptions): TrayController {
  let current: TrayStatus = { state: 'idle', activeSessions: 0, pendingApprovals: 0 };
  const tray = new electron.Tray(trayIconPath(options.iconDir, current.state));
  tray.setToolTip(describeTrayStatus(current));
  tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenuTemplate(current, options)));
  tray.on('click', options.onOpen);
  return {
    update(status) {
      if (status.state !== current.state) tray.setImage(trayIconPath(options.iconDir, status.state));
      const countsChanged = status.activeSessions !== current.activeSessions || status.pendingApprovals !== current.pendingApprovals;
      if (countsChanged) {
        tray.setToolTip(describeTrayStatus(status));
        tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenuTemplate(status, options)));
      }
      current = status;
    },
    destroy() {
      tray.destroy();
    },
  };
}
