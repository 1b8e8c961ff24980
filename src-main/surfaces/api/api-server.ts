import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamFrame } from '../../contract/index.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import type { TelegramControl } from '../telegram/index.ts';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../contract/api.ts';
import { createGuard } from './guard.ts';
import { HttpError, sendError, sendJson, sendThrown } from './http-io.ts';
import { actorOf, createRoutes, matchRoute } from './routes.ts';
import { serveStatic } from './static-files.ts';

export interface ApiServerOptions {
  core: CoreFacade;
  token: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  log: Logger;
  /** Origins besides our own that may call (e.g. the desktop renderer's). */
  extraOrigins?: readonly string[];
  /** Built renderer to serve at `/` (optional). */
  staticDir?: string | null;
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

/**
 * The loopback HTTP + WebSocket API. Binds 127.0.0.1 only. Every route but health needs the
 * bearer token; Host and Origin are checked on every request and upgrade.
 */
export async function startApiServer(opts: ApiServerOptions) {
  const log = opts.log.child({ ns: 'app:server' });
  const { core } = opts;
  let port = opts.port;
  const guard = createGuard({ port: () => port, token: opts.token, extraOrigins: opts.extraOrigins ?? [] });
  const routes = createRoutes(core, opts.version, opts.telegram ?? null);
  let lastAuditAt = 0;
  let suppressed = 0;

  // Refusals are security events, but an attacker must not be able to flood the audit log:
  // at most one entry per second, carrying the count of those folded into it.
  const auditRefusal = (reason: string, req: IncomingMessage): void => {
    const now = Date.now();
    if (now - lastAuditAt < 1000) {
      suppressed++;
      return;
    }
    lastAuditAt = now;
    core.audit.append({
      type: 'api.refused',
      actor: 'unknown',
      surface: 'api',
      subject: null,
      detail: {
        reason,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        host: req.headers.host ?? null,
        origin: req.headers.origin ?? null,
        alsoRefused: suppressed,
      },
    });
    suppressed = 0;
  };

  const preflight = (req: IncomingMessage, needsToken: boolean): { code: 'forbidden' | 'unauthorized'; message: string } | null => {
    if (!guard.hostAllowed(req.headers.host)) return { code: 'forbidden', message: 'Host header not allowed: use http://127.0.0.1:<port>.' };
    if (!guard.originAllowed(req.headers.origin)) return { code: 'forbidden', message: 'Cross-origin requests are not allowed.' };
    if (needsToken && !guard.tokenValid(req.headers))
      return { code: 'unauthorized', message: 'Missing or wrong bearer token. Read it from runtime.json in the Reins data directory.' };
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseTarget(req.url);
    if (!url) return sendError(res, 'bad_request', 'Malformed request target.');
    const isApi = url.pathname.startsWith('/api/');
    const refusal = preflight(req, isApi && url.pathname !== '/api/v1/health');
    if (refusal) {
      auditRefusal(refusal.code, req);
      return sendError(res, refusal.code, refusal.message);
    }
    if (!isApi) {
      if (opts.staticDir && (req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(opts.staticDir, url.pathname, res))) return;
      return sendError(res, 'not_found', `No such path ${url.pathname}.`);
    }
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match) return sendError(res, 'not_found', `No route ${req.method} ${url.pathname}. See docs/API.md.`);
    try {
      const body = await match.route.handler({ req, url, params: match.params, actor: actorOf(req) });
      sendJson(res, match.route.status ?? 200, body);
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
    const refusal = url?.pathname === '/api/v1/stream' ? preflight(req, true) : { code: 'forbidden' as const, message: 'not found' };
    if (refusal) {
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
