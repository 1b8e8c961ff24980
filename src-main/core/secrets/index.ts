/** Reins' own secrets: the OS keychain, or a 0600 file where no keychain is usable. */
export { SecretStoreError, type SecretStore } from './secret-store.ts';
export { createKeychainSecretStore } from './keychain-secret-store.ts';
export { createFileSecretStore } from './file-secret-store.ts';
export { openSecretStore, moveFileSecretsToKeychain } from './open-secret-store.ts';
export { secretStoreFor } from './secret-store-for.ts';
