/**
 * Browser sign-in: a one-time login code (minted with the bearer token) is exchanged for a session
 * cookie; the cookie works on reads, and on changes only from our own page's Origin. Each attack here
 * is a request a hostile page, a replayed link or a stale cookie would make.
 */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AuditEntry, LoginCodeResponse } from '../../src-main/contract/index.ts';
import { createCore, parseConfig, silentLogger } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startApiServer } from '../../src-main/surfaces/api/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const APP_ORIGIN = 'app://reins';
const EXPIRED_TEXT = 'This login link was used or has expired. Run <code>reins open</code> again.';

let dir: ReturnType<typeof tempDir>;
let now = 1_800_000_000_000;
const clock = { now: () => now };
const start = (port = 0) =>
  startDaemon({ home: join(dir.path, 'home'), config: parseConfig({ port }), env: {}, clock, telegram: false, extraOrigins: [APP_ORIGIN] });
let daemon: Awaited<ReturnType<typeof start>>;
let port: number;

beforeAll(async () => {
  dir = tempDir();
  daemon = await start();
  port = Number(new URL(daemon.url).port);
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request with full control of every header (fetch forbids Origin, Cookie and Host). */
const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${daemon.token}` });

const mintCode = async (): Promise<LoginCodeResponse> => {
  const res = await raw('POST', '/api/v1/auth/login-codes', bearer(), '{}');
  expect(res.status, res.body).toBe(201);
  return JSON.parse(res.body) as LoginCodeResponse;
};
const pathOf = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Signs in through a fresh login URL; returns the `Cookie` header value the browser would send. */
const signIn = async (): Promise<string> => {
  const res = await raw('GET', pathOf((await mintCode()).url));
  expect(res.status).toBe(303);
  const setCookie = res.headers['set-cookie']![0]!;
  return setCookie.split(';')[0]!;
};

const openWs = (headers: Record<string, string>, path = '/api/v1/stream'): Promise<{ status: number; ws?: WebSocket; first?: Promise<string> }> =>
  new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, [], { headers });
    // The hello frame may arrive with the handshake: listen before 'open'.
    const first = new Promise<string>((done) => ws.once('message', (data: Buffer) => done(data.toString())));
    ws.once('open', () => resolve({ status: 101, ws, first }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });

const audit = (): AuditEntry[] => daemon.core.audit.recent(1000);

describe('login codes', () => {
  it('are minted only with the bearer token, as a loopback URL that expires in 2 minutes', async () => {
    expect((await raw('POST', '/api/v1/auth/login-codes', {}, '{}')).status).toBe(401);
    expect((await raw('POST', '/api/v1/auth/login-codes', { authorization: 'Bearer wrong' }, '{}')).status).toBe(401);
    const minted = await mintCode();
    expect(minted.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/login\\?code=[A-Za-z0-9_-]{43}$`));
    expect(minted.expiresAt).toBe(now + 120_000);
    expect(new URL(minted.url).searchParams.get('code')).not.toBe((await mintCode()).url.split('code=')[1]);
    const created = audit().find((e) => e.type === 'auth.login_code_created');
    expect(created?.detail).toEqual({ expiresAt: minted.expiresAt });
  });

  it('a browser session cannot mint one (a stolen cookie must not renew itself)', async () => {
    const cookie = await signIn();
    const res = await raw('POST', '/api/v1/auth/login-codes', { cookie, origin: `http://127.0.0.1:${port}` }, '{}');
    expect(res.status).toBe(403);
  });

  it('a browser session may read the passcode status but neither set nor clear the passcode', async () => {
    const cookie = await signIn();
    const origin = `http://127.0.0.1:${port}`;
    expect((await raw('GET', '/api/v1/passcode', { cookie, origin })).status).toBe(200);
    expect((await raw('PUT', '/api/v1/passcode', { cookie, origin }, '{"passcode":"from-a-page-1"}')).status).toBe(403);
    expect((await raw('DELETE', '/api/v1/passcode', { cookie, origin })).status).toBe(403);
    expect(daemon.core.passcode.status().set).toBe(false);
  });

  it('work once: the URL sets an HttpOnly, SameSite=Strict session cookie and goes to /', async () => {
    const { url } = await mintCode();
    const res = await raw('GET', pathOf(url));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const setCookie = res.headers['set-cookie'];
    expect(setCookie).toHaveLength(1);
    expect(setCookie![0]).toMatch(new RegExp(`^reins_session_${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200$`));
    expect(setCookie![0]).not.toMatch(/Secure/i);
    const cookie = setCookie![0]!.split(';')[0]!;
    const session = await raw('GET', '/api/v1/auth/session', { cookie });
    expect(JSON.parse(session.body)).toEqual({ via: 'cookie', expiresAt: now + 12 * 3600_000 });
    expect((await raw('GET', '/api/v1/sessions', { cookie })).status).toBe(200);
    expect(audit().some((e) => e.type === 'auth.login' && (e.detail as { sessionExpiresAt: number }).sessionExpiresAt === now + 12 * 3600_000)).toBe(true);

    // Replayed: the same link again is refused with the small page, never a stack trace.
    const replay = await raw('GET', pathOf(url));
    expect(replay.status).toBe(401);
    expect(replay.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect(replay.body).toContain(EXPIRED_TEXT);
    expect(replay.body).not.toMatch(/at .*\.ts:\d+|Error/);
    const refused = audit().find((e) => e.type === 'auth.login_refused');
    expect(refused?.detail).toMatchObject({ reason: 'used' });
  });

  it('expire after 2 minutes (injected clock)', async () => {
    const { url } = await mintCode();
    now += 120_000;
    const res = await raw('GET', pathOf(url));
    expect(res.status).toBe(401);
    expect(res.body).toContain(EXPIRED_TEXT);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a missing, unknown or malformed code gets the same page', async () => {
    for (const path of ['/login', '/login?code=', '/login?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/login?code=%00%ff']) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body, path).toContain(EXPIRED_TEXT);
    }
  });

  it('the API token in a URL is never accepted: not as a query, not on the stream, not as a login code', async () => {
    const t = encodeURIComponent(daemon.token);
    expect((await raw('GET', `/api/v1/sessions?token=${t}`)).status).toBe(401);
    expect((await raw('GET', `/api/v1/sessions?access_token=${t}`)).status).toBe(401);
    expect((await openWs({ origin: `http://127.0.0.1:${port}` }, `/api/v1/stream?token=${t}`)).status).toBe(401);
    const asCode = await raw('GET', `/login?code=${t}`);
    expect(asCode.status).toBe(401);
    expect(asCode.headers['set-cookie']).toBeUndefined();
    expect((await raw('GET', `/login?token=${t}`)).status).toBe(401);
  });

  it('never appear in the audit log', async () => {
    const { url } = await mintCode();
    await raw('GET', pathOf(url));
    const code = new URL(url).searchParams.get('code')!;
    expect(JSON.stringify(audit())).not.toContain(code);
  });
});

describe('the session cookie', () => {
  it('reads without an Origin, as a page load does', async () => {
    const cookie = await signIn();
    expect((await raw('GET', '/api/v1/approvals?status=pending', { cookie })).status).toBe(200);
  });

  it('changes only with our own Origin: none, another site, another port or the desktop origin are refused', async () => {
    const cookie = await signIn();
    const body = JSON.stringify({ agent: 'claude' }); // invalid on purpose: 400 means it got past auth
    const post = (origin?: string) => raw('POST', '/api/v1/sessions', { cookie, ...(origin === undefined ? {} : { origin }) }, body);
    expect((await post()).status).toBe(403);
    expect((await post('https://evil.example')).status).toBe(403);
    expect((await post(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    expect((await post(APP_ORIGIN)).status).toBe(403);
    expect((await raw('DELETE', '/api/v1/grants/nope', { cookie })).status).toBe(403);
    expect((await post(`http://127.0.0.1:${port}`)).status).toBe(400);
    expect((await post(`http://localhost:${port}`)).status).toBe(400);
    // The bearer token is not a cookie: no Origin needed (the CLI sends none).
    expect((await raw('POST', '/api/v1/sessions', bearer(), body)).status).toBe(400);
    expect((await raw('POST', '/api/v1/sessions', { ...bearer(), origin: APP_ORIGIN }, body)).status).toBe(400);
  });

  it('opens the stream only with our own Origin', async () => {
    const cookie = await signIn();
    expect((await openWs({ cookie })).status).toBe(403);
    expect((await openWs({ cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await openWs({ cookie, origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await openWs({ origin: `http://127.0.0.1:${port}` })).status).toBe(401);
    const ok = await openWs({ cookie, origin: `http://127.0.0.1:${port}` });
    expect(ok.status).toBe(101);
    expect(JSON.parse(await ok.first!)).toMatchObject({ type: 'hello' });
    ok.ws!.terminate();
  });

  it('a forged or wrong-port cookie does nothing', async () => {
    const cookie = await signIn();
    const value = cookie.split('=')[1]!;
    expect((await raw('GET', '/api/v1/sessions', { cookie: `reins_session_${port}=${'A'.repeat(43)}` })).status).toBe(401);
    expect((await raw('GET', '/api/v1/sessions', { cookie: `reins_session_${port + 1}=${value}` })).status).toBe(401);
    expect((await raw('GET', '/api/v1/sessions', { cookie: `other=1; ${cookie}; x=2` })).status).toBe(200);
    // A wrong bearer token is judged on its own, whatever cookie comes with it.
    expect((await raw('GET', '/api/v1/sessions', { cookie, authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('ends after 12 hours (injected clock)', async () => {
    const cookie = await signIn();
    now += 12 * 3600_000 - 1;
    expect((await raw('GET', '/api/v1/sessions', { cookie })).status).toBe(200);
    now += 1;
    expect((await raw('GET', '/api/v1/sessions', { cookie })).status).toBe(401);
  });

  it('is not usable once the core restarts (sessions live in memory)', async () => {
    const cookie = await signIn();
    expect((await raw('GET', '/api/v1/sessions', { cookie })).status).toBe(200);
    await daemon.stop();
    daemon = await start(port);
    expect(Number(new URL(daemon.url).port)).toBe(port);
    const res = await raw('GET', '/api/v1/sessions', { cookie });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.message).toContain('reins open');
  });
});

describe('a checkout without a built renderer', () => {
  let server: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let core: ReturnType<typeof createCore> | undefined;
  afterEach(async () => {
    await server?.close();
    await core?.stop();
  });

  it('answers / with a page that says how to build, not a 404', async () => {
    core = createCore({ home: join(dir.path, 'unbuilt'), config: parseConfig({ port: 0 }), env: {} });
    const empty = join(dir.path, 'no-renderer');
    mkdirSync(empty);
    server = await startApiServer({ core, token: 'x'.repeat(43), port: 0, version: 'test', log: silentLogger, staticDir: empty });
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<code>npm run build</code>');
  });
});
