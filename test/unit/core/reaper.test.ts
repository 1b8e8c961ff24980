/**
 * The reaper: its decisions as a pure function, then the real core (real SQLite, the scripted runner)
 * on a manual clock: an idle agent is ended and resumed by the next message, a waiting session is only
 * reminded, old sessions are archived and come back with a message.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session, SessionEvent, StatusPayload } from '../../../src-main/contract/index.ts';
import { createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { reaperSteps, type ReaperView } from '../../../src-main/core/sessions/reaper.ts';
import { createScriptedRunner, SCRIPTED_CAPABILITIES, scriptedDescriptor, type ScriptedRun } from '../../fakes/scripted-runner.ts';
import { manualClock, manualTimers, type ManualClock } from '../../helpers/manual-clock.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const session = (id: string, over: Partial<Session> = {}): Session => ({
  id,
  name: id,
  agent: 'claude',
  projectId: 'p',
  cwd: '/p',
  mode: 'ask',
  state: 'idle',
  stateReason: null,
  waitingFor: null,
  agentSessionId: 'a',
  adopted: false,
  transcriptPath: null,
  title: id,
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 1,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const view = (over: Partial<ReaperView>): ReaperView => ({
  now: T0,
  settings: { idleMs: 60 * MIN, archiveMs: 30 * DAY },
  sessions: [],
  idleAgents: [],
  withAgent: new Set(),
  waiting: new Map(),
  reminded: new Map(),
  ...over,
});

describe('reaper decisions', () => {
  it('end an agent idle for the whole interval, not one a minute short', () => {
    const s = session('s1');
    const idle = [{ sessionId: 's1', since: T0 }];
    expect(reaperSteps(view({ now: T0 + 59 * MIN, sessions: [s], idleAgents: idle, withAgent: new Set(['s1']) }))).toEqual([]);
    expect(reaperSteps(view({ now: T0 + 60 * MIN, sessions: [s], idleAgents: idle, withAgent: new Set(['s1']) }))).toEqual([
      { kind: 'end-idle', sessionId: 's1', why: 'idle for 60 min' },
    ]);
  });

  it('never end nor archive a waiting session: remind it once per interval instead', () => {
    const s = session('s1', { state: 'waiting', waitingFor: 'approval', createdAt: T0 - 90 * DAY });
    const base = { sessions: [s], withAgent: new Set(['s1']), waiting: new Map([['s1', { since: T0, count: 2 }]]) };
    expect(reaperSteps(view({ ...base, now: T0 + 59 * MIN }))).toEqual([]);
    expect(reaperSteps(view({ ...base, now: T0 + 61 * MIN }))).toEqual([{ kind: 'remind', sessionId: 's1', waitingMs: 61 * MIN, approvals: 2 }]);
    const reminded = new Map([['s1', T0 + 61 * MIN]]);
    expect(reaperSteps(view({ ...base, reminded, now: T0 + 120 * MIN }))).toEqual([]);
    expect(reaperSteps(view({ ...base, reminded, now: T0 + 121 * MIN }))).toEqual([{ kind: 'remind', sessionId: 's1', waitingMs: 121 * MIN, approvals: 2 }]);
  });

  it('archive by age since creation, only sessions at rest without an agent process', () => {
    const now = T0 + 31 * DAY;
    const old = { createdAt: T0, updatedAt: now - MIN };
    const sessions = [
      session('idle', old),
      session('failed', { ...old, state: 'failed' }),
      session('young', { createdAt: now - 29 * DAY }),
      session('running', { ...old, state: 'running' }),
      session('adopted', { ...old, state: 'running', adopted: true }),
      session('live', old),
      session('gone', { ...old, archivedAt: now - DAY }),
    ];
    const steps = reaperSteps(view({ now, sessions, withAgent: new Set(['live']), idleAgents: [{ sessionId: 'live', since: now - MIN }] }));
    expect(steps).toEqual([
      { kind: 'end-idle', sessionId: 'live', why: 'the session is being archived (created 31 days ago)' },
      { kind: 'archive', sessionId: 'idle', why: 'created 31 days ago' },
      { kind: 'archive', sessionId: 'failed', why: 'created 31 days ago' },
      { kind: 'archive', sessionId: 'adopted', why: 'created 31 days ago' },
    ]);
  });

  it('do nothing with both limits at 0', () => {
    const s = session('s1', { createdAt: T0 - 400 * DAY });
    const v = view({
      now: T0 + DAY,
      settings: { idleMs: 0, archiveMs: 0 },
      sessions: [s, session('s2', { state: 'waiting' })],
      idleAgents: [{ sessionId: 's1', since: T0 - DAY }],
      waiting: new Map([['s2', { since: T0 - DAY, count: 1 }]]),
    });
    expect(reaperSteps(v)).toEqual([]);
  });
});

const actor = { by: 'tester', surface: 'api' as const };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(reaper: Record<string, number>, capabilities = SCRIPTED_CAPABILITIES): { core: Core; project: string; runs: ScriptedRun[]; clock: ManualClock } {
  const dir = tempDir('reins-reaper-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const clock = manualClock(T0);
  const { runner, runs } = createScriptedRunner({ auto: true, capabilities });
  const core = createCore({
    home: join(dir.path, 'home'),
    config: parseConfig({ port: 0, approvalTimeoutSeconds: 86_400, reaper }),
    env: {},
    agents: [scriptedDescriptor(runner)],
    clock,
    timers: manualTimers(clock),
  });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, runs, clock };
}

const statuses = (core: Core, id: string): StatusPayload[] =>
  core.sessions.events(id, 0, 1000).events.flatMap((e: SessionEvent) => (e.kind === 'status' ? [e.payload] : []));
const auditTypes = (core: Core, subject: string): string[] =>
  core.audit
    .recent(200)
    .filter((e) => e.subject === subject)
    .map((e) => e.type)
    .reverse();

describe('the reaper in the core', () => {
  it('ends an idle agent politely after idleMinutes; the session stays idle and the next message resumes its conversation', async () => {
    const { core, project, runs, clock } = start({ idleMinutes: 60, archiveAfterDays: 0 });
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say hello' }, actor);
    await waitFor(() => core.sessions.get(s.id).session.state === 'idle', 'the first turn to end');
    await clock.advance(59 * MIN);
    expect(runs[0]!.ended).toBe(false);
    await clock.advance(2 * MIN);
    await waitFor(() => runs[0]!.ended, 'the idle agent to be ended');
    const after = core.sessions.get(s.id).session;
    expect(after).toMatchObject({ state: 'idle', stateReason: null, archivedAt: null });
    expect(statuses(core, s.id).map((p) => p.detail)).toEqual(
      expect.arrayContaining(['ending the agent process: idle for 60 min', 'the idle agent process was ended; the next message resumes the session']),
    );
    expect(auditTypes(core, s.id)).toEqual(['session.created', 'session.reaped']);

    core.sessions.send(after.name, { text: 'say again' }, actor);
    await waitFor(() => runs[1]?.messages[0], 'the resumed agent to get the message');
    expect(runs[1]!.options.resumeId).toBe('scripted-1');
    expect(runs[1]!.messages).toEqual(['say again']);
  });

  it('leaves alone an idle agent that could not resume its conversation', async () => {
    const { core, project, runs, clock } = start({ idleMinutes: 60, archiveAfterDays: 0 }, { ...SCRIPTED_CAPABILITIES, resume: false });
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say hello' }, actor);
    await waitFor(() => core.sessions.get(s.id).session.state === 'idle', 'the first turn to end');
    await clock.advance(3 * 60 * MIN);
    expect(runs[0]!.ended).toBe(false);
    expect(auditTypes(core, s.id)).toEqual(['session.created']);
  });

  it('never ends a session waiting for an approval: reminds it once per interval, and archives nothing', async () => {
    const { core, project, runs, clock } = start({ idleMinutes: 60, archiveAfterDays: 0.05 });
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'touch f.txt' }, actor);
    await waitFor(() => core.sessions.get(s.id).session.state === 'waiting', 'the approval');
    const reminders = () => statuses(core, s.id).filter((p) => p.reminder);
    await clock.advance(59 * MIN);
    expect(reminders()).toEqual([]);
    await clock.advance(MIN);
    expect(reminders()).toEqual([
      { state: 'waiting', detail: 'still waiting for you: an approval, for 60 min', reminder: { waitingMs: 60 * MIN, approvals: 1 } },
    ]);
    await clock.advance(59 * MIN);
    expect(reminders()).toHaveLength(1);
    await clock.advance(MIN);
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]?.reminder).toEqual({ waitingMs: 120 * MIN, approvals: 1 });
    expect(runs[0]!.ended).toBe(false);
    expect(core.sessions.get(s.id).session).toMatchObject({ state: 'waiting', archivedAt: null });
    expect(auditTypes(core, s.id)).toEqual(['session.created']);
  });

  it('archives a session at rest after archiveAfterDays (from creation), frees its name, and a message brings it back', async () => {
    const { core, project, runs, clock } = start({ idleMinutes: 0, archiveAfterDays: 0.05 });
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say hello' }, actor);
    expect(s.name).toBe('project');
    await waitFor(() => core.sessions.get(s.id).session.state === 'idle', 'the first turn to end');
    await clock.advance(73 * MIN);
    await waitFor(() => core.sessions.get(s.id).session.archivedAt !== null, 'the session to be archived');
    // Its idle agent was ended first (with idle reaping off), then the session archived.
    expect(runs[0]!.ended).toBe(true);
    expect(core.sessions.list().map((x) => x.id)).toEqual([]);
    expect(core.sessions.list({ all: true }).map((x) => x.id)).toEqual([s.id]);
    expect(statuses(core, s.id).at(-1)?.detail).toBe('archived: created 1 h ago; a message brings it back');
    expect(auditTypes(core, s.id)).toEqual(['session.created', 'session.reaped', 'session.archived']);

    const next = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say hi' }, actor);
    expect(next.name).toBe('project');
    // Its name went to the new session; the old one is still found by id, and comes back under another.
    core.sessions.send(s.id.slice(0, 8), { text: 'say back' }, actor);
    expect(core.sessions.get(s.id).session).toMatchObject({ archivedAt: null, name: 'project-2' });
    expect(statuses(core, s.id).some((p) => p.detail === "brought back from the archive as project-2 (project is another session's now)")).toBe(true);
    expect(auditTypes(core, s.id).at(-1)).toBe('session.unarchived');
  });

  it('renames through the facade, audited; the name then works wherever an id does', async () => {
    const { core, project } = start({ idleMinutes: 0, archiveAfterDays: 0 });
    const a = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say a' }, actor);
    const b = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'say b' }, actor);
    expect([a.name, b.name]).toEqual(['project', 'project-2']);
    expect(core.sessions.rename('project-2', 'Fix-Login', actor).name).toBe('fix-login');
    expect(core.sessions.get('FIX-LOGIN').session.id).toBe(b.id);
    expect(() => core.sessions.rename(a.id, 'fix-login', actor)).toThrow(/taken by session/);
    expect(() => core.sessions.get('nobody')).toThrow(/No session named or with id nobody/);
    const entry = core.audit.recent(50).find((e) => e.type === 'session.renamed');
    expect(entry).toMatchObject({ actor: 'tester', surface: 'api', subject: b.id, detail: { from: 'project-2', to: 'fix-login' } });
    expect(statuses(core, b.id).at(-1)?.detail).toBe('renamed from project-2 to fix-login');
  });
});
