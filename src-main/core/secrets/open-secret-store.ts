/**
 * Picks the secret backend for a core: the OS keychain when it answers a real round trip,
 * otherwise the 0600 file in the data directory, with a warning that says so and why.
 */
import { randomBytes } from 'node:crypto';
import { createFileSecretStore } from './file-secret-store.ts';
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
    if (back === value) return createKeychainSecretStore({ service });
    reason = 'it did not return the value just stored';
  } catch (err) {
    reason = keychainReason(err);
    // The probe may have been stored before the failure; leave no stray item behind. A failure
    // here changes nothing: the keychain is already known to be unusable.
    await probe.delete(name).catch(() => undefined);
  }
  const file = createFileSecretStore(opts.dataDir);
  opts.warn(
    `The OS keychain is unavailable (${reason}), so Reins keeps its secrets (bot token, signing key) in ${file.path}, ` +
      'readable only by you (mode 0600). To use the keychain instead, run Reins in a desktop session with an unlocked ' +
      'keyring (gnome-keyring, KWallet, macOS Keychain or Windows Credential Manager).',
  );
  return file;
}

function keychainReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (/DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|autolaunch/i.test(detail)) return `no D-Bus session bus: ${detail}`;
  if (/no result found|locked|AccessDenied/i.test(detail)) return `no unlocked keyring: ${detail}`;
  return detail;
}
