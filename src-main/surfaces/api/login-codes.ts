import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';

/** How long a login link works: long enough to click it, short enough that a leaked one is stale. */
const LOGIN_CODE_TTL_MS = 2 * 60_000;

/** Outstanding codes kept at most; past that the oldest is forgotten (a local client minting in a loop). */
const MAX_CODES = 64;

/** Why a code was refused (for the audit log; the browser sees one message for all). */
export type LoginCodeRefusal = 'missing' | 'unknown' | 'used' | 'expired';

/** A fresh login code and when it stops working. */
export interface MintedLoginCode {
  code: string;
  expiresAt: number;
}

const digest = (code: string): string => createHash('sha256').update(code).digest('base64url');

/**
 * One-time login codes: what a login URL carries instead of the long-lived API token. Each is 256
 * random bits, works once, and expires after {@link LOGIN_CODE_TTL_MS}. Only their SHA-256 is kept,
 * and only in memory, so neither a heap dump of a used code nor any file holds a usable one; a used
 * code is remembered (by its digest) until it would have expired so a replay is told apart in the audit.
 */
export function createLoginCodes(clock: Clock) {
  const codes = new Map<string, { expiresAt: number; usedAt: number | null }>();
  const prune = (now: number): void => {
    for (const [key, entry] of codes) if (entry.expiresAt <= now) codes.delete(key);
  };
  return {
    /** Mints a code. */
    mint(): MintedLoginCode {
      const now = clock.now();
      prune(now);
      while (codes.size >= MAX_CODES) codes.delete(codes.keys().next().value as string);
      const code = randomBytes(32).toString('base64url');
      const expiresAt = now + LOGIN_CODE_TTL_MS;
      codes.set(digest(code), { expiresAt, usedAt: null });
      return { code, expiresAt };
    },
    /** Spends `code`: true the first time within its life, else why not. */
    redeem(code: string | null): { ok: true } | { ok: false; reason: LoginCodeRefusal } {
      if (!code) return { ok: false, reason: 'missing' };
      const now = clock.now();
      const entry = codes.get(digest(code));
      if (!entry) return { ok: false, reason: 'unknown' };
      if (entry.usedAt !== null) return { ok: false, reason: 'used' };
      if (entry.expiresAt <= now) {
        codes.delete(digest(code));
        return { ok: false, reason: 'expired' };
      }
      entry.usedAt = now;
      return { ok: true };
    },
  };
}
