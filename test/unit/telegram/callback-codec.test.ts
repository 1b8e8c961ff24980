import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CallbackCodecError, createCallbackCodec, type CallbackAction } from '../../../src-main/surfaces/telegram/callback-codec.ts';

const key = Buffer.alloc(32, 7);
const codec = createCallbackCodec(key);
const CHAT = 123456789;
const FIXED: CallbackAction[] = ['allow', 'allow_session', 'allow_project', 'deny', 'deny_reason', 'stop', 'cancel_followup'];
const ALL: CallbackAction[] = [...FIXED, ...Array.from({ length: 256 }, (_, i) => `answer:${i}` as CallbackAction)];

/** The documented MAC, computed independently, to forge payloads the codec must judge. */
function sign(body: string, chatId: number | string): string {
  const mac = createHmac('sha256', key)
    .update(`reins-callback\0${String(chatId)}\0${body}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  return `${body}.${mac}`;
}

describe('callback codec', () => {
  it('round-trips every action and returns the nonce for single-use tracking', () => {
    for (const action of ALL) {
      const data = codec.encode({ handle: 'Ab3dEf7H', action }, CHAT);
      const decoded = codec.decode(data, CHAT);
      expect(decoded).toEqual({ ok: true, handle: 'Ab3dEf7H', action, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{11}$/) });
      expect(data).toContain(decoded.ok ? decoded.nonce : 'missing');
    }
  });

  it('uses a fresh nonce per button unless one is given', () => {
    const a = codec.encode({ handle: 'AAAAAAAA', action: 'allow' }, CHAT);
    const b = codec.encode({ handle: 'AAAAAAAA', action: 'allow' }, CHAT);
    expect(a).not.toBe(b);
    const nonce = randomBytes(8).toString('base64url');
    expect(codec.encode({ handle: 'AAAAAAAA', action: 'deny', nonce }, CHAT)).toBe(codec.encode({ handle: 'AAAAAAAA', action: 'deny', nonce }, CHAT));
  });

  it('keeps callback_data within 64 bytes for every action and answer index', () => {
    let longest = 0;
    for (const action of ALL) {
      const data = codec.encode({ handle: 'zzzzzzzz', action }, -1001234567890123);
      longest = Math.max(longest, Buffer.byteLength(data, 'utf8'));
    }
    expect(longest).toBeLessThanOrEqual(64);
    expect(longest).toBe(50);
  });

  it('rejects every single-character change of an encoded value', () => {
    const data = codec.encode({ handle: 'Q1w2E3r4', action: 'answer:17' }, CHAT);
    let tried = 0;
    for (let i = 0; i < data.length; i++) {
      for (let c = 0x20; c < 0x7f; c++) {
        const ch = String.fromCharCode(c);
        if (ch === data[i]) continue;
        const changed = data.slice(0, i) + ch + data.slice(i + 1);
        const decoded = codec.decode(changed, CHAT);
        if (decoded.ok) throw new Error(`accepted ${changed} (position ${i})`);
        tried++;
      }
    }
    expect(tried).toBe(data.length * 94);
    expect(codec.decode(data.slice(0, -1), CHAT).ok).toBe(false);
    expect(codec.decode(`${data}A`, CHAT).ok).toBe(false);
    expect(codec.decode(` ${data}`, CHAT).ok).toBe(false);
  });

  it('refuses a button tapped in another chat than it was sent to', () => {
    const data = codec.encode({ handle: 'Q1w2E3r4', action: 'allow' }, CHAT);
    expect(codec.decode(data, CHAT + 1)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(codec.decode(data, -CHAT)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(codec.decode(data, String(CHAT))).toMatchObject({ ok: true, action: 'allow' });
  });

  it('refuses buttons signed with another key', () => {
    const other = createCallbackCodec(Buffer.alloc(32, 8));
    const data = other.encode({ handle: 'Q1w2E3r4', action: 'allow' }, CHAT);
    expect(codec.decode(data, CHAT)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('names why a payload was refused', () => {
    expect(codec.decode('', CHAT)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(codec.decode('approve:abc', CHAT)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(codec.decode(randomBytes(48).toString('base64'), CHAT)).toMatchObject({ ok: false, reason: 'malformed' });
    const nonce = 'AAAAAAAAAAA';
    expect(codec.decode(sign(`2.Q1w2E3r4.a.${nonce}`, CHAT), CHAT)).toMatchObject({ ok: false, reason: 'unknown_version' });
    expect(codec.decode(sign(`1.Q1w2E3r4.zz.${nonce}`, CHAT), CHAT)).toMatchObject({ ok: false, reason: 'unknown_action' });
    expect(codec.decode(sign(`1.Q1w2E3r4.q256.${nonce}`, CHAT), CHAT)).toMatchObject({ ok: false, reason: 'unknown_action' });
    expect(codec.decode(sign(`1.Q1w2E3r4.q07.${nonce}`, CHAT), CHAT)).toMatchObject({ ok: false, reason: 'unknown_action' });
    expect(codec.decode(sign(`1.Q1w2E3r4.dr.${nonce}`, CHAT), CHAT)).toEqual({ ok: true, handle: 'Q1w2E3r4', action: 'deny_reason', nonce });
  });

  it('refuses to encode what cannot be a valid button', () => {
    const bad = (payload: Parameters<typeof codec.encode>[0]) => () => codec.encode(payload, CHAT);
    expect(bad({ handle: 'short', action: 'allow' })).toThrow(CallbackCodecError);
    expect(bad({ handle: 'has.dot1', action: 'allow' })).toThrow(/8 characters/);
    expect(bad({ handle: 'Q1w2E3r4', action: 'answer:256' })).toThrow(/0 to 255/);
    expect(bad({ handle: 'Q1w2E3r4', action: 'answer:-1' })).toThrow(/0 to 255/);
    expect(bad({ handle: 'Q1w2E3r4', action: 'answer:1.5' })).toThrow(/0 to 255/);
    expect(bad({ handle: 'Q1w2E3r4', action: 'approve' as CallbackAction })).toThrow(/Unknown button action/);
    expect(bad({ handle: 'Q1w2E3r4', action: 'allow', nonce: 'bad nonce!!' })).toThrow(/nonce/);
    expect(() => createCallbackCodec(Buffer.alloc(16))).toThrow(/at least 32/);
  });
});
