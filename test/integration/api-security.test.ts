/** The loopback API's guards: token, Host (DNS rebinding), Origin (cross-site), file modes. */
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AuditEntry, Session, StreamFrame } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { apiClient, type TestApi } from '../helpers/api-client.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { mkdirSync } from 'node:fs';

const BIN = fileURLToPath(new URL('../fakes/agent-cli/misbehaving-claude.mjs', import.meta.url));
let dir: ReturnType<typeof tempDir>;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: TestApi;
let port: number;

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'p'));
  daemon = await startDaemon({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, agents: { claude: { bin: BIN } } }), env: process.env });
  api = apiClient(daemon.url, daemon.token);
  port = Number(new URL(daemon.url).port);
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

/** A raw HTTP request with full control of Host and Origin (fetch forbids setting Host). */
const rawRequest = (path: string, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

const openWs = (protocols: string[], headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket }> =>
  new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, protocols, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });

describe('loopback API security', () => {
  // Where the socket really listens is checked in api-connections.test.ts (the kernel's socket table).
  it('writes runtime.json with mode 0600', () => {
    expect(statSync(daemon.core.paths.runtime).mode & 0o777).toBe(0o600);
  });

  it('health needs no token; every other route does (401)', async () => {
    expect((await fetch(`${daemon.url}/api/v1/health`)).status).toBe(200);
    for (const path of ['/sessions', '/approvals?status=pending', '/grants', '/audit']) {
      expect((await fetch(`${daemon.url}/api/v1${path}`)).status, path).toBe(401);
      expect((await api.raw('GET', path, undefined, { authorization: 'Bearer wrong-token' })).status, path).toBe(401);
    }
    const post = await fetch(`${daemon.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(401);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, even with the token', async () => {
    const auth = { authorization: `Bearer ${daemon.token}` };
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `127.0.0.1:${port}` })).toBe(200);
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `localhost:${port}` })).toBe(200);
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `evil.example:${port}` })).toBe(403);
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `127.0.0.1:${port + 1}` })).toBe(403);
    expect(await rawRequest('/api/v1/health', { host: 'attacker.test' })).toBe(403);
  });

  it('refuses a cross-site Origin on HTTP', async () => {
    const auth = { authorization: `Bearer ${daemon.token}` };
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `127.0.0.1:${port}`, origin: 'https://evil.example' })).toBe(403);
    expect(await rawRequest('/api/v1/sessions', { ...auth, host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).toBe(200);
  });

  it('refuses a WebSocket from a foreign Origin, and one without the token', async () => {
    const good = [`reins.bearer.${daemon.token}`];
    expect((await openWs(good, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await openWs(good, { origin: 'null' })).status).toBe(403);
    expect((await openWs([], { origin: `http://127.0.0.1:${port}` })).status).toBe(401);
    expect((await openWs(['reins.bearer.nope'], {})).status).toBe(401);
    const ok = await openWs(good, { origin: `http://127.0.0.1:${port}` });
    expect(ok.status).toBe(101);
    expect(ok.ws!.protocol).toBe(good[0]);
    ok.ws!.terminate();
  });

  it('streams committed events to an authorised WebSocket client', async () => {
    const stream = await api.stream();
    try {
      const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: join(dir.path, 'p'), prompt: 'streamed hello' });
      await waitFor(
        () =>
          stream.frames.some(
            (f) =>
              f.type === 'event' &&
              f.event.sessionId === session.id &&
              f.event.kind === 'message' &&
              f.event.payload.text === 'streamed hello' &&
              f.event.payload.role === 'assistant',
          ),
        'the streamed answer',
      );
      const frames = stream.frames.filter((f): f is Extract<StreamFrame, { type: 'event' }> => f.type === 'event' && f.event.sessionId === session.id);
      expect(stream.frames[0]?.type).toBe('hello');
      const seqs = frames.map((f) => f.event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const stored = await api.events(session.id);
      for (const f of frames) expect(stored.find((e) => e.seq === f.event.seq)).toEqual(f.event);
    } finally {
      stream.close();
    }
  });

  it('records refusals in the audit log (rate-limited)', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    await fetch(`${daemon.url}/api/v1/sessions`);
    const { entries } = await api.get<{ entries: AuditEntry[] }>('/audit?limit=50');
    expect(entries.some((e) => e.type === 'api.refused' && e.detail.reason === 'unauthorized')).toBe(true);
  });

  it('answers bad input with 400 and a message that says what is wrong', async () => {
    const res = await api.raw('POST', '/sessions', { agent: 'claude', cwd: '/definitely/not/here', prompt: 'x' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/does not exist/);
    const bad = await api.raw('POST', '/sessions', { agent: 'nope', cwd: '/tmp', prompt: 'x' });
    expect(bad.status).toBe(400);
    const unknown = await api.raw('GET', '/sessions/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
  });
});
