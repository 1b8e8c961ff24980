import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { claudeArgs } from '../src-main/core/agents/claude/args.ts';
import { claudeBin } from '../test/helpers/claude-env.ts';

/** One turn of the CLI run without Reins. */
export interface RawTurn {
  /** Spawn → the `result` line, in milliseconds. */
  ms: number;
  /** Permission requests the CLI sent (each answered "allow" at once). */
  permissionRequests: number;
}

/**
 * Runs one turn of the pinned `claude` CLI on its own: the same command line Reins uses, but no
 * `initialize` handshake, so no tool-check hook; whatever the CLI asks is allowed at once. Resolves
 * once the CLI has exited, so the next measurement does not share the machine with it.
 */
export async function rawClaudeTurn(prompt: string, cwd: string, env: Record<string, string>): Promise<RawTurn> {
  const t0 = performance.now();
  const child = spawn(claudeBin(), claudeArgs(null), { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = once(child, 'exit');
  const send = (msg: unknown): boolean => child.stdin.write(`${JSON.stringify(msg)}\n`);
  send({ type: 'user', message: { role: 'user', content: prompt }, parent_tool_use_id: null, session_id: '' });
  let permissionRequests = 0;
  const ms = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    void exited.then(() => reject(new Error(`The raw claude CLI exited before its turn ended (exit code ${child.exitCode}).`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { type?: string; request_id?: string; request?: { subtype?: string; input?: unknown } };
      if (msg.type === 'control_request' && msg.request?.subtype === 'can_use_tool') {
        permissionRequests++;
        send({
          type: 'control_response',
          response: { subtype: 'success', request_id: msg.request_id, response: { behavior: 'allow', updatedInput: msg.request.input } },
        });
      } else if (msg.type === 'result') {
        resolve(performance.now() - t0);
        child.stdin.end();
      }
    });
  });
  await exited;
  return { ms, permissionRequests };
}
