/** The browser opener's command per platform, with node's spawn swapped for a recorder. */
import { EventEmitter } from 'node:events';
import type { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { systemBrowserOpener } from '../../../src-main/cli/browser-opener.ts';

const URL_OK = 'http://127.0.0.1:7717/login?code=abc_DEF-123';

function recorder() {
  const calls: { command: string; args: readonly string[]; options: Record<string, unknown> }[] = [];
  const fake = ((command: string, args: readonly string[], options: Record<string, unknown>) => {
    calls.push({ command, args, options });
    const child = Object.assign(new EventEmitter(), { unref: () => {} });
    setImmediate(() => child.emit('spawn'));
    return child;
  }) as unknown as typeof spawn;
  return { calls, fake };
}

describe('systemBrowserOpener', () => {
  it.each([
    ['linux', 'xdg-open', [URL_OK]],
    ['darwin', 'open', [URL_OK]],
    ['win32', 'cmd.exe', ['/d', '/c', 'start', '""', URL_OK]],
  ] as const)('on %s runs %s without a shell, detached', async (platform, command, args) => {
    const { calls, fake } = recorder();
    await systemBrowserOpener(platform, fake)(URL_OK);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ command, args, options: { shell: false, detached: true, stdio: 'ignore' } });
  });

  it('refuses anything but a login URL of the core (no shell syntax can reach cmd.exe)', async () => {
    const { calls, fake } = recorder();
    for (const url of ['http://127.0.0.1:7717/login?code=a&calc', 'https://evil.example/login?code=a', 'file:///etc/passwd']) {
      await expect(systemBrowserOpener('win32', fake)(url)).rejects.toThrow('Refusing to open an unexpected URL');
    }
    expect(calls).toHaveLength(0);
  });
});
