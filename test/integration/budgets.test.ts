/**
 * Budgets end to end: the real `claude` reports the usage the fake Anthropic API is told to report
 * (`USAGE:`), the core totals it, and at the session's limit the session pauses and asks on the
 * phone and in the API; a message sent meanwhile waits; "continue" sends it with a raised limit,
 * and "stop" ends the session saying why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import type { Approval, Followup, Session } from '../../src-main/contract/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { buttons, startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
let core: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await core?.close();
  core = undefined;
});

const budgetAsk = async (id: string): Promise<Approval | undefined> => (await h!.api.pending(id)).find((a) => a.kind === 'budget');

describe('budgets with the real claude', () => {
  it('a session at its token budget pauses, asks on the phone and in the API, continues when allowed and stops when denied', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const s = await h.startSession('USAGE: 30000 500\nSAY: first part done', { budget: { tokens: 20_000 } });

    const first = await h.api.waitState(s.id, (x) => x.state === 'waiting', 'the pause at the budget');
    const ask = (await budgetAsk(s.id))!;
    expect(ask.action.budget).toMatchObject({ scope: 'session', limit: { tokens: 20_000, costUsd: null } });
    // What claude reported: the fake's figures, priced by the CLI itself.
    expect(first.budget.spent.tokens).toBeGreaterThanOrEqual(30_500);
    expect(first.budget.spent.costUsd).toBeGreaterThan(0);
    expect(first.stateReason).toBe(ask.action.title);
    expect(ask.action.title).toMatch(/^Budget reached: this session spent \d+k of 20k tokens$/);

    const card = await h.waitMessage((m) => m.text.startsWith('💸 Budget reached') && m.replyMarkup !== undefined, 'the budget card');
    expect(card.text).toContain('This session:');
    expect(card.text).toContain('nothing more is spent');
    const continueLabel = buttons(card)[0]!.text;
    expect(buttons(card).map((b) => b.text)).toEqual([continueLabel, '⏹ Stop session']);
    expect(continueLabel).toMatch(/^▶️ Continue to \d+k tokens$/);

    // A message sent while paused waits: the model hears nothing new.
    const requestsBefore = h.anthropic.requests.length;
    const { followup } = await h.api.post<{ followup: Followup }>(`/sessions/${s.id}/messages`, { text: 'USAGE: 30000 500\nSAY: second part done' });
    expect(followup.state).toBe('queued');
    const still = await h.api.get<{ session: Session; followups: Followup[] }>(`/sessions/${s.id}`);
    expect(still.session.state).toBe('waiting');
    expect(h.anthropic.requests.length).toBe(requestsBefore);

    expect(await h.toast(h.tap(card, continueLabel))).toBe('▶️ Continuing');
    await h.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('▶️ Continued from Telegram'), 'the card repainted');
    await h.waitMessage((m) => m.text.includes('second part done'), 'the held message answered');
    const raised = (await h.api.get<{ session: Session }>(`/sessions/${s.id}`)).session.budget.limit.tokens!;
    expect(raised).toBeGreaterThan(first.budget.spent.tokens);

    // The second turn crosses the raised limit too: asked again, and this time stopped (from the API).
    const second = await h.api.waitState(s.id, (x) => x.state === 'waiting', 'the second pause');
    const ask2 = (await budgetAsk(s.id))!;
    expect(ask2.id).not.toBe(ask.id);
    await h.api.post(`/approvals/${ask2.id}/decision`, { decision: 'deny' });
    const stopped = await h.api.waitState(s.id, (x) => x.state === 'stopped', 'the stop');
    expect(stopped.stateReason).toMatch(/^stopped at its budget by .* via api \(this session spent \d+k of \d+k tokens\)$/);
    expect(second.budget.spent.tokens).toBeGreaterThanOrEqual(61_000);
    const audit = await h.api.get<{ entries: Array<{ type: string }> }>('/audit?limit=200');
    expect(audit.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['budget.reached', 'budget.raised', 'session.stopped']));
  });

  it('a turn that crosses a token budget mid-way pauses before its next tool call runs; continuing lets the call through policy, stopping never runs it', async () => {
    core = await startHarness();
    const api = core.api;
    // Each model response reports 30 000 tokens: the one asking to run the command already crosses 20 000.
    const paused = await api.post<{ session: Session }>('/sessions', {
      agent: 'claude',
      cwd: core.project,
      prompt: 'USAGE: 30000 500\nRUN: touch after-the-pause.txt',
      budget: { tokens: 20_000 },
    });
    const ask = await waitForBudgetAsk(api, paused.session.id);
    expect(ask.action.budget?.spent.tokens).toBeGreaterThanOrEqual(30_000);
    expect((await api.session(paused.session.id)).state).toBe('waiting');
    expect(existsSync(join(core.project, 'after-the-pause.txt'))).toBe(false);
    await api.post(`/approvals/${ask.id}/decision`, { decision: 'allow' });
    // The held call now asks like any other (touch writes a file): the owner allows it, and it runs.
    const tool = await api.waitApproval(paused.session.id);
    expect(tool.kind).toBe('tool');
    await api.post(`/approvals/${tool.id}/decision`, { decision: 'allow' });
    await api.waitTurnEnd(paused.session.id);
    expect(existsSync(join(core.project, 'after-the-pause.txt'))).toBe(true);

    const stopped = await api.post<{ session: Session }>('/sessions', {
      agent: 'claude',
      cwd: core.project,
      prompt: 'USAGE: 30000 500\nRUN: touch never-run.txt',
      budget: { tokens: 20_000 },
    });
    const ask2 = await waitForBudgetAsk(api, stopped.session.id);
    await api.post(`/approvals/${ask2.id}/decision`, { decision: 'deny' });
    const end = await api.waitState(stopped.session.id, (x) => x.state === 'stopped', 'the stop');
    expect(end.stateReason).toMatch(/^stopped at its budget by /);
    expect(existsSync(join(core.project, 'never-run.txt'))).toBe(false);
  });
});

async function waitForBudgetAsk(api: Harness['api'], sessionId: string): Promise<Approval> {
  return waitFor(async () => (await api.pending(sessionId)).find((a) => a.kind === 'budget'), `a budget approval in ${sessionId}`);
}
