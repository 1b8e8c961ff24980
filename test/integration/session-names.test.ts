/**
 * Session names and the reaper end to end: the real `claude` behind a real daemon on a manual clock,
 * renamed through the API and the real CLI, its idle agent ended and resumed (`--resume`) by a message
 * sent by name; on the phone (fake Bot API), `@name text` reaches the named session and a session
 * waiting for the owner is reminded instead of ended.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session, SessionEvent } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { manualClock, manualTimers } from '../helpers/manual-clock.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);
const MIN = 60_000;

async function reins(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const finalText = (evs: SessionEvent[]): string | undefined =>
  evs.flatMap((e) => (e.kind === 'message' && e.payload.role === 'assistant' ? [e.payload.text] : [])).at(-1);

let h: Harness | undefined;
let tg: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  await tg?.close();
  h = undefined;
  tg = undefined;
});

describe('session names and the reaper (real claude)', () => {
  it('renames through the API and the CLI; the idle agent is ended after idleMinutes, a message sent by name resumes it, and age archives it', async () => {
    const clock = manualClock(Date.now());
    h = await startHarness({ reaper: { idleMinutes: 60, archiveAfterDays: 0.1 } }, { clock, timers: manualTimers(clock) });
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'SAY: remember the word heron' });
    expect(session.name).toBe('project');
    await h.api.waitTurnEnd(session.id);

    const renamed = await h.api.client.renameSession(session.id, ' Greeter ');
    expect(renamed.session.name).toBe('greeter');
    const bad = await h.api.raw('PATCH', `/sessions/${session.id}`, { name: 'no spaces please' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/lower-case letters, digits and dashes/);

    const home = ['--home', h.home];
    const viaCli = await reins(['rename', ...home, 'greeter', 'heron-bot']);
    expect(viaCli).toMatchObject({ code: 0, out: `Session ${session.id.slice(0, 8)} is now called heron-bot.\n` });
    const listed = await reins(['sessions', ...home]);
    expect(listed.out).toMatch(/^NAME\s+ID\s+AGENT/);
    expect(listed.out).toMatch(new RegExp(`heron-bot\\s+${session.id.slice(0, 8)}\\s+claude`));
    const unknown = await reins(['rename', ...home, 'nobody', 'x']);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.err).toMatch(/No session named or with id nobody/);

    const [pid] = h.daemon.core.sessions.livePids();
    expect(pid !== undefined && alive(pid)).toBe(true);
    await clock.advance(61 * MIN);
    await waitFor(() => !alive(pid!), 'the idle claude process to end');
    const idle = await h.api.waitState(session.id, (s) => s.state === 'idle' && h!.daemon.core.sessions.livePids().length === 0, 'idle without an agent');
    expect(idle.stateReason).toBeNull();
    const audit = h.daemon.core.audit
      .recent(50)
      .filter((e) => e.subject === session.id)
      .map((e) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['session.renamed', 'session.reaped']));

    const before = h.fake.requests.length;
    const seq = (await h.api.session(session.id)).lastSeq;
    expect((await reins(['send', ...home, 'heron-bot', 'SAY: back after a nap'])).code).toBe(0);
    // The whole turn, not only its answer: a turn still open when the clock jumps would meet the watchdog.
    expect(finalText(await h.api.waitTurnEnd(session.id, seq))).toBe('back after a nap');
    expect(JSON.stringify(h.fake.requests.slice(before).at(-1)!.messages)).toContain('remember the word heron');
    expect(h.daemon.core.sessions.livePids()).toHaveLength(1);

    // 0.1 days after its creation the session is archived (its idle agent ended first): listed only with --all.
    await clock.advance(90 * MIN);
    await waitFor(() => h!.daemon.core.sessions.livePids().length === 0, 'the resumed agent to be ended as idle');
    // The agent ended in real time, after the ticks above: the next look archives the session.
    await clock.advance(MIN);
    await h.api.waitState(session.id, (s) => s.archivedAt !== null, 'the session to be archived');
    expect((await reins(['sessions', ...home])).out).toMatch(/^No sessions\. .*\(archived ones: `reins sessions --all`\)/);
    const all = await reins(['sessions', '--all', ...home]);
    expect(all.out, all.out).toMatch(new RegExp(`heron-bot\\s+${session.id.slice(0, 8)}\\s+claude\\s+ask\\s+idle, archived`));
  });
});

describe('names on the phone (fake Bot API)', () => {
  it('@name text reaches the named session from the chat, an unknown name gets the close ones, and a waiting session is reminded, not ended', async () => {
    const clock = manualClock(Date.now());
    tg = await startTelegramHarness({
      config: { approvalTimeoutSeconds: 86_400, reaper: { idleMinutes: 60, archiveAfterDays: 0 } },
      time: { clock, timers: manualTimers(clock) },
    });
    await tg.pair();
    const one = await tg.startSession('SAY: first');
    const two = await tg.startSession('SAY: second');
    expect([one.name, two.name]).toEqual(['project', 'project-2']);
    await tg.api.waitTurnEnd(one.id);
    await tg.api.waitTurnEnd(two.id);

    tg.bot.userSends(tg.owner, tg.owner.id, '/sessions');
    const list = await tg.waitMessage((m) => m.text.startsWith('Sessions'), 'the session list');
    expect(list.text).toContain('@project-2');

    tg.bot.userSends(tg.owner, tg.owner.id, '@projekt SAY: lost');
    const unknown = await tg.waitMessage((m) => m.text.startsWith('🤷 No session is called'), 'the unknown-name reply');
    expect(unknown.text).toBe('🤷 No session is called projekt. Did you mean @project, @project-2?');

    tg.bot.userSends(tg.owner, tg.owner.id, '@Project-2 RUN: touch named.txt');
    const approval = await tg.api.waitApproval(two.id);
    const followups = (id: string) =>
      tg!.api.events(id).then((evs) => evs.flatMap((e) => (e.kind === 'followup' && e.payload.state === 'sent' ? [e.payload.text] : [])));
    expect(await followups(two.id)).toEqual(['RUN: touch named.txt']);
    expect(await followups(one.id)).toEqual([]);

    tg.bot.userSends(tg.owner, tg.owner.id, '/rename project first-one');
    await tg.waitMessage((m) => m.text === '✏️ project is now called first-one.', 'the rename answer');
    expect((await tg.api.session(one.id)).name).toBe('first-one');
    tg.bot.userSends(tg.owner, tg.owner.id, '/status FIRST-ONE');
    const status = await tg.waitMessage((m) => m.text.includes('Name: @first-one'), 'the status of the session named');
    expect(status.text).toContain(`id ${one.id.slice(0, 8)}`);
    tg.bot.userSends(tg.owner, tg.owner.id, '/rename project-2 first-one');
    await tg.waitMessage((m) => m.text.startsWith('❌ The name "first-one" is taken by session'), 'the refused rename');

    const pidsBefore = tg.daemon.core.sessions.livePids();
    expect(pidsBefore).toHaveLength(2);
    await clock.advance(60 * MIN);
    const reminder = await tg.waitMessage((m) => m.text.startsWith('⏰'), 'the reminder');
    expect(reminder.text).toContain('@project-2 still waits for you: an approval, for 60 min.');
    // The idle session's agent was ended; the waiting one runs on, its approval still pending.
    await waitFor(() => tg!.daemon.core.sessions.livePids().length === 1, 'only the idle agent to end');
    expect((await tg.api.session(two.id)).state).toBe('waiting');
    expect((await tg.api.pending(two.id)).map((a) => a.id)).toEqual([approval.id]);
    await clock.advance(30 * MIN);
    await tg.consumed();
    expect(tg.messages().filter((m) => m.text.startsWith('⏰'))).toHaveLength(1);
  });
});
