/**
 * The pinned `codex app-server` run without Reins: a bare JSON-RPC client on its stdio (the same
 * wire library as Reins' runner, no lifeline, no store, no policy), one thread, one `turn/start`
 * per prompt. Any approval Codex asks for is accepted at once and counted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { LineMessageReader, LineMessageWriter, lineConnection } from '../src-main/core/agents/codex/rpc.ts';
import type { ThreadStartParams } from '../src-main/core/agents/codex/generated/v2/ThreadStartParams.ts';
import type { ThreadStartResponse } from '../src-main/core/agents/codex/generated/v2/ThreadStartResponse.ts';
import { codexBin } from '../test/helpers/codex-env.ts';

/** A live raw app-server with one thread. */
export interface RawCodex {
  /** Runs one turn; resolves once it completed, with the approvals Codex asked for on the way. */
  turn(text: string): Promise<{ approvals: number }>;
  /** Ends the app-server (end of input) and waits for it to exit. */
  close(): Promise<void>;
}

/** The raw app-server failed a turn or exited: the measurement would not be of a completed turn. */
class RawCodexError extends Error {
  override readonly name = 'RawCodexError';
}

/** Starts `codex app-server` in `cwd` and a thread with `settings` (Reins' own, or Codex's auto-approve `never`). */
export async function startRawCodex(
  cwd: string,
  env: Record<string, string>,
  settings: Pick<ThreadStartParams, 'approvalPolicy' | 'sandbox'>,
): Promise<RawCodex> {
  const child = spawn(codexBin(), ['app-server'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = once(child, 'exit');
  const reader = new LineMessageReader();
  const connection = lineConnection(reader, new LineMessageWriter((line) => child.stdin.write(`${line}\n`)));
  let approvals = 0;
  let completed: ((status: string) => void) | null = null;
  connection.onRequest((method) => {
    if (method !== 'item/commandExecution/requestApproval' && method !== 'item/fileChange/requestApproval')
      throw new Error(`The raw client does not handle ${method}.`);
    approvals++;
    return { decision: 'accept' };
  });
  connection.onNotification((method, params) => {
    if (method === 'turn/completed') completed?.((params as { turn: { status: string } }).turn.status);
  });
  connection.listen();
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.trim() !== '') reader.deliver(JSON.parse(line) as Parameters<LineMessageReader['deliver']>[0]);
  });
  void exited.then(() => completed?.('exited'));

  let thread: ThreadStartResponse['thread'];
  try {
    await connection.sendRequest('initialize', { clientInfo: { name: 'bench', title: 'Bench', version: '0.0.0' }, capabilities: { experimentalApi: false } });
    await connection.sendNotification('initialized');
    thread = (await connection.sendRequest<ThreadStartResponse>('thread/start', { cwd, ...settings } satisfies ThreadStartParams)).thread;
  } catch (err) {
    // A refused start must not leave the app-server running (and the bench waiting on it).
    child.kill('SIGKILL');
    connection.dispose();
    throw err;
  }
  return {
    async turn(text) {
      const before = approvals;
      const status = new Promise<string>((r) => (completed = r));
      await connection.sendRequest('turn/start', { threadId: thread.id, input: [{ type: 'text', text, text_elements: [] }] });
      const s = await status;
      completed = null;
      if (s !== 'completed') throw new RawCodexError(`The raw codex turn ended "${s}", not "completed".`);
      return { approvals: approvals - before };
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null) await exited;
      connection.dispose();
    },
  };
}
