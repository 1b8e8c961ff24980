/**
 * Setup, pairing and who may talk to the bot: the real daemon and bridge against the fake Bot
 * API, with the real `claude` behind the core where a session is needed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, AuditEntry } from '../../src-main/contract/index.ts';
import { BOT_COMMANDS } from '../../src-main/surfaces/telegram/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const audit = async (type: string): Promise<AuditEntry[]> =>
  (await h!.api.get<{ entries: AuditEntry[] }>('/audit?limit=1000')).entries.filter((e) => e.type === type);

describe('pairing', () => {
  it('the bot does not poll without an owner; the deep link pairs whoever opens it first, once', async () => {
    h = await startTelegramHarness();
    const idle = await h.waitStatus((s) => s.state === 'waiting_for_owner', 'waiting for an owner');
    expect(idle).toMatchObject({ bot: { username: 'reins_test_bot' }, tokenSource: 'file', ownerId: null });
    // The start is over and no bot runs (stats are null while it is off), so nothing polls.
    expect(h.daemon.telegram?.stats()).toBeNull();
    expect(h.bot.calls('getUpdates')).toHaveLength(0);

    const t0 = Date.now();
    const info = await h.api.post<{ link: string; code: string; expiresAt: number }>('/telegram/pair');
    expect(info.link).toBe(`https://t.me/reins_test_bot?start=${info.code}`);
    expect(info.code).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(info.expiresAt - t0).toBeGreaterThan(9 * 60_000);
    expect(info.expiresAt - t0).toBeLessThanOrEqual(10 * 60_000 + 1000);
    await h.waitStatus((s) => s.state === 'pairing', 'pairing');

    // A wrong code gets no answer at all.
    h.bot.userSends(h.stranger, h.stranger.id, '/start AAAAAAAAAAAAAAAAAAAAAAAA');
    await h.consumed();
    expect(h.bot.messages(h.stranger.id)).toHaveLength(0);

    h.bot.userSends(h.owner, h.owner.id, `/start ${info.code}`);
    const welcome = await h.waitMessage((m) => m.text.startsWith('🤝 Paired'), 'the welcome');
    expect(welcome.text).toContain('@olivia_owner');
    const status = await h.waitStatus((s) => s.state === 'running', 'running');
    expect(status).toMatchObject({ ownerId: h.owner.id, ownerSource: 'pairing', pairingExpiresAt: null });
    expect((await audit('telegram.paired'))[0]).toMatchObject({ actor: `telegram:${h.owner.id}`, surface: 'telegram' });

    // The code is spent: the stranger cannot take over with it.
    h.bot.userSends(h.stranger, h.stranger.id, `/start ${info.code}`);
    await h.consumed();
    expect(h.bot.messages(h.stranger.id)).toHaveLength(0);
    expect((await h.status()).ownerId).toBe(h.owner.id);
    const refused = await audit('telegram.refused');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((e) => e.actor === `telegram:${h!.stranger.id}`)).toBe(true);

    expect(h.bot.commands().map((c) => c.command)).toEqual(BOT_COMMANDS.map((c) => c.command));
  });

  it('an unused pairing expires and the bot stops polling again', async () => {
    h = await startTelegramHarness({ tuning: { pairingTtlMs: 400 } });
    await h.waitStatus((s) => s.state === 'waiting_for_owner', 'waiting for an owner');
    const info = await h.api.post<{ code: string }>('/telegram/pair');
    await h.waitStatus((s) => s.state === 'waiting_for_owner' && s.pairingExpiresAt === null, 'the pairing to expire');
    // The expiry stopped the bot (stats are null while it is off) and its held poll was cut:
    // nothing is left to poll, so the /start below stays with Telegram, unseen.
    expect(h.daemon.telegram?.stats()).toBeNull();
    await h.bot.waitFor(() => h!.bot.calls('getUpdates').every((c) => c.outcome !== 'pending'), 5000, 'the held poll to be cut');
    const polls = h.bot.calls('getUpdates').length;
    h.bot.userSends(h.owner, h.owner.id, `/start ${info.code}`);
    expect(h.bot.pendingUpdates()).toHaveLength(1);
    expect(h.bot.calls('getUpdates').length).toBe(polls);
    expect(h.messages()).toHaveLength(0);
    expect((await h.status()).ownerId).toBeNull();
  });

  it('an owner set by config needs no pairing, and pairing is refused', async () => {
    h = await startTelegramHarness({ tokenVia: 'env', config: { telegram: { ownerId: 424242 } } });
    const s = await h.waitStatus((x) => x.state === 'running', 'running');
    expect(s).toMatchObject({ ownerId: 424242, ownerSource: 'config', tokenSource: 'env' });
    const res = await h.api.raw('POST', '/telegram/pair');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('REINS_TELEGRAM_OWNER_ID');
  });

  it('without a token the bridge says how to set it up', async () => {
    h = await startTelegramHarness({ tokenVia: 'none' });
    await h.waitStatus((s) => s.state === 'unconfigured', 'unconfigured');
    const res = await h.api.raw('POST', '/telegram/pair');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('reins telegram setup');
    expect(h.bot.calls()).toHaveLength(0);
  });
});

describe('strangers', () => {
  it("a stranger's /start, messages and taps change nothing but the audit log", async () => {
    h = await startTelegramHarness({ forum: true });
    const forum = h.forum!;
    await h.pair();
    const s = await h.startSession('RUN: touch stranger-was-here.txt');
    const a = await h.api.waitApproval(s.id);
    const card = await h.waitCard(a);
    expect(card.threadId).toBeGreaterThan(0);
    const notLive = (chatId: number) => h!.messages(chatId).filter((m) => !m.text.startsWith('⚙️')).length;
    const forumBefore = notLive(forum.id);
    const ownerBefore = notLive(h.owner.id);

    h.bot.userSends(h.stranger, h.stranger.id, '/start');
    h.bot.userSends(h.stranger, h.stranger.id, 'hello bot');
    h.bot.userSends(h.stranger, forum.id, { text: '/approvals', threadId: card.threadId });
    h.bot.userSends(h.stranger, forum.id, { text: 'do it', threadId: card.threadId });
    const q1 = h.tap(card, '✅ Allow', h.stranger);
    const q2 = h.tap(card, '✅ Allow for this session', h.stranger);
    await h.consumed();

    expect(
      h.bot
        .callbackQueries()
        .filter((q) => q.id === q1 || q.id === q2)
        .map((q) => q.answered),
    ).toEqual([false, false]);
    expect(h.bot.messages(h.stranger.id)).toHaveLength(0);
    expect(h.bot.calls().some((c) => c.params.chat_id === h!.stranger.id)).toBe(false);
    expect(notLive(forum.id)).toBe(forumBefore);
    expect(notLive(h.owner.id)).toBe(ownerBefore);
    expect(h.current(card).replyMarkup?.inline_keyboard.flat().length).toBe(4);
    const pending: Approval[] = await h.api.pending(s.id);
    expect(pending.map((p) => p.id)).toEqual([a.id]);
    expect((await h.api.get<{ sessions: unknown[] }>('/sessions')).sessions).toHaveLength(1);
    // Refusals inside one audit window are folded into a count written when the window closes.
    const strangerRefusals = async (): Promise<number> =>
      (await audit('telegram.refused')).filter((e) => e.actor === `telegram:${h!.stranger.id}`).reduce((n, e) => n + 1 + Number(e.detail.alsoRefused ?? 0), 0);
    await waitFor(async () => (await strangerRefusals()) >= 6, "the stranger's six refusals in the audit log", 5000);
    expect(await strangerRefusals()).toBe(6);
  });
});
