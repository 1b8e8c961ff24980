/**
 * The real OS keychain. CI runs this inside `dbus-run-session` with an unlocked gnome-keyring
 * and REQUIRE_KEYRING=1, so the keychain path must work there; elsewhere (no session bus) the
 * same test proves the fallback to the 0600 file and its warning instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeychainSecretStore, openSecretStore, SecretStoreError } from '../../src-main/core/secrets/index.ts';

const requireKeyring = process.env.REQUIRE_KEYRING === '1';
const linuxWithoutBus = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const service = `reins-test-${randomBytes(4).toString('hex')}`;

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'reins-keychain-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OS keychain', () => {
  it('round-trips through the keychain, or falls back to the 0600 file with a warning when there is none', async () => {
    const warnings: string[] = [];
    const store = await openSecretStore({ dataDir, service, warn: (m) => warnings.push(m) });
    if (requireKeyring) expect(store.backend, `keychain required but unavailable: ${warnings.join(' ')}`).toBe('keychain');
    if (linuxWithoutBus && !requireKeyring) expect(store.backend).toBe('file');

    if (store.backend === 'keychain') {
      expect(warnings).toEqual([]);
      try {
        await store.set('bot-token', '123:first');
        expect(await store.get('bot-token')).toBe('123:first');
        await store.set('bot-token', '123:second');
        expect(await createKeychainSecretStore({ service }).get('bot-token')).toBe('123:second');
        expect(await createKeychainSecretStore({ service: `${service}-other` }).get('bot-token')).toBeNull();
        if (requireKeyring && process.platform === 'linux') {
          // Checked with libsecret's own tool, so the item really is in the Secret Service.
          expect(execFileSync('secret-tool', ['lookup', 'service', service, 'username', 'bot-token'], { encoding: 'utf8' })).toBe('123:second');
        }
      } finally {
        await store.delete('bot-token');
      }
      expect(await store.get('bot-token')).toBeNull();
      await store.delete('bot-token');
      expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
    } else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^The OS keychain is unavailable \(.+\)/);
      expect(warnings[0]).toContain(`${join(dataDir, 'secrets.json')}, readable only by you (mode 0600)`);
      await store.set('bot-token', '123:first');
      expect(await store.get('bot-token')).toBe('123:first');
      expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    }
  });

  it('falls back to the file, saying there is no session bus, when the bus cannot be reached', async () => {
    const moduleUrl = pathToFileURL(resolve('src-main/core/secrets/index.ts')).href;
    const script = `
      const { openSecretStore } = await import(process.argv[1]);
      const warnings = [];
      const store = await openSecretStore({ dataDir: process.argv[2], service: process.argv[3], warn: (m) => warnings.push(m) });
      await store.set('k', 'v');
      console.log(JSON.stringify({ backend: store.backend, value: await store.get('k'), warnings }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, moduleUrl, dataDir, service], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}` },
      timeout: 20_000,
    });
    const result = JSON.parse(stdout) as { backend: string; value: string; warnings: string[] };
    if (process.platform !== 'linux') {
      expect(result.backend).toBe('keychain');
      return;
    }
    expect(result.backend).toBe('file');
    expect(result.value).toBe('v');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/no D-Bus session bus/);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('rejects invalid names before asking the keychain', async () => {
    const store = createKeychainSecretStore({ service });
    const err = await store.get('not valid!').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect(err).toMatchObject({ code: 'invalid_name', backend: 'keychain' });
  });
});
