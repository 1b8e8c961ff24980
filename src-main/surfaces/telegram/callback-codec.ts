/**
 * Signed inline-button payloads (`callback_data`, at most 64 bytes).
 *
 * Wire format (ASCII): `1.<handle>.<action>.<nonce>.<mac>`
 * - `1`: format version.
 * - handle: the 8-character handle of the approval, question or follow-up.
 * - action: a short code from a closed table (`a` allow, `q3` answer 3, …).
 * - nonce: 8 random bytes, base64url (11 chars); the caller records it to make taps single-use.
 * - mac: HMAC-SHA256, truncated to 16 bytes, base64url (22 chars), of
 *   `"reins-callback\0" + chatId + "\0" + <text before the last dot>`: bound to the chat the
 *   button was sent to, so a forwarded button is refused in another chat.
 * The longest value (`answer:255`) is 50 bytes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Actions a button may carry; `answer:<n>` picks option n (0–255) of a question. */
export type CallbackAction = 'allow' | 'allow_session' | 'allow_project' | 'deny' | 'deny_reason' | 'stop' | 'cancel_followup' | `answer:${number}`;

/** What a button asks for. `nonce` is generated when omitted. */
export interface CallbackPayload {
  handle: string;
  action: CallbackAction;
  nonce?: string;
}

/** A verified button press. Record `nonce` and refuse it when seen again. */
interface DecodedCallback {
  ok: true;
  handle: string;
  action: CallbackAction;
  nonce: string;
}

/** Why a `callback_data` value was refused (forged, forwarded, stale format or garbage). */
interface CallbackRejected {
  ok: false;
  reason: 'malformed' | 'unknown_version' | 'unknown_action' | 'bad_signature';
  detail: string;
}

/** Encoding was asked for something that cannot be a valid button. */
export class CallbackCodecError extends Error {
  override name = 'CallbackCodecError';
  readonly field: 'key' | 'handle' | 'action' | 'nonce' | 'length';
  constructor(field: CallbackCodecError['field'], message: string) {
    super(message);
    this.field = field;
  }
}

/** Encodes and verifies button payloads with one signing key. */
export interface CallbackCodec {
  /** The `callback_data` for a button sent to `chatId`; always ≤ 64 bytes. */
  encode(payload: CallbackPayload, chatId: number | string): string;
  /** Verifies data from a tap in `chatId`; never throws. */
  decode(data: string, chatId: number | string): DecodedCallback | CallbackRejected;
}

const VERSION = '1';
const MAX_BYTES = 64;
const MAC_BYTES = 16;
const NONCE_BYTES = 8;
const MIN_KEY_BYTES = 32;
const MAX_ANSWER = 255;
const HANDLE = /^[A-Za-z0-9]{8}$/;
const NONCE = /^[A-Za-z0-9_-]{11}$/;
const WIRE = /^([^.]*)\.([A-Za-z0-9]{8})\.([a-z]{1,2}[0-9]{0,3})\.([A-Za-z0-9_-]{11})\.([A-Za-z0-9_-]{22})$/;

const CODES: Record<Exclude<CallbackAction, `answer:${number}`>, string> = {
  allow: 'a',
  allow_session: 'as',
  allow_project: 'ap',
  deny: 'd',
  deny_reason: 'dr',
  stop: 'st',
  cancel_followup: 'cf',
};
const ACTIONS = new Map<string, CallbackAction>(Object.entries(CODES).map(([action, code]) => [code, action as CallbackAction]));

/**
 * Creates the codec for the bot's signing key (32+ random bytes kept in the secret store).
 * Use one codec per core; rotate the key to invalidate every button already sent.
 */
export function createCallbackCodec(key: Buffer): CallbackCodec {
  if (key.length < MIN_KEY_BYTES)
    throw new CallbackCodecError('key', `The callback signing key has ${key.length} bytes; use at least ${MIN_KEY_BYTES} random bytes.`);
  const signingKey = Buffer.from(key);
  const mac = (body: string, chatId: number | string) =>
    // Domain-separated and bound to the chat: the same key never signs anything else the same way.
    createHmac('sha256', signingKey)
      .update(`reins-callback\0${String(chatId)}\0${body}`)
      .digest()
      .subarray(0, MAC_BYTES)
      .toString('base64url');

  return {
    encode(payload, chatId) {
      if (!HANDLE.test(payload.handle)) throw new CallbackCodecError('handle', `Handle "${payload.handle}" must be 8 characters of [A-Za-z0-9].`);
      const nonce = payload.nonce ?? randomBytes(NONCE_BYTES).toString('base64url');
      if (!NONCE.test(nonce)) throw new CallbackCodecError('nonce', 'A nonce must be 11 base64url characters (8 bytes); omit it to have one generated.');
      const body = `${VERSION}.${payload.handle}.${actionCode(payload.action)}.${nonce}`;
      const data = `${body}.${mac(body, chatId)}`;
      const bytes = Buffer.byteLength(data, 'utf8');
      if (bytes > MAX_BYTES) throw new CallbackCodecError('length', `callback_data would be ${bytes} bytes; Telegram allows ${MAX_BYTES}.`);
      return data;
    },

    decode(data, chatId) {
      const m = WIRE.exec(data);
      if (!m) return reject('malformed', 'not a Reins button payload');
      const [, version, handle = '', code = '', nonce = '', given = ''] = m;
      if (version !== VERSION) return reject('unknown_version', `payload version "${version}" (expected ${VERSION}); the button is from another Reins version`);
      const expected = mac(data.slice(0, data.length - given.length - 1), chatId);
      // Compare the canonical base64url text, not decoded bytes: the last base64 character has
      // spare bits, and accepting two spellings of one MAC would make the payload malleable.
      if (!timingSafeEqual(Buffer.from(given, 'ascii'), Buffer.from(expected, 'ascii'))) {
        return reject('bad_signature', 'signature does not match this chat; the button was forged, altered or forwarded');
      }
      const action = actionOf(code);
      if (action === null) return reject('unknown_action', `action code "${code}"`);
      return { ok: true, handle, action, nonce };
    },
  };
}

function actionCode(action: CallbackAction): string {
  if (action.startsWith('answer:')) {
    const index = Number(action.slice('answer:'.length));
    if (!Number.isInteger(index) || index < 0 || index > MAX_ANSWER || action !== `answer:${index}`) {
      throw new CallbackCodecError('action', `"${action}": an answer index must be an integer from 0 to ${MAX_ANSWER}.`);
    }
    return `q${index}`;
  }
  const code = CODES[action as keyof typeof CODES];
  if (code === undefined) throw new CallbackCodecError('action', `Unknown button action "${action}".`);
  return code;
}

function actionOf(code: string): CallbackAction | null {
  const answer = /^q(0|[1-9][0-9]{0,2})$/.exec(code);
  if (answer) {
    const index = Number(answer[1]);
    return index <= MAX_ANSWER ? `answer:${index}` : null;
  }
  return ACTIONS.get(code) ?? null;
}

function reject(reason: CallbackRejected['reason'], detail: string): CallbackRejected {
  return { ok: false, reason, detail };
}
