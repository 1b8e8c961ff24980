/**
 * The fake Anthropic Messages API: a loopback HTTP server that answers `POST /v1/messages`
 * from the directives in the conversation and records every model request.
 *
 * It is as strict as the real API, so that a client bug fails a test: the key (`x-api-key` or
 * `Authorization: Bearer`), the `anthropic-version` header, the body's fields and the
 * conversation's rules are checked (request-checks.ts, turn-checks.ts) and a breach gets the
 * real status and error body. Besides the Messages API it answers only the probes the pinned CLI
 * makes (`HEAD /api/hello`, a connectivity check; `HEAD /`, older versions' preconnect); any
 * other path is a 404 `not_found_error`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { invalidRequest, problem, sendProblem, type ApiProblem } from './api-error.ts';
import { decideReply, type FailureLedger, type Reply } from './decide.ts';
import { checkBody, checkCredentials, checkVersion } from './request-checks.ts';
import { ScriptError } from './script.ts';
import { messageJson, replyDurationMs, streamError, streamFrames, type Frame, type ReplyMeta } from './sse.ts';

/** The key the fake accepts unless told otherwise; `test/helpers/claude-env.ts` gives it to the CLI. */
export const FAKE_API_KEY = 'fake';

/** Paths the pinned CLI probes with HEAD before or beside its model requests. */
const PROBE_PATHS: ReadonlySet<string> = new Set(['/', '/api/hello']);

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
  /** The HTTP status the fake answered (200 also for a stream it cut short with an error event). */
  status: number;
  /** The error the fake answered with (in the body, or as the stream's `error` event), if any. */
  error: Pick<ApiProblem, 'type' | 'message'> | null;
  /** `performance.now()` when the whole request had arrived. */
  receivedAt: number;
  /** `performance.now()` when the whole response had been handed to the socket; null until then. */
  respondedAt: number | null;
}

/** A request to anything but `POST /v1/messages`, and the status it got. */
interface OtherRequest {
  method: string;
  url: string;
  status: number;
}

/** Where the fake listens. Loopback only: tests must never open a port beyond this machine. */
export interface FakeAnthropicOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** The API key requests must carry (default {@link FAKE_API_KEY}). */
  apiKey?: string;
}

/** A running fake; `close()` it in `afterEach`. */
export interface FakeAnthropic {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * Every `POST /v1/messages` in arrival order, refused ones included (see `status` and `error`);
   * probes and unknown paths are not recorded.
   */
  requests: RecordedRequest[];
  /**
   * Every other request (the probes, and anything answered 404), in arrival order: a client that
   * starts calling a new endpoint shows up here.
   */
  otherRequests: OtherRequest[];
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

/** Starts the fake on 127.0.0.1 and resolves once it listens. */
export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const otherRequests: OtherRequest[] = [];
  const waiters = new Set<{ n: number; resolve: () => void; reject: (e: Error) => void }>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const failures = counter();
  const apiKey = opts.apiKey ?? FAKE_API_KEY;
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
    const receivedAt = performance.now();
    const requestId = `req_${hex()}`;
    const body = parseBody(raw);
    const messages = Array.isArray(body?.['messages']) ? (body['messages'] as RecordedMessage[]) : [];
    const stream = body?.['stream'] === true;
    const answer = (status: number, error: RecordedRequest['error']): void => {
      const entry: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        messages,
        stream,
        status,
        error,
        receivedAt,
        respondedAt: null,
      };
      res.once('finish', () => (entry.respondedAt = performance.now()));
      record(entry);
    };
    const refuse = (p: ApiProblem, headers: Record<string, string> = {}): void => {
      answer(p.status, { type: p.type, message: p.message });
      sendProblem(res, p, requestId, headers);
    };

    const refusal = checkCredentials(req.headers, apiKey) ?? checkVersion(req.headers) ?? checkBody(body);
    if (refusal !== null) {
      refuse(refusal);
      return;
    }
    let reply: Reply;
    try {
      reply = decideReply(messages, { newToolUseId: () => `toolu_${hex()}`, failures });
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      refuse(invalidRequest(error.message));
      return;
    }
    if (reply.kind === 'error') {
      const retryAfter: Record<string, string> = reply.retryAfterS === null ? {} : { 'retry-after': String(reply.retryAfterS) };
      refuse(problem(reply.status, reply.message ?? `Scripted failure (FAIL: ${reply.status}).`), retryAfter);
      return;
    }
    const meta: ReplyMeta = {
      messageId: `msg_${hex()}`,
      // checkBody let it through, so the body is an object with a string model.
      model: String(body?.['model']),
      // Deterministic stand-in for a token count, so captured fixtures and costs diff cleanly.
      inputTokens: reply.usage?.inputTokens ?? 100 + 50 * messages.length,
    };
    if (!stream) {
      // A whole-message answer cannot break off mid-way: an overload is the plain 529.
      if (reply.breakWith !== null) {
        refuse(problem(529, streamError(reply.breakWith).message));
        return;
      }
      answer(200, null);
      const send = (): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
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
    answer(200, reply.breakWith === null ? null : streamError(reply.breakWith));
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    writeFrames(res, streamFrames(reply, meta), schedule, cancel);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (closed) return;
      if (req.method === 'POST' && path === '/v1/messages') {
        handleMessages(req, res, Buffer.concat(chunks).toString('utf8'));
        return;
      }
      const probe = req.method === 'HEAD' && PROBE_PATHS.has(path);
      otherRequests.push({ method: req.method ?? '', url: req.url ?? '', status: probe ? 200 : 404 });
      if (probe) res.writeHead(200).end();
      else sendProblem(res, problem(404, 'Not Found'), `req_${hex()}`);
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
    otherRequests,
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
