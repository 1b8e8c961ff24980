import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../contract/api.ts';

/**
 * Request checks that run before any route.
 *
 * Why Host: a web page the user visits can point a hostname it controls at 127.0.0.1 (DNS
 * rebinding) and then talk to us "same-origin"; only our own names in Host are accepted.
 * Why Origin: browsers send it on cross-site requests and WebSocket handshakes, which a bearer
 * token alone does not stop for WebSockets opened from a page. A foreign Origin is refused.
 * Why ownOrigin: a browser signed in by cookie sends that cookie whatever page asks, so a change made
 * with the cookie must prove it comes from our own page (see api-server.ts).
 */
export interface Guard {
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
  /** The page's own origin (`http://127.0.0.1:<port>` or `http://localhost:<port>`), and nothing else. */
  ownOrigin(origin: string | undefined): boolean;
  tokenValid(headers: IncomingHttpHeaders): boolean;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function createGuard(opts: { port: () => number; token: string; extraOrigins?: readonly string[] }): Guard {
  const expected = digest(opts.token);
  // Comparing fixed-size digests keeps the comparison constant-time whatever the input length.
  const matches = (candidate: string): boolean => timingSafeEqual(digest(candidate), expected);
  const hostNames = ['127.0.0.1', 'localhost', '[::1]'];
  return {
    hostAllowed(host) {
      if (!host) return false;
      const port = opts.port();
      return hostNames.some((h) => host === `${h}:${port}`);
    },
    originAllowed(origin) {
      if (origin === undefined) return true; // not a browser cross-origin request
      const port = opts.port();
      if (hostNames.some((h) => origin === `http://${h}:${port}`)) return true;
      return (opts.extraOrigins ?? []).includes(origin);
    },
    ownOrigin(origin) {
      const port = opts.port();
      return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    },
    tokenValid(headers) {
      const auth = headers.authorization;
      if (typeof auth === 'string' && auth.startsWith('Bearer ')) return matches(auth.slice(7).trim());
      const protocols = headers['sec-websocket-protocol'];
      if (typeof protocols === 'string') {
        for (const p of protocols.split(',').map((s) => s.trim())) {
          if (p.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return matches(p.slice(WS_TOKEN_PROTOCOL_PREFIX.length));
        }
      }
      return false;
    },
  };
}
