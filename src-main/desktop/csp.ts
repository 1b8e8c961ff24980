/**
 * The Content-Security-Policy the desktop window enforces on the renderer. Everything comes from the
 * core's own origin; the only other destination is the core's WebSocket. No inline script or style, no
 * eval, no plugins, no framing, no form posts: an injected string in an agent's output cannot run.
 */
export function rendererCsp(coreOrigin: string): string {
  const origin = new URL(coreOrigin);
  // connect-src 'self' covers ws: of the same host in CSP3, but older engines disagree: name it.
  const websocket = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${websocket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
