import type { AuditEntry, AuditInput } from '../../contract/index.ts';
import type { AuditRecord, Store } from '../store/index.ts';
import { GENESIS_HASH, legacyHash, macAuditRecord } from './audit-mac.ts';
import type { AuditHead, AuditSeal } from './audit-seal.ts';
import type { AuditVerification } from '../../contract/index.ts';
import { HEAD_LOST_TYPE, SEAL_ENTRY_TYPES, verifyAuditLog, verifyLegacyChain } from './verify-audit.ts';

export type { AuditInput } from '../../contract/index.ts';

/**
 * The first entry sealed with the key, sealing first when needed. A log that holds entries but no
 * recorded head is from before the log was keyed (plain SHA-256 chain), lost its key (its entries'
 * MACs no longer verify), or lost its head (someone may have cut its tail and deleted the head that
 * would show it). Each case is written into the log under the key, so it stays visible to
 * verification and cannot be undone without the key.
 */
function findKeyedFrom(store: Store, seal: AuditSeal, append: (input: AuditInput) => AuditRecord, warn: (message: string) => void): number {
  const last = store.audit.last();
  if (seal.storedHead !== null && !seal.keyCreated) return seal.storedHead.keyedFrom;
  if (last === undefined) return 1;
  const { hash, ...rest } = last;
  if (macAuditRecord(seal.key, rest) === hash) {
    append({
      type: HEAD_LOST_TYPE,
      actor: 'reins',
      surface: 'core',
      detail: { entries: last.seq, reason: 'no head of the audit log was recorded in the secret store' },
    });
    warn(`The audit log's head was missing from the secret store with ${last.seq} entries in the log; \`reins audit verify\` will report it.`);
    return store.audit.lastOfType(SEAL_ENTRY_TYPES)?.seq ?? 1;
  }
  const legacy = verifyLegacyChain(store);
  const keyed = legacyHash(rest) !== hash;
  if (keyed)
    warn(`The audit key was missing from the secret store; the ${last.seq} entries it sealed can no longer be verified. A new key seals the log from now on.`);
  const entry = append({
    type: keyed ? 'audit.resealed' : 'audit.sealed',
    actor: 'reins',
    surface: 'core',
    detail: keyed
      ? {
          previousEntries: last.seq,
          previousHead: hash,
          reason: 'the key that sealed the earlier entries is missing from the secret store; they can no longer be verified',
        }
      : { previousEntries: last.seq, previousHead: hash, previousChainOk: legacy.ok, ...(legacy.ok ? {} : { previousProblem: legacy.problem }) },
  });
  return entry.seq;
}

/**
 * The audit log, keyed and sealed (audit-seal.ts). `append` must run inside the caller's transaction
 * when the entry belongs to a state change (a decision and its audit entry commit together or not at
 * all); the head is recorded after the transaction, coalesced.
 */
export function createAuditLog(store: Store, clock: { now(): number }, seal: AuditSeal, warn: (message: string) => void = () => undefined) {
  let headScheduled: NodeJS.Immediate | null = null;
  let keyedFrom = 1;
  /** The head this core last recorded: what the log must still hold. */
  let currentHead: AuditHead | null = seal.storedHead;
  const recordHead = (): void => {
    if (headScheduled !== null) clearImmediate(headScheduled);
    headScheduled = null;
    let last: AuditRecord | undefined;
    try {
      last = store.audit.last();
    } catch {
      return; // The store closed after the append (a core stopping); close() recorded the head.
    }
    if (last === undefined) return;
    currentHead = { count: last.seq, mac: last.hash, keyedFrom };
    seal.recordHead(currentHead);
  };
  const insert = (input: AuditInput): AuditRecord => {
    const last = store.audit.last();
    const base = {
      seq: (last?.seq ?? 0) + 1,
      ts: clock.now(),
      type: input.type,
      actor: input.actor,
      surface: input.surface,
      subject: input.subject ?? null,
      detailJson: JSON.stringify(input.detail ?? {}),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const record: AuditRecord = { ...base, hash: macAuditRecord(seal.key, base) };
    store.audit.insert(record);
    // After the surrounding transaction: only committed entries may move the head.
    headScheduled ??= setImmediate(recordHead);
    return record;
  };
  keyedFrom = findKeyedFrom(store, seal, insert, warn);
  return {
    append(input: AuditInput): AuditEntry {
      return toEntry(insert(input));
    },
    recent(limit = 100): AuditEntry[] {
      return store.audit.recent(limit).map(toEntry);
    },
    /** The first entry sealed with the key. */
    keyedFrom: (): number => keyedFrom,
    /** Verifies the log against the key and the head this core recorded. */
    verify(): AuditVerification {
      if (headScheduled !== null) recordHead();
      return verifyAuditLog(store, { key: seal.key, head: currentHead });
    },
    /** Records the final head and waits for it; call before the store closes. */
    async close(): Promise<void> {
      recordHead();
      await seal.flush();
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;

function toEntry(r: AuditRecord): AuditEntry {
  const { detailJson, ...rest } = r;
  return { ...rest, detail: JSON.parse(detailJson) };
}
