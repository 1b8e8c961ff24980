/**
 * Session-manager races driven through the real core with a scripted stand-in for the agent
 * process (injected `spawn`): each test holds the agent at the exact moment a race needs.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpawnFn } from '../../../src-main/core/agents/runner.ts';
import { ConflictError, createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { openDatabase } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

type Line = Record<string, unknown>;

/** A child process whose stdout the test writes and whose stdin lines the test reads. */
class ScriptedAgent extends EventEmitter {
  readonly pid = 424242;
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly received: Line[] = [];
  killed = false;
  private ended = false;

  constructor() {
    super();
    let buf = '';
    this.stdin.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        this.received.push(JSON.parse(buf.slice(0, nl)) as Line);
        buf = buf.slice(nl + 1);
      }
    });
    // Like the real CLI: end of input on an idle process ends it.
    this.stdin.on('end', () => this.exit(0, null));
  }

  print(line: Line): void {
    this.stdout.write(`${JSON.stringify(line)}\n`);
  }

  /** Waits for the first stdin line matching `pred` that arrived after `from` lines. */
  nextLine(pred: (l: Line) => boolean, from = 0): Promise<Line> {
    return waitFor(() => this.received.slice(from).find(pred), 'an agent stdin line', 5000, 5);
  }

  exit(code: number | null, signal: string | null): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('exit', code, signal);
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code, signal));
  }

  /** The process ends while a background child it started keeps stdout open (no 'close'). */
  exitHoldingStdout(code: number): void {
    this.ended = true;
    this.emit('exit', code, null);
  }

  kill(signal: string): boolean {
    this.killed = true;
    this.exit(null, signal);
    return true;
  }
}

const actor = { by: 'tester', surface: 'api' as const };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(config: Record<string, unknown> = {}): { core: Core; project: string; agents: ScriptedAgent[]; home: string } {
  const dir = tempDir('reins-races-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const agents: ScriptedAgent[] = [];
  const spawn = (() => {
    const a = new ScriptedAgent();
    agents.push(a);
    return a;
  }) as unknown as SpawnFn;
  // The binary must exist (Reins looks it up before spawning); the scripted spawn stands in for it.
  const core = createCore({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, ...config, agents: { claude: { bin: process.execPath } } }), env: {}, spawn });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, agents, home: join(dir.path, 'home') };
}

const result = { type: 'result', subtype: 'success', is_error: false, result: 'done', session_id: 'agent-1' };

describe('session manager races', () => {
  it('a session whose agent died before starting a conversation gets its first prompt again on resume', async () => {
    const { core, project, agents } = start();
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'the original task' }, actor);
    await agents[0]!.nextLine((l) => l.type === 'user');
    agents[0]!.exit(1, null);
    await waitFor(() => core.sessions.get(session.id).session.state === 'failed', 'failed');
    core.sessions.send(session.id, { text: 'and then this' }, actor);
    const again = agents[1]!;
    const first = await again.nextLine((l) => l.type === 'user');
    expect((first.message as { content: string }).content).toBe('the original task');
    expect(core.sessions.get(session.id).followups[0]).toMatchObject({ text: 'and then this', state: 'queued' });
    again.print({ type: 'system', subtype: 'init', session_id: 'agent-2' });
    again.print({ ...result, session_id: 'agent-2' });
    const second = await again.nextLine((l) => l.type === 'user', again.received.indexOf(first) + 1);
    expect((second.message as { content: string }).content).toBe('and then this');
  });


  it('a permission request that cannot be recorded is denied at once, and the session carries on', async () => {
    const { core, project, agents, home } = start();
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'work' }, actor);
    const agent = agents[0]!;
    await agent.nextLine((l) => l.type === 'user');
    // Another connection makes every approval insert fail, as a full or broken disk would.
    const other = openDatabase(join(home, 'reins.db'));
    other.exec("CREATE TRIGGER refuse_approvals BEFORE INSERT ON approvals BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    agent.print({ type: 'control_request', request_id: 'perm-1', request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'rm -rf build' }, tool_use_id: 't1' } });
    const answer = await agent.nextLine((l) => l.type === 'control_response');
    expect(answer).toMatchObject({ response: { request_id: 'perm-1', response: { behavior: 'deny', message: expect.stringMatching(/could not record this permission request \(disk says no\)/) } } });
    other.exec('DROP TRIGGER refuse_approvals');
    other.close();
    const evs = core.sessions.events(session.id, 0, 100).events;
    expect(evs.some((e) => e.kind === 'error' && e.payload.source === 'core' && /disk says no/.test(e.payload.message))).toBe(true);
    agent.print({ type: 'control_request', request_id: 'perm-2', request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'rm -rf build' }, tool_use_id: 't2' } });
    await waitFor(() => core.approvals.list('pending').length === 1, 'the next request pending');
    agent.print(result);
    expect(core.sessions.get(session.id).session.state).toBe('waiting');
  });


  it('a follow-up refused because the session is stopping is not left queued for later', async () => {
    const { core, project, agents } = start();
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'work' }, actor);
    const agent = agents[0]!;
    await agent.nextLine((l) => l.type === 'user');
    const stopping = core.sessions.stop(session.id, actor);
    const interrupt = await agent.nextLine((l) => l.type === 'control_request');

    expect(() => core.sessions.send(session.id, { text: 'too late' }, actor)).toThrow(ConflictError);
    expect(core.sessions.get(session.id).followups.filter((f) => f.state === 'queued')).toEqual([]);

    agent.print({ type: 'control_response', response: { subtype: 'success', request_id: interrupt.request_id, response: {} } });
    agent.print({ ...result, subtype: 'error_during_execution', is_error: true });
    await stopping;
    expect(core.sessions.get(session.id).session.state).toBe('stopped');

    // The resumed agent gets only what is sent now, not the refused message.
    core.sessions.send(session.id, { text: 'again' }, actor);
    const resumed = agents[1]!;
    const first = await resumed.nextLine((l) => l.type === 'user');
    expect((first.message as { content: string }).content).toBe('again');
  });

  it('a watchdog set beyond the longest timer Node keeps does not kill a working agent at once', async () => {
    const { core, project, agents } = start({ watchdog: { stallAfterMinutes: 50_000, killAfterMinutes: 50_000 } });
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'long job' }, actor);
    await agents[0]!.nextLine((l) => l.type === 'user');
    await new Promise((r) => setTimeout(r, 100));
    expect(agents[0]!.killed).toBe(false);
    expect(core.sessions.get(session.id).session.state).toBe('running');
  });

  it('output arriving after the agent was reported gone changes neither events nor state', async () => {
    const { core, project, agents } = start({ watchdog: { stallAfterMinutes: 0.0005, killAfterMinutes: 0.0005 } });
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'work' }, actor);
    const agent = agents[0]!;
    await agent.nextLine((l) => l.type === 'user');
    agent.print({ type: 'system', subtype: 'init', session_id: 'agent-1' });
    agent.exitHoldingStdout(0);
    const failed = await waitFor(() => {
      const s = core.sessions.get(session.id).session;
      return s.state === 'failed' ? s : undefined;
    }, 'the session to fail once the agent is gone', 5000);

    // A background job that inherited the pipe writes to it later.
    agent.print({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'from a leftover job' }] } });
    agent.stdout.write('not json either\n');
    await new Promise((r) => setTimeout(r, 150));
    const after = core.sessions.get(session.id).session;
    expect(after.state).toBe('failed');
    expect(after.lastSeq).toBe(failed.lastSeq);
  });
});
