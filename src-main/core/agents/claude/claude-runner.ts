import { spawn as nodeSpawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { AgentCapabilities, NewEvent } from '../../../contract/index.ts';
import { createLineSplitter } from '../line-splitter.ts';
import { findExecutable } from '../process/executable.ts';
import { spawnWithLifeline, type LifelineChild } from '../process/lifeline.ts';
import { watchAgentExit } from '../process/agent-exit.ts';
import type { AgentDecision, AgentRun, AgentRunner, ExitInfo, RunOutput, RunStartOptions, SpawnFn } from '../runner.ts';
import { claudeArgs } from './args.ts';
import { initializeRequest, INITIALIZE_REQUEST_ID, toolCheckResponse } from './tool-check.ts';
import { newTranslateState, translateClaudeLine } from './translate.ts';
import { deadRun, lookupFailure } from '../process/dead-run.ts';

export interface ClaudeRunnerOptions {
  /** Executable; a bare name is looked up on PATH by the OS (no shell involved). */
  bin: string;
  extraArgs?: readonly string[];
  maxLineBytes: number;
  spawn?: SpawnFn;
  /** How long an interrupt may take to be acknowledged. */
  interruptTimeoutMs?: number;
}

const STDERR_TAIL_BYTES = 8 * 1024;
const SAMPLE_CHARS = 200;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** Escaped, bounded excerpt of bad input for an error event. */
const sampleOf = (text: string): string => JSON.stringify(text.slice(0, SAMPLE_CHARS));

/** What Claude Code supports through stream-json and its control channel. */
export const CLAUDE_CAPABILITIES: AgentCapabilities = {
  streaming: true,
  approvals: true,
  toolChecks: true,
  questions: true,
  planMode: true,
  resume: true,
  interrupt: true,
  steer: true,
  queueWhileBusy: true,
  images: false,
};

/**
 * Claude's answer to `can_use_tool`: `updatedInput` must be sent back on allow (the CLI runs the
 * call with it); a question's answers travel inside it.
 */
function claudeDecision(decision: AgentDecision, input: Record<string, unknown>): unknown {
  if (decision.decision === 'deny') return { behavior: 'deny', message: decision.message, ...(decision.interrupt ? { interrupt: true } : {}) };
  return { behavior: 'allow', updatedInput: decision.answers === null ? input : { ...input, answers: decision.answers } };
}

/** Runs the real `claude` CLI, one process per live session. */
export function createClaudeRunner(opts: ClaudeRunnerOptions): AgentRunner {
  const spawn = opts.spawn ?? nodeSpawn;
  return {
    agent: 'claude',
    capabilities: CLAUDE_CAPABILITIES,
    start(run: RunStartOptions): AgentRun {
      const log = run.log.child({ ns: 'app:runner:claude' });
      const state = newTranslateState();
      const pendingControls = new Map<string, (ok: boolean) => void>();
      /** Permission request id → the input it asked with, which an allow must send back. */
      const askedInputs = new Map<string, Record<string, unknown>>();
      let controlSeq = 0;
      let stderrTail = '';
      let exited = false;
      let resolveExit!: (info: ExitInfo) => void;
      const exitedPromise = new Promise<ExitInfo>((r) => (resolveExit = r));

      const found = process.platform === 'win32' ? { path: opts.bin } : findExecutable(opts.bin, run.env, run.cwd);
      if ('error' in found) return deadRun(run, lookupFailure(found.error, opts.bin));
      let agent: LifelineChild;
      try {
        // Tied to this process's life: if the core dies, the agent and every command it started die too.
        agent = spawnWithLifeline(found.path, claudeArgs(run.resumeId, opts.extraArgs, run.planMode), { cwd: run.cwd, env: run.env, spawn });
      } catch (err) {
        // Invalid arguments (a NUL byte in the configured env, say) throw instead of emitting 'error'.
        const e = err as NodeJS.ErrnoException;
        return deadRun(run, `${e.code ?? 'error'}: ${e.message}`);
      }
      const child = agent.child;
      log.info({ pid: child.pid, resume: Boolean(run.resumeId) }, 'runner.spawn');

      const write = (obj: unknown): boolean => {
        if (exited || !child.stdin || child.stdin.destroyed || !child.stdin.writable) return false;
        child.stdin.write(`${JSON.stringify(obj)}\n`);
        return true;
      };
      // First line on stdin: the hook that sends every tool call through Reins' policy.
      write(initializeRequest());
      // Writing to a process that just died raises EPIPE on the stream; the exit handler reports it.
      child.stdin?.on('error', (err) => log.debug({ err }, 'runner.stdin_error'));

      let batch: RunOutput[] = [];
      const errorEvent = (message: string, sample?: string, source: 'agent-output' | 'agent-exit' = 'agent-output'): NewEvent => ({
        kind: 'error',
        payload: sample === undefined ? { source, message } : { source, message, sample },
      });

      const handleLine = (bytes: Buffer): void => {
        let text: string;
        try {
          text = fatalUtf8.decode(bytes);
        } catch {
          text = lossyUtf8.decode(bytes);
          batch.push({ type: 'event', event: errorEvent('Agent output contained invalid UTF-8; bad bytes were replaced.', sampleOf(text)) });
        }
        if (text.trim() === '') return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          batch.push({ type: 'event', event: errorEvent(`Agent printed a line that is not JSON (${(err as Error).message}).`, sampleOf(text)) });
          return;
        }
        const t = translateClaudeLine(parsed, state);
        for (const o of t.outputs) {
          if (o.type === 'permission') askedInputs.set(o.request.requestId, o.request.action.input);
          else if (o.type === 'permission-cancelled') askedInputs.delete(o.requestId);
        }
        batch.push(...t.outputs);
        if (t.controlResponse?.requestId === INITIALIZE_REQUEST_ID) {
          if (!t.controlResponse.ok) {
            // Without the hook, calls the CLI allows by itself would bypass policy: never run that way.
            log.error({ error: t.controlResponse.error }, 'runner.initialize_failed');
            batch.push({
              type: 'event',
              event: errorEvent(
                `The agent refused Reins' tool check (${t.controlResponse.error ?? 'no reason'}); it was stopped so that no call runs unchecked.`,
                undefined,
                'agent-exit',
              ),
            });
            kill();
          }
        } else if (t.controlResponse) {
          const settle = pendingControls.get(t.controlResponse.requestId);
          pendingControls.delete(t.controlResponse.requestId);
          settle?.(t.controlResponse.ok);
        }
        if (t.unsupported) {
          // The protocol requires an answer to every request; an error answer is the honest one.
          write({
            type: 'control_response',
            response: { subtype: 'error', request_id: t.unsupported.requestId, error: `Reins does not handle control request "${t.unsupported.subtype}".` },
          });
        }
      };
      const splitter = createLineSplitter(opts.maxLineBytes, {
        line: handleLine,
        oversized: (total, head) =>
          batch.push({
            type: 'event',
            event: errorEvent(
              `Agent printed a line of ${total} bytes, over the ${opts.maxLineBytes}-byte limit; it was dropped.`,
              sampleOf(lossyUtf8.decode(head)),
            ),
          }),
      });
      const flush = (): void => {
        if (batch.length === 0) return;
        const items = batch;
        batch = [];
        run.sink.output(items);
      };

      child.stdout?.on('data', (chunk: Buffer) => {
        // Once the exit is reported the run is over: bytes from a leftover job holding the pipe
        // must not reach the session (its watchdog would bring a dead session back to `stalled`).
        if (exited) return;
        splitter.push(chunk);
        flush();
      });
      const stderrDecoder = new StringDecoder('utf8');
      child.stderr?.on('data', (chunk: Buffer) => {
        stderrTail = (stderrTail + stderrDecoder.write(chunk)).slice(-STDERR_TAIL_BYTES);
      });

      const finish = (info: ExitInfo): void => {
        if (exited) return;
        exited = true;
        const rest = splitter.end();
        if (rest) {
          batch.push({
            type: 'event',
            event: errorEvent(
              'Agent output ended in the middle of a line (the process died while writing).',
              sampleOf(lossyUtf8.decode(rest.subarray(0, 400))),
              'agent-exit',
            ),
          });
        }
        flush();
        for (const settle of pendingControls.values()) settle(false);
        pendingControls.clear();
        // Whatever the agent left running in the background ends with it.
        agent.cut();
        log.info({ code: info.code, signal: info.signal, spawnError: info.spawnError }, 'runner.exit');
        run.sink.exited(info);
        resolveExit(info);
      };
      watchAgentExit(agent, { stderrTail: () => stderrTail, log, finish });

      /** Ends the agent and every command it started (its tree, not only its group). */
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
          write({ type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null, session_id: '' });
        },
        respond(requestId, decision: AgentDecision) {
          const input = askedInputs.get(requestId) ?? {};
          askedInputs.delete(requestId);
          return write({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response: claudeDecision(decision, input) } });
        },
        answerToolCheck(requestId, answer) {
          return write(toolCheckResponse(requestId, answer));
        },
        interrupt() {
          const requestId = `reins_${++controlSeq}`;
          return new Promise<boolean>((resolve) => {
            if (!write({ type: 'control_request', request_id: requestId, request: { subtype: 'interrupt' } })) return resolve(false);
            const timer = setTimeout(() => {
              pendingControls.delete(requestId);
              resolve(false);
            }, opts.interruptTimeoutMs ?? 5000);
            pendingControls.set(requestId, (ok) => {
              clearTimeout(timer);
              resolve(ok);
            });
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
