/**
 * Forum topics that go away: a session whose topic the owner deleted gets a new topic for its
 * next messages instead of having them refused forever.
 */
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a deleted forum topic', () => {
  it('is forgotten when Telegram refuses it, and the session gets a new topic', async () => {
    h = await startTelegramHarness({ forum: true });
    const forum = h.forum!;
    await h.pair();
    const s = await h.startSession('SAY: alpha ready', { title: 'alpha' });
    const first = await h.waitMessage((m) => m.text.endsWith('alpha ready') && !m.text.includes('✅'), 'the first answer', 20_000, forum.id);
    await h.api.waitState(s.id, (x) => x.state === 'idle', 'idle');
    const old = first.threadId!;
    await new Api(h.bot.token, { apiRoot: h.bot.url }).deleteForumTopic(forum.id, old);

    // The turn after the deletion is refused in the old topic; the bridge forgets it.
    const before = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: into the void', delivery: 'queue' });
    await h.api.waitTurnEnd(s.id, before);
    await h.bot.waitFor(
      () => h!.bot.calls('sendMessage').some((c) => Number(c.params.message_thread_id) === old && c.outcome === 'error'),
      10_000,
      'a send refused in the old topic',
    );

    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: alpha is back', delivery: 'queue' });
    const again = await h.waitMessage((m) => m.text.endsWith('alpha is back') && !m.text.includes('✅'), 'the answer in a new topic', 20_000, forum.id);
    expect(again.threadId).toBeDefined();
    expect(again.threadId).not.toBe(old);
    expect(h.bot.topics(forum.id).map((t) => t.threadId)).toContain(again.threadId);
  });
});
