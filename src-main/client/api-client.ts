/**
 * The one typed client of the loopback API, used by the renderer, the desktop's tray feed, the CLI
 * and the tests: calls with the bearer token, and the WebSocket stream. Works the same in Electron,
 * in a browser tab served by the daemon, and under Node (it only needs `fetch` and `WebSocket`, both
 * injectable). Takes only types from the contract, so the renderer's bundle stays free of zod.
 */
import type {
  AgentsResponse,
  ApiErrorBody,
  ApiErrorCode,
  ApprovalListResponse,
  AuditVerification,
  CreateGrantBody,
  CreateSessionBody,
  DecisionBody,
  DecisionResponse,
  EventsResponse,
  GrantListResponse,
  HealthResponse,
  SendMessageBody,
  SessionListResponse,
  SessionResponse,
  StreamFrame,
} from '../contract/api.ts';
import type { CoreConnection } from '../contract/desktop.ts';
import type { Approval, ApprovalStatus, AuditEntry, Followup, Grant, Session, SessionMode, Surface } from '../contract/domain.ts';

/**
 * Subprotocol prefix carrying the token on the WebSocket upgrade (browsers cannot set Authorization there).
 * The same value as the contract's `WS_TOKEN_PROTOCOL_PREFIX`: this client takes only types from the contract (whose
 * runtime part pulls zod), so it keeps its own copy, and a unit test holds the two equal.
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
interface StreamSocket {
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

/** How a client presents itself: the surface its decisions are recorded under, and its IO. */
export interface ApiClientOptions {
  surface?: Extract<Surface, 'desktop' | 'cli' | 'tray' | 'notification' | 'api'>;
  io?: ApiClientIo;
}

/** Creates the client for one core connection. */
export function createApiClient(connection: CoreConnection, options: ApiClientOptions = {}) {
  const io = options.io ?? browserIo();
  const base = `${connection.url}/api/v1`;

  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${connection.token}`,
      'x-reins-surface': options.surface ?? 'desktop',
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
    /** Any call of the API, for paths the typed methods below do not cover. */
    request: call,
    health: () => call<HealthResponse>('GET', '/health'),
    agents: () => call<AgentsResponse>('GET', '/agents'),
    listSessions: () => call<SessionListResponse>('GET', '/sessions'),
    getSession: (sessionId: string) => call<SessionResponse>('GET', `/sessions/${id(sessionId)}`),
    createSession: (body: CreateSessionBody) => call<{ session: Session }>('POST', '/sessions', body),
    events: (sessionId: string, after: number) => call<EventsResponse>('GET', `/sessions/${id(sessionId)}/events?after=${after}`),
    sendMessage: (sessionId: string, body: SendMessageBody) => call<{ followup: Followup }>('POST', `/sessions/${id(sessionId)}/messages`, body),
    stopSession: (sessionId: string) => call<{ session: Session }>('POST', `/sessions/${id(sessionId)}/stop`, {}),
    interruptSession: (sessionId: string) => call<{ interrupted: boolean }>('POST', `/sessions/${id(sessionId)}/interrupt`, {}),
    setMode: (sessionId: string, mode: SessionMode) => call<{ session: Session }>('POST', `/sessions/${id(sessionId)}/mode`, { mode }),
    cancelFollowup: (followupId: string) => call<{ cancelled: boolean }>('POST', `/followups/${id(followupId)}/cancel`, {}),
    listApprovals: (status?: ApprovalStatus) => call<ApprovalListResponse>('GET', `/approvals${status ? `?status=${status}` : ''}`),
    pendingApprovals: () => call<ApprovalListResponse>('GET', '/approvals?status=pending'),
    getApproval: (approvalId: string) => call<{ approval: Approval }>('GET', `/approvals/${id(approvalId)}`),
    decide: (approvalId: string, body: DecisionBody) => call<DecisionResponse>('POST', `/approvals/${id(approvalId)}/decision`, body),
    listGrants: () => call<GrantListResponse>('GET', '/grants'),
    createGrant: (body: CreateGrantBody) => call<{ grant: Grant }>('POST', '/grants', body),
    revokeGrant: (grantId: string) => call<{ grant: Grant }>('DELETE', `/grants/${id(grantId)}`),
    audit: (limit = 100) => call<{ entries: AuditEntry[] }>('GET', `/audit?limit=${limit}`),
    verifyAudit: () => call<AuditVerification>('GET', '/audit/verify'),
    /** Mints a one-time login URL (`/login?code=…`) that signs a window in by cookie, so it needs no token. */
    createLoginCode: () => call<{ url: string; expiresAt: string }>('POST', '/auth/login-codes', {}),

    /** Opens `/api/v1/stream`; frames that are not valid JSON are ignored. Returns the closer. */
    openStream(handlers: StreamHandlers): { close(): void } {
      const socket = io.openSocket(`${connection.url.replace(/^http/, 'ws')}/api/v1/stream`, [`${TOKEN_PROTOCOL_PREFIX}${connection.token}`]);
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
