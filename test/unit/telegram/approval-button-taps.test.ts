/**
 * Taps on approval-card buttons through the real callbacks feature: a decision that failed keeps
 * the button usable (and still single-use once it went through), and a stale card that lost its
 * record is repainted from the approval's state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Session } from '../../../src-main/contract/index.ts';
import type { Core } from '../../../src-main/core/create-core.ts';
import { AlreadyDecidedError, ConflictError } from '../../../src-main/core/errors.ts';
import { callbacksFeature } from '../../../src-main/surfaces/telegram/features/callbacks.ts';
import type { BotMessageView } from '../../fakes/bot-api/index.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { startFeatureBot, type FeatureBot } from '../../helpers/feature-bot.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

let bot: FeatureBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const session: Session = {
  id: 'sess-0001',
  agent: 'claude',
  projectId: 'p1',
  cwd: '/tmp/project',
  mode: 'ask',
  state: 'running',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 'demo',
  name: 'demo',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
};

const pending: Approval = {
  id: 'appr-0001',
  handle: 'AbCdEfGh',
  sessionId: session.id,
  kind: 'tool',
  tool: 'Bash',
  input: { command: 'rm -rf build' },
  action: claudeAction('Bash', { command: 'rm -rf build' }),
  plan: null,
  questions: null,
  risk: { level: 'high', tags: [], reasons: ['deletes files'] },
  status: 'pending',
  decidedBy: null,
  surface: null,
  reason: null,
  message: null,
  answers: null,
  grantOffer: null,
  createdAt: 0,
  decidedAt: null,
  expiresAt: Date.now() + 300_000,
};

const allowedVia = (surface: 'cli' | 'telegram'): Approval => ({
  ...pending,
  status: 'allowed',
  decidedBy: surface,
  surface,
  reason: `allowed via ${surface}`,
  decidedAt: 1,
});

/** The core's approvals with one approval; `failures` are thrown by the next decisions, in order. */
function coreWith(current: { approval: Approval; failures: Error[]; decisions: number }): Partial<Core> {
  return {
    sessions: { get: () => ({ session, pendingApprovals: [], followups: [] }) } as unknown as Core['sessions'],
    approvals: {
      get: () => current.approval,
      list: () => (current.approval.status === 'pending' ? [current.approval] : []),
      decide: () => {
        const failure = current.failures.shift();
        if (failure) throw failure;
        if (current.approval.status !== 'pending') throw new AlreadyDecidedError(current.approval.id, current.approval.status, current.approval.surface);
        current.decisions++;
        current.approval = allowedVia('telegram');
        return current.approval;
      },
    } as unknown as Core['approvals'],
  };
}

async function cardOf(b: FeatureBot): Promise<{ card: BotMessageView; allow: string }> {
  await b.feed();
  b.deps.cards.onApproval(pending);
  const card = await b.fake.waitFor(() => b.fake.messages(b.user.id).find((m) => m.text.startsWith('🔐') && m.replyMarkup !== undefined), 5000, 'the card');
  await waitFor(() => b.deps.state.cards.get(pending.id)?.messageId === card.messageId, 'the card recorded', 5000);
  const allow = card.replyMarkup?.inline_keyboard.flat().find((x) => x.text.startsWith('✅ Allow'));
  if (!allow || !('callback_data' in allow)) throw new Error('no Allow button');
  return { card, allow: allow.callback_data };
}

async function tap(b: FeatureBot, card: BotMessageView, data: string): Promise<string> {
  const id = b.fake.userTaps(b.user, card.chatId, card.messageId, data);
  await b.feed();
  const call = await b.fake.waitFor(() => b.fake.calls('answerCallbackQuery').find((c) => c.params.callback_query_id === id), 5000, 'the toast');
  return String(call.params.text ?? '');
}

describe('a tap whose decision fails', () => {
  it('keeps the button usable until the decision goes through, then refuses replays', async () => {
    const current = {
      approval: pending,
      failures: [new Error('database is locked'), new ConflictError('The agent is restarting; try again.')] as Error[],
      decisions: 0,
    };
    bot = await startFeatureBot(coreWith(current), (deps, codec) => [callbacksFeature(deps, codec, new Map())]);
    const { card, allow } = await cardOf(bot);

    expect(await tap(bot, card, allow)).toMatch(/not recorded.*tap .*again/i);
    expect(await tap(bot, card, allow)).toBe('⚠️ Not recorded: The agent is restarting; try again. Tap the button again.');
    expect(current.approval.status).toBe('pending');
    expect(await tap(bot, card, allow)).toBe('✅ Allowed');
    expect(current.decisions).toBe(1);
    expect(await tap(bot, card, allow)).toBe('⛔ Refused: this button was already used.');
    expect(current.decisions).toBe(1);
  });

  it('spends the button when the approval was decided meanwhile', async () => {
    const current = { approval: pending, failures: [] as Error[], decisions: 0 };
    bot = await startFeatureBot(coreWith(current), (deps, codec) => [callbacksFeature(deps, codec, new Map())]);
    const { card, allow } = await cardOf(bot);
    current.approval = allowedVia('cli');
    expect(await tap(bot, card, allow)).toBe('Already allowed via cli.');
    expect(await tap(bot, card, allow)).toBe('⛔ Refused: this button was already used.');
  });
});

describe('a stale card without a record', () => {
  it('is repainted from the approval when tapped', async () => {
    const current = { approval: pending, failures: [] as Error[], decisions: 0 };
    bot = await startFeatureBot(coreWith(current), (deps, codec) => [callbacksFeature(deps, codec, new Map())]);
    const { card, allow } = await cardOf(bot);
    // The record is gone (e.g. a repaint that failed for good), and the CLI decided since.
    bot.deps.state.cards.remove(pending.id);
    current.approval = allowedVia('cli');

    expect(await tap(bot, card, allow)).toBe('Already allowed via cli.');
    const b = bot;
    const repainted = await b.fake.waitFor(
      () => b.fake.messages(b.user.id).find((m) => m.messageId === card.messageId && m.replyMarkup === undefined),
      5000,
      'the card repainted',
    );
    expect(repainted.text).toMatch(/^✅ Allowed/);
    expect(current.decisions).toBe(0);
  });
});
