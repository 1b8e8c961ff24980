/**
 * Approvals from the phone, end to end: the real `claude` asks, the core records it, the bridge
 * sends a card to the fake Bot API, the owner taps, the command runs (or not) and the card is
 * repainted — from whichever surface decided.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, AuditEntry, Grant } from '../../src-main/contract/index.ts';
import { toolResultsIn } from '../fakes/anthropic/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { buttons, callbackData, startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const approval = async (id: string): Promise<Approval> => (await h!.api.get<{ approval: Approval }>(`/approvals/${id}`)).approval;
const refusals = async (): Promise<AuditEntry[]> =>
  (await h!.api.get<{ entries: AuditEntry[] }>('/audit?limit=1000')).entries.filter((e) => e.type === 'telegram.refused');
const toolResults = () => h!.anthropic.requests.flatMap((r) => toolResultsIn(r.messages));

/** A paired harness with a session waiting on the approval of `command`. */
async function pendingBash(command: string, config: Record<string, unknown> = {}) {
  h = await startTelegramHarness({ config });
  await h.pair();
  const s = await h.startSession(`RUN: ${command}`);
  const a = await h.api.waitApproval(s.id);
  const card = await h.waitCard(a);
  return { s, a, card };
}

describe('approval cards', () => {
  it('risky Bash → card → owner taps Allow → the command runs → the card reads "Allowed"', async () => {
    const { s, a, card } = await pendingBash('echo tg-allowed > out.txt && cat out.txt');
    expect(card.text).toContain('Approval needed');
    expect(card.text).toContain('echo tg-allowed > out.txt && cat out.txt');
    expect(card.text).toMatch(/(medium|high|critical) risk/);
    expect(card.text).toContain('project · claude');
    expect(card.disableNotification).toBe(false);
    expect(buttons(card).map((b) => b.text)).toEqual(['✅ Allow', '❌ Deny', '✅ Allow for this session', '✍️ Deny with reason']);
    for (const b of buttons(card)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const q = h!.tap(card, '✅ Allow');
    expect(await h!.toast(q)).toBe('✅ Allowed');
    const decided = await approval(a.id);
    expect(decided).toMatchObject({ status: 'allowed', surface: 'telegram', decidedBy: `telegram:${h!.owner.id}` });
    await h!.api.waitTurnEnd(s.id);
    expect(readFileSync(join(h!.project, 'out.txt'), 'utf8').trim()).toBe('tg-allowed');
    const repainted = await h!.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('✅ Allowed'), 'the card repainted');
    expect(repainted.text).toMatch(/^✅ Allowed from Telegram\n/);
    expect(repainted.replyMarkup).toBeUndefined();
    // The live message of the run ends "done", and the final answer is a message of its own.
    const live = await h!.waitMessage((m) => m.text.startsWith('⚙️') && m.text.includes('✅ done'), 'the live message closed');
    expect(live.replyMarkup).toBeUndefined();
    expect(live.text).toContain('Run echo tg-allowed');
    await h!.waitMessage((m) => m.messageId > live.messageId && m.text.includes('Tool Bash finished'), 'the final answer');
  });

  it('Deny: the command does not run and the card reads "Denied"', async () => {
    const { s, a, card } = await pendingBash('touch denied.txt');
    const q = h!.tap(card, '❌ Deny');
    expect(await h!.toast(q)).toBe('❌ Denied');
    await h!.api.waitTurnEnd(s.id);
    expect(existsSync(join(h!.project, 'denied.txt'))).toBe(false);
    expect((await approval(a.id)).status).toBe('denied');
    const repainted = await h!.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('❌ Denied'), 'the card repainted');
    expect(repainted.replyMarkup).toBeUndefined();
  });

  it('a forged callback (one byte changed) and a replayed one are refused', async () => {
    const { a, card } = await pendingBash('touch forged.txt');
    const data = callbackData(card, '✅ Allow');
    const last = data.at(-2) === 'A' ? 'B' : 'A';
    const forged = `${data.slice(0, -2)}${last}${data.at(-1)}`;
    const q1 = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, forged, { forged: true });
    expect(await h!.toast(q1)).toBe('⛔ Refused: this button is not valid.');
    expect((await approval(a.id)).status).toBe('pending');
    // An altered action with the original signature is just as dead.
    const otherAction = data.replace('.a.', '.d.');
    const q2 = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, otherAction, { forged: true });
    expect(await h!.toast(q2)).toBe('⛔ Refused: this button is not valid.');
    expect((await approval(a.id)).status).toBe('pending');

    const q3 = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, data);
    expect(await h!.toast(q3)).toBe('✅ Allowed');
    const q4 = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, data, { forged: true });
    expect(await h!.toast(q4)).toBe('⛔ Refused: this button was already used.');
    await waitFor(async () => (await refusals()).reduce((n, e) => n + 1 + Number(e.detail.alsoRefused ?? 0), 0) >= 3, 'three refusals audited');
    const reasons = (await refusals()).map((e) => e.detail.reason);
    expect(reasons).toContain('button bad_signature');
    expect((await approval(a.id)).status).toBe('allowed');
  });

  it('a tap after the timeout shows "expired"', async () => {
    const { s, a, card } = await pendingBash('touch late.txt', { approvalTimeoutSeconds: 1 });
    const repainted = await h!.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('⌛ Expired'), 'the card repainted as expired');
    expect(repainted.text).toContain('timed out');
    expect(repainted.replyMarkup).toBeUndefined();
    // A phone still showing the old card taps Allow.
    const q = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, callbackData(card, '✅ Allow'), { forged: true });
    expect(await h!.toast(q)).toBe('⌛ Expired: this request timed out and was denied.');
    expect((await approval(a.id)).status).toBe('expired');
    await h!.api.waitTurnEnd(s.id);
    expect(existsSync(join(h!.project, 'late.txt'))).toBe(false);
  });

  it('a decision through the API repaints the card; a Telegram decision shows in the API', async () => {
    const { a, card } = await pendingBash('touch elsewhere.txt');
    const res = await h!.api.raw('POST', `/approvals/${a.id}/decision`, { decision: 'deny', message: 'not from here' }, { 'x-reins-surface': 'desktop' });
    expect(res.status).toBe(200);
    const repainted = await h!.waitMessage(
      (m) => m.messageId === card.messageId && m.text.startsWith('❌ Denied via desktop'),
      'the card repainted from the API decision',
    );
    expect(repainted.text).toContain('💬 not from here');
    expect(repainted.replyMarkup).toBeUndefined();
    const q = h!.bot.userTaps(h!.owner, card.chatId, card.messageId, callbackData(card, '✅ Allow'), { forged: true });
    expect(await h!.toast(q)).toBe('Already denied via desktop.');

    const s2 = await h!.startSession('RUN: touch from-phone.txt');
    const a2 = await h!.api.waitApproval(s2.id);
    const card2 = await h!.waitCard(a2);
    h!.tap(card2, '✅ Allow');
    await waitFor(async () => (await approval(a2.id)).status === 'allowed', 'the Telegram decision in the API');
    expect(await approval(a2.id)).toMatchObject({ surface: 'telegram', decidedBy: `telegram:${h!.owner.id}` });
  });

  it('"Allow for this session" creates a grant that /grants lists and can revoke', async () => {
    const { a, card } = await pendingBash('touch granted.txt');
    expect(card.text).toContain('“Allow for this session” covers the command `touch granted.txt` exactly.');
    const q = h!.tap(card, '✅ Allow for this session');
    expect(await h!.toast(q)).toBe('✅ Allowed for this session');
    expect((await approval(a.id)).status).toBe('allowed');
    const { grants } = await h!.api.get<{ grants: Grant[] }>('/grants');
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ scope: 'session', tool: 'shell', matcher: { kind: 'command', command: 'touch granted.txt' } });
    await h!.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('✅ Allowed from Telegram for this session'), 'the card repainted');

    h!.bot.userSends(h!.owner, h!.owner.id, '/grants');
    const list = await h!.waitMessage((m) => m.text.startsWith('Standing permissions'), 'the grants list');
    expect(list.text).toContain('the command `touch granted.txt` exactly — session');
    const rq = h!.tap(list, '🗑 Revoke 1');
    expect(await h!.toast(rq)).toBe('Revoked.');
    expect((await h!.api.get<{ grants: Grant[] }>('/grants')).grants).toHaveLength(0);
  });

  it('"Deny with reason": the owner\'s next text is what the agent reads', async () => {
    const { s, a, card } = await pendingBash('touch reasoned.txt');
    const q = h!.tap(card, '✍️ Deny with reason');
    expect(await h!.toast(q)).toBe('Send the reason as your next message.');
    await h!.waitMessage((m) => m.text.startsWith('✍️ Send the reason'), 'the prompt for the reason');
    expect((await approval(a.id)).status).toBe('pending');
    h!.bot.userSends(h!.owner, h!.owner.id, 'use the staging directory instead');
    await h!.waitMessage((m) => m.text === '❌ Denied; the agent got your reason.', 'the confirmation');
    expect(await approval(a.id)).toMatchObject({ status: 'denied', message: 'use the staging directory instead' });
    await h!.api.waitTurnEnd(s.id);
    expect(toolResults().some((r) => r.isError && r.text.includes('use the staging directory instead'))).toBe(true);
    await h!.waitMessage(
      (m) => m.messageId === card.messageId && m.text.includes('💬 use the staging directory instead'),
      'the card repainted with the reason',
    );
  });

  it('a question shows one button per option; the tap answers the agent', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const question = {
      questions: [
        {
          question: 'Which build system should I use?',
          header: 'Build',
          options: [
            { label: 'make', description: 'GNU make' },
            { label: 'ninja', description: 'Ninja' },
          ],
          multiSelect: false,
        },
      ],
    };
    const s = await h.startSession(`TOOL: AskUserQuestion ${JSON.stringify(question)}`);
    const a = await h.api.waitApproval(s.id);
    const card = await h.waitCard(a);
    expect(card.text).toContain('Build: Which build system should I use?');
    expect(buttons(card).map((b) => b.text)).toEqual(['make', 'ninja', '❌ Dismiss']);
    const q = h.tap(card, 'ninja');
    expect(await h.toast(q)).toBe('📨 ninja');
    await h.api.waitTurnEnd(s.id);
    expect(toolResults().some((r) => r.text.includes('"Which build system should I use?"="ninja"'))).toBe(true);
    await h.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('✅ Allowed'), 'the question card repainted');
  });

  it('a plan approval shows the plan; approving it lets the agent go on', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const s = await h.startSession('TOOL: ExitPlanMode {"plan":"1. Delete **build** dir\\n2. Rebuild"}', { plan: true });
    const a = await h.api.waitApproval(s.id);
    expect(a.kind).toBe('plan');
    const card = await h.waitCard(a);
    expect(card.text).toContain('Plan approval');
    expect(card.text).toContain('1. Delete build dir');
    expect(card.entities.some((e) => e.type === 'bold')).toBe(true);
    const q = h.tap(card, '✅ Approve plan');
    expect(await h.toast(q)).toBe('✅ Plan approved');
    await h.api.waitTurnEnd(s.id);
    expect((await approval(a.id)).status).toBe('allowed');
  });
});
