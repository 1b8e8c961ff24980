/**
 * The browser session cookie. Reading one cookie of a fixed name whose value is base64url is done by
 * hand on purpose: anything else in the header (other cookies, quoting, odd characters) must not be
 * interpreted, and a general parser would decode and accept more than this needs.
 */

/**
 * The cookie's name, with the port in it: browsers do not separate cookies by port, so two cores on
 * one machine (two data directories) would otherwise sign each other's browser out.
 */
export const sessionCookieName = (port: number): string => `reins_session_${port}`;

const VALUE = /^[A-Za-z0-9_-]{1,128}$/;

/** The session id in a `Cookie` header, or null when absent or malformed. */
export function readSessionCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return VALUE.test(value) ? value : null;
  }
  return null;
}

/**
 * The `Set-Cookie` value for a new session.
 * - HttpOnly: page scripts (and so any injected script) cannot read it.
 * - SameSite=Strict: no other site's page or link makes the browser send it.
 * - Path=/: the page and the API share it.
 * - No `Secure`: the core speaks plain HTTP on loopback, and a browser drops a Secure cookie set over
 *   plain HTTP on 127.0.0.1; traffic on loopback never leaves the machine, so TLS would add nothing.
 * - Max-Age: it goes when the server-side session ends.
 */
export function sessionCookie(name: string, id: string, maxAgeSeconds: number): string {
  return `${name}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}
