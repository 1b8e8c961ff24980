/**
 * Checking the audit log against its seal, entry by entry, and saying which entry and what kind of
 * damage: an edited entry, a chain recomputed without the key, deleted or reordered entries, a cut
 * tail, an emptied table, a missing key or head.
 */
import type { AuditRecord, Store } from '../store/index.ts';
import { GENESIS_HASH, legacyHash, macAuditRecord } from './audit-mac.ts';
import type { AuditHead } from './audit-seal.ts';

import type { AuditVerification } from '../../contract/index.ts';

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

/** What verification reads from the secret store (see readAuditSeal). */
export interface SealForVerify {
  key: Buffer | null;
  head: AuditHead | null;
  keyUnreadable?: boolean;
  headUnreadable?: boolean;
}

/** Entry types the log itself writes about its seal. */
export const SEAL_ENTRY_TYPES = ['audit.sealed', 'audit.resealed'] as const;
export const HEAD_LOST_TYPE = 'audit.head_lost';

const entryAt = (store: Pick<Store, 'audit'>, seq: number): AuditRecord | undefined => store.audit.page(seq - 1, 1)[0];

/** The entry that started the keyed chain: the head names it; without a head, the newest one the key verifies. */
function sealingEntry(store: Pick<Store, 'audit'>, key: Buffer, head: AuditHead | null): AuditRecord | null {
  const candidate = head !== null ? entryAt(store, head.keyedFrom) : store.audit.lastOfType(SEAL_ENTRY_TYPES);
  if (candidate === undefined) return null;
  const { hash, ...rest } = candidate;
  return macAuditRecord(key, rest) === hash ? candidate : null;
}

/**
 * Verifies the log with the seal's key and head, and names the first damage: an edited entry, a
 * chain recomputed without the key (in the keyed part, or before it: the sealing entry recorded the
 * old head), deleted or reordered entries, a cut tail, an emptied table. Findings that only say the
 * log cannot be fully checked (a key lost earlier, a head that went missing before a start) are
 * reported when nothing worse is found.
 */
export function verifyAuditLog(store: Pick<Store, 'audit'>, seal: SealForVerify): AuditVerification {
  const { key, head } = seal;
  const last = store.audit.last();
  if (key === null) {
    if (last === undefined && head === null && !seal.keyUnreadable)
      return { ok: true, entries: 0, head: GENESIS_HASH, keyedFrom: 1, notes: ['the log is empty and not sealed yet'] };
    const why = seal.keyUnreadable
      ? 'the audit key in the secret store is unreadable (not a 256-bit key)'
      : "the audit key is not in the secret store (was the keychain entry deleted, or is this another install's keychain?)";
    return { ok: false, entries: 0, brokenAt: null, damage: 'key-missing', problem: `${why}, so no entry can be verified` };
  }
  const seal0 = sealingEntry(store, key, head);
  const keyedFrom = seal0?.seq ?? 1;
  const lostKey = seal0?.type === 'audit.resealed';
  let prev = GENESIS_HASH;
  let n = 0;
  let macAtHead: string | null = null;
  let headLostAt: number | null = null;
  for (const r of entries(store)) {
    const expectedSeq = n + 1;
    if (r.seq !== expectedSeq) {
      return {
        ok: false,
        entries: n,
        brokenAt: expectedSeq,
        damage: 'missing',
        problem: `entries ${expectedSeq}${r.seq - 1 > expectedSeq ? `–${r.seq - 1}` : ''} were deleted`,
      };
    }
    const { hash, ...rest } = r;
    if (r.prevHash !== prev) {
      if (r.seq === keyedFrom && !lostKey) {
        return {
          ok: false,
          entries: n,
          brokenAt: r.seq,
          damage: 'recomputed',
          problem: `the entries written before the log was keyed were rewritten: entry ${r.seq}, which sealed them, recorded another head`,
        };
      }
      if (!(lostKey && r.seq <= keyedFrom)) {
        return {
          ok: false,
          entries: n,
          brokenAt: r.seq,
          damage: 'out-of-order',
          problem: `entry ${r.seq} does not follow entry ${r.seq - 1}: entries were reordered, replaced or removed`,
        };
      }
    }
    if (r.seq < keyedFrom) {
      // Sealed by a key that is gone (reported below), or the plain chain of an older version.
      if (!lostKey && legacyHash(rest) !== hash)
        return { ok: false, entries: n, brokenAt: r.seq, damage: 'edited', problem: `entry ${r.seq} (written before the log was keyed) was edited` };
    } else if (macAuditRecord(key, rest) !== hash) {
      const recomputed = legacyHash(rest) === hash;
      return recomputed
        ? { ok: false, entries: n, brokenAt: r.seq, damage: 'recomputed', problem: `entry ${r.seq} was rewritten and the chain recomputed without the key` }
        : { ok: false, entries: n, brokenAt: r.seq, damage: 'edited', problem: `entry ${r.seq} was edited (its MAC does not match its content)` };
    } else if (r.type === HEAD_LOST_TYPE) headLostAt ??= r.seq;
    if (head !== null && r.seq === head.count) macAtHead = hash;
    prev = hash;
    n++;
  }
  if (head === null) {
    if (n === 0 && !seal.headUnreadable) return { ok: true, entries: 0, head: GENESIS_HASH, keyedFrom, notes: ['the log is empty'] };
    const why = seal.headUnreadable ? 'the head in the secret store is unreadable' : 'no head is recorded in the secret store';
    return { ok: false, entries: n, brokenAt: null, damage: 'head-missing', problem: `${why}, so a cut tail could not be detected (${n} entries verify)` };
  }
  if (n === 0 && head.count > 0)
    return { ok: false, entries: 0, brokenAt: 1, damage: 'emptied', problem: `the audit table was emptied: the recorded head says ${head.count} entries` };
  if (n < head.count) {
    return {
      ok: false,
      entries: n,
      brokenAt: n + 1,
      damage: 'truncated',
      problem: `the last ${head.count - n} entries (${n + 1}–${head.count}) were deleted: the recorded head says ${head.count}`,
    };
  }
  if (head.count > 0 && macAtHead !== head.mac) {
    return {
      ok: false,
      entries: n,
      brokenAt: head.count,
      damage: 'replaced',
      problem: `entry ${head.count} is not the one the recorded head names: the log was cut and rewritten from there`,
    };
  }
  if (lostKey) {
    return {
      ok: false,
      entries: n,
      brokenAt: keyedFrom,
      damage: 'key-missing',
      problem: `entries 1–${keyedFrom - 1} were sealed with a key that is no longer in the secret store and cannot be verified; entry ${keyedFrom} sealed the log again`,
    };
  }
  if (headLostAt !== null) {
    return {
      ok: false,
      entries: n,
      brokenAt: headLostAt,
      damage: 'head-missing',
      problem: `no head was recorded when the core started at entry ${headLostAt}: a cut tail before it cannot be ruled out`,
    };
  }
  const notes: string[] = [];
  if (n > head.count) notes.push(`${n - head.count} entries after the recorded head (written just before a stop or crash); they chain correctly under the key`);
  if (keyedFrom > 1) notes.push(`entries 1–${keyedFrom - 1} were written before the log was keyed and carry the plain hash chain`);
  return { ok: true, entries: n, head: prev, keyedFrom, notes };
}
