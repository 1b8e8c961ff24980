import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamFrame } from '../../contract/index.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/approvals/grant-service.ts';
import type { TelegramControl } from '../telegram/index.ts';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../contract/api.ts';
import { BROWSER_SESSION_TTL_MS, createBrowserSessions } from './browser-sessions.ts';
import { createGuard } from './guard.ts';
import { sendLoginExpiredPage, sendNotBuiltPage } from './html-pages.ts';
import { FileBody, HttpError, sendError, sendFile, sendJson, sendThrown } from './http-io.ts';
import { createLoginCodes } from './login-codes.ts';
import { actorOf, createRoutes, matchRoute, type RequestAuth } from './routes.ts';
import { readSessionCookie, sessionCookie, sessionCookieName } from './session-cookie.ts';
import { serveStatic } from './static-files.ts';
import { isWebhookDelivery } from './webhook-delivery.ts';

export interface ApiServerOptions {
  core: CoreFacade;
  token: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  log: Logger;
  /** Origins besides our own that may call (e.g. the desktop renderer's). */
  extraOrigins?: readonly string[];
  /** Built renderer to serve at `/` (optional); while it has no index.html, `/` says how to build it. */
  staticDir?: string | null;
  /** Time of login codes and browser sessions (tests move it). */
  clock?: Clock;
  /** The Telegram bridge, for its pairing and status routes (optional). */
  telegram?: TelegramControl | null;
  /** Connection time limits (tests shorten them). */
  timeouts?: Partial<ApiTimeouts>;
}

/** How long a connection may take to send headers, a whole request, or nothing at all. */
export interface ApiTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  idleMs: number;
}

const DEFAULT_TIMEOUTS: ApiTimeouts = { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 5_000, idleMs: 120_000 };

/** The request target as a URL (origin-form or absolute-form); null when it does not parse. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** Per-client buffer above which a slow WebSocket client is dropped (it can resume with `after`). */
const WS_MAX_BUFFERED = 8 * 1024 * 1024;

/** A request the preflight let through, and how it authenticated (null for routes that need nothing). */
type Preflight = { ok: true; auth: RequestAuth | null } | { ok: false; code: 'forbidden' | 'unauthorized'; message: string };

/** Methods that never change state; anything else sent with the session cookie needs our own Origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The loopback HTTP + WebSocket API. Binds 127.0.0.1 only. Every route but health needs the bearer
 * token or a browser session cookie (from a one-time login URL); Host and Origin are checked on every
 * request and upgrade.
 */
export async function startApiServer(opts: ApiServerOptions) {
  const log = opts.log.child({ ns: 'app:server' });
  const { core } = opts;
  let port = opts.port;
  const guard = createGuard({ port: () => port, token: opts.token, extraOrigins: opts.extraOrigins ?? [] });
  const clock = opts.clock ?? systemClock;
  const loginCodes = createLoginCodes(clock);
  const browserSessions = createBrowserSessions(clock);

  /** A one-time login URL for a browser; audited, never logged (the code is as good as a sign-in). */
  const mintLoginUrl = (actor: Actor): { url: string; expiresAt: number } => {
    const { code, expiresAt } = loginCodes.mint();
    core.audit.append({ type: 'auth.login_code_created', actor: actor.by, surface: actor.surface, subject: null, detail: { expiresAt } });
    return { url: `http://127.0.0.1:${port}/login?code=${code}`, expiresAt };
  };
  const routes = createRoutes(core, opts.version, { mintLoginUrl }, opts.telegram ?? null, opts.token);

  // Refusals are security events, but an attacker must not be able to flood the audit log:
  // at most one entry per second of each type, carrying the count of those folded into it.
  const throttles = new Map<string, { lastAt: number; folded: number }>();
  const auditThrottled = (type: string, req: IncomingMessage, detail: Record<string, unknown>): void => {
    const now = Date.now();
    const t = throttles.get(type) ?? { lastAt: 0, folded: 0 };
    throttles.set(type, t);
    if (now - t.lastAt < 1000) {
      t.folded++;
      return;
    }
    t.lastAt = now;
    core.audit.append({
      type,
      actor: 'unknown',
      surface: 'api',
      subject: null,
      detail: {
        ...detail,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        host: req.headers.host ?? null,
        origin: req.headers.origin ?? null,
        alsoRefused: t.folded,
      },
    });
    t.folded = 0;
  };
  const auditRefusal = (reason: string, req: IncomingMessage): void => auditThrottled('api.refused', req, { reason });

  const preflight = (req: IncomingMessage, needsAuth: boolean, changesState: boolean): Preflight => {
    if (!guard.hostAllowed(req.headers.host)) return { ok: false, code: 'forbidden', message: 'Host header not allowed: use http://127.0.0.1:<port>.' };
    if (!guard.originAllowed(req.headers.origin)) return { ok: false, code: 'forbidden', message: 'Cross-origin requests are not allowed.' };
    if (!needsAuth) return { ok: true, auth: null };
    // A client that presents the token is judged on it alone. Only headers count: a token in a URL
    // (query or fragment) ends up in histories and logs, so nothing reads it from there.
    const unauthorized = {
      ok: false,
      code: 'unauthorized',
      message: 'Missing or wrong bearer token (read it from runtime.json in the Reins data directory), or sign this browser in with `reins open`.',
    } as const;
    if (req.headers.authorization !== undefined || req.headers['sec-websocket-protocol'] !== undefined) {
      return guard.tokenValid(req.headers) ? { ok: true, auth: { via: 'token' } } : unauthorized;
    }
    const id = readSessionCookie(req.headers.cookie, sessionCookieName(port));
    const expiresAt = id === null ? null : browserSessions.expiresAt(id);
    if (expiresAt === null) return unauthorized;
    // The browser attaches the cookie to any request for us, whoever's page makes it; SameSite=Strict
    // keeps other sites out, but not other ports of 127.0.0.1 (same site). A change must therefore show
    // our own page's Origin, which browsers always send on non-GET requests and WebSocket handshakes.
    if (changesState && !guard.ownOrigin(req.headers.origin)) {
      return { ok: false, code: 'forbidden', message: 'A change made with the browser session must come from the Reins page itself (its Origin).' };
    }
    return { ok: true, auth: { via: 'cookie', expiresAt } };
  };

  /** `GET /login?code=…`: spends a login code for a session cookie, then goes to the app. */
  const login = (req: IncomingMessage, url: URL, res: ServerResponse): void => {
    const spent = loginCodes.redeem(url.searchParams.get('code'));
    if (!spent.ok) {
      auditThrottled('auth.login_refused', req, { reason: spent.reason });
      return sendLoginExpiredPage(res);
    }
    const session = browserSessions.create();
    core.audit.append({ type: 'auth.login', actor: 'browser', surface: 'api', subject: null, detail: { sessionExpiresAt: session.expiresAt } });
    res.writeHead(303, {
      location: '/',
      'set-cookie': sessionCookie(sessionCookieName(port), session.id, Math.floor(BROWSER_SESSION_TTL_MS / 1000)),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': 0,
    });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseTarget(req.url);
    if (!url) return sendError(res, 'bad_request', 'Malformed request target.');
    const isApi = url.pathname.startsWith('/api/');
    const method = req.method ?? 'GET';
    const open = url.pathname === '/api/v1/health' || isWebhookDelivery(method, url.pathname);
    const checked = preflight(req, isApi && !open, !SAFE_METHODS.has(method));
    if (!checked.ok) {
      auditRefusal(checked.code, req);
      return sendError(res, checked.code, checked.message);
    }
    if (!isApi) {
      if (url.pathname === '/login' && method === 'GET') return login(req, url, res);
      if (!SAFE_METHODS.has(method)) return sendError(res, 'not_found', `No such path ${url.pathname}.`);
      if (!opts.staticDir) return sendError(res, 'not_found', `No such path ${url.pathname}.`);
      if (await serveStatic(opts.staticDir, url.pathname, res)) return;
      // Nothing served: either the renderer was never built here (say how), or the path names no file.
      if (!existsSync(join(opts.staticDir, 'index.html'))) return sendNotBuiltPage(res);
      return sendError(res, 'not_found', `No such path ${url.pathname}.`);
    }
    const match = matchRoute(routes, method, url.pathname);
    if (!match) return sendError(res, 'not_found', `No route ${req.method} ${url.pathname}. See docs/API.md.`);
    const auth = checked.auth ?? { via: 'token' as const };
    // Judged on how the request really signed in: a route open to all (a webhook delivery) proves nothing.
    if (match.route.tokenOnly && checked.auth?.via !== 'token') {
      auditRefusal('token-only', req);
      return sendError(res, 'forbidden', 'Only a client holding the API token (the CLI, `reins open`) may do this.');
    }
    try {
      const body = await match.route.handler({ req, url, params: match.params, actor: actorOf(req), auth });
      if (body instanceof FileBody) sendFile(res, match.route.status ?? 200, body);
      else sendJson(res, match.route.status ?? 200, body);
    } catch (err) {
      if (!(err instanceof Error) || !('code' in err)) log.error({ err, path: url.pathname }, 'api.handler_failed');
      // Node drops a connection whose request body was left unread; a client that reused it
      // would see its next request reset, so tell it to open a new one.
      if (err instanceof HttpError && err.code === 'payload_too_large') res.setHeader('connection', 'close');
      sendThrown(res, err);
    }
  };

  const limits = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const server = createServer({ connectionsCheckingInterval: Math.min(30_000, limits.headersMs) }, (req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, 'api.unhandled');
      if (!res.headersSent) sendError(res, 'internal', 'Internal error.');
      else res.destroy();
    });
  });
  // A connection must send its headers in time, its whole request in time, and may not sit idle:
  // without the idle timeout a socket that never sends a byte would be kept forever.
  server.headersTimeout = limits.headersMs;
  server.requestTimeout = limits.requestMs;
  server.keepAliveTimeout = limits.keepAliveMs;
  server.timeout = limits.idleMs;

  // === WebSocket stream of committed frames.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    // Echo the token subprotocol back, as browsers require a selected protocol when they offered one.
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) ?? false,
  });
  const clients = new Set<WebSocket>();
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = parseTarget(req.url);
    // An upgrade changes state (a live feed opens), so a cookie-signed one needs our Origin too.
    const checked = url?.pathname === '/api/v1/stream' ? preflight(req, true, true) : { ok: false as const, code: 'forbidden' as const, message: 'not found' };
    if (!checked.ok) {
      const refusal = checked;
      auditRefusal(`ws-${refusal.code}`, req);
      const status = refusal.code === 'unauthorized' ? '401 Unauthorized' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.send(JSON.stringify({ type: 'hello', lastSeqBySession: core.lastSeqs() } satisfies StreamFrame));
    });
  });
  const unsubscribe = core.subscribe((frame) => {
    if (clients.size === 0) return;
    const text = JSON.stringify(frame);
    for (const ws of clients) {
      if (ws.bufferedAmount > WS_MAX_BUFFERED) {
        ws.close(1013, 'client too slow; reconnect and page with ?after=');
        continue;
      }
      ws.send(text);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  log.info({ url }, 'api.listening');

  return {
    url,
    port,
    /** A one-time login URL for a browser (the daemon prints one at start; `reins open` asks the API). */
    mintLoginUrl: (actor: Actor = { by: 'host', surface: 'api' }) => mintLoginUrl(actor),
    /** Closes listeners, WebSockets and keep-alive sockets. */
    async close(): Promise<void> {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
