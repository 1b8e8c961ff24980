import { beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_CHANNEL } from '../../../src-main/contract/desktop.ts';
import { IpcRefusedError, registerConnectionIpc } from '../../../src-main/desktop/ipc.ts';
import { FakeIpcMain } from '../../fakes/electron.ts';

const origin = 'http://127.0.0.1:7717';
const connection = { url: origin, token: 'secret-token' };
const topFrame = (url: string) => ({ url, origin: new URL(url).origin, parent: null });

describe('registerConnectionIpc', () => {
  let ipcMain: FakeIpcMain;
  let remove: () => void;

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    remove = registerConnectionIpc(ipcMain, { allowedOrigin: origin, connection: () => connection });
  });

  it('answers the top frame of the core-served page with the URL and token', async () => {
    await expect(ipcMain.invoke(CONNECTION_CHANNEL, topFrame(`${origin}/#/sessions`))).resolves.toEqual(connection);
  });

  it('refuses a page from another origin', async () => {
    const call = ipcMain.invoke(CONNECTION_CHANNEL, topFrame('https://evil.example/'));
    await expect(call).rejects.toBeInstanceOf(IpcRefusedError);
    await expect(ipcMain.invoke(CONNECTION_CHANNEL, topFrame('http://127.0.0.1:9999/'))).rejects.toThrow(
      "Refused IPC on 'reins:connection' from http://127.0.0.1:9999/: origin http://127.0.0.1:9999 is not http://127.0.0.1:7717",
    );
  });

  it('refuses an iframe even when it claims our origin', async () => {
    const frame = { url: `${origin}/`, origin, parent: topFrame(`${origin}/`) };
    await expect(ipcMain.invoke(CONNECTION_CHANNEL, frame)).rejects.toThrow('the sender is not the top frame');
  });

  it('refuses a frame that is already gone', async () => {
    await expect(ipcMain.invoke(CONNECTION_CHANNEL, null)).rejects.toThrow('from a destroyed frame: the sending frame is gone');
  });

  it('removes its handler', () => {
    remove();
    expect(ipcMain.handlers.has(CONNECTION_CHANNEL)).toBe(false);
  });
});
