import type { ServerResponse } from 'node:http';

/** The few pages the core answers itself: no script, only inline style. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Writes a small HTML page: a heading and paragraphs of text (`code` spans marked with backticks). */
function sendPage(res: ServerResponse, status: number, heading: string, paragraphs: readonly string[]): void {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Reins</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#eee;padding:0 .25rem;border-radius:3px}</style>
</head><body><h1>${escapeHtml(heading)}</h1>
${body}
</body></html>
`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': CSP,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

/** A login link that was used, has expired, or never existed (one message for all: no oracle). */
export function sendLoginExpiredPage(res: ServerResponse): void {
  sendPage(res, 401, 'Reins', ['This login link was used or has expired. Run `reins open` again.']);
}

/** `/` of a checkout whose renderer was never built. */
export function sendNotBuiltPage(res: ServerResponse): void {
  sendPage(res, 503, 'Reins', [
    'The Reins core is running, but the window it serves has not been built in this checkout.',
    'Run `npm run build` (or `npm start`, which builds it), then reload this page.',
  ]);
}
