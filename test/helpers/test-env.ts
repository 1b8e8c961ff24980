/**
 * Environment shared by every test file. Cores started by tests keep their secrets (audit seal,
 * signing key) in their temp data directory, not in the session keychain: a run starts hundreds of
 * cores, and the throwaway keyring is for the tests that exercise the keychain on purpose (they
 * open it directly). CLI processes the tests start inherit this, so they look in the same place.
 */
process.env.REINS_SECRET_STORE ??= 'file';
