/**
 * `POST /api/v1/webhooks/<name>`: the one API route a caller without the API token may use.
 *
 * Why no token: the senders (a CI job, a script on this computer) hold the webhook's own secret, not
 * Reins' API token, which would let them do anything. Each delivery instead proves itself with an
 * HMAC of its timestamp and body (checked in the core), so this route can only start the session its
 * webhook defines. The server still binds 127.0.0.1 only, Host must name us (DNS rebinding) and a
 * browser's cross-site Origin is refused, as for every other route.
 */
import type { IncomingMessage } from 'node:http';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, type WebhookDelivery } from '../../contract/index.ts';
import { HttpError } from './http-io.ts';

const DELIVERY = /^\/api\/v1\/webhooks\/[A-Za-z0-9_-]{1,64}$/;

/** Whether the request is a webhook delivery (and so exempt from the token, nothing else). */
export function isWebhookDelivery(method: string, pathname: string): boolean {
  return method === 'POST' && DELIVERY.test(pathname);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v.trim() : undefined;
};

/** Reads a delivery: its two headers and its raw body, refusing a body over `maxBytes`. */
export async function readDelivery(req: IncomingMessage, maxBytes: number): Promise<WebhookDelivery> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError('payload_too_large', `A webhook delivery may have at most ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return { timestamp: header(req, WEBHOOK_TIMESTAMP_HEADER), signature: header(req, WEBHOOK_SIGNATURE_HEADER), body: Buffer.concat(chunks) };
}
