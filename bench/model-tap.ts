/**
 * A pass-through on 127.0.0.1 in front of a fake model server that notes when each request arrived
 * and when its answer was fully written back: the agent's side of the model API, timed where the
 * model sees it. The agent is pointed at the tap instead of the fake; bodies are forwarded untouched
 * (streamed answers stream), so the tap adds one loopback hop to every request, on both sides alike.
 */
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the agent made to its model API. */
export interface TappedRequest {
  path: string;
  /** The body as JSON, or null when it is not JSON. */
  body: Record<string, unknown> | null;
  /** `performance.now()` when the request had fully arrived. */
  arrivedAt: number;
  /** `performance.now()` when the answer had been fully written back; null while it streams. */
  answeredAt: number | null;
}

export interface ModelTap {
  /** The tap's origin, e.g. `http://127.0.0.1:41234`; append the fake's own path prefix. */
  origin: string;
  requests: TappedRequest[];
  close(): Promise<void>;
}

const parse = (raw: string): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** Starts a tap forwarding to `upstream` (an origin such as `http://127.0.0.1:40000`). */
export async function startModelTap(upstream: string): Promise<ModelTap> {
  const target = new URL(upstream);
  const requests: TappedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: TappedRequest = { path: req.url ?? '/', body: parse(raw.toString('utf8')), arrivedAt: performance.now(), answeredAt: null };
      requests.push(entry);
      const headers = { ...req.headers, host: target.host, 'content-length': String(raw.length) };
      delete headers['transfer-encoding'];
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      res.once('finish', () => (entry.answeredAt = performance.now()));
      up.once('error', () => res.destroy());
      up.end(raw);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** How an agent's model requests read: which are model turns, and which carry a tool's result back. */
export interface ModelWire {
  /** A request that asks the model for its next step (not a title, a token count or a router call). */
  isModelTurn(r: TappedRequest): boolean;
  /** A model turn whose newest input is a tool's result. */
  carriesToolResult(r: TappedRequest): boolean;
}

/** The tap found a tool result with no model answer before it to measure from. */
class UnpairedToolResultError extends Error {
  override readonly name = 'UnpairedToolResultError';
  constructor(index: number) {
    super(`Model request ${index} carries a tool result, but the model turn before it is missing or unanswered: the bench's wire rules do not fit this agent.`);
  }
}

/**
 * For every model turn from `from` on that carries a tool's result: the time from the answer of the
 * model turn before it (the one that handed the agent the tool call) to its arrival, in ms.
 */
export function toolCallGaps(tap: ModelTap, wire: ModelWire, from = 0): number[] {
  const turns = tap.requests.map((r, i) => ({ r, i })).filter(({ r }) => wire.isModelTurn(r));
  const gaps: number[] = [];
  for (let k = 0; k < turns.length; k++) {
    const { r, i } = turns[k]!;
    if (i < from || !wire.carriesToolResult(r)) continue;
    const before = turns[k - 1]?.r;
    if (before === undefined || before.answeredAt === null || wire.carriesToolResult(before)) throw new UnpairedToolResultError(i);
    gaps.push(r.arrivedAt - before.answeredAt);
  }
  return gaps;
}
