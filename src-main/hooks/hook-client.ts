/**
 * The hook client: one short-lived process per tool call of an agent Reins did not start. It reads the
 * agent's hook input, posts the call to the running core (found through `runtime.json`), waits for
 * policy or the owner, and answers in the agent's format. It fails closed: a missing or stopped core,
 * a bad input, a refusal or a timeout all answer *deny* with a reason the agent shows.
 *
 * Only Node built-ins and a few import-free modules: it runs before every tool call, so it must
 * start in tens of milliseconds (no zod, no SQLite, no CLI).
 */
import type { HookCallBody, HookCallResponse } from '../contract/api.ts';
import { homePaths } from '../core/host/paths.ts';
import { CLIENT_BUDGET_MS, CONNECT_TIMEOUT_MS, CORE_BUDGET_MS, type HookAgent } from './hook-agents.ts';
import { denyOutput, hookCallFrom, hookOutput } from './hook-io.ts';

// Built-ins come through process.getBuiltinModule, not `import`: an ES import of a built-in builds
// its ES module facade, which reads every export, and node:http's lazy exports (WebSocket, fetch's
// classes) then load all of undici (≈ 60 ms on a 2-core machine, most of a hook call); node:fs's
// load its streams and promises API. getBuiltinModule hands over the CommonJS object without that.
const { readFileSync } = process.getBuiltinModule('node:fs');
const { request } = process.getBuiltinModule('node:http');

/** Largest hook input read; a bigger one is denied rather than buffered without end. */
const MAX_INPUT_BYTES = 8 * 1024 * 1024;

export interface HookClientOptions {
  agent: HookAgent;
  /** The agent's hook input. */
  stdin: AsyncIterable<Buffer | string>;
  /** Reins' data directory (holds runtime.json). */
  home: string;
  /** Overall time for the answer (tests shorten it). */
  budgetMs?: number;
  connectTimeoutMs?: number;
}

/** A reason the agent reads, ending in why the call was denied. */
class Denial extends Error {
  override readonly name = 'Denial';
}

async function readInput(stdin: AsyncIterable<Buffer | string>): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_INPUT_BYTES) throw new Denial(`Reins could not read the hook input (over ${MAX_INPUT_BYTES / 1024 / 1024} MB)`);
    chunks.push(b);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Denial('Reins could not read the hook input (not JSON)');
  }
}

interface Runtime {
  url: string;
  token: string;
}

function readRuntime(home: string, agent: HookAgent): Runtime {
  const path = homePaths(home).runtime;
  let info: Partial<Runtime>;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as Partial<Runtime>;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Denial(
      missing
        ? `Reins is not running (no core for ${home}). Start it (\`reins daemon\` or the desktop app), or remove the hook with \`reins hooks uninstall ${agent}\``
        : `Reins' runtime file ${path} cannot be read (${(err as Error).message})`,
    );
  }
  if (typeof info.url !== 'string' || typeof info.token !== 'string') throw new Denial(`Reins' runtime file ${path} is incomplete`);
  return { url: info.url, token: info.token };
}

/** POSTs the call; resolves the core's answer or throws a {@link Denial} saying what went wrong. */
function post(rt: Runtime, body: HookCallBody, deadline: number, connectMs: number, agent: HookAgent): Promise<HookCallResponse> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${rt.url}/api/v1/hooks/tool-call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rt.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    const fail = (reason: string): void => {
      clearTimeout(overall);
      clearTimeout(connect);
      req.destroy();
      reject(new Denial(reason));
    };
    const waitMs = Math.max(0, deadline - Date.now());
    const overall = setTimeout(() => fail(`Reins did not answer within ${Math.max(1, Math.round(waitMs / 1000))} s`), waitMs);
    const connect = setTimeout(() => fail(`Reins does not answer at ${rt.url} (connection timed out)`), connectMs);
    req.once('socket', (s) => s.once('connect', () => clearTimeout(connect)));
    req.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'ECONNREFUSED'
          ? `Reins does not answer at ${rt.url} (it is not running). Start it, or remove the hook with \`reins hooks uninstall ${agent}\``
          : `Reins could not be reached at ${rt.url} (${err.code ?? err.message})`,
      ),
    );
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', (err) => fail(`Reins' answer broke off (${err.message})`));
      res.once('end', () => {
        clearTimeout(overall);
        clearTimeout(connect);
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reject(new Denial(`Reins answered HTTP ${res.statusCode} without JSON`));
        }
        if (res.statusCode !== 200) {
          const message = (json as { error?: { message?: string } }).error?.message;
          return reject(new Denial(`Reins refused the call (HTTP ${res.statusCode}${message ? `: ${message}` : ''})`));
        }
        const answer = json as Partial<HookCallResponse>;
        if (answer.decision !== 'allow' && answer.decision !== 'deny' && answer.decision !== 'ask') return reject(new Denial('Reins gave no decision'));
        resolve(answer as HookCallResponse);
      });
    });
    req.end(payload);
  });
}

/**
 * Runs one hook call and returns what to print on stdout: the core's answer in the agent's format, or
 * a denial saying why there is none. Never throws.
 */
export async function runHookClient(opts: HookClientOptions): Promise<string> {
  const budgetMs = opts.budgetMs ?? CLIENT_BUDGET_MS;
  const deadline = Date.now() + budgetMs;
  try {
    const raw = await readInput(opts.stdin);
    let body: HookCallBody;
    try {
      body = hookCallFrom(opts.agent, raw, Math.max(1, Math.min(CORE_BUDGET_MS, budgetMs - 3000)));
    } catch (err) {
      throw new Denial(`Reins could not read the hook input (${(err as Error).message})`);
    }
    const rt = readRuntime(opts.home, opts.agent);
    const answer = await post(rt, body, deadline, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, opts.agent);
    return hookOutput(opts.agent, answer);
  } catch (err) {
    const why = err instanceof Denial ? err.message : `The Reins hook failed (${(err as Error).message})`;
    return denyOutput(opts.agent, `Denied by Reins' hook: ${why}.`);
  }
}
