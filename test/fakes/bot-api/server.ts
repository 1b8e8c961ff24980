import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from './backend.ts';
import { BotApiError, TELEGRAM_ERRORS, type ApiErrorBody } from './errors.ts';
import type { Fault, FaultPlan } from './faults.ts';
import { ClientGoneError, Described } from './method.ts';
import { findMethod } from './methods.ts';
import { readParams } from './params.ts';

/** One call the fake received, in arrival order, with how it was answered. */
export interface CallRecord {
  readonly seq: number;
  /** Canonical method name (`downloadFile` for `/file/bot…` downloads). */
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Clock time the call arrived, in ms. */
  readonly at: number;
  /** `pending` while a long poll is held; `dropped` for an injected dropped connection. */
  outcome: 'pending' | 'ok' | 'error' | 'dropped' | 'aborted';
  result?: unknown;
  error?: ApiErrorBody;
}

type FoundMethod = NonNullable<ReturnType<typeof findMethod>>;

type Answer = { readonly kind: 'ok'; readonly result: unknown; readonly description?: string } | { readonly kind: 'error'; readonly body: ApiErrorBody };

/**
 * The HTTP face of the fake: `/bot<token>/<method>` (GET query, JSON, urlencoded or multipart) and
 * `/file/bot<token>/<file_path>`, answering with Telegram's envelope and status codes.
 */
export class BotApiServer {
  readonly calls: CallRecord[] = [];
  private readonly backend: Backend;
  private readonly token: string;
  private readonly faults: FaultPlan;
  private readonly server: Server;

  constructor(backend: Backend, token: string, faults: FaultPlan) {
    this.backend = backend;
    this.token = token;
    this.faults = faults;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
    });
  }

  /** Starts listening on 127.0.0.1 with an ephemeral port; resolves to the base URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Answers held long polls with no updates, then closes every connection and the listener. */
  async close(): Promise<void> {
    this.backend.updates.release();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive sockets (grammY pools them) would otherwise hold close() open.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file !== null) return this.serveFile(res, file[1] ?? '', decodeURIComponent(file[2] ?? ''));
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    const token = route?.[1] ?? '';
    // Telegram answers a malformed token like an unknown path, and a well-formed wrong one with 401.
    if (route === null || !/^\d+:[\w-]+$/.test(token)) return this.reply(res, error(TELEGRAM_ERRORS.notFound));
    const requested = route[2] ?? '';
    const found = findMethod(requested);
    if (token !== this.token || found === undefined) {
      req.resume();
      const body = token !== this.token ? TELEGRAM_ERRORS.unauthorized : TELEGRAM_ERRORS.notFound;
      return this.finish(res, this.record(found?.name ?? requested, {}), error(body));
    }
    await this.dispatch(req, res, url, found);
  }

  /** Reads the parameters, applies an injected fault if one is queued, else runs the handler. */
  private async dispatch(req: IncomingMessage, res: ServerResponse, url: URL, found: FoundMethod): Promise<void> {
    let params;
    try {
      params = await readParams(req, url);
    } catch (failure) {
      if (!(failure instanceof BotApiError)) throw failure;
      res.setHeader('connection', 'close');
      return this.finish(res, this.record(found.name, {}), error(failure.toBody()));
    }
    const record = this.record(found.name, params.toLog());
    const fault = this.faults.take(found.name);
    if (fault !== undefined) return this.inject(req, res, record, fault);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) controller.abort();
    });
    let answer: Answer;
    try {
      const value = await found.handler(this.backend, { method: found.name, params, signal: controller.signal });
      answer = value instanceof Described ? { kind: 'ok', result: value.result, description: value.description } : { kind: 'ok', result: value };
    } catch (failure) {
      if (failure instanceof ClientGoneError) {
        record.outcome = 'aborted';
        this.backend.changed();
        return;
      }
      if (!(failure instanceof BotApiError)) throw failure;
      answer = error(failure.toBody());
    }
    this.finish(res, record, answer);
  }

  private record(method: string, params: Record<string, unknown>): CallRecord {
    const record: CallRecord = { seq: this.calls.length + 1, method, params, at: this.backend.clock.now(), outcome: 'pending' };
    this.calls.push(record);
    this.backend.changed();
    return record;
  }

  private finish(res: ServerResponse, record: CallRecord, answer: Answer): void {
    if (answer.kind === 'ok') {
      record.outcome = 'ok';
      record.result = answer.result;
    } else {
      record.outcome = 'error';
      record.error = answer.body;
    }
    this.reply(res, answer);
    this.backend.changed();
  }

  private inject(req: IncomingMessage, res: ServerResponse, record: CallRecord, fault: Fault): void {
    if (fault.kind === 'error') return this.finish(res, record, error(fault.body));
    if (fault.kind === 'drop') {
      record.outcome = 'dropped';
      req.socket.destroy();
      this.backend.changed();
      return;
    }
    record.outcome = 'error';
    record.error = { error_code: fault.status, description: fault.body };
    res.writeHead(fault.status, { 'content-type': fault.contentType, 'content-length': Buffer.byteLength(fault.body) });
    res.end(fault.body);
    this.backend.changed();
  }

  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    const record = this.record('downloadFile', { file_path: filePath });
    if (token !== this.token) return this.finish(res, record, error(TELEGRAM_ERRORS.unauthorized));
    const stored = this.backend.files.atPath(filePath);
    if (stored === undefined) return this.finish(res, record, error(TELEGRAM_ERRORS.notFound));
    record.outcome = 'ok';
    record.result = { size: stored.bytes.length };
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.bytes.length });
    res.end(stored.bytes);
    this.backend.changed();
  }

  private reply(res: ServerResponse, answer: Answer): void {
    if (res.writableEnded || res.destroyed) return;
    const described = answer.kind === 'ok' && answer.description !== undefined ? { description: answer.description } : {};
    const body = answer.kind === 'ok' ? { ok: true, result: answer.result, ...described } : { ok: false, ...answer.body };
    const text = JSON.stringify(body);
    const code = answer.kind === 'ok' ? 200 : answer.body.error_code;
    const status = code >= 100 && code < 600 ? code : 500;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  // A bug in the fake must fail the test loudly, not look like a Telegram error the client handles.
  private internalError(res: ServerResponse, failure: unknown): void {
    const detail = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
    const description = `Internal Server Error: fake Bot API bug: ${detail}`;
    this.record('internalError', { description }).outcome = 'error';
    this.reply(res, error({ error_code: 500, description }));
    this.backend.changed();
  }
}

function error(body: ApiErrorBody): Answer {
  return { kind: 'error', body };
}
