/**
 * How one audit entry is sealed. Since the log was keyed, each entry carries an HMAC-SHA-256 over
 * every field and the previous entry's MAC, under a key kept in the secret store: without the key a
 * rewritten entry cannot be given a valid MAC, even if every later one is recomputed. Entries
 * written before the log was keyed carry a plain SHA-256 chain (`legacyHash`), kept only so that
 * history written by older versions can still be checked.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AuditRecord } from '../store/index.ts';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const canonical = (r: Omit<AuditRecord, 'hash'>): string => JSON.stringify([r.seq, r.ts, r.type, r.actor, r.surface, r.subject, r.detailJson, r.prevHash]);

/** The keyed MAC of one entry (hex). */
export function macAuditRecord(key: Buffer, r: Omit<AuditRecord, 'hash'>): string {
  return createHmac('sha256', key).update(canonical(r)).digest('hex');
}

/** The unkeyed SHA-256 of one entry (hex), as written before the log was keyed. */
export function legacyHash(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonical(r)).digest('hex');
}
