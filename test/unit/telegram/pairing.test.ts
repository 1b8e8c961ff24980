import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../../../src-main/core/audit/audit-log.ts';
import type { Timers } from '../../../src-main/core/clock.ts';
import { assertBotTokenShape, BotTokenFormatError } from '../../../src-main/surfaces/telegram/credentials.ts';
import { hashPairingCode, newPairingCode, pairingLink, pairingMatches } from '../../../src-main/surfaces/telegram/pairing.ts';
import { createRefusalAudit } from '../../../src-main/surfaces/telegram/refusals.ts';
import { manualClock } from '../../helpers/manual-clock.ts';

describe('pairing codes', () => {
  it('are fresh, deep-link safe, and only their hash is compared', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newPairingCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const code = [...codes][0]!;
    const record = { hash: hashPairingCode(code), expiresAt: 1000 };
    expect(record.hash).not.toContain(code);
    expect(pairingMatches(record, code, 999)).toBe(true);
    expect(pairingMatches(record, code, 1000)).toBe(false);
    const lastCharChanged = `${code.slice(0, -1)}${code.endsWith('x') ? 'y' : 'x'}`;
    expect(pairingMatches(record, lastCharChanged, 0)).toBe(false);
    expect(pairingMatches(null, code, 0)).toBe(false);
    expect(pairingLink('reins_bot', code)).toBe(`https://t.me/reins_bot?start=${code}`);
  });
});

describe('bot tokens', () => {
  it('must look like BotFather tokens', () => {
    expect(() => assertBotTokenShape('123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw')).not.toThrow();
    for (const bad of ['', 'token', '123:short', '123456789:AAHdq TcvCH1vGWJxfSeofSAs0K5PALDsaw', 'abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw']) {
      expect(() => assertBotTokenShape(bad)).toThrow(BotTokenFormatError);
    }
  });
});

describe('refusal audits', () => {
  it('write at most one entry per interval and still account for every refusal', async () => {
    const clock = manualClock(0);
    const pending = new Map<object, AbortController>();
    const timers: Timers = {
      setTimeout(fn, ms) {
        const key = {};
        const ac = new AbortController();
        pending.set(key, ac);
        clock.sleep(ms, ac.signal).then(
          () => {
            pending.delete(key);
            fn();
          },
          () => undefined,
        );
        return key;
      },
      clearTimeout(key) {
        pending.get(key as object)?.abort();
        pending.delete(key as object);
      },
    };
    const entries: AuditInput[] = [];
    const audit = createRefusalAudit({ append: (e) => entries.push(e), clock, timers, intervalMs: 1000 });
    const r = { reason: 'not the owner', userId: 66, chatId: 66, update: 'message' };
    for (let i = 0; i < 5; i++) audit.refuse(r);
    expect(entries).toHaveLength(1);
    await clock.advance(1000);
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.detail?.alsoRefused)).toEqual([0, 3]);
    audit.refuse({ ...r, reason: 'button replayed' });
    expect(entries).toHaveLength(2);
    audit.flush();
    expect(entries.at(-1)).toMatchObject({ type: 'telegram.refused', actor: 'telegram:66', detail: { reason: 'button replayed', alsoRefused: 0 } });
    expect(pending.size).toBe(0);
  });
});
