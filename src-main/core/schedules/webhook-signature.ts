/**
 * A webhook delivery's proof of origin: `X-Reins-Timestamp: <unix seconds>` and
 * `X-Reins-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the webhook's
 * secret. The timestamp is inside the signed text, so an old delivery cannot be given a new time;
 * together with the replay table (a signature is accepted once) that bounds replays to nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from our clock, either way. */
export const WEBHOOK_WINDOW_MS = 5 * 60_000;

/** Why a delivery's headers were refused. */
type SignatureRefusal = 'bad_signature' | 'stale';

/** The verified timestamp (ms) and the canonical signature (lower-case hex), or why not. */
type SignatureCheck = { ok: true; timestampMs: number; signature: string } | { ok: false; reason: SignatureRefusal; message: string };

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

/** Checks the signature first (only a holder of the secret learns anything more), then the timestamp. */
export function checkWebhookSignature(o: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
  now: number;
}): SignatureCheck {
  const bad = {
    ok: false,
    reason: 'bad_signature',
    message: 'The signature does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the webhook secret.',
  } as const;
  const given = SIGNATURE.exec(o.signature ?? '');
  if (!given || !o.timestamp || !TIMESTAMP.test(o.timestamp)) return bad;
  const expected = createHmac('sha256', o.secret).update(`${o.timestamp}.`).update(o.body).digest();
  // Both are 32 bytes here, so the comparison takes the same time whatever the input.
  if (!timingSafeEqual(Buffer.from(given[1]!, 'hex'), expected)) return bad;
  const timestampMs = Number(o.timestamp) * 1000;
  if (Math.abs(o.now - timestampMs) > WEBHOOK_WINDOW_MS) {
    return {
      ok: false,
      reason: 'stale',
      message: `The timestamp is more than ${WEBHOOK_WINDOW_MS / 60_000} minutes from this computer's clock: sign each delivery when sending it.`,
    };
  }
  return { ok: true, timestampMs, signature: expected.toString('hex') };
}
