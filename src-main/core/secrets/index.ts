/** Reins' own secrets: the OS keychain, or a 0600 file where no keychain is usable. */
export { SecretStoreError, type SecretStore, type SecretStoreErrorCode } from './secret-store.ts';
export { createKeychainSecretStore, DEFAULT_KEYCHAIN_SERVICE, type KeychainSecretStoreOptions } from './keychain-secret-store.ts';
export { createFileSecretStore, SECRETS_FILE_NAME, type FileSecretStore } from './file-secret-store.ts';
export { openSecretStore, moveFileSecretsToKeychain, type OpenSecretStoreOptions } from './open-secret-store.ts';
export { secretStoreFor } from './secret-store-for.ts';
