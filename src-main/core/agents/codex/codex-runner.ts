import { spawn as nodeSpawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { AgentCapabilities, NewEvent } from '../../../contract/index.ts';
import { createLineSplitter } from '../line-splitter.ts';
import { findExecutable } from '../process/executable.ts';
import { spawnWithLifeline, type LifelineChild } from '../process/lifeline.ts';
import { watchAgentExit } from '../process/agent-exit.ts';
import type { AgentDecision, AgentRun, AgentRunner, ExitInfo, RunOutput, RunStartOptions, SpawnFn } from '../runner.ts';
import type { InitializeParams } from './generated/InitializeParams.ts';
import type { CommandExecutionRequestApprovalParams } from './generated/v2/CommandExecutionRequestApprovalParams.ts';
import type { CommandExecutionRequestApprovalResponse } from './generated/v2/CommandExecutionRequestApprovalResponse.ts';
import type { FileChangeRequestApprovalParams } from './generated/v2/FileChangeRequestApprovalParams.ts';
import type { FileChangeRequestApprovalResponse } from './generated/v2/FileChangeRequestApprovalResponse.ts';
import type { ThreadResumeParams } from './generated/v2/ThreadResumeParams.ts';
import type { ThreadResumeResponse } from './generated/v2/ThreadResumeResponse.ts';
import type { ThreadStartParams } from './generated/v2/ThreadStartParams.ts';
import type { ThreadStartResponse } from './generated/v2/ThreadStartResponse.ts';
import type { TurnInterruptParams } from './generated/v2/TurnInterruptParams.ts';
import type { TurnStartParams } from './generated/v2/TurnStartParams.ts';
import type { TurnStartResponse } from './generated/v2/TurnStartResponse.ts';
import type { TurnSteerParams } from './generated/v2/TurnSteerParams.ts';
import { LineMessageReader, LineMessageWriter, lineConnection } from './rpc.ts';
import { commandPermission, fileChangePermission, newTranslateState, translateNotification } from './translate.ts';
import { deadRun, lookupFailure } from '../process/dead-run.ts';

export interface CodexRunnerOptions {
  /** Executable; a bare name is looked up on PATH by the OS (no shell involved). */
  bin: string;
  /** Global options placed before `app-server` (`-c key=value`, `--profile NAME`). */
  extraArgs?: readonly string[];
  maxLineBytes: number;
  spawn?: SpawnFn;
  /** How long an interrupt may take to be acknowledged. */
  interruptTimeoutMs?: number;
}

/** What Reins drives through `codex app-server` (PROTOCOL.md, "Capabilities"). */
export const CODEX_CAPABILITIES: AgentCapabilities = {
  streaming: true,
  approvals: true,
  // Codex asks only for what its approval policy sends to the client; there is no hook per call.
  toolChecks: false,
  questions: false,
  planMode: false,
  resume: true,
  interrupt: true,
  // `turn/steer` exists, but a message sent mid-turn is queued here as the next turn instead.
  steer: false,
  queueWhileBusy: true,
  images: false,
};

/**
 * Every command that is not known to be read-only asks (app-server accepts "untrusted" although
 * config.toml no longer does); writes stay inside the project unless an approval lets them out.
 */
const THREAD_SETTINGS = { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } as const satisfies Pick<ThreadStartParams, 'approvalPolicy' | 'sandbox'>;

/** Streaming deltas: the completed item carries the whole text, so they are not sent at all. */
const OPT_OUT = [
  'item/agentMessage/delta',
  'item/reasoning/summaryTextDelta',
  'item/reasoning/textDelta',
  'item/commandExecution/outputDelta',
  'item/fileChange/outputDelta',
  'item/plan/delta',
];

const CLIENT_VERSION = '0.1.0';
const STDERR_TAIL_BYTES = 8 * 1024;
const SAMPLE_CHARS = 200;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');
const sampleOf = (text: string): string => JSON.stringify(text.slice(0, SAMPLE_CHARS));
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A permission request waiting for Reins' answer: the JSON-RPC reply goes out when it settles. */
interface PendingApproval {
  answer(decision: 'accept' | 'decline' | 'cancel'): void;
}

/** Runs the real `codex app-server`, one process (and one thread) per live session. */
export function createCodexRunner(opts: CodexRunnerOptions): AgentRunner {
  const spawn = opts.spawn ?? nodeSpawn;
  return {
    agent: 'codex',
    capabilities: CODEX_CAPABILITIES,
    start(run: RunStartOptions): AgentRun {
      const log = run.log.child({ ns: 'app:runner:codex' });
      const state = newTranslateState();
      /** Server request id (as a string) → the reply it waits for. */
      const approvals = new Map<string, PendingApproval>();
      /** User messages not yet started as a turn: Codex would fold a `turn/start` sent mid-turn into the running turn. */
      const queue: string[] = [];
      let threadId: string | null = null;
      let turnBusy = false;
      /** Interrupts waiting for the turn they stop to start (`turn/started`): a message is sent before Codex runs its turn. */
      const turnWaiters: Array<() => void> = [];
      const turnNamed = (): void => {
        for (const wake of turnWaiters.splice(0)) wake();
      };
      let stderrTail = '';
      let exited = false;
      let resolveExit!: (info: ExitInfo) => void;
      const exitedPromise = new Promise<ExitInfo>((r) => (resolveExit = r));

      const found = process.platform === 'win32' ? { path: opts.bin } : findExecutable(opts.bin, run.env, run.cwd);
      if ('error' in found) return deadRun(run, lookupFailure(found.error, opts.bin));
      let agent: LifelineChild;
      try {
        // Tied to this process's life, in its own process group: if the core dies, Codex and every command it started die too.
        agent = spawnWithLifeline(found.path, [...(opts.extraArgs ?? []), 'app-server'], { cwd: run.cwd, env: run.env, spawn });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return deadRun(run, `${e.code ?? 'error'}: ${e.message}`);
      }
      const child = agent.child;
      log.info({ pid: child.pid, resume: Boolean(run.resumeId) }, 'runner.spawn');
      child.stdin?.on('error', (err) => log.debug({ err }, 'runner.stdin_error'));

      // === Output: items are gathered and handed over once per tick, in the order they were made.
      let batch: RunOutput[] = [];
      let flushScheduled = false;
      const flush = (): void => {
        flushScheduled = false;
        if (batch.length === 0) return;
        const items = batch;
        batch = [];
        run.sink.output(items);
      };
      const emit = (...items: RunOutput[]): void => {
        if (exited || items.length === 0) return;
        batch.push(...items);
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      };
      const errorEvent = (message: string, source: 'agent-output' | 'agent-exit' | 'agent-protocol' = 'agent-output', sample?: string): RunOutput => {
        const event: NewEvent = { kind: 'error', payload: sample === undefined ? { source, message } : { source, message, sample } };
        return { type: 'event', event };
      };

      // === JSON-RPC.
      const writeLine = (line: string): boolean => {
        if (exited || !child.stdin || child.stdin.destroyed || !child.stdin.writable) return false;
        child.stdin.write(`${line}\n`);
        return true;
      };
      const reader = new LineMessageReader();
      const connection = lineConnection(reader, new LineMessageWriter(writeLine));
      /** Messages handed to the connection, and those its handlers have seen (it handles them on later ticks). */
      let delivered = 0;
      let handled = 0;
      /**
       * Ids of server requests delivered and not yet handled. vscode-jsonrpc does not pass a request's
       * id to its handler, but it handles messages strictly in arrival order, one handler call per
       * request: the handler's id is the oldest one here.
       */
      const requestIds: string[] = [];

      connection.onNotification((method, params) => {
        handled++;
        if (method === 'serverRequest/resolved') {
          // Codex settled a request itself (the turn was interrupted, say) before Reins answered.
          const id = String((params as { requestId: string | number }).requestId);
          if (approvals.delete(id)) emit({ type: 'permission-cancelled', requestId: id });
          return;
        }
        const items = translateNotification(method, params, state);
        emit(...items);
        if (method === 'turn/started') turnNamed();
        if (items.some((o) => o.type === 'turn-ended')) {
          turnBusy = false;
          pump();
        }
      });
      connection.onRequest((method, params) => {
        handled++;
        const id = requestIds.shift() ?? '';
        if (method !== 'item/commandExecution/requestApproval' && method !== 'item/fileChange/requestApproval') {
          emit({ type: 'event', event: { kind: 'raw', payload: { agentType: method, data: params } } });
          // vscode-jsonrpc turns a thrown error into a JSON-RPC error reply: the protocol wants an answer to every request.
          throw new Error(`Reins does not handle ${method}.`);
        }
        return new Promise<CommandExecutionRequestApprovalResponse | FileChangeRequestApprovalResponse>((resolve) => {
          approvals.set(id, { answer: (decision) => resolve({ decision }) });
          emit({
            type: 'permission',
            request:
              method === 'item/commandExecution/requestApproval'
                ? commandPermission(id, params as CommandExecutionRequestApprovalParams, state)
                : fileChangePermission(id, params as FileChangeRequestApprovalParams, state),
          });
        });
      });
      connection.onError(([err]) => log.warn({ err }, 'runner.rpc_error'));
      connection.listen();

      const handleLine = (bytes: Buffer): void => {
        let text: string;
        try {
          text = fatalUtf8.decode(bytes);
        } catch {
          text = lossyUtf8.decode(bytes);
          emit(errorEvent('Agent output contained invalid UTF-8; bad bytes were replaced.', 'agent-output', sampleOf(text)));
        }
        if (text.trim() === '') return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          emit(errorEvent(`Agent printed a line that is not JSON (${messageOf(err)}).`, 'agent-output', sampleOf(text)));
          return;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          emit(errorEvent('Agent printed a JSON line that is not a JSON-RPC message.', 'agent-output', sampleOf(text)));
          return;
        }
        const m = parsed as { method?: unknown; id?: unknown };
        // The same tests vscode-jsonrpc applies (Message.isRequest / isNotification).
        if (typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')) {
          requestIds.push(String(m.id));
          delivered++;
        } else if (typeof m.method === 'string' && m.id === undefined) {
          delivered++;
        }
        reader.deliver(parsed as Parameters<LineMessageReader['deliver']>[0]);
      };
      const splitter = createLineSplitter(opts.maxLineBytes, {
        line: handleLine,
        oversized: (total, head) =>
          emit(
            errorEvent(
              `Agent printed a line of ${total} bytes, over the ${opts.maxLineBytes}-byte limit; it was dropped.`,
              'agent-output',
              sampleOf(lossyUtf8.decode(head)),
            ),
          ),
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!exited) splitter.push(chunk);
      });
      const stderrDecoder = new StringDecoder('utf8');
      child.stderr?.on('data', (chunk: Buffer) => {
        stderrTail = (stderrTail + stderrDecoder.write(chunk)).slice(-STDERR_TAIL_BYTES);
      });

      const kill = (): void => {
        if (!exited) agent.cut();
      };

      // === Turns: one `turn/start` per user message, the next only once the last has completed.
      const pump = (): void => {
        if (threadId === null || turnBusy || exited) return;
        const text = queue.shift();
        if (text === undefined) return;
        turnBusy = true;
        const params: TurnStartParams = { threadId, input: [{ type: 'text', text, text_elements: [] }] };
        // The turn is known from `turn/started` on: `turn/interrupt` before it says "no active turn to interrupt".
        connection.sendRequest<TurnStartResponse>('turn/start', params).catch((err: unknown) => {
          if (exited) return;
          // The turn never began: end it here so that the session does not wait for it forever.
          emit(errorEvent(`Codex refused the message (${messageOf(err)}).`, 'agent-protocol'), { type: 'turn-ended', ok: false, interrupted: false });
          turnBusy = false;
          pump();
        });
      };

      const boot = async (): Promise<void> => {
        const init: InitializeParams = {
          clientInfo: { name: 'reins', title: 'Reins', version: CLIENT_VERSION },
          capabilities: { experimentalApi: false, requestAttestation: false, optOutNotificationMethods: OPT_OUT },
        };
        await connection.sendRequest('initialize', init);
        await connection.sendNotification('initialized');
        const thread = run.resumeId
          ? await connection.sendRequest<ThreadResumeResponse>('thread/resume', {
              threadId: run.resumeId,
              cwd: run.cwd,
              ...THREAD_SETTINGS,
              excludeTurns: true,
            } satisfies ThreadResumeParams)
          : await connection.sendRequest<ThreadStartResponse>('thread/start', { cwd: run.cwd, ...THREAD_SETTINGS } satisfies ThreadStartParams);
        threadId = thread.thread.id;
        emit(
          { type: 'agent-session', id: threadId },
          {
            type: 'event',
            event: {
              kind: 'raw',
              payload: {
                agentType: 'thread',
                data: {
                  model: thread.model,
                  modelProvider: thread.modelProvider,
                  approvalPolicy: thread.approvalPolicy,
                  sandbox: thread.sandbox,
                  cliVersion: thread.thread.cliVersion,
                },
              },
            },
          },
        );
        pump();
      };
      boot().catch((err: unknown) => {
        if (exited) return;
        // Without a thread no message can run; ending the process lets the session report it.
        log.error({ err }, 'runner.boot_failed');
        emit(errorEvent(`Codex could not ${run.resumeId ? `resume thread ${run.resumeId}` : 'start a thread'}: ${messageOf(err)}`, 'agent-exit'));
        kill();
      });

      // === Exit.
      /** vscode-jsonrpc handles each message on a later tick: let it see everything Codex printed before reporting the exit. */
      const drained = async (): Promise<void> => {
        for (let i = 0; i < 10_000 && handled < delivered; i++) await new Promise((r) => setImmediate(r));
      };
      let finishing = false;
      const finish = (info: ExitInfo): void => {
        if (finishing) return;
        finishing = true;
        const rest = splitter.end();
        if (rest)
          emit(
            errorEvent(
              'Agent output ended in the middle of a line (the process died while writing).',
              'agent-exit',
              sampleOf(lossyUtf8.decode(rest.subarray(0, 400))),
            ),
          );
        void drained().then(() => {
          flush();
          exited = true;
          approvals.clear();
          reader.close();
          connection.dispose();
          agent.cut();
          log.info({ code: info.code, signal: info.signal, spawnError: info.spawnError }, 'runner.exit');
          run.sink.exited(info);
          resolveExit(info);
        });
      };
      watchAgentExit(agent, { stderrTail: () => stderrTail, log, finish });

      /**
       * A denial's message cannot travel in Codex's answer (`decline` has no text), so it goes first as
       * `turn/steer` input to the running turn: the model then reads it right after the refused call.
       */
      const steer = async (text: string): Promise<void> => {
        if (threadId === null || state.turnId === null) return;
        const params: TurnSteerParams = { threadId, expectedTurnId: state.turnId, input: [{ type: 'text', text, text_elements: [] }] };
        await connection.sendRequest('turn/steer', params).catch((err: unknown) => log.warn({ err }, 'runner.steer_failed'));
      };

      return {
        get pid() {
          return child.pid;
        },
        pgid: agent.pgid,
        exited: exitedPromise,
        sendUserMessage(text) {
          queue.push(text);
          pump();
        },
        respond(requestId, decision: AgentDecision) {
          const pending = approvals.get(requestId);
          if (exited || !pending) return false;
          approvals.delete(requestId);
          // Never "acceptForSession": later calls must come back to Reins, whose grants decide them.
          if (decision.decision === 'allow') pending.answer('accept');
          else if (decision.interrupt) pending.answer('cancel');
          else void steer(`[Reins] The owner denied this call: ${decision.message}`).then(() => pending.answer('decline'));
          return true;
        },
        answerToolCheck: () => false,
        async interrupt() {
          if (exited || (state.turnId === null && !turnBusy && queue.length === 0)) return false;
          let expired = false;
          const timeout = new Promise<false>((r) =>
            setTimeout(() => {
              expired = true;
              r(false);
            }, opts.interruptTimeoutMs ?? 5000).unref(),
          );
          if (state.turnId === null && !(await Promise.race([new Promise<true>((r) => turnWaiters.push(() => r(true))), timeout]))) return false;
          if (expired || threadId === null || state.turnId === null) return false;
          const params: TurnInterruptParams = { threadId, turnId: state.turnId };
          const acked = connection.sendRequest('turn/interrupt', params).then(
            () => true,
            (err: unknown) => {
              log.warn({ err }, 'runner.interrupt_failed');
              return false;
            },
          );
          return Promise.race([acked, timeout]);
        },
        async close(graceMs) {
          // End of input ends app-server.
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
