/**
 * An ACP agent (Gemini CLI, OpenCode) run without Reins: the official SDK's client on its stdio, the
 * same command line Reins starts, one session, one `session/prompt` per prompt. Any permission the
 * agent asks for is granted at once ("allow once") and counted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';

/** A live raw ACP agent with one session. */
export interface RawAcp {
  /** Runs one prompt to its end; resolves with the permissions the agent asked for on the way. */
  turn(text: string): Promise<{ permissions: number }>;
  /** Ends the agent (end of input, then SIGTERM after a grace) and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts `bin args…` in `cwd`, initialises ACP and opens a session; `modeId` switches its session mode (e.g. Gemini's `yolo`). */
export async function startRawAcp(bin: string, args: readonly string[], cwd: string, env: Record<string, string>, modeId?: string): Promise<RawAcp> {
  const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = once(child, 'exit');
  let permissions = 0;
  const connection = acp
    .client({ name: 'bench' })
    .onRequest('session/request_permission', ({ params }) => {
      permissions++;
      const allow = params.options.find((o) => o.kind === 'allow_once') ?? params.options.find((o) => o.kind === 'allow_always');
      return Promise.resolve({ outcome: allow ? { outcome: 'selected', optionId: allow.optionId } : { outcome: 'cancelled' } });
    })
    .onNotification('session/update', () => undefined)
    .connect(acp.ndJsonStream(Writable.toWeb(child.stdin), Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>));
  const agent = connection.agent;
  let sessionId: string;
  try {
    await agent.request('initialize', {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
      clientInfo: { name: 'bench', version: '0.0.0' },
    });
    sessionId = (await agent.request('session/new', { cwd, mcpServers: [] })).sessionId;
    if (modeId !== undefined) await agent.request('session/set_mode', { sessionId, modeId });
  } catch (err) {
    // A refused start must not leave the agent running (and the bench waiting on it).
    child.kill('SIGKILL');
    connection.close();
    throw err;
  }
  return {
    async turn(text) {
      const before = permissions;
      await agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
      return { permissions: permissions - before };
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
      if (child.exitCode === null && child.signalCode === null) await exited;
      clearTimeout(timer);
      connection.close();
    },
  };
}
