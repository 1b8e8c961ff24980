/**
 * The desktop preload: the renderer's only door into Electron. It runs sandboxed (no Node, CommonJS only,
 * `require('electron')` limited to renderer modules) and exposes named, typed values; `ipcRenderer`
 * itself never reaches the page, so a compromised page can call nothing but these.
 */
import { contextBridge } from 'electron';
import type { DesktopBridge } from '../src-main/contract/desktop.ts';

const bridge = {
  platform: process.platform,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('reins', bridge);
