/**
 * The audit log's seal: the HMAC key and the head (how many entries there are and the last MAC),
 * both kept in the secret store (the OS keychain where there is one), outside the database an
 * attacker would edit. The head is what reveals a cut tail or an emptied table: the database alone
 * cannot say what it no longer holds.
 *
 * Appends run inside SQLite transactions on the approval hot path, while the secret store is async
 * (D-Bus) and may take milliseconds, so the head is written after commit, coalesced: at most one
 * write in flight, the newest head wins, flushed when the core stops. After a crash the stored head
 * may lag by the last few entries; verification accepts entries past the head only when they chain
 * correctly under the key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { SecretStore } from '../secrets/index.ts';

/** What the secret store says the log holds. `keyedFrom` is the first entry sealed with the key. */
export interface AuditHead {
  count: number;
  mac: string;
  keyedFrom: number;
}

/** The shortest time between two head writes (the newest head wins; a stop writes at once). */
const HEAD_INTERVAL_MS = 250;

/** The key and the head, and how to keep the head current. */
export interface AuditSeal {
  readonly key: Buffer;
  /** The key was made at this start: any entries already in the log were sealed without it. */
  readonly keyCreated: boolean;
  /** The head as last recorded when the core started (null: never recorded). */
  readonly storedHead: AuditHead | null;
  /** Records a new head (coalesced; never throws). */
  recordHead(head: AuditHead): void;
  /** Waits until the newest head is written. */
  flush(): Promise<void>;
  /** Where the seal lives, for messages: `keychain`, `file` or `memory`. */
  readonly backend: string;
}

/** Secret names of one data directory's seal: one keychain can serve several data directories. */
export function auditSecretNames(home: string): { key: string; head: string } {
  let real = home;
  try {
    real = realpathSync(home);
  } catch {
    // Not created yet: the path as given.
  }
  const id = createHash('sha256').update(real).digest('hex').slice(0, 16);
  return { key: `audit.key.${id}`, head: `audit.head.${id}` };
}

const KEY_BYTES = 32;

/** Parses a stored head; null when absent or unreadable. */
function parseAuditHead(text: string | null): AuditHead | null {
  if (text === null) return null;
  try {
    const h = JSON.parse(text) as Partial<AuditHead>;
    if (Number.isSafeInteger(h.count) && typeof h.mac === 'string' && Number.isSafeInteger(h.keyedFrom))
      return { count: h.count!, mac: h.mac, keyedFrom: h.keyedFrom! };
  } catch {
    // Unreadable: the caller says so.
  }
  return null;
}

/** Parses a stored key; null when absent or not a 256-bit key. */
function parseAuditKey(text: string | null): Buffer | null {
  if (text === null) return null;
  const key = Buffer.from(text, 'base64url');
  return key.length === KEY_BYTES ? key : null;
}

/**
 * Loads the seal of the data directory `home` from `secrets`, creating the key on first use.
 * `warn` hears about head writes that fail (the next append tries again).
 */
export async function loadAuditSeal(secrets: SecretStore, home: string, warn: (message: string) => void, minIntervalMs = HEAD_INTERVAL_MS): Promise<AuditSeal> {
  const names = auditSecretNames(home);
  let key = parseAuditKey(await secrets.get(names.key));
  const keyCreated = key === null;
  if (key === null) {
    // Missing or unreadable alike: a key that cannot be used seals nothing. The audit log records
    // the new seal (audit-log.ts), so a lost key stays visible in the log itself.
    key = randomBytes(KEY_BYTES);
    await secrets.set(names.key, key.toString('base64url'));
  }
  const storedHead = parseAuditHead(await secrets.get(names.head));
  let pending: AuditHead | null = null;
  let writing: Promise<void> | null = null;
  let wait: { timer: NodeJS.Timeout; done: () => void } | null = null;
  const drain = async (): Promise<void> => {
    while (pending !== null) {
      const head = pending;
      pending = null;
      try {
        await secrets.set(names.head, JSON.stringify(head));
      } catch (err) {
        warn(`Could not record the audit log's head in the ${secrets.backend} (${(err as Error).message}); it is tried again with the next entry.`);
      }
      // At most one keychain write per interval: a busy core appends many entries a second.
      if (pending !== null) {
        await new Promise<void>((done) => {
          wait = { timer: setTimeout(done, minIntervalMs), done };
        });
        wait = null;
      }
    }
  };
  return {
    key,
    keyCreated,
    storedHead,
    backend: secrets.backend,
    recordHead(head) {
      pending = head;
      writing ??= drain().finally(() => {
        writing = null;
      });
    },
    async flush() {
      // No waiting out the interval when stopping: write the newest head now.
      if (wait !== null) {
        clearTimeout(wait.timer);
        wait.done();
      }
      while (writing !== null) await writing;
    },
  };
}

/** A seal that lives only in memory (tests and tools that host a core without a secret store). */
export function memoryAuditSeal(): AuditSeal {
  return { key: randomBytes(KEY_BYTES), keyCreated: true, storedHead: null, backend: 'memory', recordHead: () => undefined, flush: async () => undefined };
}

/** A seal as read back for verification: what is there, and what is there but cannot be read. */
export interface StoredAuditSeal {
  key: Buffer | null;
  head: AuditHead | null;
  keyUnreadable?: boolean;
  headUnreadable?: boolean;
}

/** Reads an existing seal without creating anything (for `reins audit verify`). */
export async function readAuditSeal(secrets: SecretStore, home: string): Promise<StoredAuditSeal> {
  const names = auditSecretNames(home);
  const keyText = await secrets.get(names.key);
  const headText = await secrets.get(names.head);
  const key = parseAuditKey(keyText);
  const head = parseAuditHead(headText);
  return { key, head, keyUnreadable: keyText !== null && key === null, headUnreadable: headText !== null && head === null };
}
