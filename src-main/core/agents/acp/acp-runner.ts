/**
 * The shared runner for agents that speak the Agent Client Protocol (Gemini CLI, OpenCode, Copilot,
 * Qwen Code, Cursor, and agents the owner declares). JSON-RPC is the official SDK's
 * (`@agentclientprotocol/sdk`); this file owns the process (under the lifeline, like every agent),
 * the bounded reading of its output, the session's life (initialize → session/new or session/load →
 * one session/prompt per user message → session/cancel) and the answers to permission requests.
 * PROTOCOL.md describes the wire and each agent's quirks.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import * as acp from '@agentclientprotocol/sdk';
import type { AgentCapabilities, AgentId, NewEvent } from '../../../contract/index.ts';
import { createLineSplitter } from '../line-splitter.ts';
import { findExecutable } from '../process/executable.ts';
import { spawnWithLifeline, type LifelineChild } from '../process/lifeline.ts';
import { watchAgentExit } from '../process/agent-exit.ts';
import type { AgentDecision, AgentRun, AgentRunner, ExitInfo, RunOutput, RunStartOptions, SpawnFn } from '../runner.ts';
import { CANCELLED, permissionOutcome, type AcpOutcome, type AcpPermissionOption } from './decision.ts';
import { deadRun, lookupFailure } from '../process/dead-run.ts';
import { createAcpTranslator } from './translate.ts';

export interface AcpRunnerOptions {
  agent: AgentId;
  /** Executable; a bare name is looked up on PATH (no shell involved). */
  bin: string;
  /** The agent's own arguments that start its ACP server (`--acp`, `acp`), then the owner's extras. */
  args: readonly string[];
  capabilities: AgentCapabilities;
  maxLineBytes: number;
  spawn?: SpawnFn;
  /** How long a cancelled turn may take to end before `interrupt` reports failure. */
  interruptTimeoutMs?: number;
  /**
   * The agent's environment for one run, from the run's (settings an agent needs so that its calls
   * ask). A throw ends the run before the agent starts: it never runs without them.
   */
  prepareEnv?: (env: Record<string, string>) => Record<string, string>;
  /**
   * The agent asks about every call it makes (so asking is not itself a finding, and policy may run
   * a harmless one without the owner), as Qwen Code does under the settings Reins gives it.
   */
  asksAboutEveryCall?: boolean;
}

const STDERR_TAIL_BYTES = 8 * 1024;
const SAMPLE_CHARS = 200;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');
const sampleOf = (text: string): string => JSON.stringify(text.slice(0, SAMPLE_CHARS));
/** Silence that ends a session/load history replay, and the longest a replay may take. */
const REPLAY_QUIET_MS = 150;
const REPLAY_MAX_MS = 3000;

/** What Reins serves to the agent: nothing but permission answers (no file system, no terminals). */
const CLIENT_CAPABILITIES: acp.ClientCapabilities = { fs: { readTextFile: false, writeTextFile: false }, terminal: false };

/** What every ACP agent supports through this runner; a descriptor may narrow it. */
export const ACP_CAPABILITIES: AgentCapabilities = {
  streaming: true,
  approvals: true,
  // ACP asks only about calls the agent itself thinks need permission: the rest runs unseen by policy.
  toolChecks: false,
  questions: false,
  planMode: false,
  resume: true,
  interrupt: true,
  // One prompt at a time per session: a message sent mid-turn waits for the turn to end.
  steer: false,
  queueWhileBusy: true,
  images: false,
};

/** A JSON-RPC error as one line: its message and, where the agent gave them, its details. */
function describe(err: unknown): string {
  if (err instanceof acp.RequestError) {
    const data = err.data as { details?: unknown } | undefined;
    const details = typeof data?.details === 'string' ? data.details.split('\n')[0] : undefined;
    return details ? `${err.message}: ${details}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

interface OpenPermission {
  answer(outcome: AcpOutcome): void;
  options: AcpPermissionOption[];
}

/** Runs one ACP agent process per live session. */
export function createAcpRunner(opts: AcpRunnerOptions): AgentRunner {
  const spawn = opts.spawn ?? nodeSpawn;
  return {
    agent: opts.agent,
    capabilities: opts.capabilities,
    start(run: RunStartOptions): AgentRun {
      const log = run.log.child({ ns: `app:runner:${opts.agent}` });
      const found = process.platform === 'win32' ? { path: opts.bin } : findExecutable(opts.bin, run.env, run.cwd);
      if ('error' in found) return deadRun(run, lookupFailure(found.error, opts.bin));
      let env: Record<string, string>;
      try {
        env = opts.prepareEnv ? opts.prepareEnv(run.env) : run.env;
      } catch (err) {
        return deadRun(run, `could not prepare ${opts.agent}'s settings: ${(err as Error).message}`);
      }
      let agent: LifelineChild;
      try {
        // Tied to this process's life: if the core dies, the agent and every command it started die too.
        agent = spawnWithLifeline(found.path, opts.args, { cwd: run.cwd, env, spawn });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return deadRun(run, `${e.code ?? 'error'}: ${e.message}`);
      }
      const child = agent.child;
      log.info({ pid: child.pid, resume: Boolean(run.resumeId) }, 'runner.spawn');

      const translator = createAcpTranslator({ asksAboutEveryCall: opts.asksAboutEveryCall === true });
      const open = new Map<string, OpenPermission>();
      const prompts: string[] = [];
      const interruptWaiters: ((ok: boolean) => void)[] = [];
      let sessionId: string | null = null;
      let prompting = false;
      let loading = false;
      let replayed = 0;
      let permissionSeq = 0;
      let stderrTail = '';
      let exited = false;
      let resolveExit!: (info: ExitInfo) => void;
      const exitedPromise = new Promise<ExitInfo>((r) => (resolveExit = r));

      const emit = (items: RunOutput[]): void => {
        if (!exited && items.length > 0) run.sink.output(items);
      };
      const errorEvent = (message: string, source: 'agent-output' | 'agent-protocol' | 'agent-exit' = 'agent-output', sample?: string): RunOutput => ({
        type: 'event',
        event: { kind: 'error', payload: sample === undefined ? { source, message } : { source, message, sample } } satisfies NewEvent,
      });

      // === Output: bounded lines (line-splitter.ts) handed to the SDK as NDJSON. A line over the limit,
      // or one that is not a JSON object, becomes an error event instead of ending the connection.
      let lines!: ReadableStreamDefaultController<Uint8Array>;
      const input = new ReadableStream<Uint8Array>({ start: (c) => void (lines = c) });
      const handleLine = (bytes: Buffer): void => {
        let text: string;
        try {
          text = fatalUtf8.decode(bytes);
        } catch {
          text = lossyUtf8.decode(bytes);
          emit([errorEvent('Agent output contained invalid UTF-8; bad bytes were replaced.', 'agent-output', sampleOf(text))]);
        }
        const trimmed = text.trim();
        if (trimmed === '') return;
        if (!trimmed.startsWith('{')) {
          emit([errorEvent('Agent printed a line that is not a JSON-RPC message.', 'agent-output', sampleOf(trimmed))]);
          return;
        }
        lines.enqueue(Buffer.from(`${trimmed}\n`));
      };
      const splitter = createLineSplitter(opts.maxLineBytes, {
        line: handleLine,
        oversized: (total, head) =>
          emit([
            errorEvent(
              `Agent printed a line of ${total} bytes, over the ${opts.maxLineBytes}-byte limit; it was dropped.`,
              'agent-output',
              sampleOf(lossyUtf8.decode(head)),
            ),
          ]),
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!exited) splitter.push(chunk);
      });
      const stderrDecoder = new StringDecoder('utf8');
      child.stderr?.on('data', (chunk: Buffer) => {
        stderrTail = (stderrTail + stderrDecoder.write(chunk)).slice(-STDERR_TAIL_BYTES);
      });
      // Writing to a process that just died raises EPIPE on the stream; the exit handler reports it.
      child.stdin?.on('error', (err) => log.debug({ err }, 'runner.stdin_error'));
      const output = new WritableStream<Uint8Array>({
        write(chunk) {
          if (!exited && child.stdin && !child.stdin.destroyed && child.stdin.writable) child.stdin.write(chunk);
        },
      });

      // === The ACP connection: what the agent may ask of Reins.
      const askPermission = (params: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse> =>
        new Promise((resolve) => {
          const requestId = `acp_${++permissionSeq}`;
          open.set(requestId, { answer: (outcome) => resolve({ outcome }), options: params.options });
          // The agent withdrew its request ($/cancel_request): the approval goes with it.
          signal.addEventListener('abort', () => {
            if (open.delete(requestId)) emit([{ type: 'permission-cancelled', requestId }]);
          });
          emit(translator.permission(requestId, params.toolCall as unknown as Record<string, unknown>));
        });
      const onUpdate = (params: acp.SessionNotification): void => {
        if (params.sessionId !== sessionId && sessionId !== null) return;
        // session/load replays the whole conversation as updates; Reins' log already holds it.
        if (loading) {
          replayed++;
          lastUpdateAt = performance.now();
          return;
        }
        emit(translator.update(params.update as unknown as Record<string, unknown>));
      };
      const connection = acp
        .client({ name: 'reins' })
        .onRequest('session/request_permission', ({ params, signal }) => askPermission(params, signal))
        .onNotification('session/update', ({ params }) => onUpdate(params))
        .connect(acp.ndJsonStream(output, input, { maxMessageBytes: opts.maxLineBytes + 1 }));
      const agentRpc = connection.agent;

      // === Turns: one session/prompt at a time; messages sent meanwhile wait their turn.
      const settleInterrupts = (ok: boolean): void => {
        for (const w of interruptWaiters.splice(0)) w(ok);
      };
      const pump = async (): Promise<void> => {
        if (sessionId === null || prompting || exited) return;
        const text = prompts.shift();
        if (text === undefined) return;
        prompting = true;
        const t0 = performance.now();
        try {
          const result = await agentRpc.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
          emit(translator.endTurn(result as unknown as Record<string, unknown>, Math.round(performance.now() - t0)));
        } catch (err) {
          if (!exited) emit(translator.failTurn(`The agent failed the turn: ${describe(err)}`));
        } finally {
          prompting = false;
          // The turn is over, however it ended: an interrupt waiting for it has done its job.
          settleInterrupts(true);
          void pump();
        }
      };

      /**
       * ACP says the history comes before the session/load answer, but Gemini 0.61.0 streams it
       * without waiting and answers first: the replay counts as over once no update came for
       * REPLAY_QUIET_MS (at most REPLAY_MAX_MS), before the first prompt goes out.
       */
      let lastUpdateAt = performance.now();
      const replayEnded = async (): Promise<void> => {
        const startedAt = performance.now();
        while (performance.now() - lastUpdateAt < REPLAY_QUIET_MS && performance.now() - startedAt < REPLAY_MAX_MS) {
          await new Promise((r) => setTimeout(r, REPLAY_QUIET_MS / 4));
        }
      };

      const startSession = async (): Promise<void> => {
        const hello: acp.InitializeRequest = {
          protocolVersion: acp.PROTOCOL_VERSION,
          clientCapabilities: CLIENT_CAPABILITIES,
          clientInfo: { name: 'reins', version: '0.1.0' },
        };
        const init = await agentRpc.request('initialize', hello);
        emit([
          {
            type: 'event',
            event: {
              kind: 'raw',
              payload: {
                agentType: 'initialize',
                data: { agentInfo: init.agentInfo ?? null, protocolVersion: init.protocolVersion, agentCapabilities: init.agentCapabilities ?? {} },
              },
            },
          },
        ]);
        if (run.resumeId !== null) {
          if (init.agentCapabilities?.loadSession === true) {
            loading = true;
            try {
              await agentRpc.request('session/load', { sessionId: run.resumeId, cwd: run.cwd, mcpServers: [] });
              sessionId = run.resumeId;
              await replayEnded();
              emit([{ type: 'event', event: { kind: 'raw', payload: { agentType: 'session/load', data: { replayedUpdates: replayed } } } }]);
            } catch (err) {
              emit([errorEvent(`The agent could not load its previous conversation (${describe(err)}); a new conversation was started.`, 'agent-protocol')]);
            } finally {
              loading = false;
            }
          } else {
            emit([errorEvent('This agent cannot load a previous conversation (no loadSession capability); a new conversation was started.', 'agent-protocol')]);
          }
        }
        if (sessionId === null) sessionId = (await agentRpc.request('session/new', { cwd: run.cwd, mcpServers: [] })).sessionId;
        emit([{ type: 'agent-session', id: sessionId }]);
        await pump();
      };
      startSession().catch((err: unknown) => {
        if (exited) return;
        // Without a session nothing can run: end the process, so the session fails with the reason.
        log.error({ err: describe(err) }, 'runner.start_failed');
        emit([errorEvent(`The agent did not start an ACP session: ${describe(err)}`, 'agent-protocol')]);
        agent.cut();
      });

      // === Exit.
      const finish = (info: ExitInfo): void => {
        if (exited) return;
        const rest = splitter.end();
        if (rest)
          emit([
            errorEvent(
              'Agent output ended in the middle of a line (the process died while writing).',
              'agent-exit',
              sampleOf(lossyUtf8.decode(rest.subarray(0, 400))),
            ),
          ]);
        exited = true;
        open.clear();
        settleInterrupts(false);
        try {
          lines.close();
        } catch {
          // Already closed.
        }
        connection.close();
        // Whatever the agent left running in the background ends with it.
        agent.cut();
        log.info({ code: info.code, signal: info.signal, spawnError: info.spawnError }, 'runner.exit');
        run.sink.exited(info);
        resolveExit(info);
      };
      watchAgentExit(agent, { stderrTail: () => stderrTail, log, finish });

      const kill = (): void => {
        if (!exited) agent.cut();
      };
      return {
        get pid() {
          return child.pid;
        },
        pgid: agent.pgid,
        exited: exitedPromise,
        sendUserMessage(text) {
          prompts.push(text);
          void pump();
        },
        respond(requestId, decision: AgentDecision) {
          const p = open.get(requestId);
          if (!p || exited) return false;
          open.delete(requestId);
          p.answer(permissionOutcome(decision, p.options));
          return true;
        },
        // ACP agents send no tool checks (capabilities.toolChecks is false).
        answerToolCheck: () => false,
        interrupt() {
          if (exited) return Promise.resolve(false);
          if (!prompting) {
            // The turn has not reached the agent yet (it is still starting): it ends here, unsent.
            if (prompts.length === 0) return Promise.resolve(false);
            prompts.shift();
            setImmediate(() => emit([{ type: 'turn-ended', ok: false, interrupted: true }]));
            return Promise.resolve(true);
          }
          // ACP: the client answers every open permission request of the turn with "cancelled".
          const withdrawn: RunOutput[] = [];
          for (const [requestId, p] of open) {
            p.answer(CANCELLED);
            withdrawn.push({ type: 'permission-cancelled', requestId });
          }
          open.clear();
          emit(withdrawn);
          return new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), opts.interruptTimeoutMs ?? 5000);
            interruptWaiters.push((ok) => {
              clearTimeout(timer);
              resolve(ok);
            });
            void agentRpc
              .notify('session/cancel', { sessionId: sessionId as string })
              .catch((err: unknown) => log.warn({ err: describe(err) }, 'runner.cancel_failed'));
          });
        },
        async close(graceMs) {
          if (!exited) child.stdin?.end();
          const timer = setTimeout(kill, graceMs);
          const info = await exitedPromise;
          clearTimeout(timer);
          return info;
        },
        kill,
      };
    },
  };
}
