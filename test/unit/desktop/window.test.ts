import { beforeEach, describe, expect, it } from 'vitest';
import { rendererCsp } from '../../../src-main/desktop/csp.ts';
import { isSafeExternalUrl } from '../../../src-main/desktop/external-links.ts';
import { createMainWindow, hardenSession, LoginUrlRefusedError } from '../../../src-main/desktop/window.ts';
import { createFakeElectron, FakeBrowserWindow, type FakeElectron } from '../../fakes/electron.ts';

const coreUrl = 'http://127.0.0.1:7717';
const loginUrl = `${coreUrl}/login?code=one-time`;
const errors: Error[] = [];
let minted: string[] = [];
const setup = {
  coreUrl,
  preloadPath: '/app/out/preload/index.cjs',
  mintLoginUrl: async () => {
    minted.push(loginUrl);
    return loginUrl;
  },
  onError: (error: Error) => errors.push(error),
};
/** Lets the mint-then-load chain settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createMainWindow', () => {
  let electron: FakeElectron;
  beforeEach(() => {
    electron = createFakeElectron();
    errors.length = 0;
    minted = [];
  });

  it('opens a sandboxed, isolated window without Node on a freshly minted login URL', async () => {
    createMainWindow(electron, setup);
    await settle();
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(minted).toEqual([loginUrl]);
    expect(window.loadedUrl).toBe(loginUrl);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('denies every new window, sending web links to the system browser only', () => {
    createMainWindow(electron, setup);
    const handler = FakeBrowserWindow.instances[0]!.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://docs.anthropic.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'vscode://file/x' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://docs.anthropic.com/']);
  });

  it('blocks navigation and redirects away from the core origin; a clicked public link opens in the browser', () => {
    createMainWindow(electron, setup);
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    expect(contents.navigate('will-navigate', 'https://docs.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'http://127.0.0.1:9999/')).toBe(true);
    expect(contents.navigate('will-redirect', 'https://redirected.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'not a url')).toBe(true);
    expect(contents.navigate('will-navigate', `${coreUrl}/#/approvals`)).toBe(false);
    expect(electron.opened).toEqual(['https://docs.example/']);
  });

  it('reports a page that cannot load instead of leaving a rejected promise', async () => {
    FakeBrowserWindow.failNextLoad = new Error('ERR_CONNECTION_REFUSED');
    createMainWindow(electron, setup);
    await settle();
    expect(errors.map((error) => error.message)).toEqual(['ERR_CONNECTION_REFUSED']);
  });

  it('reports a login URL that cannot be minted and loads nothing', async () => {
    createMainWindow(electron, { ...setup, mintLoginUrl: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7717')) });
    await settle();
    expect(errors.map((error) => error.message)).toEqual(['connect ECONNREFUSED 127.0.0.1:7717']);
    expect(FakeBrowserWindow.instances[0]!.loadedUrl).toBeNull();
  });

  it('refuses a login URL off the core origin', async () => {
    createMainWindow(electron, { ...setup, mintLoginUrl: async () => 'http://127.0.0.1:9999/login?code=x' });
    await settle();
    expect(errors[0]).toBeInstanceOf(LoginUrlRefusedError);
    expect(FakeBrowserWindow.instances[0]!.loadedUrl).toBeNull();
  });
});

describe('hardenSession', () => {
  it('grants no permission and puts the strict CSP on every response from the core', () => {
    const electron = createFakeElectron();
    const session = electron.session.defaultSession;
    hardenSession(session, coreUrl);
    const answers: boolean[] = [];
    session.permissionHandler?.(null, 'notifications', (granted) => answers.push(granted));
    session.permissionHandler?.(null, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(session.headerFilters).toEqual([{ urls: ['http://127.0.0.1/*'] }]);
    const headers = session.respond({ 'content-type': ['text/html'] });
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [rendererCsp(coreUrl)] });
  });
});

describe('rendererCsp', () => {
  it('allows only the core origin and its WebSocket, and nothing inline', () => {
    const csp = rendererCsp(coreUrl);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:7717;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts web pages on public hosts and mail links', () => {
    const allowed = [
      'https://a.example/',
      'http://a.example/x?y=1',
      'mailto:me@a.example',
      'https://8.8.8.8/',
      'https://[2606:4700::1111]/',
      'https://172.32.0.1/',
    ];
    expect(allowed.filter((url) => !isSafeExternalUrl(url))).toEqual([]);
  });

  it('refuses other schemes, credentials, and every way of naming this machine or its network', () => {
    const refused = [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'vscode://file/x',
      'nonsense',
      'https://user:pass@a.example/',
      'http://127.0.0.1:7717/api/v1/approvals',
      'http://localhost:7717/',
      'http://reins.localhost/',
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1/', // 127.0.0.1 in hex shorthand
      'http://[::1]:7717/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0:7717/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://router/',
      'http://printer.local/',
    ];
    expect(refused.filter(isSafeExternalUrl)).toEqual([]);
  });
});
