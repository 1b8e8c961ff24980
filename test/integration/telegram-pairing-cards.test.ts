/**
 * An approval that was already waiting when the owner paired must reach the phone: pairing is
 * the first moment the bridge knows where to send it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval } from '../../src-main/contract/index.ts';
import { buttons, startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('pairing while an approval waits', () => {
  it('sends the card of the waiting approval right after pairing, and its Allow works', async () => {
    h = await startTelegramHarness();
    await h.waitStatus((s) => s.state === 'waiting_for_owner', 'waiting for an owner');
    const s = await h.startSession('RUN: touch paired-late.txt');
    const a = await h.api.waitApproval(s.id);
    expect(a.status).toBe('pending');

    await h.pair();
    const card = await h.waitCard(a);
    expect(card.text).toContain('touch paired-late.txt');
    expect(buttons(card).map((b) => b.text)).toContain('✅ Allow');

    const q = h.tap(card, '✅ Allow');
    expect(await h.toast(q)).toBe('✅ Allowed');
    const decided = (await h.api.get<{ approval: Approval }>(`/approvals/${a.id}`)).approval;
    expect(decided).toMatchObject({ status: 'allowed', surface: 'telegram' });
  });
});
