/**
 * The renderer's client of the loopback API: typed calls with the bearer token, and the WebSocket
 * stream. Works the same in Electron and in a browser tab served by the daemon, and in Node tests
 * (it only needs `fetch` and `WebSocket`).
 */
import type {
  ApiErrorBody,
  ApiErrorCode,
  ApprovalListResponse,
  CreateSessionBody,
  DecisionBody,
  DecisionResponse,
  EventsResponse,
  HealthResponse,
  SendMessageBody,
  SessionListResponse,
  SessionResponse,
  StreamFrame,
} from '../src-main/contract/api.ts';
import type { CoreConnection } from '../src-main/contract/desktop.ts';
import type { Followup, Session } from '../src-main/contract/domain.ts';

/**
 * Subprotocol prefix carrying the token on the WebSocket upgrade (browsers cannot set Authorization there).
 * The same value as the contract's `WS_TOKEN_PROTOCOL_PREFIX`: the renderer takes only types from src-main, so it
 * keeps its own copy, and a unit test holds the two equal.
 */
export const TOKEN_PROTOCOL_PREFIX = 'reins.bearer.';

/** The core answered with an error body; `code` is the API's stable code, `message` says what to do. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode | 'network';
  constructor(status: number, code: ApiErrorCode | 'network', message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The part of a WebSocket the stream uses (the WHATWG `WebSocket` class satisfies it). */
export interface StreamSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  close(code?: number, reason?: string): void;
}

/** Callbacks of one stream connection. */
export interface StreamHandlers {
  onFrame(frame: StreamFrame): void;
  /** The socket closed (server stopped, network gone, or `close()` called). */
  onClose(): void;
}

/** IO the client needs; the browser's globals by default. */
export interface ApiClientIo {
  fetch: typeof fetch;
  openSocket(url: string, protocols: string[]): StreamSocket;
}

const browserIo = (): ApiClientIo => ({
  fetch: (input, init) => fetch(input, init),
  openSocket: (url, protocols) => new WebSocket(url, protocols),
});

/** Creates the client for one core connection. */
export function createApiClient(connection: CoreConnection, io: ApiClientIo = browserIo()) {
  const base = `${connection.url}/api/v1`;

  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${connection.token}`,
      'x-reins-surface': 'desktop',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await io.fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network', `The Reins core at ${connection.url} does not answer. Is it still running?`);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (json as ApiErrorBody | null)?.error;
      throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `HTTP ${response.status} from ${path}`);
    }
    return json as T;
  };

  const id = (value: string): string => encodeURIComponent(value);

  return {
    connection,
    health: () => call<HealthResponse>('GET', '/health'),
    listSessions: () => call<SessionListResponse>('GET', '/sessions'),
    getSession: (sessionId: string) => call<SessionResponse>('GET', `/sessions/${id(sessionId)}`),
    createSession: (body: CreateSessionBody) => call<{ session: Session }>('POST', '/sessions', body),
    events: (sessionId: string, after: number) =>
      call<EventsResponse>('GET', `/sessions/${id(sessionId)}/events?after=${after}`),
    sendMessage: (sessionId: string, body: SendMessageBody) =>
      call<{ followup: Followup }>('POST', `/sessions/${id(sessionId)}/messages`, body),
    stopSession: (sessionId: string) => call<{ session: Session }>('POST', `/sessions/${id(sessionId)}/stop`, {}),
    pendingApprovals: () => call<ApprovalListResponse>('GET', '/approvals?status=pending'),
    decide: (approvalId: string, body: DecisionBody) =>
      call<DecisionResponse>('POST', `/approvals/${id(approvalId)}/decision`, body),

    /** Opens `/api/v1/stream`; frames that are not valid JSON are ignored. Returns the closer. */
    openStream(handlers: StreamHandlers): { close(): void } {
      const socket = io.openSocket(`${connection.url.replace(/^http/, 'ws')}/api/v1/stream`, [
        `${TOKEN_PROTOCOL_PREFIX}${connection.token}`,
      ]);
      socket.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        let frame: StreamFrame;
        try {
          frame = JSON.parse(event.data) as StreamFrame;
        } catch {
          return;
        }
        handlers.onFrame(frame);
      });
      socket.addEventListener('close', () => handlers.onClose());
      return { close: () => socket.close(1000, 'client closed') };
    },
  };
}

/** A client bound to one core. */
export type ApiClient = ReturnType<typeof createApiClient>;
