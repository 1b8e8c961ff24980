/**
 * `PUT /api/v1/telegram/token`: the settings screen's token setup. The real daemon and bridge against
 * the fake Bot API, starting with no token at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/contract/index.ts';
import { BOT_TOKEN_SECRET } from '../../src-main/surfaces/telegram/index.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('PUT /telegram/token', () => {
  it('checks the token with Telegram, stores it, audits it without the token, and starts the bridge', async () => {
    h = await startTelegramHarness({ tokenVia: 'none' });
    await h.waitStatus((s) => s.state === 'unconfigured', 'no token yet');

    const malformed = await h.api.raw('PUT', '/telegram/token', { token: 'not a token' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toContain('BotFather');

    const unknown = await h.api.raw('PUT', '/telegram/token', { token: `999999:${'A'.repeat(35)}` });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('rejected');
    expect(await h.secrets.get(BOT_TOKEN_SECRET)).toBeNull();

    const accepted = await h.api.raw('PUT', '/telegram/token', { token: ` ${h.bot.token} ` });
    expect(accepted.status).toBe(200);
    const text = await accepted.text();
    expect(text).not.toContain(h.bot.token.split(':')[1]);
    const { status } = JSON.parse(text) as { status: { state: string; tokenSource: string; bot: { username: string } } };
    expect(status).toMatchObject({ state: 'waiting_for_owner', tokenSource: 'file', bot: { username: 'reins_test_bot' } });
    expect(await h.secrets.get(BOT_TOKEN_SECRET)).toBe(h.bot.token);

    const { entries } = await h.api.get<{ entries: AuditEntry[] }>('/audit?limit=1000');
    const set = entries.filter((e) => e.type === 'telegram.token_set');
    expect(set).toHaveLength(1);
    expect(set[0]).toMatchObject({ surface: 'api', detail: { bot: 'reins_test_bot', backend: 'file' } });
    expect(JSON.stringify(entries)).not.toContain(h.bot.token.split(':')[1]);

    // The bridge now runs on it: a pairing link can be made.
    const pairing = await h.api.post<{ link: string }>('/telegram/pair');
    expect(pairing.link).toMatch(/^https:\/\/t\.me\/reins_test_bot\?start=/);
  });

  it('refuses while REINS_TELEGRAM_TOKEN overrides the stored token', async () => {
    h = await startTelegramHarness({ tokenVia: 'env' });
    const refused = await h.api.raw('PUT', '/telegram/token', { token: h.bot.token });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('REINS_TELEGRAM_TOKEN');
  });
});
