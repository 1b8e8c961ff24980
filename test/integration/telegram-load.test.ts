/**
 * The bridge under pressure and across restarts: many sessions streaming into one chat with
 * 429s injected, and a daemon restart in the middle of a run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Followup, Session } from '../../src-main/contract/index.ts';
import { tooManyRequests, type BotMessageView } from '../fakes/bot-api/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { buttons, startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SESSIONS = 20;
const ENDED = new Set(['idle', 'stopped', 'failed', 'interrupted']);

describe('under load', () => {
  it('20 sessions streaming at once with 429s injected: nothing lost, no limit passed, every live message ends in its true state', {
    timeout: 240_000,
  }, async () => {
    h = await startTelegramHarness();
    await h.pair();
    writeFileSync(join(h.project, 'notes.txt'), 'some notes\n');
    h.bot.failNext('sendMessage', tooManyRequests(1), 3);
    h.bot.failNext('editMessageText', tooManyRequests(1), 4);

    // Most runs finish; some fail, some are interrupted, some stopped: each live message must say which.
    const expected = new Map<string, 'done' | 'failed' | 'interrupted' | 'stopped'>();
    const sessions: Session[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const tag = `load-${String(i).padStart(2, '0')}`;
      const kind = i < 14 ? 'done' : i < 16 ? 'failed' : i < 18 ? 'interrupted' : 'stopped';
      const prompt =
        kind === 'done'
          ? `SAY: working on ${tag}\nTOOL: Read {"file_path":"${join(h.project, 'notes.txt')}"}\nSLOW: 300 answer of ${tag}`
          : kind === 'failed'
            ? 'FAIL: 400'
            : 'SLOW: 20000 a very long answer';
      const s = await h.startSession(prompt, { title: tag });
      sessions.push(s);
      expected.set(s.id, kind);
      // Start the CLIs four at a time: twenty cold starts at once starve every other test file.
      if (sessions.length % 4 === 0) {
        await waitFor(
          async () => {
            for (const x of sessions.slice(-4)) if ((await h!.api.session(x.id)).agentSessionId === null && expected.get(x.id) !== 'failed') return false;
            return true;
          },
          'the last four agents started',
          120_000,
          50,
        );
      }
    }
    for (const s of sessions) {
      const kind = expected.get(s.id);
      if (kind !== 'interrupted' && kind !== 'stopped') continue;
      await h.api.waitState(s.id, (x) => x.state === 'running', 'running', 120_000);
      await h.api.post(`/sessions/${s.id}/${kind === 'interrupted' ? 'interrupt' : 'stop'}`);
    }
    await waitFor(
      async () => {
        const { sessions: all } = await h!.api.get<{ sessions: Session[] }>('/sessions');
        return all.every((x) => ENDED.has(x.state));
      },
      'every session to end',
      120_000,
      100,
    );

    // Stopping a session interrupts its run first, so the run itself ends "interrupted".
    const finalWord = { done: '✅ done', failed: '❌ failed', interrupted: '⏹ interrupted', stopped: '⏹ interrupted' } as const;
    // A failed run also gets a message of its own saying what happened ("⚠️ …" under the label).
    const providerNoticeOf = (m: BotMessageView, tag: string) => m.text.startsWith(`⚙️ project · claude — ${tag}\n⚠️ `);
    const liveOf = (m: BotMessageView, tag: string) =>
      m.text.startsWith(`⚙️ project · claude — ${tag}\n`) && !m.text.includes('answer of') && !providerNoticeOf(m, tag);
    const answered = (s: Session) => expected.get(s.id) !== 'done' || h!.messages().some((m) => m.text.endsWith(`answer of ${s.title}`));
    await waitFor(
      () => sessions.every((s) => answered(s) && h!.messages().some((m) => liveOf(m, s.title) && m.text.includes(finalWord[expected.get(s.id)!]))),
      'every live message in its final state and every answer',
      120_000,
      100,
    );

    const messages = h.messages();
    for (const s of sessions) {
      const live = messages.filter((m) => liveOf(m, s.title));
      expect(live, s.title).toHaveLength(1);
      expect(live[0]!.text.split('\n')[1], s.title).toContain(finalWord[expected.get(s.id)!]);
      expect(buttons(live[0]!), s.title).toEqual([]);
      const answers = messages.filter((m) => m.text.endsWith(`answer of ${s.title}`));
      expect(answers, s.title).toHaveLength(expected.get(s.id) === 'done' ? 1 : 0);
      expect(
        messages.filter((m) => providerNoticeOf(m, s.title)),
        s.title,
      ).toHaveLength(expected.get(s.id) === 'failed' ? 1 : 0);
    }
    const states = new Map((await h.api.get<{ sessions: Session[] }>('/sessions')).sessions.map((x) => [x.id, x.state]));
    for (const s of sessions) expect(states.get(s.id), s.title).toBe(expected.get(s.id) === 'stopped' ? 'stopped' : 'idle');
    expect(h.bot.violations).toEqual([]);
    const limited = h.bot.calls().filter((c) => c.error?.error_code === 429);
    expect(limited).toHaveLength(7);
  });
});

describe('restarts', () => {
  it('restart mid-run: no update is handled twice, the orphaned live message reads "interrupted", the stale card its outcome', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const busy = await h.startSession('SLOW: 20000 a long answer', { title: 'busy' });
    const live = await h.waitMessage((m) => m.text.startsWith('⚙️ project · claude — busy\n') && m.text.includes('thinking'), 'the live message');
    const asking = await h.startSession('RUN: touch never.txt', { title: 'asking' });
    const a = await h.api.waitApproval(asking.id);
    const card = await h.waitCard(a);

    // Focus the busy session.
    h.bot.userSends(h.owner, h.owner.id, '/sessions');
    const list = await h.waitMessage((m) => m.text.startsWith('Sessions'), 'the list');
    h.tap(list, String(list.text.split('\n').findIndex((l) => l.includes('— busy'))));
    await h.consumed();
    // Let one poll fetch the three messages below in one batch and fail the polls after it, so
    // they are handled (offset persisted) but never confirmed to Telegram before the restart.
    const polls = () => h!.bot.calls('getUpdates');
    await h.bot.waitFor(() => polls().at(-1)?.outcome === 'pending', 5000, 'a held poll');
    h.bot.failNext('getUpdates', { error_code: 502, description: 'Bad Gateway' }, 1);
    h.bot.userSends(h.owner, h.owner.id, '/help');
    await h.bot.waitFor(() => polls().at(-1)?.outcome === 'error', 5000, 'the poll after /help failing');
    const texts = ['SAY: one', 'SAY: two', 'SAY: three'];
    for (const t of texts) h.bot.userSends(h.owner, h.owner.id, t);
    const ids = h.bot.pendingUpdates().map((u) => u.update_id);
    const before = polls().length;
    await h.bot.waitFor(() => polls().length > before, 5000, 'the poll that fetches the batch');
    h.bot.failNext('getUpdates', { error_code: 502, description: 'Bad Gateway' }, 6);
    await waitFor(async () => (await h!.api.get<{ followups: Followup[] }>(`/sessions/${busy.id}`)).followups.length === 3, 'three follow-ups');
    expect(ids).toHaveLength(4);
    expect(h.bot.pendingUpdates().map((u) => u.update_id)).toEqual(ids.slice(1));

    const beforeRestart = polls().length;
    await h.restart();
    // The new poller asks from the persisted offset: Telegram drops the handled batch instead of
    // delivering it again (without it, all three would come back and be handled a second time).
    await waitFor(() => h!.bot.pendingUpdates().length === 0, 'the handled updates confirmed', 10_000);
    const firstOk = polls()
      .slice(beforeRestart)
      .find((c) => c.outcome === 'ok' || c.outcome === 'pending');
    expect(firstOk?.params.offset).toBe(ids[3]! + 1);
    const { followups } = await h.api.get<{ followups: Followup[] }>(`/sessions/${busy.id}`);
    expect(followups.map((f) => f.text).sort()).toEqual(['SAY: one', 'SAY: three', 'SAY: two']);

    const repainted = await h.waitMessage((m) => m.messageId === live.messageId && m.text.includes('⏹ interrupted'), 'the orphaned live message repainted');
    expect(repainted.text).toContain('shut down during a turn');
    expect(repainted.replyMarkup).toBeUndefined();
    // The agent that asked ended with the old core, which withdrew its request.
    const withdrawn = await h.waitMessage((m) => m.messageId === card.messageId && m.text.startsWith('🚫 Cancelled'), 'the stale card repainted');
    expect(withdrawn.text).toContain('the agent process ended');
    expect(withdrawn.replyMarkup).toBeUndefined();
    expect((await h.status()).ownerId).toBe(h.owner.id);
  });
});
