/**
 * Provider failures end to end: the fake Anthropic API answers 429, 529, 401 and "prompt is too
 * long"; the real `claude` retries by itself (kept to one retry here) and gives up. Each failure
 * reaches the API as a `provider_error` event of the right kind with advice, each retry as one with
 * its attempt, and the phone gets a message of its own saying what happened and what to do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderErrorCategory, SessionEvent } from '../../src-main/contract/index.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type ProviderEvent = Extract<SessionEvent, { kind: 'provider_error' }>;
const CASES: Array<{ prompt: string; category: ProviderErrorCategory; title: string; advice: RegExp; retried: boolean }> = [
  { prompt: 'FAIL: 429 retry-after=1', category: 'rate_limit', title: 'Rate limited', advice: /^wait a minute/, retried: true },
  { prompt: 'FAIL: 529', category: 'overloaded', title: 'Provider overloaded', advice: /^wait a few minutes/, retried: true },
  { prompt: 'FAIL: 401', category: 'auth', title: 'Not logged in', advice: /^log the agent in/, retried: true },
  { prompt: 'FAIL: 400 too-long', category: 'context_too_long', title: 'Context too long', advice: /^start a new session, or compact/, retried: false },
];

describe('provider errors with the real claude', () => {
  it('429, 529, 401 and a too-long prompt reach the API and the phone as their kind, with advice; retries as such', async () => {
    h = await startTelegramHarness({ claudeEnv: { CLAUDE_CODE_MAX_RETRIES: '1' } });
    await h.pair();
    const sessions = await Promise.all(CASES.map((c) => h!.startSession(`${c.prompt}\nSAY: never said`, { title: c.category })));
    for (const [i, c] of CASES.entries()) {
      const s = sessions[i]!;
      const events = await h.api.waitTurnEnd(s.id, 0, 40_000);
      const provider = events.filter((e): e is ProviderEvent => e.kind === 'provider_error');
      const final = provider.find((e) => e.payload.retry === undefined);
      expect(final?.payload, c.category).toMatchObject({ category: c.category, advice: expect.stringMatching(c.advice) });
      const retries = provider.filter((e) => e.payload.retry !== undefined);
      if (c.retried) expect(retries[0]?.payload, c.category).toMatchObject({ category: c.category, retry: { attempt: 1, maxAttempts: 1 } });
      else expect(retries, c.category).toEqual([]);
      const session = await h.api.session(s.id);
      expect(session.stateReason, c.category).toBe(`${final!.payload.message}: ${final!.payload.advice}`);
      // A message of its own (not only the edited live card), so the phone notifies.
      const phone = await h.waitMessage(
        (m) => m.text.startsWith(`⚙️ project · claude — ${c.category}\n⚠️ ${c.title}: ${final!.payload.message}`),
        `the ${c.category} message`,
      );
      expect(phone.text).toContain(`👉 ${final!.payload.advice}`);
    }
  });
});
