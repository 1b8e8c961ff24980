/**
 * A strict fake of the OpenAI Responses API for driving the real `codex` CLI offline: a loopback
 * server that answers `POST /v1/responses` (streamed) from the directives in the conversation
 * (script.ts) and records every request. It refuses what the real API refuses — a wrong key
 * (401), another model, `stream` not true or no `input` list (400) — and answers any other path
 * with a 404, so a client that starts calling a new endpoint shows up in `otherRequests`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decideReply, ScriptError, type InputItem } from './script.ts';
import { responseFrames, type Frame } from './sse.ts';

/** The key and model the fake accepts unless told otherwise (test/helpers/codex-env.ts configures them). */
export const FAKE_OPENAI_KEY = 'fake-openai-key';
/** A slug the CLI knows (its bundled metadata offers `apply_patch`, and no "unknown model" warning). */
export const FAKE_MODEL = 'gpt-5.5';

/** A `POST /v1/responses` the fake received. */
interface ResponsesRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  /** `body.input`: the conversation as Codex replays it. */
  input: InputItem[];
  status: number;
  /** The refusal's message, when the fake refused. */
  error: string | null;
}

export interface FakeResponses {
  /** The provider's `base_url`, e.g. `http://127.0.0.1:41234/v1` (Codex posts to `{base_url}/responses`). */
  baseUrl: string;
  requests: ResponsesRequest[];
  otherRequests: { method: string; url: string }[];
  close(): Promise<void>;
}

export interface FakeResponsesOptions {
  apiKey?: string;
  model?: string;
}

const hex = (): string => randomBytes(8).toString('hex');

function parseBody(raw: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The refusal for a request the real API would refuse, or null. */
function refusal(
  headers: IncomingHttpHeaders,
  body: Record<string, unknown> | null,
  apiKey: string,
  model: string,
): { status: number; code: string; message: string } | null {
  if (headers.authorization !== `Bearer ${apiKey}`) return { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.' };
  if (body === null) return { status: 400, code: 'invalid_json', message: 'The body is not a JSON object.' };
  if (body['model'] !== model) return { status: 400, code: 'model_not_found', message: `The model \`${String(body['model'])}\` does not exist.` };
  if (body['stream'] !== true) return { status: 400, code: 'invalid_request', message: 'This fake only streams: `stream` must be true.' };
  if (!Array.isArray(body['input'])) return { status: 400, code: 'invalid_request', message: '`input` must be a list of items.' };
  return null;
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeResponses(opts: FakeResponsesOptions = {}): Promise<FakeResponses> {
  const apiKey = opts.apiKey ?? FAKE_OPENAI_KEY;
  const model = opts.model ?? FAKE_MODEL;
  const requests: ResponsesRequest[] = [];
  const otherRequests: { method: string; url: string }[] = [];
  const sockets = new Set<Socket>();

  const sendError = (res: ServerResponse, status: number, code: string, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }));
  };

  const handle = (headers: IncomingHttpHeaders, raw: string, res: ServerResponse): void => {
    const body = parseBody(raw);
    const input = Array.isArray(body?.['input']) ? (body['input'] as InputItem[]) : [];
    const entry: ResponsesRequest = { headers, body, input, status: 200, error: null };
    requests.push(entry);
    const refused = refusal(headers, body, apiKey, model);
    if (refused) {
      Object.assign(entry, { status: refused.status, error: refused.message });
      return sendError(res, refused.status, refused.code, refused.message);
    }
    let frames: Frame[];
    try {
      frames = responseFrames(decideReply(input), { response: `resp_${hex()}`, item: `item_${hex()}`, call: `call_${hex()}` }, 100 + 10 * input.length);
    } catch (err) {
      if (!(err instanceof ScriptError)) throw err;
      Object.assign(entry, { status: 400, error: err.message });
      return sendError(res, 400, 'fake_script', err.message);
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    writeFrames(res, frames);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
      if (req.method === 'POST' && path === '/v1/responses') return handle(req.headers, Buffer.concat(chunks).toString('utf8'), res);
      otherRequests.push({ method: req.method ?? '', url: req.url ?? '' });
      sendError(res, 404, 'not_found', `Unknown path ${req.method} ${path}.`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    otherRequests,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      // A slow stream keeps its socket open on purpose; closing must not wait for it.
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** Writes frames in order, each after its delay; a client that hangs up (an interrupt) stops it. */
function writeFrames(res: ServerResponse, frames: readonly Frame[]): void {
  let next = 0;
  let timer: NodeJS.Timeout | null = null;
  const pump = (): void => {
    timer = null;
    let chunk = '';
    do chunk += frames[next++]!.data;
    while (next < frames.length && frames[next]!.delayMs === 0);
    res.write(chunk);
    if (next >= frames.length) res.end();
    else timer = setTimeout(pump, frames[next]!.delayMs);
  };
  res.on('close', () => {
    if (timer) clearTimeout(timer);
  });
  if (frames[0]!.delayMs > 0) timer = setTimeout(pump, frames[0]!.delayMs);
  else pump();
}
