/**
 * The one typed client of the loopback API, used by the renderer, the desktop's tray feed, the CLI
 * and the tests: calls and the WebSocket stream. With a bearer token (CLI, desktop main, tests) it sends
 * it on every call; without one (the renderer, in a browser tab or the desktop window, both signed in
 * through a login URL) it relies on the page's session cookie, same-origin only. Works under Node too
 * (it only needs `fetch` and `WebSocket`, both injectable). Takes only types from the contract, so the
 * renderer's bundle stays free of zod.
 */
import type {
  AgentsResponse,
  AuthSessionResponse,
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
  LoginCodeResponse,
  SendMessageBody,
  SessionListResponse,
  SessionResponse,
  StreamFrame,
  TelegramTokenBody,
  UpdateSessionBody,
} from '../contract/api.ts';
import type { PairingInfo, TelegramStatus } from '../contract/telegram.ts';
import type { Schedule, Webhook } from '../contract/schedules.ts';
import type { Approval, ApprovalStatus, AuditEntry, DayBudget, Followup, Grant, Session, SessionMode, Surface } from '../contract/domain.ts';
import type { PasscodeStatus } from '../contract/passcode.ts';

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

/**
 * Where the client calls: the core's base URL (e.g. `http://127.0.0.1:7717`, no `/api/v1`) and, for
 * clients that hold it, the bearer token. Without a token the browser's session cookie signs the calls.
 */
export interface ApiConnection {
  url: string;
  token?: string | undefined;
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
export function createApiClient(connection: ApiConnection, options: ApiClientOptions = {}) {
  const io = options.io ?? browserIo();
  const base = `${connection.url}/api/v1`;

  const send = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { 'x-reins-surface': options.surface ?? 'desktop' };
    if (connection.token) headers.authorization = `Bearer ${connection.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await io.fetch(`${base}${path}`, {
        method,
        headers,
        // The session cookie goes to the page's own origin only; with a token no cookie is needed.
        credentials: connection.token ? 'omit' : 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network', `The Reins core at ${connection.url} does not answer. Is it still running?`);
    }
    return response;
  };
  const call = async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> =>
    readAnswer<T>(await send(method, path, body), path);

  const readAnswer = async <T>(response: Response, path: string): Promise<T> => {
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
    /** How this client is signed in (401 when it is not). */
    authSession: () => call<AuthSessionResponse>('GET', '/auth/session'),
    /** A one-time login URL for a browser (needs the bearer token). */
    mintLoginUrl: () => call<LoginCodeResponse>('POST', '/auth/login-codes', {}),
    agents: () => call<AgentsResponse>('GET', '/agents'),
    listSessions: () => call<SessionListResponse>('GET', '/sessions'),
    /** A session's transcript (secrets redacted) and the file name the core gives it. */
    exportSession: async (sessionId: string, format: 'md' | 'json' | 'html') => {
      const path = `/sessions/${id(sessionId)}/export?format=${format}`;
      const response = await send('GET', path);
      if (!response.ok) await readAnswer(response, path);
      const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `reins-transcript.${format}`;
      return { fileName, body: await response.text() };
    },
    getSession: (sessionId: string) => call<SessionResponse>('GET', `/sessions/${id(sessionId)}`),
    createSession: (body: CreateSessionBody) => call<{ session: Session }>('POST', '/sessions', body),
    /** Gives a session a new name (1–32 lower-case letters, digits and dashes, not taken). */
    renameSession: (sessionId: string, name: string) => call<{ session: Session }>('PATCH', `/sessions/${id(sessionId)}`, { name } satisfies UpdateSessionBody),
    /** A page of a session's events after seq `after`; `limit` defaults to the core's page size (500, at most 5000). */
    events: (sessionId: string, after: number, limit?: number) =>
      call<EventsResponse>('GET', `/sessions/${id(sessionId)}/events?after=${after}${limit === undefined ? '' : `&limit=${limit}`}`),
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
    listSchedules: () => call<{ schedules: Schedule[] }>('GET', '/schedules'),
    removeSchedule: (name: string) => call<{ schedule: Schedule }>('DELETE', `/schedules/${id(name)}`),
    listWebhooks: () => call<{ webhooks: Webhook[] }>('GET', '/webhooks'),
    removeWebhook: (name: string) => call<{ webhook: Webhook }>('DELETE', `/webhooks/${id(name)}`),
    audit: (limit = 100) => call<{ entries: AuditEntry[] }>('GET', `/audit?limit=${limit}`),
    verifyAudit: () => call<AuditVerification>('GET', '/audit/verify'),
    /** Today's spend across sessions against the day's limit. */
    budgetToday: async () => (await call<{ today: DayBudget }>('GET', '/budget')).today,
    /** Whether a passcode guards the phone's riskiest buttons, and any lock after wrong tries (never the passcode). */
    passcodeStatus: async () => (await call<{ passcode: PasscodeStatus }>('GET', '/passcode')).passcode,
    /** What an agent's executable says its version is; null when it is not installed or does not say. */
    agentVersion: async (agentId: string) => (await call<{ version: string | null }>('GET', `/agents/${id(agentId)}/version`)).version,
    /** Raw keystrokes for a terminal session (`\r` Enter, `\u0003` Ctrl-C). */
    terminalInput: (sessionId: string, data: string) => call<{ ok: true }>('POST', `/sessions/${id(sessionId)}/input`, { data }),
    /** A terminal session's size in character cells. */
    terminalResize: (sessionId: string, cols: number, rows: number) => call<{ ok: true }>('POST', `/sessions/${id(sessionId)}/resize`, { cols, rows }),
    telegramStatus: async () => (await call<{ status: TelegramStatus }>('GET', '/telegram/status')).status,
    /** A new one-time pairing link for the phone. */
    pairTelegram: () => call<PairingInfo>('POST', '/telegram/pair', {}),
    /** Stores a bot token (the core checks it with Telegram first); answers the new status. */
    setTelegramToken: async (token: string) => (await call<{ status: TelegramStatus }>('PUT', '/telegram/token', { token } satisfies TelegramTokenBody)).status,

    /** Opens `/api/v1/stream`; frames that are not valid JSON are ignored. Returns the closer. */
    openStream(handlers: StreamHandlers): { close(): void } {
      // Without a token the browser sends the session cookie (and our Origin) with the handshake.
      const protocols = connection.token ? [`${TOKEN_PROTOCOL_PREFIX}${connection.token}`] : [];
      const socket = io.openSocket(`${connection.url.replace(/^http/, 'ws')}/api/v1/stream`, protocols);
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
