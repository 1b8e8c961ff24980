/**
 * The scheduler inside a real core (real SQLite, the scripted agent), driven by an injected wall
 * clock and timers: a schedule starts its session at its time; after the computer sleeps through
 * several of its times it starts one session on waking, which says it was missed; a run that came due
 * while Reins was down runs once at start.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src-main/contract/index.ts';
import { ConflictError, createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { createScriptedRunner, scriptedDescriptor, type ScriptedRun } from '../../fakes/scripted-runner.ts';
import { sleepyClock, type SleepyClock } from '../../helpers/sleepy-clock.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const owner = { by: 'owner', surface: 'cli' as const };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup() {
  const dir = tempDir('reins-schedules-');
  cleanups.push(() => dir.remove());
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const { runner, runs } = createScriptedRunner();
  const open = (t: SleepyClock, config: Record<string, unknown> = {}): Core => {
    const core = createCore({
      home: join(dir.path, 'home'),
      config: parseConfig({ port: 0, ...config }),
      env: {},
      agents: [scriptedDescriptor(runner)],
      clock: t.clock,
      timers: t.timers,
    });
    cleanups.push(() => core.stop());
    return core;
  };
  return { project, runs, open };
}

const notes = (core: Core, sessionId: string): string[] =>
  core.sessions
    .events(sessionId, 0, 10)
    .events.filter((e: SessionEvent) => e.kind === 'status')
    .map((e) => (e.kind === 'status' ? (e.payload.detail ?? '') : ''));
const firstPrompt = (runs: ScriptedRun[], i: number) => waitFor(() => runs[i]?.messages[0], `run ${i}'s prompt`);

describe('the scheduler', () => {
  it('starts a schedule at its time in its zone, then once on waking after sleeping through three of its times', async () => {
    const { project, runs, open } = setup();
    // Monday 30 March 2026, 08:59 in Berlin (UTC+2).
    const t = sleepyClock(Date.parse('2026-03-30T06:59:00Z'));
    const core = open(t);
    const schedule = core.schedules.add(
      { name: 'standup', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', project, agent: 'scripted', prompt: 'summarise yesterday’s commits' },
      owner,
    );
    expect(new Date(schedule.nextRunAt!).toISOString()).toBe('2026-03-30T07:00:00.000Z');

    await t.advance(59_000);
    expect(core.sessions.list()).toHaveLength(0);
    await t.advance(1_000);
    expect(core.sessions.list()).toHaveLength(1);
    expect(await firstPrompt(runs, 0)).toBe('summarise yesterday’s commits');
    const first = core.sessions.list()[0]!;
    expect(first.title).toBe('schedule standup');
    expect(notes(core, first.id)).toContain('Started by the schedule "standup" (0 9 * * 1-5, Europe/Berlin)');
    expect(core.schedules.list()[0]).toMatchObject({ lastRunAt: Date.parse('2026-03-30T07:00:00Z'), nextRunAt: Date.parse('2026-03-31T07:00:00Z') });
    const audit = core.audit.recent(20);
    expect(audit.find((a) => a.type === 'session.created' && a.subject === first.id)).toMatchObject({ actor: 'schedule:standup', surface: 'schedule' });
    expect(audit.find((a) => a.type === 'schedule.fired')).toMatchObject({ subject: first.id, detail: { schedule: 'standup', missed: false } });

    // The lid closes at 09:05 on Monday and opens at 12:00 on Thursday: Tuesday's, Wednesday's and
    // Thursday's 09:00 passed in the dark. No timer ran meanwhile.
    await t.advance(5 * MINUTE);
    t.sleep(3 * 24 * HOUR - 5 * MINUTE + 3 * HOUR);
    expect(core.sessions.list()).toHaveLength(1);
    await t.advance(MINUTE);
    expect(core.sessions.list()).toHaveLength(2);
    const late = core.sessions.list().find((s) => s.id !== first.id)!;
    expect(await firstPrompt(runs, 1)).toBe('summarise yesterday’s commits');
    expect(notes(core, late.id)).toContain(
      'Started by the schedule "standup" (0 9 * * 1-5, Europe/Berlin): missed at 09:00 while the computer slept; running now',
    );
    expect(
      core.audit
        .recent(20)
        .filter((a) => a.type === 'schedule.fired')
        .map((a) => a.detail.missed),
    ).toEqual([true, false]);
    // Friday 09:00 Berlin is next; the skipped runs are not made up.
    expect(core.schedules.list()[0]!.nextRunAt).toBe(Date.parse('2026-04-03T07:00:00Z'));
    await t.advance(30 * MINUTE);
    expect(core.sessions.list()).toHaveLength(2);
  });

  it('runs a config schedule once at start when its time passed while Reins was down, and keeps config schedules read-only', async () => {
    const { project, runs, open } = setup();
    const config = {
      schedules: [{ name: 'nightly', cron: '0 3 * * *', timeZone: 'America/New_York', project, agent: 'scripted', prompt: 'run the slow tests' }],
    };
    const t = sleepyClock(Date.parse('2026-06-01T12:00:00Z'));
    let core = open(t, config);
    expect(core.schedules.list()).toMatchObject([{ name: 'nightly', source: 'config', nextRunAt: Date.parse('2026-06-02T07:00:00Z') }]);
    expect(() => core.schedules.remove('nightly', owner)).toThrow(ConflictError);
    expect(() => core.schedules.remove('nightly', owner)).toThrow('Schedule "nightly" is defined in config.json; edit it there.');
    await core.stop();

    // Two nights pass with Reins stopped.
    t.sleep(2 * 24 * HOUR);
    core = open(t, config);
    // The first look comes a few seconds after start, once the host's surfaces are up.
    expect(core.sessions.list()).toHaveLength(0);
    await t.advance(10_000);
    expect(core.sessions.list()).toHaveLength(1);
    expect(await firstPrompt(runs, 0)).toBe('run the slow tests');
    expect(notes(core, core.sessions.list()[0]!.id)).toContain(
      'Started by the schedule "nightly" (0 3 * * *, America/New_York): missed at 03:00 while Reins was not running; running now',
    );
    expect(core.schedules.list()[0]!.nextRunAt).toBe(Date.parse('2026-06-04T07:00:00Z'));
  });

  it('a paused schedule starts nothing; resumed, it waits for its next time instead of making up the missed one', async () => {
    const { project, open } = setup();
    const t = sleepyClock(Date.parse('2026-06-01T08:30:00Z'));
    const core = open(t);
    core.schedules.add({ name: 'hourly', cron: '0 * * * *', timeZone: 'UTC', project, agent: 'scripted', prompt: 'check the queue' }, owner);
    expect(core.schedules.setEnabled('hourly', false, owner)).toMatchObject({ enabled: false, nextRunAt: null });
    await t.advance(2 * HOUR);
    expect(core.sessions.list()).toHaveLength(0);
    expect(core.schedules.setEnabled('hourly', true, owner).nextRunAt).toBe(Date.parse('2026-06-01T11:00:00Z'));
    await t.advance(30 * MINUTE);
    expect(core.sessions.list()).toHaveLength(1);
    expect(core.audit.recent(20).map((a) => a.type)).toEqual(
      expect.arrayContaining(['schedule.added', 'schedule.paused', 'schedule.resumed', 'schedule.fired']),
    );
    expect(core.schedules.remove('hourly', owner).name).toBe('hourly');
    expect(core.schedules.list()).toEqual([]);
  });

  it('a schedule whose start fails is audited and still moves on to its next time', async () => {
    const { project, open } = setup();
    const t = sleepyClock(Date.parse('2026-06-01T08:59:30Z'));
    const core = open(t);
    core.schedules.add({ name: 'gone', cron: '0 9 * * *', timeZone: 'UTC', project, agent: 'scripted', prompt: 'work' }, owner);
    rmSync(project, { recursive: true });
    await t.advance(MINUTE);
    expect(core.sessions.list()).toHaveLength(0);
    expect(core.audit.recent(10).find((a) => a.type === 'schedule.failed')).toMatchObject({
      subject: 'gone',
      detail: { error: expect.stringMatching(/does not exist/) },
    });
    expect(core.schedules.list()[0]!.nextRunAt).toBe(Date.parse('2026-06-02T09:00:00Z'));
  });
});
