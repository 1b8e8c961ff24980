/**
 * The desktop preload: the renderer's only door into Electron. It runs sandboxed (no Node, CommonJS only,
 * `require('electron')` limited to renderer modules) and exposes named, typed methods; `ipcRenderer`
 * itself never reaches the page, so a compromised page can call nothing but these.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CONNECTION_CHANNEL as ContractChannel, CoreConnection, DesktopBridge } from '../src-main/contract/desktop.ts';

// Inlined rather than imported: a sandboxed preload can require only 'electron', not our modules.
// The type still ties it to the contract: a renamed channel fails to compile here.
const CONNECTION_CHANNEL: typeof ContractChannel = 'reins:connection';

const bridge = {
  connection: (): Promise<CoreConnection> => ipcRenderer.invoke(CONNECTION_CHANNEL),
  platform: process.platform,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('reins', bridge);
