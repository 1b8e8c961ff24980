/**
 * The hook client against a stand-in core on 127.0.0.1 that answers wrongly: every answer that is not
 * a well-formed decision is a denial, as is a core that never answers. And the `reins hook` process
 * stays light: it does not load what made it slow to start (undici behind an ES import of node:http).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runHookClient } from '../../src-main/hooks/hook-client.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const INPUT = JSON.stringify({ session_id: 's-1', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } });

let dir: ReturnType<typeof tempDir> | undefined;
let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
  dir?.remove();
  dir = undefined;
});

/** A stand-in core answering every request with `answer`, and a data directory whose runtime.json points at it. */
async function coreAnswering(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  dir = tempDir('reins-hook-client-');
  const { port } = server.address() as AddressInfo;
  writeFileSync(join(dir.path, 'runtime.json'), JSON.stringify({ url: `http://127.0.0.1:${port}`, token: 't' }));
  return dir.path;
}

const run = (home: string, budgetMs?: number) =>
  runHookClient({ agent: 'claude', stdin: Readable.from([Buffer.from(INPUT)]), home, ...(budgetMs === undefined ? {} : { budgetMs }) }).then(
    (out) => JSON.parse(out).hookSpecificOutput as Record<string, string>,
  );

describe('the hook client fails closed on a bad answer', () => {
  it('an answer that is not JSON is a denial', async () => {
    const home = await coreAnswering((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"decision": "allow"'));
    expect(await run(home)).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('without JSON'),
    });
  });

  it('JSON without a known decision is a denial', async () => {
    const home = await coreAnswering((_req, res) => res.writeHead(200).end(JSON.stringify({ decision: 'yes', reason: 'sure' })));
    expect(await run(home)).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('no decision'),
    });
  });

  it('an "allow" under an error status is a denial', async () => {
    const home = await coreAnswering((_req, res) => res.writeHead(500).end(JSON.stringify({ decision: 'allow', error: { message: 'boom' } })));
    expect(await run(home)).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('HTTP 500: boom'),
    });
  });

  it('a core that takes the call and never answers is a denial once the budget is spent', async () => {
    const home = await coreAnswering(() => undefined);
    expect(await run(home, 300)).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('did not answer'),
    });
  });

  it('a well-formed answer is passed on in the agent format', async () => {
    const home = await coreAnswering((req, res) => {
      expect(req.headers.authorization).toBe('Bearer t');
      res.writeHead(200).end(JSON.stringify({ decision: 'allow', reason: 'harmless' }));
    });
    expect(await run(home)).toEqual({ hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'harmless' });
  });
});

describe('the reins hook process', () => {
  it('answers without loading undici, HTTP/2 or web streams (what an ES import of node:http pulls in)', async () => {
    const home = await coreAnswering((_req, res) => res.writeHead(200).end(JSON.stringify({ decision: 'allow', reason: 'harmless' })));
    // A preload that reports, as the process exits, every built-in it loaded.
    const preload = join(dir!.path, 'loaded.cjs');
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
    const child = spawn(process.execPath, ['--require', preload, join(ROOT, 'bin', 'reins.js'), 'hook', 'claude', '--home', home], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(INPUT);
    await new Promise((r) => child.once('close', r));
    expect(JSON.parse(stdout).hookSpecificOutput.permissionDecision).toBe('allow');
    const loaded = JSON.parse(stderr) as string[];
    expect(loaded).toContain('NativeModule http');
    expect(loaded.filter((m) => /undici|http2|webstreams/.test(m))).toEqual([]);
  });
});
