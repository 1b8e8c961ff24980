/**
 * The passcode from the phone, end to end: a real daemon (real claude against the fake model API,
 * real SQLite, real HTTP) and its bot on the fake Bot API. A critical call waits for the passcode;
 * every reply is deleted before it is checked; five wrong ones lock phone allows and say so on the
 * chat, the API, the audit log and the session's transcript; denying never needs it; and the
 * passcode appears nowhere: not in the database or its WAL, the daemon's log, or anything the bot sent.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, AuditEntry, PasscodeStatus, Session } from '../../src-main/contract/index.ts';
import { createLogger } from '../../src-main/core/log.ts';
import type { BotMessageView } from '../fakes/bot-api/index.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

const PASSCODE = 'otter-lantern-7391';
/** Every wrong passcode typed below: none of them may leak either. */
const WRONG = ['wrong-guess-0001', 'wrong-guess-0002', 'wrong-guess-0003', 'wrong-guess-0004', 'wrong-guess-0005', 'wrong-guess-0006'];

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const approval = async (id: string): Promise<Approval> => (await h!.api.get<{ approval: Approval }>(`/approvals/${id}`)).approval;
const passcodeStatus = async (): Promise<PasscodeStatus> => (await h!.api.get<{ passcode: PasscodeStatus }>('/passcode')).passcode;
const audit = async (): Promise<AuditEntry[]> => (await h!.api.get<{ entries: AuditEntry[] }>('/audit?limit=1000')).entries;

/** The newest passcode prompt after message `after`. */
const prompt = (after: number, lead = ''): Promise<BotMessageView> =>
  h!.waitMessage((m) => m.messageId > after && m.text.startsWith(`${lead}🔑 Reply to this message with your passcode`), 'a passcode prompt');

/** The owner replies `text` to `to`; resolves once the bot deleted the reply. */
async function replyWith(to: BotMessageView, text: string): Promise<number> {
  const sent = h!.bot.userSends(h!.owner, h!.owner.id, { text, replyTo: to.messageId });
  await h!.bot.waitFor(
    () => h!.bot.calls('deleteMessage').find((c) => c.params.message_id === sent.message_id && c.outcome === 'ok'),
    5000,
    'the reply deleted',
  );
  return sent.message_id;
}

/** A session whose agent asks to delete a folder outside the project: a critical call. */
async function criticalCall(name: string): Promise<{ s: Session; a: Approval; card: BotMessageView; victim: string }> {
  const victim = join(h!.dir, name);
  mkdirSync(victim);
  const s = await h!.startSession(`RUN: rm -rf ${victim}`);
  const a = await h!.api.waitApproval(s.id);
  expect(a.risk.level).toBe('critical');
  return { s, a, card: await h!.waitCard(a), victim };
}

describe('passcode from the phone', () => {
  it('a critical Allow waits for the passcode; wrong replies count down, five lock; nothing leaks', async () => {
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    h = await startTelegramHarness({ log: createLogger({ level: 'trace', destination: logStream }) });
    await h.pair();
    const set = await h.api.raw('PUT', '/passcode', { passcode: PASSCODE });
    expect(set.status).toBe(200);
    expect(await set.text()).not.toContain(PASSCODE);

    // 1. Allow on a critical call: nothing is decided, the bot asks.
    const first = await criticalCall('victim-1');
    const q1 = h.tap(first.card, '✅ Allow');
    expect(await h.toast(q1)).toBe('🔑 Reply with your passcode.');
    let ask = await prompt(first.card.messageId);
    expect(ask.text).toContain('allow Run');
    expect((await approval(first.a.id)).status).toBe('pending');
    const forceReply = h.bot.calls('sendMessage').find((c) => String(c.params.text).startsWith('🔑 Reply'));
    expect(forceReply?.params.reply_markup).toMatchObject({ force_reply: true });

    // 2. A wrong reply: deleted, tries left, still pending.
    await replyWith(ask, WRONG[0]!);
    ask = await prompt(ask.messageId, '❌ Wrong passcode (4 tries left).\n');
    expect((await approval(first.a.id)).status).toBe('pending');
    expect(await passcodeStatus()).toMatchObject({ failedTries: 1, lockedUntil: null });

    // 3. The right one: deleted, then the decision goes through as the owner asked.
    await replyWith(ask, PASSCODE);
    await h.waitMessage((m) => m.text === '🔑 Passcode accepted. ✅ Allowed', 'the acceptance');
    expect(await approval(first.a.id)).toMatchObject({ status: 'allowed', surface: 'telegram', decidedBy: `telegram:${h.owner.id}` });
    await h.api.waitTurnEnd(first.s.id);
    expect(existsSync(first.victim)).toBe(false);
    expect(await passcodeStatus()).toMatchObject({ failedTries: 0, lockedUntil: null });

    // 4. /mode from the phone waits for it too.
    h.bot.userSends(h.owner, h.owner.id, `/mode ${first.s.name} auto`);
    const modeAsk = await prompt(ask.messageId);
    expect(modeAsk.text).toContain('set the mode of');
    await replyWith(modeAsk, PASSCODE);
    await h.waitMessage((m) => m.text.startsWith('🔑 Passcode accepted. Mode of') && m.text.endsWith('is now auto.'), 'the mode changed');
    expect((await h.api.session(first.s.id)).mode).toBe('auto');

    // 5. Five wrong replies lock phone allows.
    const second = await criticalCall('victim-2');
    h.tap(second.card, '✅ Allow');
    ask = await prompt(second.card.messageId);
    for (let i = 1; i <= 4; i++) {
      await replyWith(ask, WRONG[i]!);
      const left = 5 - i;
      ask = await prompt(ask.messageId, `❌ Wrong passcode (${left} ${left === 1 ? 'try' : 'tries'} left).\n`);
    }
    await replyWith(ask, WRONG[5]!);
    const locked = await h.waitMessage((m) => m.text.startsWith('🔒 Locked until'), 'the lock told on the chat');
    expect(locked.text).toMatch(/^🔒 Locked until \d\d:\d\d after wrong passcodes; decide on the desktop or the CLI\./);
    const status = await passcodeStatus();
    expect(status.lockedUntil).toBeGreaterThan(Date.now());
    expect((await approval(second.a.id)).status).toBe('pending');
    const lockEntry = (await audit()).find((e) => e.type === 'passcode.locked');
    expect(lockEntry).toMatchObject({
      actor: `telegram:${h.owner.id}`,
      surface: 'telegram',
      subject: second.s.id,
      detail: { lockedUntil: status.lockedUntil },
    });
    const transcript = await h.api.events(second.s.id);
    expect(transcript.some((e) => e.kind === 'status' && /^phone approvals locked until .* after 5 wrong passcodes/.test(e.payload.detail ?? ''))).toBe(true);

    // While locked, Allow and /mode from the phone are refused without a prompt; Deny still works.
    const q2 = h.tap(second.card, '✅ Allow');
    expect(await h.toast(q2)).toMatch(/^🔒 Locked until \d\d:\d\d after wrong passcodes; decide on the desktop or the CLI\.$/);
    h.bot.userSends(h.owner, h.owner.id, `/mode ${second.s.name} auto`);
    await h.waitMessage((m) => m.messageId > locked.messageId && m.text.startsWith('🔒 Locked until'), 'the /mode refusal');
    expect((await h.api.session(second.s.id)).mode).toBe('ask');
    expect((await approval(second.a.id)).status).toBe('pending');
    const q3 = h.tap(h.current(second.card), '❌ Deny');
    expect(await h.toast(q3)).toBe('❌ Denied');
    await h.api.waitTurnEnd(second.s.id);
    expect(existsSync(second.victim)).toBe(true);

    const types = (await audit()).map((e) => e.type);
    expect(types.filter((t) => t === 'passcode.rejected')).toHaveLength(5);
    expect(types.filter((t) => t === 'passcode.accepted')).toHaveLength(2);
    expect(types).toContain('passcode.set');

    // The passcode and every wrong one appear nowhere.
    await h.consumed();
    const secrets = [PASSCODE, ...WRONG];
    const db = join(h.home, 'reins.db');
    const files = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(files.includes(Buffer.from('$argon2id$'))).toBe(true);
    const sent = h.bot
      .calls()
      .filter((c) => ['sendMessage', 'editMessageText', 'answerCallbackQuery'].includes(c.method))
      .map((c) => JSON.stringify(c.params))
      .join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(files.includes(Buffer.from(secret)), `${secret} in the database`).toBe(false);
      expect(lines.join(''), `${secret} in the log`).not.toContain(secret);
      expect(sent, `${secret} in what the bot sent`).not.toContain(secret);
    }
  });

  it('granting and revoking from the phone wait for it too; an expired prompt says so and a late reply goes nowhere', async () => {
    h = await startTelegramHarness({ tuning: { passcodePromptTtlMs: 2000 } });
    await h.pair();
    expect((await h.api.raw('PUT', '/passcode', { passcode: PASSCODE })).status).toBe(200);
    const s = await h.startSession('RUN: touch granted.txt');
    const a = await h.api.waitApproval(s.id);
    expect(a.risk.level).not.toBe('critical');
    const card = await h.waitCard(a);
    const q = h.tap(card, '✅ Allow for this session');
    expect(await h.toast(q)).toBe('🔑 Reply with your passcode.');
    const ask = await prompt(card.messageId);
    expect(ask.text).toContain('for this session');
    expect((await h.api.get<{ grants: unknown[] }>('/grants')).grants).toHaveLength(0);
    await replyWith(ask, PASSCODE);
    await h.waitMessage((m) => m.text === '🔑 Passcode accepted. ✅ Allowed for this session', 'the grant made');
    expect((await h.api.get<{ grants: unknown[] }>('/grants')).grants).toHaveLength(1);
    await h.api.waitTurnEnd(s.id);

    h.bot.userSends(h.owner, h.owner.id, '/grants');
    const list = await h.waitMessage((m) => m.text.startsWith('Standing permissions'), 'the grants list');
    const rq = h.tap(list, '🗑 Revoke 1');
    expect(await h.toast(rq)).toBe('🔑 Reply with your passcode.');
    const revokeAsk = await prompt(list.messageId);
    expect(revokeAsk.text).toContain('revoke');
    const expired = await h.waitMessage(
      (m) => m.messageId === revokeAsk.messageId && m.text.startsWith('⌛ The passcode prompt to revoke'),
      'the prompt marked expired',
    );
    expect(expired.text).toContain('nothing was changed');
    // A late reply is deleted and goes to no agent.
    await replyWith(revokeAsk, PASSCODE);
    await h.waitMessage((m) => m.text.startsWith('⌛ That passcode prompt expired'), 'the late reply answered');
    expect((await h.api.get<{ grants: unknown[] }>('/grants')).grants).toHaveLength(1);
    const followups = (await h.api.events(s.id)).filter((e) => e.kind === 'followup');
    expect(followups).toHaveLength(0);
    // The same button works again (the tap that only asked did not spend it).
    const again = h.tap(list, '🗑 Revoke 1');
    expect(await h.toast(again)).toBe('🔑 Reply with your passcode.');
    await replyWith(await prompt(expired.messageId), PASSCODE);
    await h.waitMessage((m) => m.text === '🔑 Passcode accepted. 🗑 Revoked.', 'the grant revoked');
    expect((await h.api.get<{ grants: unknown[] }>('/grants')).grants).toHaveLength(0);
  });
});
