import { join } from 'node:path';
import type { TrayModel } from './tray-model.ts';
import { describeTrayStatus, type TrayState } from './tray-status.ts';

/** One entry of the tray's context menu (the subset of Electron's MenuItemConstructorOptions we use). */
export interface TrayMenuItem {
  /** Names the session or approval an entry acts on, so a menu for other ones differs. */
  id?: string;
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
  submenu?: TrayMenuItem[];
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
  /** Show the main window (a click on the icon). */
  onOpen(): void;
}

/** The tray icon and menu, repainted from the tray model (see tray-model.ts). */
export interface TrayController {
  update(model: TrayModel): void;
  destroy(): void;
}

/** Path of the icon for a state; Electron picks the `@2x` sibling on high-DPI screens by itself. */
function trayIconPath(iconDir: string, state: TrayState): string {
  return join(iconDir, `${state}.png`);
}

/** What a menu shows (labels, enabled flags, nesting), to tell whether it needs rebuilding. */
function menuShape(menu: TrayMenuItem[]): string {
  return JSON.stringify(menu, (key, value: unknown) => (key === 'click' ? undefined : value));
}

/**
 * Creates the tray icon on `initial`. Call `update` whenever the model may have changed; it repaints only
 * what differs, because rebuilding a Linux AppIndicator menu on every event makes it flicker.
 */
export function createTrayController<TMenu>(electron: TrayElectron<TMenu>, options: TrayOptions, initial: TrayModel): TrayController {
  let current = initial;
  const tray = new electron.Tray(trayIconPath(options.iconDir, current.status.state));
  tray.setToolTip(describeTrayStatus(current.status));
  tray.setContextMenu(electron.Menu.buildFromTemplate(current.menu));
  tray.on('click', options.onOpen);
  return {
    update(model) {
      if (model.status.state !== current.status.state) tray.setImage(trayIconPath(options.iconDir, model.status.state));
      const tip = describeTrayStatus(model.status);
      if (tip !== describeTrayStatus(current.status)) tray.setToolTip(tip);
      // Menu items hold click closures over the approval or session they act on: rebuild whenever
      // what is shown changes, so an entry never acts on a stale id.
      if (menuShape(model.menu) !== menuShape(current.menu)) tray.setContextMenu(electron.Menu.buildFromTemplate(model.menu));
      current = model;
    },
    destroy() {
      tray.destroy();
    },
  };
}
