/**
 * A minimal stream-json driver for the real `claude` CLI, for protocol tests and fixture
 * capture: it spawns the CLI with the pinned flags, writes stdin lines and waits for stdout
 * lines. Deliberately not Reins' runner: it is the independent check of the protocol.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { claudeBin } from './claude-env.ts';

/** One parsed stdout line of the CLI. */
export type ClaudeLine = Record<string, unknown>;

/** The flags Reins drives the CLI with (see src-main/core/agents/claude/PROTOCOL.md). */
const STREAM_FLAGS: readonly string[] = [
  '-p',
  '--input-format',
  'stream-json',
  '--output-format',
  'stream-json',
  '--verbose',
  '--permission-prompt-tool',
  'stdio',
];

/** How to start one CLI process. */
export interface ClaudeStreamOptions {
  cwd: string;
  env: Record<string, string>;
  /** Appended after `STREAM_FLAGS`, e.g. `['--resume', id]` or `['--permission-mode', 'plan']`. */
  args?: readonly string[];
}

/**
 * The CLI did not print an expected line in time, or exited first. The message says how far the
 * CLI got (no line at all: it had not even started its turn), to tell a slow start from a stuck turn.
 */
class ClaudeStreamWaitError extends Error {
  override readonly name = 'ClaudeStreamWaitError';
  readonly what: string;
  constructor(what: string, why: string, stderr: string, lines: readonly ClaudeLine[]) {
    const last = lines.at(-1);
    const seen =
      last === undefined
        ? 'it printed no line yet'
        : `it printed ${lines.length} line(s), the last ${String(last['type'])}${typeof last['subtype'] === 'string' ? `/${last['subtype']}` : ''}`;
    super(`claude CLI: ${why} while waiting for ${what}; ${seen}. stderr: ${stderr.slice(-2000) || '(empty)'}`);
    this.what = what;
  }
}

/** A running CLI process speaking stream-json. */
export interface ClaudeStream {
  /** Every stdout line so far, parsed (non-JSON lines are kept as `{type:"non_json", text}`). */
  readonly lines: readonly ClaudeLine[];
  readonly stderr: string;
  /** Writes one JSON line to stdin. */
  send(message: object): void;
  /** Writes a user turn with a plain-text prompt. */
  sendUser(text: string): void;
  /** Answers a CLI control_request with success and `response`. */
  respond(requestId: string, response: object): void;
  /** Sends a host control_request (e.g. `interrupt`) and returns its request_id. */
  request(subtype: string, fields?: object): string;
  /**
   * Resolves with the first line after the previous match that satisfies `test`
   * (lines already received count), and moves past it.
   */
  waitFor(what: string, test: (line: ClaudeLine) => boolean, timeoutMs: number): Promise<ClaudeLine>;
  /** Ends stdin, which makes an idle CLI exit. */
  endInput(): void;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** Kills the process (SIGKILL) if it is still running and waits for it to go. */
  kill(): Promise<void>;
}

/** Spawns the CLI; stdin stays open until `endInput()` (permission requests need it). */
export function startClaudeStream(options: ClaudeStreamOptions): ClaudeStream {
  const child: ChildProcessWithoutNullStreams = spawn(claudeBin(), [...STREAM_FLAGS, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ClaudeLine[] = [];
  let stderr = '';
  let cursor = 0;
  let gone = false;
  let requestCount = 0;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push(parseLine(text));
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  // A CLI that exits early closes stdin under us; the test sees that through `exited`.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      gone = true;
      notify();
      resolve(code);
    });
  });

  const send = (message: object): void => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
  };

  return {
    lines,
    get stderr() {
      return stderr;
    },
    send,
    sendUser(text) {
      send({ type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null, session_id: '' });
    },
    respond(requestId, response) {
      send({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
    },
    request(subtype, fields = {}) {
      requestCount++;
      const requestId = `req_${requestCount}_test`;
      send({ type: 'control_request', request_id: requestId, request: { subtype, ...fields } });
      return requestId;
    },
    waitFor(what, test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          while (cursor < lines.length) {
            const line = lines[cursor++] as ClaudeLine;
            if (test(line)) {
              done();
              resolve(line);
              return;
            }
          }
          if (gone) {
            done();
            reject(new ClaudeStreamWaitError(what, 'the process exited', stderr, lines));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new ClaudeStreamWaitError(what, `no match after ${timeoutMs} ms`, stderr, lines));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    endInput() {
      child.stdin.end();
    },
    exited,
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** True for a line of `type` (and `subtype`, when given). */
export function isLine(type: string, subtype?: string): (line: ClaudeLine) => boolean {
  return (line) => line['type'] === type && (subtype === undefined || line['subtype'] === subtype);
}

/** True for a CLI→host `control_request` of `subtype`. */
export function isControlRequest(subtype: string): (line: ClaudeLine) => boolean {
  return (line) => line['type'] === 'control_request' && field(line, 'request', 'subtype') === subtype;
}

/** Reads a nested field (`field(line, 'request', 'input')`), or undefined. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function parseLine(text: string): ClaudeLine {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as ClaudeLine;
  } catch {
    // fall through: kept as a non-JSON line
  }
  return { type: 'non_json', text };
}
