import { isIP } from 'node:net';

/** Schemes a link in the renderer may open in the system browser; anything else is dropped. */
const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:']);

/** IPv4 ranges that reach this machine or its local network: loopback, private, link-local, unspecified. */
const LOCAL_V4: readonly [number, number][] = [
  [0x7f000000, 8], // 127.0.0.0/8
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0xa9fe0000, 16], // 169.254.0.0/16
  [0x00000000, 8], // 0.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 (carrier-grade NAT, tailnets)
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function isLocalIpv4(address: string): boolean {
  const value = ipv4Number(address);
  return LOCAL_V4.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function isLocalIpv6(address: string): boolean {
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:127.0.0.1, which URL parsing rewrites as ::ffff:7f00:1): judge the IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mapped) {
    const value = Number.parseInt(mapped[1]!, 16) * 65536 + Number.parseInt(mapped[2]!, 16);
    return isLocalIpv4([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.'));
  }
  // ::1 loopback, :: unspecified, fc00::/7 unique local, fe80::/10 link-local.
  return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/**
 * True when `hostname` names this machine or its local network. Why refuse those: the link comes from
 * agent output, and the system browser opening `http://127.0.0.1:<port>/…` or a router's page acts
 * with the browser's cookies on local services (Reins' own API among them) at a model's suggestion.
 */
function isLocalHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  if (isIP(host) === 4) return isLocalIpv4(host);
  if (isIP(host) === 6) return isLocalIpv6(host);
  // A dotless name resolves on the local network (search domains), never to a public site.
  return !host.includes('.');
}

/**
 * The allowlist for links the window hands to the OS: web pages on public hosts and mail links. No
 * `file:`, no custom schemes (they launch other programs), no credentials in the URL, nothing on this
 * machine or its network.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_SCHEMES.has(parsed.protocol)) return false;
  if (parsed.protocol === 'mailto:') return true;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return !isLocalHost(parsed.hostname);
}
