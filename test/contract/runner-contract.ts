/**
 * The runner contract suite: what every agent runner must do, whatever its protocol. Each runner's
 * test file calls {@link runnerContract} with a fixture that knows how to make its agent talk (a
 * fake model server's keywords); the checks themselves speak only the runner interface and the
 * normalised action.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_KINDS, EVENT_KINDS } from '../../src-main/contract/index.ts';
import type { AgentRun, AgentRunner, ExitInfo, PermissionRequest, RunOutput, RunStartOptions } from '../../src-main/core/agents/runner.ts';
import { silentLogger } from '../../src-main/core/log.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** What a runner's test provides: the runner, how to start it, and prompts its agent understands. */
export interface RunnerFixture {
  runner: AgentRunner;
  /** Environment for the agent process (fake model server, private home). */
  env(): Record<string, string>;
  /** A prompt answered with text only. */
  sayPrompt: string;
  /** A prompt that makes the agent run a shell command creating `file` (relative to the cwd), which needs approval. */
  touchPrompt(file: string): string;
  /** A prompt whose answer takes long enough to interrupt, when the runner can interrupt. */
  slowPrompt?: string;
  /** Waits until a conversation that just ended can be resumed, for an agent that cannot do it at once. */
  beforeResume?(): Promise<void>;
  /** Ends the fixture (fake servers). */
  close?(): Promise<void>;
}

/** One started run and everything it produced. */
interface Observed {
  run: AgentRun;
  cwd: string;
  outputs: RunOutput[];
  exit: ExitInfo | null;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Registers the contract's tests for one runner. `setup` runs once per test. */
export function runnerContract(name: string, setup: () => Promise<RunnerFixture>): void {
  describe(`runner contract: ${name}`, () => {
    let fixture: RunnerFixture | undefined;
    const runs: Observed[] = [];
    const dirs: Array<{ remove(): void }> = [];
    afterEach(async () => {
      for (const o of runs.splice(0)) if (o.exit === null) o.run.kill();
      await fixture?.close?.();
      fixture = undefined;
      for (const d of dirs.splice(0)) d.remove();
    });

    const start = async (resumeId: string | null = null, cwd?: string): Promise<Observed> => {
      fixture ??= await setup();
      let dir = cwd;
      if (dir === undefined) {
        const d = tempDir('reins-contract-');
        dirs.push(d);
        dir = join(d.path, 'project');
        mkdirSync(dir);
      }
      const observed: Observed = { run: undefined as unknown as AgentRun, cwd: dir, outputs: [], exit: null };
      const opts: RunStartOptions = {
        cwd: dir,
        env: fixture.env(),
        resumeId,
        planMode: false,
        log: silentLogger,
        sink: {
          output: (items) => {
            observed.outputs.push(...items);
            // As the core does for a risky call: a tool check hands the call to the agent's own asking.
            for (const x of items)
              if (x.type === 'tool-check')
                setImmediate(() => observed.run.answerToolCheck(x.check.requestId, { decision: 'ask', reason: 'the contract suite decides' }));
          },
          exited: (info) => (observed.exit = info),
        },
      };
      observed.run = fixture.runner.start(opts);
      runs.push(observed);
      return observed;
    };
    const turnsEnded = (o: Observed) => o.outputs.filter((x) => x.type === 'turn-ended');
    const permission = (o: Observed): PermissionRequest | undefined => o.outputs.flatMap((x) => (x.type === 'permission' ? [x.request] : [])).at(-1);

    it('answers a prompt: a message, then the end of the turn; every event is of the closed union', async () => {
      const o = await start();
      o.run.sendUserMessage(fixture!.sayPrompt);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the turn', 60_000);
      const events = o.outputs.flatMap((x) => (x.type === 'event' ? [x.event] : []));
      expect(events.some((e) => e.kind === 'message' && e.payload.role === 'assistant' && e.payload.text.trim() !== '')).toBe(true);
      for (const e of events) expect(EVENT_KINDS).toContain(e.kind);
      expect(turnsEnded(o)[0]).toMatchObject({ ok: true, interrupted: false });
      if (fixture!.runner.capabilities.resume) expect(o.outputs.some((x) => x.type === 'agent-session' && x.id !== '')).toBe(true);
    });

    it('asks before a shell command with a normalised action; allowed, the command runs', async () => {
      const o = await start();
      o.run.sendUserMessage(fixture!.touchPrompt('allowed.txt'));
      const req = await waitFor(() => permission(o), 'a permission request', 60_000);
      expect(ACTION_KINDS).toContain(req.action.kind);
      expect(req.action.kind).toBe('shell');
      expect(req.action.command).toContain('allowed.txt');
      expect(req.action.title.length).toBeGreaterThan(0);
      expect(o.run.respond(req.requestId, { decision: 'allow', answers: null })).toBe(true);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the turn', 60_000);
      expect(existsSync(join(o.cwd, 'allowed.txt'))).toBe(true);
      // Every tool call the agent reported carries an action too.
      for (const x of o.outputs) if (x.type === 'event' && x.event.kind === 'tool_call') expect(ACTION_KINDS).toContain(x.event.payload.action?.kind);
    });

    it('denied, the command does not run and the turn ends', async () => {
      const o = await start();
      o.run.sendUserMessage(fixture!.touchPrompt('denied.txt'));
      const req = await waitFor(() => permission(o), 'a permission request', 60_000);
      expect(o.run.respond(req.requestId, { decision: 'deny', message: 'Not now: the owner said no.' })).toBe(true);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the turn', 60_000);
      expect(existsSync(join(o.cwd, 'denied.txt'))).toBe(false);
    });

    it('interrupts a running turn when it says it can, and the turn ends as interrupted', async () => {
      fixture ??= await setup();
      const o = await start();
      o.run.sendUserMessage(fixture.slowPrompt ?? fixture.sayPrompt);
      await waitFor(() => o.outputs.some((x) => x.type === 'event'), 'the turn to start', 60_000);
      if (!fixture.runner.capabilities.interrupt) {
        // A runner that cannot interrupt says so instead of pretending.
        expect(await o.run.interrupt()).toBe(false);
        return;
      }
      expect(fixture.slowPrompt, 'a runner that can interrupt needs a slow prompt in its fixture').toBeDefined();
      expect(await o.run.interrupt()).toBe(true);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the interrupted turn', 60_000);
      expect(turnsEnded(o)[0]).toMatchObject({ interrupted: true });
    });

    it('ends politely on close, and nothing of it is left running', async () => {
      const o = await start();
      o.run.sendUserMessage(fixture!.sayPrompt);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the turn', 60_000);
      const pid = o.run.pid;
      const info = await o.run.close(5000);
      expect(info.spawnError).toBeNull();
      expect(o.exit).not.toBeNull();
      if (pid !== undefined) await waitFor(() => !alive(pid), 'the agent process to be gone', 5000);
    });

    it('a killed run reports its exit once, and its process is gone', async () => {
      const o = await start();
      o.run.sendUserMessage(fixture!.sayPrompt);
      await waitFor(() => turnsEnded(o).length === 1, 'the end of the turn', 60_000);
      const pid = o.run.pid;
      o.run.kill();
      const info = await o.run.exited;
      expect(info).toEqual(o.exit);
      // An in-process runner has no pid; a process must be gone.
      if (pid !== undefined) await waitFor(() => !alive(pid), 'the agent process to be gone', 5000);
      expect(o.run.respond('late', { decision: 'allow', answers: null })).toBe(false);
    });

    it('resumes its own conversation when it says it can', async () => {
      fixture ??= await setup();
      const first = await start();
      first.run.sendUserMessage(fixture.sayPrompt);
      await waitFor(() => turnsEnded(first).length === 1, 'the first turn', 60_000);
      const ids = first.outputs.flatMap((x) => (x.type === 'agent-session' ? [x.id] : []));
      if (!fixture.runner.capabilities.resume) {
        expect(ids).toEqual([]);
        return;
      }
      const id = ids.at(-1)!;
      await first.run.close(5000);
      await fixture.beforeResume?.();
      const second = await start(id, first.cwd);
      second.run.sendUserMessage(fixture.sayPrompt);
      await waitFor(() => turnsEnded(second).length === 1, 'the resumed turn', 60_000);
      expect(second.outputs.flatMap((x) => (x.type === 'agent-session' ? [x.id] : []))).toContain(id);
    });
  });
}
