import type { ApiClient } from '../client/api-client.ts';
import type { Approval, Session } from '../contract/domain.ts';
import type { CoreView, WaitingReminder } from './tray-model.ts';

/** Inputs of {@link watchCoreStatus}. */
export interface StatusFeedOptions {
  /** The shared API client, presenting itself as the tray. */
  client: ApiClient;
  /** Resolves after `ms`, or rejects when `signal` aborts (node:timers/promises `setTimeout`). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Told the sessions and pending approvals whenever either changes. */
  onView(view: CoreView): void;
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
  const reminders = new Map<string, WaitingReminder>();
  let socket: { close(): void } | null = null;
  let last: string | null = null;

  const publish = (): void => {
    // An archived session (see the core's reaper) leaves the tray as it leaves the window's list.
    const view: CoreView = {
      sessions: [...sessions.values()].filter((session) => session.archivedAt === null),
      approvals: [...approvals.values()].filter((approval) => approval.status === 'pending'),
      reminders: [...reminders.values()],
    };
    // Only what the tray shows counts as a change (output frames bump updatedAt without changing it).
    const key = JSON.stringify([
      view.sessions.map((session) => [session.id, session.state, session.mode, session.title, session.agent]),
      view.approvals.map((approval) => approval.id),
      view.reminders?.map((reminder) => reminder.seq),
    ]);
    if (key === last) return;
    last = key;
    options.onView(view);
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

  const snapshot = async (): Promise<void> => {
    const [sessionList, approvalList] = await Promise.all([options.client.listSessions(), options.client.pendingApprovals()]);
    if (abort.signal.aborted) return;
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
      socket = options.client.openStream({
        onFrame(frame) {
          if (frame.type === 'hello') {
            snapshot().then(
              () => (opened = true),
              (error: unknown) => {
                if (!abort.signal.aborted) options.onError(error instanceof Error ? error : new Error(String(error)));
                socket?.close();
              },
            );
          } else if (frame.type === 'session') {
            putSession(frame.session);
            publish();
          } else if (frame.type === 'approval') {
            putApproval(frame.approval);
            publish();
          } else if (frame.type === 'event' && frame.event.kind === 'status' && frame.event.payload.reminder) {
            const { sessionId, seq, payload } = frame.event;
            reminders.set(sessionId, { sessionId, seq, detail: payload.detail ?? 'still waiting for you' });
            publish();
          }
        },
        onClose() {
          socket = null;
          resolve(opened);
        },
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
