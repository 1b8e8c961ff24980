/**
 * Terminal sessions: any program (a shell, or an agent's own TUI) in a pseudo-terminal. Its raw output
 * is recorded as `terminal_output` events (the window renders them in a terminal view; Telegram shows a
 * readable tail), and input and resizes come from any surface. A terminal has no approvals: it runs
 * what its owner types, so each input is audited by the session manager, and the chat can reach it
 * only when the owner turned that on.
 */
import type { IPty } from 'node-pty';
import type { AgentCapabilities, NewEvent } from '../../../contract/index.ts';
import { findExecutable } from '../process/executable.ts';
import { killSession } from '../process/kill-tree.ts';
import type { AgentRun, AgentRunner, ExitInfo, RunOutput, RunStartOptions } from '../runner.ts';
import { spawnPtyWithLifeline } from './pty-lifeline.ts';
import { deadRun, lookupFailure } from '../process/dead-run.ts';

/** What a terminal can do: stream, and be interrupted (Ctrl-C); no turns to resume, no approvals. */
export const TERMINAL_CAPABILITIES: AgentCapabilities = {
  streaming: true,
  approvals: false,
  toolChecks: false,
  questions: false,
  planMode: false,
  resume: false,
  interrupt: true,
  steer: true,
  queueWhileBusy: false,
  images: false,
};

/** Output is written as one event per this many milliseconds at most, or per this many characters. */
const FLUSH_MS = 30;
const FLUSH_CHARS = 16 * 1024;
const DEFAULT_SIZE = { cols: 120, rows: 32 };
/** Characters of output kept for the failure reason. */
const TAIL_CHARS = 4000;

export interface TerminalRunnerOptions {
  /** The program; a bare name is looked up on PATH. */
  bin: string;
  args: readonly string[];
}

const event = (e: NewEvent): RunOutput => ({ type: 'event', event: e });

/** Runs a program in a PTY; a message is a line typed into it. */
export function createTerminalRunner(opts: TerminalRunnerOptions): AgentRunner {
  return {
    agent: 'terminal',
    capabilities: TERMINAL_CAPABILITIES,
    start(run: RunStartOptions): AgentRun {
      const found = process.platform === 'win32' ? { path: opts.bin } : findExecutable(opts.bin, run.env, run.cwd);
      if ('error' in found) return deadRun(run, lookupFailure(found.error, opts.bin));
      let pty: IPty;
      try {
        pty = spawnPtyWithLifeline(found.path, opts.args, { cwd: run.cwd, env: { ...run.env, TERM: 'xterm-256color' }, ...DEFAULT_SIZE });
      } catch (err) {
        return deadRun(run, (err as Error).message);
      }
      let pending = '';
      let tail = '';
      let timer: NodeJS.Timeout | null = null;
      let ended = false;
      let resolveExit!: (info: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
      const flush = (): void => {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        if (pending === '') return;
        const data = pending;
        pending = '';
        run.sink.output([event({ kind: 'terminal_output', payload: { data } })]);
      };
      pty.onData((data) => {
        pending += data;
        tail = (tail + data).slice(-TAIL_CHARS);
        if (pending.length >= FLUSH_CHARS) flush();
        else timer ??= setTimeout(flush, FLUSH_MS);
      });
      pty.onExit(({ exitCode, signal }) => {
        flush();
        ended = true;
        // Jobs the program left running in its terminal (a `nohup cmd &` of a shell) end with it.
        killSession(pty.pid);
        const info: ExitInfo = { code: signal ? null : exitCode, signal: signal ? `signal ${signal}` : null, stderrTail: tail, spawnError: null };
        run.sink.exited(info);
        resolveExit(info);
      });
      run.log.info({ pid: pty.pid }, 'runner.terminal_spawn');
      const write = (data: string): boolean => {
        if (ended) return false;
        pty.write(data);
        return true;
      };
      const kill = (): void => {
        if (!ended) killSession(pty.pid);
      };
      return {
        pid: pty.pid,
        pgid: process.platform === 'win32' ? null : pty.pid,
        exited,
        sendUserMessage(text) {
          // A line typed at the prompt; the "turn" is the typing, so it ends at once.
          write(`${text}\r`);
          setImmediate(() => run.sink.output([{ type: 'turn-ended', ok: true, interrupted: false }]));
        },
        respond: () => false,
        answerToolCheck: () => false,
        async interrupt() {
          return write('\x03');
        },
        async close(graceMs) {
          // End of input first (a shell exits on it), then the tree by force.
          write('\x04');
          const timer = setTimeout(kill, graceMs);
          const info = await exited;
          clearTimeout(timer);
          return info;
        },
        kill,
        terminal: {
          input: (data) => write(data),
          resize(cols, rows) {
            if (!ended) pty.resize(cols, rows);
          },
        },
      };
    },
  };
}
