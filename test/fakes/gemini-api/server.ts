/**
 * A fake of the Gemini Developer API (`v1beta`) for driving the real `gemini` CLI offline
 * (GOOGLE_GEMINI_BASE_URL). It answers only what the pinned CLI calls and refuses the rest:
 * - `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` — the model, scripted by the
 *   directives of `../model-directives.ts` (SSE `data:` frames, as the real API sends);
 * - `POST /v1beta/models/{model}:generateContent` — JSON-mode utility calls (the model router's
 *   `model_choice`, the next-speaker check); any other is refused as unscripted;
 * - `POST /v1beta/models/{model}:countTokens`.
 * Every request must carry the key in `x-goog-api-key` (403 otherwise, as the real API does); an
 * unknown path is a 404; a tool the request does not declare cannot be called (400). Every
 * request is recorded, refused ones with their status.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DirectiveError, fileToolArgs, parseDirective, pieces } from '../model-directives.ts';

/** The key the fake accepts unless told otherwise. */
const FAKE_GEMINI_KEY = 'fake-gemini-key';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One part of a content, as the CLI sent it. */
interface GeminiPart {
  text?: string;
  functionCall?: { name: string; args: Json };
  functionResponse?: { name: string; response: Json };
}
interface GeminiContent {
  role: string;
  parts: GeminiPart[];
}

/** A request the fake received. */
interface GeminiRequest {
  path: string;
  /** `streamGenerateContent`, `generateContent`, `countTokens`, or null for an unknown path. */
  method: string | null;
  model: string | null;
  body: Json | null;
  contents: GeminiContent[];
  status: number;
  error: string | null;
}

export interface FakeGemini {
  /** Base URL for GOOGLE_GEMINI_BASE_URL. */
  url: string;
  apiKey: string;
  requests: GeminiRequest[];
  /** The model requests (streamGenerateContent) only. */
  modelRequests(): GeminiRequest[];
  /** Every function response the CLI sent back to the model, in order. */
  functionResponses(): { name: string; response: Json }[];
  close(): Promise<void>;
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

/** Tool names and their parameter properties, from the request's function declarations. */
function declaredTools(body: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(tool) || !Array.isArray(tool.functionDeclarations)) continue;
    for (const d of tool.functionDeclarations) {
      if (!isObj(d) || typeof d.name !== 'string') continue;
      const schema = isObj(d.parametersJsonSchema) ? d.parametersJsonSchema : isObj(d.parameters) ? d.parameters : {};
      out.set(d.name, isObj(schema.properties) ? schema.properties : {});
    }
  }
  return out;
}

function checkContents(body: Json): GeminiContent[] {
  if (!Array.isArray(body.contents) || body.contents.length === 0) throw new BadRequest('* GenerateContentRequest.contents: contents is not specified');
  return body.contents.map((c, i) => {
    if (!isObj(c) || !Array.isArray(c.parts) || c.parts.length === 0)
      throw new BadRequest(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    if (c.role !== 'user' && c.role !== 'model') throw new BadRequest(`Please use a valid role: user, model (contents[${i}].role ${String(c.role)}).`);
    return { role: c.role, parts: c.parts as GeminiPart[] };
  });
}

class BadRequest extends Error {}

/** The reply to a model request: a function call, or text (possibly streamed slowly). */
type Reply = { call: { name: string; args: Json } } | { text: string; ms: number };

function decide(contents: GeminiContent[], tools: Map<string, Json>): Reply {
  const last = contents.at(-1)!;
  const responses = last.parts.filter((p) => p.functionResponse);
  if (responses.length > 0)
    return {
      text: `FAKE-DONE: ${responses.map((p) => `tool ${p.functionResponse!.name} returned ${JSON.stringify(p.functionResponse!.response)}`).join('; ')}`,
      ms: 0,
    };
  const prompt = last.parts.map((p) => p.text ?? '').join('\n');
  const d = parseDirective(prompt);
  const tool = (name: string): Json => {
    const props = tools.get(name);
    if (props === undefined)
      throw new BadRequest(`the model was scripted to call ${name}, which the request does not declare (declared: ${[...tools.keys()].join(', ')})`);
    return props;
  };
  switch (d.kind) {
    case 'say':
      return { text: d.text, ms: 0 };
    case 'slow':
      return { text: d.text, ms: d.ms };
    case 'run':
      tool('run_shell_command');
      return { call: { name: 'run_shell_command', args: { command: d.command, description: 'fake: run the requested command' } } };
    case 'read':
      return { call: { name: 'read_file', args: fileToolArgs(tool('read_file'), { path: d.path }) } };
    case 'write':
      return { call: { name: 'write_file', args: fileToolArgs(tool('write_file'), { path: d.path, content: d.content }) } };
    case 'edit':
      return { call: { name: 'replace', args: fileToolArgs(tool('replace'), { path: d.path, oldText: d.oldText, newText: d.newText }) } };
  }
}

const usage = (contents: GeminiContent[]) => ({
  promptTokenCount: 100 * contents.length,
  candidatesTokenCount: 20,
  totalTokenCount: 100 * contents.length + 20,
});

/** A JSON-mode utility call: answered from its response schema, or refused as unscripted. */
function utilityAnswer(body: Json): Json {
  const config = isObj(body.generationConfig) ? body.generationConfig : {};
  const schema = isObj(config.responseJsonSchema) ? config.responseJsonSchema : isObj(config.responseSchema) ? config.responseSchema : {};
  const props = isObj(schema.properties) ? schema.properties : {};
  if ('model_choice' in props) return { reasoning: 'fake router: a bounded task', model_choice: 'flash' };
  if ('complexity_score' in props) return { complexity_reasoning: 'fake router: a bounded task', complexity_score: 10 };
  if ('next_speaker' in props) return { reasoning: 'fake: the model finished its turn', next_speaker: 'user' };
  throw new BadRequest(`unscripted generateContent call (schema properties: ${Object.keys(props).join(', ') || 'none'})`);
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeGemini(opts: { apiKey?: string } = {}): Promise<FakeGemini> {
  const apiKey = opts.apiKey ?? FAKE_GEMINI_KEY;
  const requests: GeminiRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = ROUTE.exec(url.pathname);
    const entry: GeminiRequest = {
      path: `${url.pathname}${url.search}`,
      method: route?.[2] ?? null,
      model: route?.[1] ?? null,
      body: null,
      contents: [],
      status: 200,
      error: null,
    };
    requests.push(entry);
    const fail = (status: number, statusText: string, message: string): void => {
      entry.status = status;
      entry.error = message;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: status, message, status: statusText } }));
    };
    if (route === null || req.method !== 'POST') return fail(404, 'NOT_FOUND', `No route for ${req.method} ${url.pathname} in the fake Gemini API.`);
    if (req.headers['x-goog-api-key'] !== apiKey)
      return fail(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    let body: Json;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isObj(parsed)) throw new Error('not an object');
      body = parsed;
    } catch {
      return fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    entry.body = body;
    try {
      entry.contents = checkContents(body);
      if (route[2] === 'countTokens') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ totalTokens: 100 * entry.contents.length }));
        return;
      }
      if (route[2] === 'generateContent') {
        const answer = utilityAnswer(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(answer) }] }, finishReason: 'STOP', index: 0 }],
            usageMetadata: usage(entry.contents),
            modelVersion: route[1],
          }),
        );
        return;
      }
      if (url.searchParams.get('alt') !== 'sse')
        return fail(400, 'INVALID_ARGUMENT', 'The fake serves streamGenerateContent only with alt=sse, as the CLI asks.');
      stream(res, decide(entry.contents, declaredTools(body)), entry.contents, route[1] ?? '');
    } catch (err) {
      if (err instanceof BadRequest || err instanceof DirectiveError) return fail(400, 'INVALID_ARGUMENT', err.message);
      throw err;
    }
  };

  const stream = (res: ServerResponse, reply: Reply, contents: GeminiContent[], model: string): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const frame = (parts: GeminiPart[], last: boolean): string =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }], ...(last ? { usageMetadata: usage(contents) } : {}), modelVersion: model })}\r\n\r\n`;
    if ('call' in reply) {
      res.end(frame([{ functionCall: reply.call }], true));
      return;
    }
    const chunks = reply.ms > 0 ? pieces(reply.text, 10) : [reply.text];
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      const last = i === chunks.length - 1;
      res.write(frame([{ text: chunks[i] ?? '' }], last));
      i++;
      if (last) {
        res.end();
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        next();
      }, reply.ms / chunks.length);
      timers.add(t);
    };
    next();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    modelRequests: () => requests.filter((r) => r.method === 'streamGenerateContent'),
    functionResponses: () =>
      requests
        .filter((r) => r.method === 'streamGenerateContent')
        .flatMap((r) => r.contents.at(-1)?.parts.flatMap((p) => (p.functionResponse ? [p.functionResponse] : [])) ?? []),
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
