/**
 * Picks the secret backend for a core: the OS keychain when it answers a real round trip,
 * otherwise the 0600 file in the data directory, with a warning that says so and why.
 */
import { randomBytes } from 'node:crypto';
import { createFileSecretStore, type FileSecretStore } from './file-secret-store.ts';
import { createKeychainSecretStore, DEFAULT_KEYCHAIN_SERVICE } from './keychain-secret-store.ts';
import type { SecretStore } from './secret-store.ts';

/** Options of `openSecretStore`. */
export interface OpenSecretStoreOptions {
  /** The Reins data directory; the fallback file is `<dataDir>/secrets.json`. */
  dataDir: string;
  /** Keychain service name (default `reins`); tests pass their own. */
  service?: string;
  /** Told once when secrets go to the file instead of the keychain. */
  warn(message: string): void;
  /** How long the keychain probe may take before it counts as unavailable. */
  probeTimeoutMs?: number;
}

/**
 * Opens the store. The keychain is probed by storing, reading back and deleting a throwaway
 * item: merely connecting is not enough (a Secret Service with no unlocked collection accepts
 * the connection and then fails every write).
 */
export async function openSecretStore(opts: OpenSecretStoreOptions): Promise<SecretStore> {
  const service = opts.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const probe = createKeychainSecretStore({ service, timeoutMs: opts.probeTimeoutMs ?? 5_000 });
  const name = `probe-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(12).toString('base64url');
  let reason: string;
  try {
    await probe.set(name, value);
    const back = await probe.get(name);
    await probe.delete(name);
    if (back === value) {
      const keychain = createKeychainSecretStore({ service });
      await moveFileSecretsToKeychain(createFileSecretStore(opts.dataDir), keychain, opts.warn);
      return keychain;
    }
    reason = 'it did not return the value just stored';
  } catch (err) {
    reason = keychainReason(err);
    // The probe may have been stored before the failure; leave no stray item behind. A failure
    // here changes nothing: the keychain is already known to be unusable.
    await probe.delete(name).catch(() => undefined);
  }
  const file = createFileSecretStore(opts.dataDir);
  opts.warn(
    `The OS keychain is unavailable (${reason}), so Reins keeps its secrets (bot token, signing key, audit seal) in ${file.path}, ` +
      'readable only by you (mode 0600). To use the keychain instead, run Reins in a desktop session with an unlocked ' +
      'keyring (gnome-keyring, KWallet, macOS Keychain or Windows Credential Manager).',
  );
  return file;
}

/**
 * Secrets written to the fallback file while the keychain was unavailable are newer than any
 * keychain copy (the file is only ever written when the keychain fails its probe), so once the
 * keychain answers they move into it and leave the file. Anything that cannot be moved stays in
 * the file, with a warning, and is tried again at the next start.
 */
export async function moveFileSecretsToKeychain(file: FileSecretStore, keychain: SecretStore, warn: (message: string) => void): Promise<number> {
  let names: string[];
  try {
    names = await file.names();
  } catch (err) {
    warn(`Could not read ${file.path} to move its secrets into the OS keychain: ${(err as Error).message}`);
    return 0;
  }
  let moved = 0;
  for (const name of names) {
    try {
      const value = await file.get(name);
      if (value === null) continue;
      await keychain.set(name, value);
      if ((await keychain.get(name)) !== value) throw new Error('the keychain did not return the value just stored');
      await file.delete(name);
      moved++;
    } catch (err) {
      warn(`Could not move the secret "${name}" from ${file.path} into the OS keychain (${(err as Error).message}); it stays in the file for now.`);
    }
  }
  return moved;
}

function keychainReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (/DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|autolaunch/i.test(detail)) return `no D-Bus session bus: ${detail}`;
  if (/no result found|locked|AccessDenied/i.test(detail)) return `no unlocked keyring: ${detail}`;
  return detail;
}
