/**
 * The desktop preload: the renderer's only door into Electron. It runs sandboxed (no Node, CommonJS only,
 * `require('electron')` limited to renderer modules) and exposes named, typed methods; `ipcRenderer`
 * itself never reaches the page, so a compromised page can call nothing but these.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  DesktopBridge,
  FOCUSED_SESSION_CHANNEL as FocusChannel,
  GET_LAUNCH_AT_LOGIN_CHANNEL as GetLaunchChannel,
  OPEN_SESSION_CHANNEL as OpenChannel,
  SET_LAUNCH_AT_LOGIN_CHANNEL as SetLaunchChannel,
} from '../src-main/contract/desktop.ts';

// Inlined rather than imported: a sandboxed preload can require only 'electron', not our modules.
// The types still tie them to the contract: a renamed channel fails to compile here.
const FOCUSED_SESSION_CHANNEL: typeof FocusChannel = 'reins:focused-session';
const OPEN_SESSION_CHANNEL: typeof OpenChannel = 'reins:open-session';
const GET_LAUNCH_AT_LOGIN_CHANNEL: typeof GetLaunchChannel = 'reins:get-launch-at-login';
const SET_LAUNCH_AT_LOGIN_CHANNEL: typeof SetLaunchChannel = 'reins:set-launch-at-login';

const bridge = {
  platform: process.platform,
  setFocusedSession: (sessionId: string | null): void => ipcRenderer.send(FOCUSED_SESSION_CHANNEL, sessionId),
  onOpenSession: (listener: (sessionId: string) => void): (() => void) => {
    // Why a wrapper: the page gets the id only, never the IpcRendererEvent (it carries `sender`).
    const relay = (_event: IpcRendererEvent, sessionId: unknown): void => {
      if (typeof sessionId === 'string') listener(sessionId);
    };
    ipcRenderer.on(OPEN_SESSION_CHANNEL, relay);
    return () => ipcRenderer.removeListener(OPEN_SESSION_CHANNEL, relay);
  },
  getLaunchAtLogin: async (): Promise<boolean> => (await ipcRenderer.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL)) === true,
  setLaunchAtLogin: async (enabled: boolean): Promise<void> => {
    await ipcRenderer.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, enabled === true);
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('reins', bridge);
