/**
 * Session-manager behaviour driven through the real core (real SQLite) with the scripted runner:
 * each test holds the agent at the exact moment a race needs, in the runner contract's terms only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src-main/core/agents/runner.ts';
import { ConflictError, createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { openDatabase } from '../../../src-main/core/store/index.ts';
import { createScriptedRunner, scriptedDescriptor, SCRIPTED_CAPABILITIES, type ScriptedRun } from '../../fakes/scripted-runner.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const actor = { by: 'tester', surface: 'api' as const };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(config: Record<string, unknown> = {}, capabilities = SCRIPTED_CAPABILITIES): { core: Core; project: string; runs: ScriptedRun[]; home: string } {
  const dir = tempDir('reins-sessions-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const { runner, runs } = createScriptedRunner({ capabilities });
  const core = createCore({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, ...config }), env: {}, agents: [scriptedDescriptor(runner)] });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, runs, home: join(dir.path, 'home') };
}

const turnEnded: RunOutput = { type: 'turn-ended', ok: true, interrupted: false };
const shellRequest = (requestId: string): RunOutput => ({
  type: 'permission',
  request: {
    requestId,
    toolUseId: requestId,
    action: { kind: 'shell', tool: 'shell', title: 'rm -rf build', command: 'rm -rf build', input: { command: 'rm -rf build' } },
    agentReason: null,
    agentAsked: true,
  },
});
const firstMessage = (runs: ScriptedRun[], i: number) => waitFor(() => runs[i]?.messages[0], `run ${i}'s first message`);

describe('the session manager', () => {
  it('a session whose agent died before starting a conversation gets its first prompt again on resume', async () => {
    const { core, project, runs } = start();
    const session = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'the original task' }, actor);
    await firstMessage(runs, 0);
    runs[0]!.exit(1);
    await waitFor(() => core.sessions.get(session.id).session.state === 'failed', 'failed');
    core.sessions.send(session.id, { text: 'and then this' }, actor);
    expect(await firstMessage(runs, 1)).toBe('the original task');
    expect(runs[1]!.options.resumeId).toBeNull();
    expect(core.sessions.get(session.id).followups[0]).toMatchObject({ text: 'and then this', state: 'queued' });
    runs[1]!.emit({ type: 'agent-session', id: 'agent-2' }, turnEnded);
    await waitFor(() => runs[1]!.messages[1], 'the follow-up after the first prompt');
    expect(runs[1]!.messages).toEqual(['the original task', 'and then this']);
  });

  it('a permission request that cannot be recorded is denied at once, and the session carries on', async () => {
    const { core, project, runs, home } = start();
    const session = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'work' }, actor);
    await firstMessage(runs, 0);
    const run = runs[0]!;
    // Another connection makes every approval insert fail, as a full or broken disk would.
    const other = openDatabase(join(home, 'reins.db'));
    other.exec("CREATE TRIGGER refuse_approvals BEFORE INSERT ON approvals BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    run.emit(shellRequest('perm-1'));
    const answer = await waitFor(() => run.decisions[0], 'the answer to the first request');
    expect(answer).toMatchObject({
      requestId: 'perm-1',
      decision: { decision: 'deny', message: expect.stringMatching(/could not record this permission request \(disk says no\)/) },
    });
    other.exec('DROP TRIGGER refuse_approvals');
    other.close();
    const evs = core.sessions.events(session.id, 0, 100).events;
    expect(evs.some((e) => e.kind === 'error' && e.payload.source === 'core' && /disk says no/.test(e.payload.message))).toBe(true);
    run.emit(shellRequest('perm-2'));
    await waitFor(() => core.approvals.list('pending').length === 1, 'the next request pending');
    expect(core.sessions.get(session.id).session.state).toBe('waiting');
  });

  it('a follow-up refused because the session is stopping is not left queued for later', async () => {
    const { core, project, runs } = start();
    const session = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'work' }, actor);
    await firstMessage(runs, 0);
    runs[0]!.emit({ type: 'agent-session', id: 'agent-1' });
    await waitFor(() => core.sessions.get(session.id).session.agentSessionId === 'agent-1', 'the conversation started');
    const stopping = core.sessions.stop(session.id, actor);
    expect(() => core.sessions.send(session.id, { text: 'too late' }, actor)).toThrow(ConflictError);
    expect(core.sessions.get(session.id).followups.filter((f) => f.state === 'queued')).toEqual([]);
    await stopping;
    expect(core.sessions.get(session.id).session.state).toBe('stopped');
    // The resumed agent gets only what is sent now, not the refused message.
    core.sessions.send(session.id, { text: 'again' }, actor);
    expect(await firstMessage(runs, 1)).toBe('again');
    expect(runs[1]!.options.resumeId).toBe('agent-1');
  });

  it('a watchdog set beyond the longest timer Node keeps does not kill a working agent at once', async () => {
    const { core, project, runs } = start({ watchdog: { stallAfterMinutes: 50_000, killAfterMinutes: 50_000 } });
    const session = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'long job' }, actor);
    await firstMessage(runs, 0);
    // A second, later request proves the core went on working past the point a wrapped timer would fire.
    core.sessions.send(session.id, { text: 'still there?' }, actor);
    await waitFor(() => core.sessions.get(session.id).followups.length === 1, 'the follow-up recorded');
    expect(runs[0]!.ended).toBe(false);
    expect(core.sessions.get(session.id).session.state).toBe('running');
  });

  it('a steer or an interrupt the agent cannot take waits for the end of the turn, and the owner is told', async () => {
    const { core, project, runs } = start({}, { ...SCRIPTED_CAPABILITIES, steer: false, interrupt: false });
    const session = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'work' }, actor);
    await firstMessage(runs, 0);
    core.sessions.send(session.id, { text: 'steered', delivery: 'steer' }, actor);
    core.sessions.send(session.id, { text: 'urgent', delivery: 'interrupt' }, actor);
    const details = core.sessions.events(session.id, 0, 100).events.flatMap((e) => (e.kind === 'status' && e.payload.detail ? [e.payload.detail] : []));
    expect(details).toContain('Scripted agent cannot take a message mid-turn; the message is sent when the turn ends');
    expect(details).toContain('Scripted agent cannot be interrupted; the message is sent when the turn ends');
    expect(runs[0]!.messages).toEqual(['work']);
    runs[0]!.emit(turnEnded);
    await waitFor(() => runs[0]!.messages.length === 2, 'the first waiting message after the turn');
    expect(runs[0]!.messages[1]).toBe('steered');
  });
});
