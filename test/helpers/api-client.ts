import WebSocket from 'ws';
import { ApiError, createApiClient } from '../../src-main/client/api-client.ts';
import type { Approval, SessionEvent, Session, StreamFrame } from '../../src-main/contract/index.ts';
import { waitFor } from './wait-for.ts';

/**
 * The tests' view of the loopback API: the shared client (`client`) for typed calls, raw responses
 * for security tests, and waits.
 */
export function apiClient(url: string, token: string) {
  const client = createApiClient(
    { url, token },
    { surface: 'api', io: { fetch: (input, init) => fetch(input, init), openSocket: (u, protocols) => new globalThis.WebSocket(u, protocols) } },
  );
  const raw = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    try {
      return await client.request<T>(method, path, body);
    } catch (err) {
      if (err instanceof ApiError)
        throw Object.assign(new Error(`${method} ${path} → ${err.status} ${err.code}: ${err.message}`), { status: err.status, code: err.code });
      throw err;
    }
  };
  const api = {
    client,
    raw,
    get: <T>(path: string) => json<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => json<T>('POST', path, body),
    del: <T>(path: string) => json<T>('DELETE', path),
    async session(id: string): Promise<Session> {
      return (await api.get<{ session: Session }>(`/sessions/${id}`)).session;
    },
    async events(id: string, after = 0): Promise<SessionEvent[]> {
      const all: SessionEvent[] = [];
      for (;;) {
        const page = await api.get<{ events: SessionEvent[]; nextAfter: number; more: boolean }>(`/sessions/${id}/events?after=${after}&limit=1000`);
        all.push(...page.events);
        after = page.nextAfter;
        if (!page.more) return all;
      }
    },
    async pending(sessionId?: string): Promise<Approval[]> {
      const { approvals } = await api.get<{ approvals: Approval[] }>('/approvals?status=pending');
      return sessionId ? approvals.filter((a) => a.sessionId === sessionId) : approvals;
    },
    /** Waits until the session's state satisfies `pred`. */
    waitState(id: string, pred: (s: Session) => boolean, what: string, timeoutMs = 20_000): Promise<Session> {
      return waitFor(
        async () => {
          const s = await api.session(id);
          return pred(s) ? s : undefined;
        },
        what,
        timeoutMs,
      );
    },
    /** Waits for the next pending approval of a session. */
    waitApproval(sessionId: string, timeoutMs = 20_000): Promise<Approval> {
      return waitFor(async () => (await api.pending(sessionId))[0], `a pending approval in ${sessionId}`, timeoutMs);
    },
    /** Waits until a turn ends (`status` event with turn=ended) after seq `after`; returns the events. */
    async waitTurnEnd(id: string, after = 0, timeoutMs = 20_000): Promise<SessionEvent[]> {
      return waitFor(
        async () => {
          const evs = await api.events(id, after);
          return evs.some((e) => e.kind === 'status' && e.payload.turn === 'ended') ? evs : undefined;
        },
        `the end of a turn in ${id}`,
        timeoutMs,
      );
    },
    /** Opens the event stream (auth via the subprotocol, like a browser). */
    stream(extraHeaders: Record<string, string> = {}): Promise<{ frames: StreamFrame[]; ws: WebSocket; close(): void }> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream`, [`reins.bearer.${token}`], { headers: extraHeaders });
        const frames: StreamFrame[] = [];
        ws.on('message', (d) => frames.push(JSON.parse(String(d)) as StreamFrame));
        ws.once('open', () => resolve({ frames, ws, close: () => ws.terminate() }));
        ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`ws refused: ${res.statusCode}`), { status: res.statusCode })));
        ws.once('error', reject);
      });
    },
  };
  return api;
}
export type TestApi = ReturnType<typeof apiClient>;
