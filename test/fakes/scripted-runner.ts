/**
 * A scripted agent runner: an in-process stand-in for any agent, speaking only the runner contract
 * (no agent's JSON). Session-manager tests drive it output by output; with `auto`, it answers
 * prompts by itself like the fake model servers do, so it also passes the runner contract suite:
 * - `say <text>`: a message, then the end of the turn;
 * - `touch <file>`: asks to run `touch <file>`; allowed, it creates the file (no shell) and ends the turn;
 * - `slow`: a message, then nothing until interrupted.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { AgentCapabilities, NewEvent, ToolAction } from '../../src-main/contract/index.ts';
import type { AgentDecision, AgentRun, AgentRunner, ExitInfo, RunOutput, RunStartOptions, ToolCheckAnswer } from '../../src-main/core/agents/runner.ts';
import type { AgentDescriptor } from '../../src-main/core/agents/registry.ts';

export const SCRIPTED_CAPABILITIES: AgentCapabilities = {
  streaming: true,
  approvals: true,
  toolChecks: false,
  questions: false,
  planMode: false,
  resume: true,
  interrupt: true,
  steer: false,
  queueWhileBusy: true,
  images: false,
};

/** One started run: what it was sent and answered, and the controls to make it speak or end. */
export interface ScriptedRun extends AgentRun {
  readonly options: RunStartOptions;
  readonly messages: string[];
  readonly decisions: Array<{ requestId: string; decision: AgentDecision }>;
  readonly toolCheckAnswers: Array<{ requestId: string; answer: ToolCheckAnswer }>;
  /** Delivers output as if the agent printed it. Ignored once the run ended (its pipe is closed). */
  emit(...items: RunOutput[]): void;
  /** The agent process ends by itself. */
  exit(code: number | null, signal?: string | null): void;
  readonly ended: boolean;
}

const event = (e: NewEvent): RunOutput => ({ type: 'event', event: e });
const shellAction = (command: string): ToolAction => ({ kind: 'shell', tool: 'shell', title: command, command, input: { command } });

/** A runner whose runs are {@link ScriptedRun}s, listed in `runs` in start order. */
export function createScriptedRunner(opts: { auto?: boolean; capabilities?: AgentCapabilities } = {}): { runner: AgentRunner; runs: ScriptedRun[] } {
  const runs: ScriptedRun[] = [];
  let seq = 0;
  const runner: AgentRunner = {
    agent: 'scripted',
    capabilities: opts.capabilities ?? SCRIPTED_CAPABILITIES,
    start(options: RunStartOptions): AgentRun {
      let ended = false;
      let resolveExit!: (info: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
      const pendingTouch = new Map<string, string>();
      let slowTurn = false;
      const conversation = options.resumeId ?? `scripted-${++seq}`;
      const end = (info: ExitInfo): void => {
        if (ended) return;
        ended = true;
        options.sink.exited(info);
        resolveExit(info);
      };
      const run: ScriptedRun = {
        options,
        messages: [],
        decisions: [],
        toolCheckAnswers: [],
        pid: undefined,
        pgid: null,
        exited,
        get ended() {
          return ended;
        },
        emit(...items) {
          if (!ended) setImmediate(() => !ended && options.sink.output(items));
        },
        exit(code, signal = null) {
          end({ code, signal, stderrTail: '', spawnError: null });
        },
        sendUserMessage(text) {
          run.messages.push(text);
          if (!opts.auto) return;
          const out: RunOutput[] = [{ type: 'agent-session', id: conversation }];
          if (text.startsWith('touch ')) {
            const requestId = `perm-${run.messages.length}`;
            pendingTouch.set(requestId, text.slice(6).trim());
            out.push({
              type: 'permission',
              request: { requestId, toolUseId: `tool-${run.messages.length}`, action: shellAction(text), agentReason: null, agentAsked: true },
            });
          } else if (text === 'slow') {
            slowTurn = true;
            out.push(event({ kind: 'message', payload: { role: 'assistant', text: 'working on it…' } }));
          } else {
            out.push(event({ kind: 'message', payload: { role: 'assistant', text: text.replace(/^say /, '') } }), {
              type: 'turn-ended',
              ok: true,
              interrupted: false,
            });
          }
          run.emit(...out);
        },
        respond(requestId, decision) {
          if (ended) return false;
          run.decisions.push({ requestId, decision });
          const file = pendingTouch.get(requestId);
          if (opts.auto && file !== undefined) {
            pendingTouch.delete(requestId);
            if (decision.decision === 'allow') writeFileSync(isAbsolute(file) ? file : join(options.cwd, file), '');
            run.emit(
              event({ kind: 'message', payload: { role: 'assistant', text: decision.decision === 'allow' ? 'done' : `not done: ${decision.message}` } }),
              { type: 'turn-ended', ok: true, interrupted: false },
            );
          }
          return true;
        },
        answerToolCheck(requestId, answer) {
          if (ended) return false;
          run.toolCheckAnswers.push({ requestId, answer });
          return true;
        },
        async interrupt() {
          if (ended) return false;
          if (opts.auto && slowTurn) {
            slowTurn = false;
            run.emit({ type: 'turn-ended', ok: false, interrupted: true });
          }
          return true;
        },
        async close() {
          run.exit(0);
          return exited;
        },
        kill() {
          run.exit(null, 'SIGKILL');
        },
      };
      runs.push(run);
      return run;
    },
  };
  return { runner, runs };
}

/** A registry descriptor for the scripted runner, for a core under test (`createCore({ agents: [...] })`). */
export function scriptedDescriptor(runner: AgentRunner): AgentDescriptor {
  return {
    id: 'scripted',
    displayName: 'Scripted agent',
    defaultBin: process.execPath,
    installHint: 'nothing to install',
    versionArgs: ['--version'],
    capabilities: runner.capabilities,
    tested: true,
    createRunner: () => runner,
  };
}
