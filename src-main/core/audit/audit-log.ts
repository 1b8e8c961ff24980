import { createHash } from 'node:crypto';
import type { AuditEntry, Surface } from '../../contract/index.ts';
import type { AuditRecord, Store } from '../store/index.ts';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one entry covers every field and the previous hash, so editing, deleting or
 * reordering any row breaks the chain from that row on.
 */
export function hashAuditRecord(r: Omit<AuditRecord, 'hash'>): string {
  const canonical = JSON.stringify([r.seq, r.ts, r.type, r.actor, r.surface, r.subject, r.detailJson, r.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** What to write: who did what, from where, to which subject. */
export interface AuditInput {
  type: string;
  actor: string;
  surface: Surface | string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/** Result of {@link verifyAuditChain}. */
export type AuditVerification =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; problem: string };

/**
 * The hash-chained audit log. `append` must run inside the caller's transaction when the entry
 * belongs to a state change (a decision and its audit entry commit together or not at all).
 */
export function createAuditLog(store: Store, clock: { now(): number }) {
  return {
    append(input: AuditInput): AuditEntry {
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
      const record: AuditRecord = { ...base, hash: hashAuditRecord(base) };
      store.audit.insert(record);
      return toEntry(record);
    },
    recent(limit = 100): AuditEntry[] {
      return store.audit.recent(limit).map(toEntry);
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;

function toEntry(r: AuditRecord): AuditEntry {
  const { detailJson, ...rest } = r;
  return { ...rest, detail: JSON.parse(detailJson) };
}

/** Walks the whole chain in pages, checking sequence, links and hashes. */
export function verifyAuditChain(store: Pick<Store, 'audit'>): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const page = store.audit.page(expectedSeq - 1, 1000);
    if (page.length === 0) break;
    for (const r of page) {
      if (r.seq !== expectedSeq) return { ok: false, entries: count, brokenAt: expectedSeq, problem: `entry ${expectedSeq} is missing` };
      if (r.prevHash !== prevHash) return { ok: false, entries: count, brokenAt: r.seq, problem: `entry ${r.seq} does not link to entry ${r.seq - 1}` };
      const { hash, ...rest } = r;
      if (hashAuditRecord(rest) !== hash) return { ok: false, entries: count, brokenAt: r.seq, problem: `entry ${r.seq} was modified (hash mismatch)` };
      prevHash = hash;
      expectedSeq++;
      count++;
    }
  }
  return { ok: true, entries: count, head: prevHash };
}
