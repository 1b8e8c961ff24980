/**
 * The secret store a host or command uses, chosen from its environment: `REINS_KEYCHAIN_SERVICE`
 * names the keychain service (two installs, or a test run, apart), and `REINS_SECRET_STORE=file`
 * keeps secrets in the data directory's 0600 file instead of the keychain (a server whose keychain
 * is not wanted; test runs that start hundreds of cores). Every entry point uses this one choice, so
 * the daemon and `reins audit verify` always look in the same place.
 */
import { createFileSecretStore } from './file-secret-store.ts';
import { openSecretStore } from './open-secret-store.ts';
import type { SecretStore } from './secret-store.ts';

/** Opens the store for the data directory `home` as `env` asks. */
export function secretStoreFor(home: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<SecretStore> {
  if (env.REINS_SECRET_STORE === 'file') return Promise.resolve(createFileSecretStore(home));
  return openSecretStore({ dataDir: home, ...(env.REINS_KEYCHAIN_SERVICE ? { service: env.REINS_KEYCHAIN_SERVICE } : {}), warn });
}
