/**
 * Checking the audit log against its seal, entry by entry, and saying which entry and what kind of
 * damage: an edited entry, a chain recomputed without the key, deleted or reordered entries, a cut
 * tail, an emptied table, a missing key or head.
 */
import type { AuditRecord, Store } from '../store/index.ts';
import { GENESIS_HASH, legacyHash, macAuditRecord } from './audit-mac.ts';
import type { AuditHead } from './audit-seal.ts';

/** The kinds of damage verification tells apart. */
export type AuditDamage = 'edited' | 'recomputed' | 'missing' | 'out-of-order' | 'truncated' | 'emptied' | 'replaced' | 'key-missing' | 'head-missing';

/** Result of {@link verifyAuditLog}. `entries` counts the entries that verified. */
export type AuditVerification =
  | { ok: true; entries: number; head: string; keyedFrom: number; notes: string[] }
  | { ok: false; entries: number; brokenAt: number | null; damage: AuditDamage; problem: string };

const PAGE = 1000;

/** Every entry in order, a page at a time. */
function* entries(store: Pick<Store, 'audit'>): Generator<AuditRecord> {
  let after = 0;
  for (;;) {
    const page = store.audit.page(after, PAGE);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.seq;
  }
}

/** The plain SHA-256 chain of a log from before it was keyed: intact up to which entry. */
export function verifyLegacyChain(store: Pick<Store, 'audit'>): { ok: true; entries: number } | { ok: false; entries: number; problem: string } {
  let prev = GENESIS_HASH;
  let n = 0;
  for (const r of entries(store)) {
    const { hash, ...rest } = r;
    if (r.seq !== n + 1) return { ok: false, entries: n, problem: `entry ${n + 1} is missing` };
    if (r.prevHash !== prev || legacyHash(rest) !== hash) return { ok: false, entries: n, problem: `entry ${r.seq} was modified or moved` };
    prev = hash;
    n++;
  }
  return { ok: true, entries: n };
}

/**
 * Verifies the log with the seal's key and head. Entries before `head.keyedFrom` carry the plain
 * chain of older versions; from it on, each carries an HMAC under the key.
 */
export function verifyAuditLog(store: Pick<Store, 'audit'>, seal: { key: Buffer | null; head: AuditHead | null }): AuditVerification {
  const { key, head } = seal;
  const keyedFrom = head?.keyedFrom ?? 1;
  const last = store.audit.last();
  if (key === null) {
    if (last === undefined && head === null) return { ok: true, entries: 0, head: GENESIS_HASH, keyedFrom, notes: ['the log is empty and not sealed yet'] };
    return { ok: false, entries: 0, brokenAt: null, damage: 'key-missing', problem: 'the audit key is not in the secret store, so no entry can be verified (was the keychain entry deleted, or is this another install\'s keychain?)' };
  }
  let prev = GENESIS_HASH;
  let n = 0;
  let macAtHead: string | null = null;
  for (const r of entries(store)) {
    const expectedSeq = n + 1;
    if (r.seq !== expectedSeq) {
      return { ok: false, entries: n, brokenAt: expectedSeq, damage: 'missing', problem: `entries ${expectedSeq}${r.seq - 1 > expectedSeq ? `–${r.seq - 1}` : ''} were deleted` };
    }
    const { hash, ...rest } = r;
    if (r.prevHash !== prev) {
      return { ok: false, entries: n, brokenAt: r.seq, damage: 'out-of-order', problem: `entry ${r.seq} does not follow entry ${r.seq - 1}: entries were reordered, replaced or removed` };
    }
    if (r.seq < keyedFrom) {
      if (legacyHash(rest) !== hash) return { ok: false, entries: n, brokenAt: r.seq, damage: 'edited', problem: `entry ${r.seq} (written before the log was keyed) was edited` };
    } else if (macAuditRecord(key, rest) !== hash) {
      const recomputed = legacyHash(rest) === hash;
      return recomputed
        ? { ok: false, entries: n, brokenAt: r.seq, damage: 'recomputed', problem: `entry ${r.seq} was rewritten and the chain recomputed without the key` }
        : { ok: false, entries: n, brokenAt: r.seq, damage: 'edited', problem: `entry ${r.seq} was edited (its MAC does not match its content)` };
    }
    if (head !== null && r.seq === head.count) macAtHead = hash;
    prev = hash;
    n++;
  }
  const notes: string[] = [];
  if (head === null) {
    if (n === 0) return { ok: true, entries: 0, head: GENESIS_HASH, keyedFrom, notes: ['the log is empty'] };
    return { ok: false, entries: n, brokenAt: null, damage: 'head-missing', problem: `no head is recorded in the secret store, so a cut tail could not be detected (${n} entries verify)` };
  }
  if (n === 0 && head.count > 0) return { ok: false, entries: 0, brokenAt: 1, damage: 'emptied', problem: `the audit table was emptied: the recorded head says ${head.count} entries` };
  if (n < head.count) {
    return { ok: false, entries: n, brokenAt: n + 1, damage: 'truncated', problem: `the last ${head.count - n} entries (${n + 1}–${head.count}) were deleted: the recorded head says ${head.count}` };
  }
  if (head.count > 0 && macAtHead !== head.mac) {
    return { ok: false, entries: n, brokenAt: head.count, damage: 'replaced', problem: `entry ${head.count} is not the one the recorded head names: the log was cut and rewritten from there` };
  }
  if (n > head.count) notes.push(`${n - head.count} entries after the recorded head (written just before a stop or crash); they chain correctly under the key`);
  if (keyedFrom > 1) notes.push(`entries 1–${keyedFrom - 1} were written before the log was keyed and carry the plain hash chain`);
  return { ok: true, entries: n, head: prev, keyedFrom, notes };
}
