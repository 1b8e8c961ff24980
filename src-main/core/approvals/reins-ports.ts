/**
 * Connections to Reins' own API on loopback, found in the raw command text (quoted strings, here-
 * documents and `python -c` code included): `curl http://127.0.0.1:7717/…`, `nc localhost 7717`,
 * `/dev/tcp/127.0.0.1/7717`. The API needs a token the agent cannot read, but a call aimed at it is
 * an attempt to act as the owner, so it is refused outright. Spellings built at run time
 * (`$((7000+717))`) are not visible here; the token is what stops those.
 */
import type { Finding } from './risk-model.ts';
import { finding } from './risk-model.ts';

/** The usual ways to write a loopback address. */
const LOOPBACK = String.raw`(?:localhost|ip6-localhost|127(?:\.\d{1,3}){1,3}|0x7f[0-9a-f]{6}|2130706433|0\.0\.0\.0|\[?::1?\]?|\[::ffff:127(?:\.\d{1,3}){3}\])`;
const HOST_PORT = new RegExp(String.raw`(?:^|[^\w.-])${LOOPBACK}(?::|/|['"]?\s*,\s*|\s+)(\d{1,5})(?!\d)`, 'gi');

/** Findings for a command text that names a protected port on a loopback address. */
export function portFindings(text: string, ports: readonly number[]): Finding[] {
  if (ports.length === 0) return [];
  for (const m of text.matchAll(HOST_PORT)) {
    const port = Number(m[1]);
    if (ports.includes(port)) return [finding('reins', `connects to Reins' own API (port ${port} on this machine); agents may not call it`)];
  }
  return [];
}

/** Findings for a URL (WebFetch and friends) that points at a protected port on loopback. */
export function urlPortFindings(url: string, ports: readonly number[]): Finding[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return portFindings(url, ports);
  }
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (ports.includes(port) && new RegExp(`^${LOOPBACK}$`, 'i').test(host)) {
    return [finding('reins', `fetches from Reins' own API (port ${port} on this machine); agents may not call it`)];
  }
  return [];
}
