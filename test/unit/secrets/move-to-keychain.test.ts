import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, moveFileSecretsToKeychain, type SecretStore } from '../../../src-main/core/secrets/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.remove());

describe('moving fallback-file secrets into the keychain', () => {
  it('moves every secret, then the file is gone', async () => {
    dir = tempDir();
    const file = createFileSecretStore(join(dir.path, 'a'));
    const target = createFileSecretStore(join(dir.path, 'b'));
    await file.set('telegram-bot-token', '123:abc');
    await file.set('callback-key', 'k'.repeat(43));
    await target.set('telegram-bot-token', 'older');
    const warnings: string[] = [];
    expect(await moveFileSecretsToKeychain(file, target, (m) => warnings.push(m))).toBe(2);
    expect(warnings).toEqual([]);
    expect(await target.get('telegram-bot-token')).toBe('123:abc');
    expect(await target.get('callback-key')).toBe('k'.repeat(43));
    expect(existsSync(file.path)).toBe(false);
    expect(await file.names()).toEqual([]);
  });

  it('keeps what it cannot move, and says so', async () => {
    dir = tempDir();
    const file = createFileSecretStore(dir.path);
    await file.set('telegram-bot-token', '123:abc');
    const broken: SecretStore = {
      backend: 'keychain',
      get: async () => null,
      set: async () => {
        throw new Error('the keyring is locked');
      },
      delete: async () => undefined,
    };
    const warnings: string[] = [];
    expect(await moveFileSecretsToKeychain(file, broken, (m) => warnings.push(m))).toBe(0);
    expect(warnings[0]).toMatch(/Could not move the secret "telegram-bot-token" .*the keyring is locked.*stays in the file/);
    expect(await file.get('telegram-bot-token')).toBe('123:abc');
  });

  it('a store whose last secret is deleted leaves no file behind', async () => {
    dir = tempDir();
    const file = createFileSecretStore(dir.path);
    await file.set('x-token', 'value-1');
    expect(existsSync(file.path)).toBe(true);
    await file.delete('x-token');
    expect(existsSync(file.path)).toBe(false);
    await file.delete('x-token');
  });
});
