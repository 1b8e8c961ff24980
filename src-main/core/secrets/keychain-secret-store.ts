/**
 * Secrets in the OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential
 * Manager, or the freedesktop Secret Service (gnome-keyring, KWallet) on Linux. Each secret is
 * one item with service `reins` and the secret's name as account.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { assertSecretName, SecretStoreError, type SecretStore } from './secret-store.ts';

/** The keychain service every Reins item is filed under. */
export const DEFAULT_KEYCHAIN_SERVICE = 'reins';

/** Options of `createKeychainSecretStore`. */
export interface KeychainSecretStoreOptions {
  /** Service name of the items; tests use their own so they never touch the user's. */
  service?: string;
  /** Give up on a keychain call after this long (a locked keyring may wait on a prompt). */
  timeoutMs?: number;
}

/**
 * Creates a store backed by the OS keychain. It does not check that the keychain works; use
 * `openSecretStore`, which probes it and falls back to the file store.
 */
export function createKeychainSecretStore(opts: KeychainSecretStoreOptions = {}): SecretStore {
  const service = opts.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // On Linux the library would otherwise fall back to the kernel keyring, which forgets
  // everything at logout or reboot: a bot token stored there would silently vanish.
  const entry = (name: string) => new AsyncEntry(service, name, { linux: { store: 'secret-service' } });
  const call = async <T>(what: string, name: string, op: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    assertSecretName(name, 'keychain');
    try {
      return await op(AbortSignal.timeout(timeoutMs));
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new SecretStoreError(
        'keychain',
        'keychain',
        `The OS keychain could not ${what} secret "${name}" (${detail}). Unlock the keychain, or run \`reins doctor\` to check it.`,
        { cause: err },
      );
    }
  };
  return {
    backend: 'keychain',
    get: (name) => call('read', name, (signal) => entry(name).getPassword(signal)),
    set: (name, value) => call('store', name, (signal) => entry(name).setPassword(value, signal)),
    delete: async (name) => {
      await call('delete', name, (signal) => entry(name).deletePassword(signal));
    },
  };
}
