/**
 * Sessions from the phone: the /new wizard, live status, follow-ups (routing, queue, cancel),
 * files for the agent, and the commands — against the real `claude` behind the core.
 */
import { readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentsResponse, Approval, Followup, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { buttons, startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const say = (text: string, extra: Record<string, unknown> = {}) => h!.bot.userSends(h!.owner, h!.owner.id, { text, ...extra });
const userTexts = async (sessionId: string): Promise<string[]> =>
  (await h!.api.events(sessionId)).flatMap((e: SessionEvent) =>
    e.kind === 'message' && e.payload.role === 'user' ? [e.payload.text] : e.kind === 'followup' && e.payload.state === 'sent' ? [e.payload.text] : [],
  );

describe('/new and live status', () => {
  it('the wizard (project → agent → mode → prompt) starts a Claude session whose live message updates in place', async () => {
    h = await startTelegramHarness();
    await h.pair();
    say('/new');
    await h.waitMessage((m) => m.text.includes('Send the absolute path of the project directory'), 'the first step');
    say(h.project);
    const agents = await h.waitMessage((m) => m.text.includes('Which agent?'), 'the agent step');
    // The installed agents that ask before risky calls, by name; never the terminal, which asks nothing.
    const { agents: known } = await h.api.get<AgentsResponse>('/agents');
    expect(buttons(agents).map((b) => b.text)).toEqual(known.filter((a) => a.installed && a.capabilities.approvals).map((a) => a.displayName));
    expect(buttons(agents).map((b) => b.text)).toContain('Claude Code');
    expect(buttons(agents).map((b) => b.text)).not.toContain('Terminal');
    h.tap(agents, 'Claude Code');
    const modes = await h.waitMessage((m) => m.messageId === agents.messageId && m.text.includes('Which mode?'), 'the mode step');
    expect(buttons(modes).map((b) => b.text)).toEqual(['✋ ask', '🚀 auto', '💤 standby', '📋 plan first']);
    h.tap(modes, '✋ ask');
    await h.waitMessage((m) => m.messageId === agents.messageId && m.text.includes('Now send the prompt'), 'the prompt step');
    say('SLOW: 900 hello from the phone');
    await h.waitMessage((m) => m.text.startsWith('🚀 Started'), 'the session started');

    const { sessions } = await h.api.get<{ sessions: Session[] }>('/sessions');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ agent: 'claude', mode: 'ask', cwd: realpathSync(h.project) });
    const live = await h.waitMessage((m) => m.text.startsWith('⚙️') && m.text.includes('thinking'), 'the live message');
    expect(buttons(live).map((b) => b.text)).toEqual(['⏹ Stop']);
    expect(live.disableNotification).toBe(true);
    const done = await h.waitMessage((m) => m.messageId === live.messageId && m.text.includes('✅ done'), 'the live message closed');
    expect(done.editCount).toBeGreaterThanOrEqual(1);
    expect(done.replyMarkup).toBeUndefined();
    const answer = await h.waitMessage((m) => m.messageId > live.messageId && m.text.endsWith('hello from the phone'), 'the final answer');
    expect(answer.text.startsWith('⚙️')).toBe(true);
    // Only one live message for the run.
    expect(h.messages().filter((m) => m.text.startsWith('⚙️') && /✅ done|thinking|running/.test(m.text))).toHaveLength(1);

    say('/new');
    const again = await h.waitMessage((m) => m.text.includes('Pick a project'), 'the project step with a known project');
    expect(buttons(again).map((b) => b.text)).toEqual(['project']);
  });

  it('the Stop button on the live message stops the session', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const s = await h.startSession('SLOW: 8000 a long answer');
    const live = await h.waitMessage((m) => m.text.startsWith('⚙️') && buttons(m).length === 1, 'the live message with Stop');
    const q = h.tap(live, '⏹ Stop');
    expect(await h.toast(q)).toBe('⏹ Stopping…');
    await h.api.waitState(s.id, (x) => x.state === 'stopped', 'stopped');
    const closed = await h.waitMessage((m) => m.messageId === live.messageId && /stopped|interrupted/.test(m.text), 'the live message closed');
    expect(closed.replyMarkup).toBeUndefined();
  });
});

describe('what is sent', () => {
  it('a long answer is split below 4096 characters with continuation markers, as valid HTML', async () => {
    h = await startTelegramHarness();
    await h.pair();
    // One line (a SAY directive is one line); the split falls between words.
    const sentence = (i: number) => `Sentence ${i} with **bold** and \`code\`: ${'lorem ipsum '.repeat(30)}`;
    await h.startSession(`SAY: ${Array.from({ length: 14 }, (_, i) => sentence(i)).join(' ')}`);
    const parts = await h.bot.waitFor(
      () => {
        const found = h!.messages().filter((m) => /\n\(\d\/\d\)$/.test(m.text));
        return found.length >= 2 && found.some((m) => m.text.endsWith('(2/2)')) ? found : undefined;
      },
      20_000,
      'the answer in two parts',
    );
    expect(parts.map((m) => m.text.split('\n').at(-1))).toEqual(['(1/2)', '(2/2)']);
    for (const m of parts) expect([...m.text].length).toBeLessThanOrEqual(4096);
    expect(parts[0]!.entities.some((e) => e.type === 'bold')).toBe(true);
    expect(parts.map((m) => m.text).join('')).toContain('Sentence 13');
  });

  it('secrets from the project .env, keys and tokens never reach Telegram', async () => {
    h = await startTelegramHarness();
    writeFileSync(join(h.project, '.env'), 'STRIPE_KEY=sk_live_51Habcdefghijklmnop\nDB_PASSWORD="correct horse battery"\n');
    await h.pair();
    const s = await h.startSession(
      'SAY: the key is sk_live_51Habcdefghijklmnop and the password is correct horse battery\nRUN: touch "correct horse battery" ghp_0123456789abcdefghijABCDEFGHIJ012345',
    );
    const a = await h.api.waitApproval(s.id);
    const card = await h.waitCard(a);
    expect(card.text).toContain('touch "[redacted]" [redacted]');
    const live = await h.waitMessage((m) => m.text.startsWith('⚙️') && m.text.includes('waiting for you'), 'the live message waiting');
    // The session's title is the prompt's first line: it is in every message, redacted.
    expect(live.text).toContain('— SAY: the key is [redacted] and the passwor');
    h.tap(card, '❌ Deny');
    await h.waitMessage((m) => m.text.includes('Tool Bash finished'), 'the final answer');
    const sent = JSON.stringify(
      h.bot
        .calls()
        .filter((c) => c.method !== 'getUpdates')
        .map((c) => c.params),
    );
    for (const secret of ['sk_live_51Habcdefghijklmnop', 'correct horse battery', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', h.bot.token])
      expect(sent).not.toContain(secret);
  });
});

describe('follow-ups', () => {
  it('text goes to the current session; while busy it waits in a visible queue, and Cancel removes it', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const s = await h.startSession('SLOW: 1200 first answer');
    say('/sessions');
    const list = await h.waitMessage((m) => m.text.startsWith('Sessions'), 'the session list');
    expect(await h.toast(h.tap(list, '1'))).toMatch(/^Current session: SLOW: 1200 first answer/);

    say('SAY: second answer');
    const notice = await h.waitMessage((m) => m.text.startsWith('⏳ Queued for'), 'the queue notice');
    expect(notice.text).toContain('«SAY: second answer»');
    expect(buttons(notice).map((b) => b.text)).toEqual(['✖ Cancel']);
    await h.waitMessage((m) => m.messageId === notice.messageId && m.text.startsWith('📨 Sent to'), 'the notice after delivery');
    await h.waitMessage((m) => m.text.endsWith('second answer') && !m.text.includes('«'), 'the second answer');

    say('SLOW: 1500 third answer');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running again');
    say('SAY: never sent');
    const queued = await h.waitMessage((m) => m.text.startsWith('⏳ Queued for') && m.text.includes('never sent'), 'the second notice');
    expect(await h.toast(h.tap(queued, '✖ Cancel'))).toBe('✖ Cancelled');
    await h.waitMessage((m) => m.messageId === queued.messageId && m.text.startsWith('✖ Cancelled'), 'the notice cancelled');
    const { followups } = await h.api.get<{ followups: Followup[] }>(`/sessions/${s.id}`);
    expect(followups.find((f) => f.text === 'SAY: never sent')?.state).toBe('cancelled');
    await h.api.waitState(s.id, (x) => x.state === 'idle', 'idle');
    expect(await userTexts(s.id)).toEqual(['SLOW: 1200 first answer', 'SAY: second answer', 'SLOW: 1500 third answer']);
  });

  it('a reply to a message of a session goes to that session, not the current one', async () => {
    h = await startTelegramHarness();
    await h.pair();
    const a = await h.startSession('SAY: answer from A');
    const answerA = await h.waitMessage((m) => m.text.endsWith('answer from A') && !m.text.includes('✅'), "A's answer");
    const b = await h.startSession('SAY: answer from B');
    await h.waitMessage((m) => m.text.endsWith('answer from B') && !m.text.includes('✅'), "B's answer");
    say('/sessions');
    const list = await h.waitMessage((m) => m.text.startsWith('Sessions'), 'the session list');
    const indexOfB = list.text.split('\n').findIndex((l) => l.includes('answer from B'));
    h.tap(list, String(indexOfB));
    await waitFor(async () => (await h!.api.get<{ sessions: Session[] }>('/sessions')).sessions.length === 2, 'two sessions');
    await h.consumed();
    say('SAY: replied to A', { replyTo: answerA.messageId });
    await waitFor(async () => (await userTexts(a.id)).includes('SAY: replied to A'), 'the follow-up in A');
    expect(await userTexts(b.id)).toEqual(['SAY: answer from B']);
  });

  it('photos and documents are saved for the agent (size limit, safe names) and given to it by path', async () => {
    h = await startTelegramHarness({ tuning: { maxAttachmentBytes: 64 } });
    await h.pair();
    const s = await h.startSession('SAY: ready');
    await h.api.waitState(s.id, (x) => x.state === 'idle', 'idle');
    say('/sessions');
    const list = await h.waitMessage((m) => m.text.startsWith('Sessions'), 'the session list');
    h.tap(list, '1');
    await h.consumed();
    h.bot.userSends(h.owner, h.owner.id, {
      document: { bytes: Buffer.from('notes for the agent'), fileName: '../../.ssh/authorized_keys' },
      caption: 'SAY: got it',
    });
    const saved = await h.waitMessage((m) => m.text.startsWith('📎 Saved'), 'the saved confirmation');
    const path = /Saved (\S+) for the agent/.exec(saved.text)?.[1] ?? '';
    expect(path.startsWith(`${h.home}/attachments/${s.id}/`)).toBe(true);
    expect(path.endsWith('-authorized_keys')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('notes for the agent');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await waitFor(async () => (await userTexts(s.id)).some((t) => t.startsWith('SAY: got it') && t.includes(path)), 'the follow-up carrying the path');

    h.bot.userSends(h.owner, h.owner.id, { photo: Buffer.from('not really a jpeg'), caption: 'SAY: a photo' });
    const photo = await h.waitMessage((m) => m.text.startsWith('📎 Saved') && m.text.includes('photo-'), 'the photo saved');
    const photoPath = /Saved (\S+) for the agent/.exec(photo.text)?.[1] ?? '';
    expect(readFileSync(photoPath, 'utf8')).toBe('not really a jpeg');

    h.bot.userSends(h.owner, h.owner.id, { document: { bytes: Buffer.alloc(200, 1), fileName: 'big.bin' } });
    await h.waitMessage((m) => m.text.includes('larger than'), 'the size refusal');
  });

  it('in a forum group each session gets its own topic, and text in a topic goes to its session', async () => {
    h = await startTelegramHarness({ forum: true });
    const forum = h.forum!;
    await h.pair();
    const a = await h.startSession('SAY: alpha ready', { title: 'alpha' });
    const b = await h.startSession('SAY: beta ready', { title: 'beta' });
    const topics = await h.bot.waitFor(() => (h!.bot.topics(forum.id).length === 2 ? h!.bot.topics(forum.id) : undefined), 10_000, 'two topics');
    expect(topics.map((t) => t.name).sort()).toEqual(['project · alpha', 'project · beta']);
    const answerA = await h.waitMessage((m) => m.text.endsWith('alpha ready') && !m.text.includes('✅'), "alpha's answer", 20_000, forum.id);
    const answerB = await h.waitMessage((m) => m.text.endsWith('beta ready') && !m.text.includes('✅'), "beta's answer", 20_000, forum.id);
    expect(answerA.threadId).not.toBe(answerB.threadId);
    expect(answerA.threadId).toBe(topics.find((t) => t.name.endsWith('alpha'))?.threadId);
    await h.api.waitState(a.id, (x) => x.state === 'idle', 'alpha idle');
    h.bot.userSends(h.owner, forum.id, { text: 'SAY: more for alpha', threadId: answerA.threadId });
    await waitFor(async () => (await userTexts(a.id)).includes('SAY: more for alpha'), 'the follow-up in alpha');
    expect(await userTexts(b.id)).toEqual(['SAY: beta ready']);
    expect(h.messages(h.owner.id).filter((m) => m.text.startsWith('⚙️'))).toHaveLength(0);
  });
});

describe('commands', () => {
  it('/status, /mode, /interrupt, /stop, /approvals, /help and unknown commands', async () => {
    h = await startTelegramHarness();
    await h.pair();
    say('/help');
    await h.waitMessage((m) => m.text.includes('/new — start a session'), 'the help');
    say('/bogus');
    await h.waitMessage((m) => m.text === 'Unknown command. See /help.', 'unknown command');
    say('/status');
    await h.waitMessage((m) => m.text.startsWith('No current session'), 'status without a session');

    const s = await h.startSession('SLOW: 8000 long');
    say('/sessions');
    h.tap(await h.waitMessage((m) => m.text.startsWith('Sessions'), 'the list'), '1');
    await h.consumed();
    say('/mode auto');
    await h.waitMessage((m) => m.text.includes('is now auto'), 'mode changed');
    expect((await h.api.session(s.id)).mode).toBe('auto');
    say('/status');
    const status = await h.waitMessage((m) => m.text.includes('Mode: auto'), 'the status');
    expect(status.text).toContain('Approvals waiting: 0');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running');
    say('/interrupt');
    await h.waitMessage((m) => m.text.startsWith('⏸ Interrupted'), 'interrupted');
    await h.api.waitState(s.id, (x) => x.state === 'idle', 'idle after the interrupt');
    say('/stop');
    await h.waitMessage((m) => m.text.startsWith('⏹ Stopping'), 'stopping');
    await h.api.waitState(s.id, (x) => x.state === 'stopped', 'stopped by /stop');

    say('/mode ask');
    await h.waitMessage((m) => m.text.includes('is now ask'), 'mode back to ask');
    const s2 = await h.startSession('RUN: touch from-list.txt');
    const a = await h.api.waitApproval(s2.id);
    say('/approvals');
    const list = await h.waitMessage((m) => m.text.startsWith('Waiting for you'), 'the approvals list');
    expect(list.text).toContain('touch from-list.txt');
    expect(await h.toast(h.tap(list, '✅ 1'))).toBe('✅ Allowed');
    await waitFor(async () => (await h!.api.get<{ approval: Approval }>(`/approvals/${a.id}`)).approval.status === 'allowed', 'allowed from the list');
  });
});
