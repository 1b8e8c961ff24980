import { WS_TOKEN_PROTOCOL_PREFIX, type ApprovalListResponse, type SessionListResponse, type StreamFrame } from '../contract/api.ts';
import type { Approval, Session } from '../contract/domain.ts';
import { deriveTrayStatus, type TrayStatus } from './tray-status.ts';

/** The part of a WebSocket the feed uses (the WHATWG `WebSocket` in Node 24 and Electron main). */
export interface FeedSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  close(): void;
}

/** Opens a WebSocket offering the given subprotocols. */
export type FeedSocketFactory = (url: string, protocols: string[]) => FeedSocket;

/** Inputs of {@link watchCoreStatus}. */
export interface StatusFeedOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  openSocket: FeedSocketFactory;
  /** Resolves after `ms`, or rejects when `signal` aborts (node:timers/promises `setTimeout`). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  onStatus(status: TrayStatus): void;
  onError(error: Error): void;
}

/** A running feed; `stop` closes the socket and ends the reconnect loop. */
export interface StatusFeed {
  stop(): Promise<void>;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps the tray's view of the core current: a snapshot of sessions and pending approvals, then the
 * WebSocket stream's `session` and `approval` frames on top. On disconnect it retries with exponential
 * backoff (1 s … 30 s) and takes a fresh snapshot, so nothing missed while away stays stale.
 */
export function watchCoreStatus(options: StatusFeedOptions): StatusFeed {
  const abort = new AbortController();
  const sessions = new Map<string, Session>();
  const approvals = new Map<string, Approval>();
  let socket: FeedSocket | null = null;
  let last: TrayStatus | null = null;

  const publish = (): void => {
    const status = deriveTrayStatus(sessions.values(), approvals.values());
    if (last && last.state === status.state && last.activeSessions === status.activeSessions && last.pendingApprovals === status.pendingApprovals) {
      return;
    }
    last = status;
    options.onStatus(status);
  };

  // Frames and the snapshot may arrive in either order: keep the newer session, and never let a
  // decided approval turn pending again (decisions are final).
  const putSession = (session: Session): void => {
    const known = sessions.get(session.id);
    if (!known || known.updatedAt <= session.updatedAt) sessions.set(session.id, session);
  };
  const putApproval = (approval: Approval): void => {
    const known = approvals.get(approval.id);
    if (known && known.status !== 'pending' && approval.status === 'pending') return;
    approvals.set(approval.id, approval);
  };

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await options.fetch(`${options.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${options.token}`, 'x-reins-surface': 'tray' },
      signal: abort.signal,
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };

  const snapshot = async (): Promise<void> => {
    const [sessionList, approvalList] = await Promise.all([
      getJson<SessionListResponse>('/sessions'),
      getJson<ApprovalListResponse>('/approvals?status=pending'),
    ]);
    sessions.clear();
    for (const session of sessionList.sessions) sessions.set(session.id, session);
    for (const [id, approval] of approvals) if (approval.status === 'pending') approvals.delete(id);
    for (const approval of approvalList.approvals) putApproval(approval);
    publish();
  };

  /** One connection: resolves when the socket closes; `opened` says whether it got as far as the snapshot. */
  const connectOnce = (): Promise<boolean> =>
    new Promise((resolve) => {
      let opened = false;
      const wsUrl = `${options.url.replace(/^http/, 'ws')}/api/v1/stream`;
      const ws = options.openSocket(wsUrl, [`${WS_TOKEN_PROTOCOL_PREFIX}${options.token}`]);
      socket = ws;
      ws.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        let frame: StreamFrame;
        try {
          frame = JSON.parse(event.data) as StreamFrame;
        } catch {
          return;
        }
        if (frame.type === 'hello') {
          snapshot().then(
            () => (opened = true),
            (error: unknown) => {
              if (!abort.signal.aborted) options.onError(error instanceof Error ? error : new Error(String(error)));
              ws.close();
            },
          );
        } else if (frame.type === 'session') {
          putSession(frame.session);
          publish();
        } else if (frame.type === 'approval') {
          putApproval(frame.approval);
          publish();
        }
      });
      ws.addEventListener('close', () => {
        socket = null;
        resolve(opened);
      });
    });

  const loop = async (): Promise<void> => {
    let backoff = MIN_BACKOFF_MS;
    while (!abort.signal.aborted) {
      const wasUp = await connectOnce();
      if (abort.signal.aborted) return;
      if (wasUp) backoff = MIN_BACKOFF_MS;
      try {
        await options.sleep(backoff, abort.signal);
      } catch {
        return; // aborted while waiting
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };
  const done = loop();

  return {
    async stop() {
      abort.abort();
      socket?.close();
      await done;
    },
  };
}
