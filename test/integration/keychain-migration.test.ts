/**
 * Secrets kept in the 0600 file while no keychain was available move into the keychain at the
 * first start that has one. Without a keychain (no session bus) the file stays in use instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, createKeychainSecretStore, openSecretStore } from '../../src-main/core/secrets/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const requireKeyring = process.env.REQUIRE_KEYRING === '1';
const service = `reins-migrate-${randomBytes(4).toString('hex')}`;
let dir: ReturnType<typeof tempDir>;
afterEach(async () => {
  await createKeychainSecretStore({ service })
    .delete('telegram-bot-token')
    .catch(() => undefined);
  dir?.remove();
});

describe('fallback file → keychain', () => {
  it('moves the file secrets into the keychain once it answers (else keeps using the file)', async () => {
    dir = tempDir();
    const file = createFileSecretStore(dir.path);
    await file.set('telegram-bot-token', '123:from-the-file');
    const warnings: string[] = [];
    const store = await openSecretStore({ dataDir: dir.path, service, warn: (m) => warnings.push(m) });
    if (requireKeyring) expect(store.backend, warnings.join(' ')).toBe('keychain');
    expect(await store.get('telegram-bot-token')).toBe('123:from-the-file');
    if (store.backend === 'keychain') {
      expect(existsSync(join(dir.path, 'secrets.json'))).toBe(false);
      expect(await createKeychainSecretStore({ service }).get('telegram-bot-token')).toBe('123:from-the-file');
    } else {
      expect(existsSync(join(dir.path, 'secrets.json'))).toBe(true);
      expect(warnings[0]).toMatch(/keychain is unavailable/);
    }
  });
});
