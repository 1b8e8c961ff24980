/**
 * The fake Anthropic Messages API: a loopback HTTP server that answers `POST /v1/messages`
 * from the directives in the conversation, records every model request, and answers the
 * CLI's probes (`HEAD /`, `HEAD /api/hello`, anything else) with an empty 200.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decideReply, type FailureLedger, type Reply } from './decide.ts';
import { ScriptError } from './script.ts';
import { messageJson, replyDurationMs, streamFrames, type Frame, type ReplyMeta } from './sse.ts';

/** One message of a recorded request, as the CLI sent it. */
export interface RecordedMessage {
  role: string;
  content: unknown;
}

/** A `POST /v1/messages` request the fake received, kept so tests can assert what the model saw. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (null when it was not a JSON object). */
  body: Record<string, unknown> | null;
  /** `body.messages`, including any `role:"system"` entries. */
  messages: RecordedMessage[];
  stream: boolean;
  /** `performance.now()` when the whole request had arrived. */
  receivedAt: number;
  /** `performance.now()` when the whole response had been handed to the socket; null until then. */
  respondedAt: number | null;
}

/** Where the fake listens. Loopback only: tests must never open a port beyond this machine. */
export interface FakeAnthropicOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
}

/** A running fake; `close()` it in `afterEach`. */
export interface FakeAnthropic {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Model requests in arrival order (probes are not recorded). */
  requests: RecordedRequest[];
  /** Resolves with all requests once at least `n` arrived; rejects with `FakeAnthropicWaitError`. */
  waitForRequests(n: number, timeoutMs: number): Promise<RecordedRequest[]>;
  /** Stops listening, cuts open streams (also hanging ones) and cancels pending waits. */
  close(): Promise<void>;
}

/** `waitForRequests` gave up, or the fake closed while a test still waited. */
export class FakeAnthropicWaitError extends Error {
  override readonly name = 'FakeAnthropicWaitError';
  readonly wanted: number;
  readonly received: number;
  constructor(wanted: number, received: number, why: string) {
    super(
      `Fake Anthropic API ${why}: wanted ${wanted} model request(s), received ${received}. ` +
        'Check that the CLI got ANTHROPIC_BASE_URL and that the turn was started.',
    );
    this.wanted = wanted;
    this.received = received;
  }
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Starts the fake on 127.0.0.1 and resolves once it listens. */
export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const waiters = new Set<{ n: number; resolve: () => void; reject: (e: Error) => void }>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const failures = counter();
  let closed = false;

  const schedule = (fn: () => void, ms: number): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const cancel = (timer: NodeJS.Timeout | null): void => {
    if (timer === null) return;
    clearTimeout(timer);
    timers.delete(timer);
  };

  const record = (entry: RecordedRequest): void => {
    requests.push(entry);
    for (const waiter of waiters) {
      if (requests.length >= waiter.n) waiter.resolve();
    }
  };

  const handleMessages = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const body = parseBody(raw);
    const messages = Array.isArray(body?.['messages']) ? (body['messages'] as RecordedMessage[]) : [];
    const stream = body?.['stream'] === true;
    const entry: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, messages, stream, receivedAt: performance.now(), respondedAt: null };
    res.once('finish', () => (entry.respondedAt = performance.now()));
    record(entry);
    if (body === null) {
      sendError(res, 400, 'The request body must be a JSON object.');
      return;
    }
    let reply: Reply;
    try {
      reply = decideReply(messages, { newToolUseId: () => `toolu_${hex()}`, failures });
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      sendError(res, 400, error.message);
      return;
    }
    if (reply.kind === 'error') {
      sendError(res, reply.status, `Scripted failure (FAIL: ${reply.status}).`);
      return;
    }
    const meta: ReplyMeta = {
      messageId: `msg_${hex()}`,
      model: typeof body['model'] === 'string' ? body['model'] : 'claude-fake',
      // Deterministic stand-in for a token count, so captured fixtures and costs diff cleanly.
      inputTokens: 100 + 50 * messages.length,
    };
    if (!stream) {
      const send = (): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${hex()}` });
        res.end(JSON.stringify(messageJson(reply, meta)));
      };
      const wait = replyDurationMs(reply);
      if (wait === 0) send();
      else {
        const timer = schedule(send, wait);
        res.on('close', () => cancel(timer));
      }
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_${hex()}`,
    });
    writeFrames(res, streamFrames(reply, meta), schedule, cancel);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    if (req.method === 'HEAD') {
      res.writeHead(200).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (closed) return;
      if (req.method === 'POST' && path === '/v1/messages') {
        handleMessages(req, res, Buffer.concat(chunks).toString('utf8'));
        return;
      }
      // The CLI probes and preconnects; an empty JSON object is what it tolerates everywhere.
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    requests,
    waitForRequests(n, timeoutMs) {
      if (requests.length >= n) return Promise.resolve([...requests]);
      if (closed) return Promise.reject(new FakeAnthropicWaitError(n, requests.length, 'is closed'));
      return new Promise((resolve, reject) => {
        const waiter = {
          n,
          resolve: () => {
            finish();
            resolve([...requests]);
          },
          reject: (error: Error) => {
            finish();
            reject(error);
          },
        };
        const timeout = (): void => waiter.reject(new FakeAnthropicWaitError(n, requests.length, 'timed out'));
        const timer = schedule(timeout, timeoutMs);
        const finish = (): void => {
          cancel(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiter of [...waiters]) waiter.reject(new FakeAnthropicWaitError(waiter.n, requests.length, 'closed'));
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // A hanging or slow stream keeps its socket open on purpose; close must not wait for it.
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

function writeFrames(
  res: ServerResponse,
  frames: readonly Frame[],
  schedule: (fn: () => void, ms: number) => NodeJS.Timeout,
  cancel: (timer: NodeJS.Timeout | null) => void,
): void {
  let next = 0;
  let timer: NodeJS.Timeout | null = null;
  // Frames due at the same moment go out in one write: an immediate reply is a single packet.
  const pump = (): void => {
    timer = null;
    let chunk = '';
    do {
      chunk += frames[next]?.data ?? '';
      next++;
    } while (next < frames.length && frames[next]?.delayMs === 0);
    res.write(chunk);
    const following = frames[next];
    if (following === undefined) res.end();
    else timer = schedule(pump, following.delayMs);
  };
  res.on('close', () => cancel(timer));
  const first = frames[0];
  if (first === undefined) res.end();
  else if (first.delayMs > 0) timer = schedule(pump, first.delayMs);
  else pump();
}

function sendError(res: ServerResponse, status: number, message: string): void {
  const requestId = `req_${hex()}`;
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
}

function parseBody(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isObject ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function counter(): FailureLedger {
  const counts = new Map<string, number>();
  return {
    count: (key) => counts.get(key) ?? 0,
    add: (key) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
  };
}

function hex(): string {
  return randomBytes(12).toString('hex');
}
