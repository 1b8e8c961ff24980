/**
 * The Claude runner's own races, through the real core with a scripted stand-in for the `claude`
 * process (injected `spawn`): output that arrives after the process was reported gone. Agent-neutral
 * session-manager behaviour is tested with the scripted runner (session-manager.test.ts).
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpawnFn } from '../../../src-main/core/agents/runner.ts';
import { createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
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
  const core = createCore({
    home: join(dir.path, 'home'),
    config: parseConfig({ port: 0, ...config, agents: { claude: { bin: process.execPath } } }),
    env: {},
    spawn,
  });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, agents, home: join(dir.path, 'home') };
}

describe('the Claude runner after its process is gone', () => {
  it('output arriving after the agent was reported gone changes neither events nor state', async () => {
    const { core, project, agents } = start({ watchdog: { stallAfterMinutes: 0.0005, killAfterMinutes: 0.0005 } });
    const session = core.sessions.create({ agent: 'claude', cwd: project, prompt: 'work' }, actor);
    const agent = agents[0]!;
    await agent.nextLine((l) => l.type === 'user');
    agent.print({ type: 'system', subtype: 'init', session_id: 'agent-1' });
    agent.exitHoldingStdout(0);
    const failed = await waitFor(
      () => {
        const s = core.sessions.get(session.id).session;
        return s.state === 'failed' ? s : undefined;
      },
      'the session to fail once the agent is gone',
      5000,
    );

    // A background job that inherited the pipe writes to it later.
    agent.print({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'from a leftover job' }] } });
    agent.stdout.write('not json either\n');
    await new Promise((r) => setTimeout(r, 150));
    const after = core.sessions.get(session.id).session;
    expect(after.state).toBe('failed');
    expect(after.lastSeq).toBe(failed.lastSeq);
  });
});
