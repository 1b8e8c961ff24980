/**
 * One-time pairing codes: the deep link `https://t.me/<bot>?start=<code>` makes whoever opens it
 * first (within the code's lifetime) the owner. Only the code's SHA-256 is stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PairingInfo } from '../../contract/index.ts';
import type { PairingRecord } from './state.ts';

export type { PairingInfo };

/** A fresh code: 18 random bytes as base64url (24 characters, valid in a `start` parameter). */
export function newPairingCode(): string {
  return randomBytes(18).toString('base64url');
}

/** The stored form of a code. */
export function hashPairingCode(code: string): string {
  return createHash('sha256').update(`reins-pairing\0${code}`).digest('hex');
}

/** The deep link for `code` to the bot `@username`. */
export function pairingLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=${code}`;
}

/** True when `code` is the pending pairing's code and it has not expired. */
export function pairingMatches(record: PairingRecord | null, code: string, now: number): boolean {
  if (record === null || record.expiresAt <= now) return false;
  const given = Buffer.from(hashPairingCode(code), 'hex');
  const expected = Buffer.from(record.hash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
