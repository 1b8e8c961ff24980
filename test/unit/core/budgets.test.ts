/**
 * Budgets through the real core (real SQLite) with the scripted runner, which reports usage like an
 * agent does at the end of a turn: a session at its limit pauses and asks, holds what is sent, goes
 * on with a raised limit or stops, and a spent day holds new sessions before their agent starts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src-main/core/agents/runner.ts';
import { createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { InvalidRequestError } from '../../../src-main/core/errors.ts';
import { createScriptedRunner, scriptedDescriptor, type ScriptedRun } from '../../fakes/scripted-runner.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const owner = { by: 'owner', surface: 'telegram' as const };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(budgets: Record<string, unknown> = {}): { core: Core; project: string; runs: ScriptedRun[] } {
  const dir = tempDir('reins-budgets-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const { runner, runs } = createScriptedRunner();
  const core = createCore({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, budgets }), env: {}, agents: [scriptedDescriptor(runner)] });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, runs };
}

/** What an agent prints at the end of a turn: its usage, then the end. */
const turnWithUsage = (costUsd: number, inputTokens: number, outputTokens: number): RunOutput[] => [
  { type: 'event', event: { kind: 'usage', payload: { costUsd, inputTokens, outputTokens, durationMs: 10 } } },
  { type: 'turn-ended', ok: true, interrupted: false },
];
const budgetAsk = (core: Core, sessionId: string) => core.sessions.get(sessionId).pendingApprovals.find((a) => a.kind === 'budget');

describe('budgets', () => {
  it('a session reaching its token limit pauses and asks; a message waits; continuing raises the limit and sends it', async () => {
    const { core, project, runs } = start();
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'first', budget: { tokens: 100 } }, owner);
    await waitFor(() => runs[0]?.messages[0], 'the first prompt');
    runs[0]!.emit(...turnWithUsage(0.01, 80, 30));
    const ask = await waitFor(() => budgetAsk(core, s.id), 'the budget approval');
    expect(ask.action.budget).toEqual({
      scope: 'session',
      spent: { costUsd: 0.01, tokens: 110 },
      limit: { costUsd: null, tokens: 100 },
      next: { costUsd: null, tokens: 210 },
    });
    expect(ask.action.title).toBe('Budget reached: this session spent 110 of 100 tokens');
    const paused = core.sessions.get(s.id).session;
    expect(paused).toMatchObject({ state: 'waiting', waitingFor: 'approval', stateReason: ask.action.title });
    expect(paused.budget).toEqual({ limit: { costUsd: null, tokens: 100 }, spent: { costUsd: 0.01, tokens: 110 } });

    core.sessions.send(s.id, { text: 'second' }, owner);
    expect(core.sessions.get(s.id).followups[0]).toMatchObject({ text: 'second', state: 'queued' });
    expect(runs[0]!.messages).toEqual(['first']);

    expect(() => core.approvals.decide(ask.id, { decision: 'allow', budget: { tokens: 110 } }, owner)).toThrow(InvalidRequestError);
    const decided = core.approvals.decide(ask.id, { decision: 'allow' }, owner);
    expect(decided.reason).toBe('continued by owner via telegram with a limit of 210 tokens');
    await waitFor(() => runs[0]!.messages[1], 'the held message');
    expect(runs[0]!.messages).toEqual(['first', 'second']);
    expect(core.sessions.get(s.id).session).toMatchObject({ state: 'running', budget: { limit: { tokens: 210 } } });
    expect(core.audit.recent(50).map((e) => e.type)).toEqual(expect.arrayContaining(['budget.reached', 'budget.raised']));
  });

  it('stopping at the budget stops the session and says why; nothing is sent', async () => {
    const { core, project, runs } = start({ session: { costUsd: 0.05 } });
    const s = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'first' }, owner);
    await waitFor(() => runs[0]?.messages[0], 'the first prompt');
    runs[0]!.emit(...turnWithUsage(0.06, 10, 10));
    const ask = await waitFor(() => budgetAsk(core, s.id), 'the budget approval');
    core.sessions.send(s.id, { text: 'never sent' }, owner);
    core.approvals.decide(ask.id, { decision: 'deny' }, owner);
    const stopped = await waitFor(() => (core.sessions.get(s.id).session.state === 'stopped' ? core.sessions.get(s.id) : undefined), 'the stop');
    expect(stopped.session.stateReason).toBe('stopped at its budget by owner via telegram (this session spent $0.06 of $0.05)');
    expect(stopped.followups[0]).toMatchObject({ text: 'never sent', state: 'cancelled' });
    expect(runs[0]!.messages).toEqual(['first']);
  });

  it("a day's spend across sessions holds a new session before its agent starts; continuing starts it with its prompt", async () => {
    const { core, project, runs } = start({ day: { costUsd: 0.5 } });
    core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'spend' }, owner);
    await waitFor(() => runs[0]?.messages[0], 'the first prompt');
    runs[0]!.emit(...turnWithUsage(0.6, 1000, 200));
    await waitFor(() => core.sessions.list().some((x) => x.state === 'waiting'), 'the first session paused');

    const second = core.sessions.create({ agent: 'scripted', cwd: project, prompt: 'the second task' }, owner);
    expect(runs).toHaveLength(1);
    const ask = budgetAsk(core, second.id)!;
    expect(ask.action.budget).toMatchObject({ scope: 'day', spent: { costUsd: 0.6 }, limit: { costUsd: 0.5 }, next: { costUsd: 1.1 } });
    expect(core.sessions.get(second.id).session).toMatchObject({
      state: 'waiting',
      stateReason: expect.stringMatching(/^Budget reached: today .* all sessions spent \$0\.60 of \$0\.50$/),
    });

    core.approvals.decide(ask.id, { decision: 'allow', budget: { costUsd: 2 } }, owner);
    expect(await waitFor(() => runs[1]?.messages[0], "the second session's agent")).toBe('the second task');
    // The day's raised limit holds for every session: the first one's pending ask is now answerable
    // with a limit already above the spend.
    const firstAsk = core.approvals.list('pending').find((a) => a.kind === 'budget')!;
    expect(firstAsk.action.budget?.scope).toBe('day');
  });
});
