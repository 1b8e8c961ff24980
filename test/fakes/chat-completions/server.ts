/**
 * A fake OpenAI Chat Completions API (`POST /v1/chat/completions`) for OpenCode's
 * `@ai-sdk/openai-compatible` provider (and Qwen Code's and Copilot's OpenAI providers), scripted by the directives of `../model-directives.ts`.
 * Strict where the real API is: `Authorization: Bearer <key>` (401), a `model` and a non-empty
 * `messages` array (400), only declared tools may be called, any other path is a 404. A request
 * without tools (OpenCode's title generator) gets plain text. Streams are SSE `data:` chunks ending
 * in `data: [DONE]`, with a usage chunk when `stream_options.include_usage` asks for one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DirectiveError, fileToolArgs, parseDirective, pieces } from '../model-directives.ts';

const FAKE_CHAT_KEY = 'fake-chat-key';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface ChatRequest {
  path: string;
  body: Json | null;
  messages: ChatMessage[];
  /** Names of the tools the request declared. */
  tools: string[];
  status: number;
  error: string | null;
}

export interface FakeChat {
  /** Base URL for the provider's `baseURL` (ends in `/v1`). */
  url: string;
  apiKey: string;
  requests: ChatRequest[];
  /** Requests that offered tools (the agent's model turns, not title generation). */
  modelRequests(): ChatRequest[];
  /** Every tool result the agent sent back, in order. */
  toolResults(): { toolCallId: string; content: string }[];
  close(): Promise<void>;
}

class BadRequest extends Error {}

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join('\n') : '';

type Reply = { call: { name: string; args: Json } } | { text: string; ms: number };

function toolProps(body: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t) || !isObj(t.function) || typeof t.function.name !== 'string') continue;
    const params = isObj(t.function.parameters) ? t.function.parameters : {};
    out.set(t.function.name, isObj(params.properties) ? params.properties : {});
  }
  return out;
}

function decide(messages: ChatMessage[], tools: Map<string, Json>): Reply {
  const last = messages.at(-1)!;
  if (tools.size === 0) return { text: 'Fake title', ms: 0 };
  if (last.role === 'tool') {
    // The read that Qwen Code wants before an edit came back: now the edit itself.
    const asked = messages.findLast((m) => m.role === 'assistant')?.tool_calls?.[0]?.function.name;
    const prompt = messages.findLast((m) => m.role === 'user');
    if (asked === READ_BEFORE_EDIT && prompt) {
      const d = parseDirective(textOf(prompt.content));
      if (d.kind === 'edit') return editCall(d, tools);
    }
    const results = [];
    for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) results.unshift(textOf(messages[i]?.content));
    return { text: `FAKE-DONE (chat): tool returned ${JSON.stringify(results.join('\n'))}`, ms: 0 };
  }
  if (last.role !== 'user') throw new BadRequest(`the last message is from "${last.role}"; the fake answers a user or a tool message`);
  const d = parseDirective(textOf(last.content));
  /** The first of the names (OpenCode's, then Qwen Code's or Copilot's) that the request declares. */
  const tool = (...names: string[]): { name: string; props: Json } => {
    const name = names.find((n) => tools.has(n));
    if (name === undefined)
      throw new BadRequest(
        `the model was scripted to call ${names.join(' or ')}, which the request does not declare (declared: ${[...tools.keys()].join(', ')})`,
      );
    return { name, props: tools.get(name)! };
  };
  switch (d.kind) {
    case 'say':
      return { text: d.text, ms: 0 };
    case 'slow':
      return { text: d.text, ms: d.ms };
    case 'run': {
      const t = tool('bash', 'run_shell_command');
      return { call: { name: t.name, args: { command: d.command, description: 'fake: run the requested command' } } };
    }
    case 'read': {
      const t = tool('read', 'read_file', 'view');
      return { call: { name: t.name, args: fileToolArgs(t.props, { path: d.path }) } };
    }
    case 'write': {
      const t = tool('write', 'write_file', 'create');
      return { call: { name: t.name, args: fileToolArgs(t.props, { path: d.path, content: d.content }) } };
    }
    case 'edit':
      // Qwen Code refuses to edit a file it has not read in the session, so a model reads it first.
      if (tools.has(READ_BEFORE_EDIT)) return { call: { name: READ_BEFORE_EDIT, args: fileToolArgs(tools.get(READ_BEFORE_EDIT)!, { path: d.path }) } };
      return editCall(d, tools);
  }
}

/** Qwen Code's read tool, which must run before its edit tool may change a file. */
const READ_BEFORE_EDIT = 'read_file';

/** The edit call: the first of OpenCode's, Qwen Code's or Copilot's edit tools that the request declares. */
function editCall(d: { path: string; oldText: string; newText: string }, tools: Map<string, Json>): Reply {
  const name = ['edit', 'replace', 'str_replace'].find((n) => tools.has(n));
  if (name === undefined)
    throw new BadRequest(`the model was scripted to edit a file, but the request declares no edit tool (declared: ${[...tools.keys()].join(', ')})`);
  return { call: { name, args: fileToolArgs(tools.get(name)!, { path: d.path, oldText: d.oldText, newText: d.newText }) } };
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeChat(opts: { apiKey?: string } = {}): Promise<FakeChat> {
  const apiKey = opts.apiKey ?? FAKE_CHAT_KEY;
  const requests: ChatRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let calls = 0;

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: ChatRequest = { path: url.pathname, body: null, messages: [], tools: [], status: 200, error: null };
    requests.push(entry);
    const fail = (status: number, type: string, message: string): void => {
      entry.status = status;
      entry.error = message;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
    };
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions')
      return fail(404, 'invalid_request_error', `Unknown request URL: ${req.method} ${url.pathname}.`);
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(401, 'invalid_request_error', 'Incorrect API key provided.');
    let body: Json;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isObj(parsed)) throw new Error('not an object');
      body = parsed;
    } catch {
      return fail(400, 'invalid_request_error', 'We could not parse the JSON body of your request.');
    }
    entry.body = body;
    if (typeof body.model !== 'string') return fail(400, 'invalid_request_error', 'you must provide a model parameter');
    if (!Array.isArray(body.messages) || body.messages.length === 0) return fail(400, 'invalid_request_error', "Invalid 'messages': empty array.");
    entry.messages = body.messages as ChatMessage[];
    const tools = toolProps(body);
    entry.tools = [...tools.keys()];
    let reply: Reply;
    try {
      reply = decide(entry.messages, tools);
    } catch (err) {
      if (err instanceof BadRequest || err instanceof DirectiveError) return fail(400, 'invalid_request_error', err.message);
      throw err;
    }
    const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
    const id = `chatcmpl-fake-${++calls}`;
    const created = Math.floor(Date.now() / 1000);
    if (body.stream !== true) {
      const message =
        'call' in reply
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: `call_fake_${calls}`, type: 'function', function: { name: reply.call.name, arguments: JSON.stringify(reply.call.args) } }],
            }
          : { role: 'assistant', content: reply.text };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: 'call' in reply ? 'tool_calls' : 'stop' }],
          usage,
        }),
      );
      return;
    }
    const includeUsage = isObj(body.stream_options) && body.stream_options.include_usage === true;
    const chunk = (delta: Json, finish: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const end = (finish: string): void => {
      res.write(chunk({}, finish));
      if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    if ('call' in reply) {
      res.write(
        chunk(
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { index: 0, id: `call_fake_${calls}`, type: 'function', function: { name: reply.call.name, arguments: JSON.stringify(reply.call.args) } },
            ],
          },
          null,
        ),
      );
      end('tool_calls');
      return;
    }
    const parts = reply.ms > 0 ? pieces(reply.text, 10) : [reply.text];
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      res.write(chunk(i === 0 ? { role: 'assistant', content: parts[i] } : { content: parts[i] }, null));
      i++;
      if (i === parts.length) return end('stop');
      const t = setTimeout(() => {
        timers.delete(t);
        next();
      }, reply.ms / parts.length);
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
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    modelRequests: () => requests.filter((r) => r.tools.length > 0),
    toolResults: () =>
      requests
        .filter((r) => r.tools.length > 0 && r.messages.at(-1)?.role === 'tool')
        .map((r) => r.messages.at(-1)!)
        .map((m) => ({ toolCallId: m.tool_call_id ?? '', content: textOf(m.content) })),
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
