/**
 * Where Reins keeps its own secrets (bot token, button signing key, API token seed): the OS
 * keychain when one is reachable, else a 0600 file in the data directory.
 */

/** A small named-secret store. Names are `[A-Za-z0-9._-]{1,128}`. */
export interface SecretStore {
  /** The value, or null when nothing is stored under `name`. */
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** Removes `name`; removing a missing name is not an error. */
  delete(name: string): Promise<void>;
  /** Which backend holds the secrets, for `reins doctor` and the settings screen. */
  readonly backend: 'keychain' | 'file';
}

/** Why a secret operation failed. */
export type SecretStoreErrorCode = 'invalid_name' | 'insecure_permissions' | 'corrupt' | 'io' | 'keychain';

/** A secret could not be read or written; the message says what to do about it. */
export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
  readonly code: SecretStoreErrorCode;
  readonly backend: SecretStore['backend'];
  /** The secrets file, for file-backend errors. */
  readonly path: string | null;
  constructor(code: SecretStoreErrorCode, backend: SecretStore['backend'], message: string, opts: { path?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.backend = backend;
    this.path = opts.path ?? null;
  }
}

const NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** Throws `invalid_name` unless `name` is a valid secret name. */
export function assertSecretName(name: string, backend: SecretStore['backend']): void {
  if (!NAME.test(name))
    throw new SecretStoreError('invalid_name', backend, `Secret name "${name}" is invalid: use 1–128 characters of A–Z, a–z, 0–9, ".", "_" or "-".`);
}
