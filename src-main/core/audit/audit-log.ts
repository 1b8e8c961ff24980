import type { AuditEntry, Surface } from '../../contract/index.ts';
import type { AuditRecord, Store } from '../store/index.ts';
import { GENESIS_HASH, legacyHash, macAuditRecord } from './audit-mac.ts';
import type { AuditHead, AuditSeal } from './audit-seal.ts';
import { verifyAuditLog, verifyLegacyChain, type AuditVerification } from './verify-audit.ts';

/** What to write: who did what, from where, to which subject. */
export interface AuditInput {
  type: string;
  actor: string;
  surface: Surface | string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * The first entry sealed with the key. A log that holds entries but no recorded head is either from
 * before the log was keyed (its entries carry the plain SHA-256 chain) or lost its head; a sealing
 * entry records what came before, so that the history stays checkable and the change is visible.
 */
function findKeyedFrom(store: Store, seal: AuditSeal, append: (input: AuditInput) => AuditRecord): number {
  if (seal.storedHead !== null) return seal.storedHead.keyedFrom;
  const last = store.audit.last();
  if (last === undefined) return 1;
  const { hash, ...rest } = last;
  if (macAuditRecord(seal.key, rest) === hash) {
    // Keyed already and only the head is gone: continue the chain; verification reports the missing head.
    return store.audit.lastOfType(['audit.sealed', 'audit.resealed'])?.seq ?? 1;
  }
  const legacy = verifyLegacyChain(store);
  const keyed = legacyHash(rest) !== hash;
  const entry = append({
    type: keyed ? 'audit.resealed' : 'audit.sealed',
    actor: 'reins',
    surface: 'core',
    detail: keyed
      ? { previousEntries: last.seq, previousHead: hash, reason: 'the key that sealed the earlier entries is missing from the secret store; they can no longer be verified' }
      : { previousEntries: last.seq, previousHead: hash, previousChainOk: legacy.ok, ...(legacy.ok ? {} : { previousProblem: legacy.problem }) },
  });
  return entry.seq;
}

/**
 * The audit log, keyed and sealed (audit-seal.ts). `append` must run inside the caller's transaction
 * when the entry belongs to a state change (a decision and its audit entry commit together or not at
 * all); the head is recorded after the transaction, coalesced.
 */
export function createAuditLog(store: Store, clock: { now(): number }, seal: AuditSeal) {
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
  keyedFrom = findKeyedFrom(store, seal, insert);
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
