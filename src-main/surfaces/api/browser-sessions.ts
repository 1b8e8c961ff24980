import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';

/**
 * How long a browser stays signed in: 12 hours from the login, absolute (not sliding), so a cookie
 * copied off a machine stops working the same day whatever it is used for. `reins open` signs in again.
 */
export const BROWSER_SESSION_TTL_MS = 12 * 60 * 60_000;

/** Sessions kept at most; past that the oldest is signed out. */
const MAX_SESSIONS = 256;

/** A fresh session: the cookie value and when it ends. */
export interface NewBrowserSession {
  id: string;
  expiresAt: number;
}

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

/**
 * Server-side sessions of browsers signed in through a login code. The cookie holds 256 random bits;
 * the server keeps only their SHA-256, in memory: a restart of the core signs every browser out.
 */
export function createBrowserSessions(clock: Clock) {
  const sessions = new Map<string, number>();
  return {
    /** Starts a session. */
    create(): NewBrowserSession {
      const now = clock.now();
      for (const [key, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(key);
      while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      const id = randomBytes(32).toString('base64url');
      const expiresAt = now + BROWSER_SESSION_TTL_MS;
      sessions.set(digest(id), expiresAt);
      return { id, expiresAt };
    },
    /** When the session `id` ends, or null when it is unknown or over. */
    expiresAt(id: string): number | null {
      const key = digest(id);
      const expiresAt = sessions.get(key);
      if (expiresAt === undefined) return null;
      if (expiresAt <= clock.now()) {
        sessions.delete(key);
        return null;
      }
      return expiresAt;
    },
  };
}
