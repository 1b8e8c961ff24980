import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GET_LAUNCH_AT_LOGIN_CHANNEL, SET_LAUNCH_AT_LOGIN_CHANNEL } from '../../../src-main/contract/desktop.ts';
import { registerLaunchAtLoginIpc } from '../../../src-main/desktop/ipc.ts';
import { serviceLaunchAtLogin } from '../../../src-main/desktop/launch-at-login.ts';
import { createServiceManager, desktopServiceSpec } from '../../../src-main/service/index.ts';
import { createFakeElectron } from '../../fakes/electron.ts';
import { recordingServiceHost } from '../../helpers/service-host.ts';

// The window's launch-at-login switch, through the IPC handlers the preload invokes, onto the same login
// service `reins service` installs (systemd here, its commands answered by a recording runner).

const ORIGIN = 'http://127.0.0.1:7717';
const reinsFrame = { url: `${ORIGIN}/`, origin: ORIGIN, parent: null };
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function setup() {
  const made = recordingServiceHost('linux', (_program, args) => (args.includes('--version') ? { stdout: 'systemd 252' } : undefined));
  dirs.push(made);
  const { calls } = made;
  const manager = createServiceManager(made.host);
  const electron = createFakeElectron();
  const refused: string[] = [];
  const spec = desktopServiceSpec({ executable: '/opt/Reins/reins', home: '/data/reins', path: '/usr/bin:/bin' });
  const stop = registerLaunchAtLoginIpc(electron.ipcMain, {
    allowedOrigin: ORIGIN,
    control: serviceLaunchAtLogin(manager, spec),
    onRefused: (reason) => refused.push(reason),
  });
  const unit = join(made.home, '.config', 'systemd', 'user', 'reins-desktop.service');
  return { ipc: electron.ipcMain, calls, refused, unit, stop };
}

describe('launch at login from the window', () => {
  it('turns on by installing the desktop login service, reads back as on, and off removes it', async () => {
    const { ipc, calls, unit } = setup();
    expect(await ipc.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame)).toBe(false);
    await ipc.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame, true);
    expect(existsSync(unit)).toBe(true);
    expect(calls).toContain('systemctl --user enable reins-desktop.service');
    expect(await ipc.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame)).toBe(true);
    await ipc.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame, false);
    expect(existsSync(unit)).toBe(false);
    expect(calls).toContain('systemctl --user disable --now reins-desktop.service');
    expect(await ipc.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame)).toBe(false);
  });

  it('refuses a page that is not the Reins window, an embedded frame, and a value that is not a boolean', async () => {
    const { ipc, unit, refused } = setup();
    const evil = { url: 'https://evil.example/', origin: 'https://evil.example', parent: null };
    await expect(ipc.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, evil, true)).rejects.toThrow(/not the Reins window/);
    await expect(ipc.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, { ...reinsFrame, parent: {} }, true)).rejects.toThrow(/not the Reins window/);
    await expect(ipc.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL, evil)).rejects.toThrow(/not the Reins window/);
    await expect(ipc.invoke(SET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame, 'yes')).rejects.toThrow(/true or false/);
    expect(existsSync(unit)).toBe(false);
    expect(refused).toHaveLength(4);
  });

  it('stops answering once unregistered', async () => {
    const { ipc, stop } = setup();
    stop();
    await expect(ipc.invoke(GET_LAUNCH_AT_LOGIN_CHANNEL, reinsFrame)).rejects.toThrow(/No handler/);
  });
});
