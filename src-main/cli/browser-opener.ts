import { spawn as nodeSpawn } from 'node:child_process';
import { CliError } from './client.ts';

/** Opens `url` in the user's default browser. */
export type OpenBrowser = (url: string) => Promise<void>;

/** What {@link systemBrowserOpener} spawns with (node's `spawn`, or a test's). */
type SpawnFn = typeof nodeSpawn;

/** A login URL as the core mints it: nothing a shell or `cmd.exe` could read as syntax. */
const LOGIN_URL = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/login\?code=[A-Za-z0-9_-]+$/;

/** The platform's "open this URL" command and its arguments. */
function openerFor(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is built into cmd.exe; its first quoted argument is a window title, hence the empty one.
  // The URL was checked against LOGIN_URL, so cmd's metacharacters (& | ^ < > %) cannot be in it.
  if (platform === 'win32') return { command: 'cmd.exe', args: ['/d', '/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Opens login URLs with the platform's opener (`xdg-open`, `open`, `start`), spawned without a shell
 * and detached so the browser outlives the command. Refuses anything but a login URL of the core.
 */
export function systemBrowserOpener(platform: NodeJS.Platform = process.platform, spawn: SpawnFn = nodeSpawn): OpenBrowser {
  return (url) =>
    new Promise((resolve, reject) => {
      if (!LOGIN_URL.test(url)) return reject(new CliError(`Refusing to open an unexpected URL: ${url}`));
      const { command, args } = openerFor(platform, url);
      const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false, windowsVerbatimArguments: platform === 'win32' });
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new CliError(`Could not start ${command} to open a browser (${error.code ?? error.message}). Open this link yourself: ${url}`)),
      );
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
}
