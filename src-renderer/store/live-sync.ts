import type { StreamFrame } from '../../src-main/contract/api.ts';
import type { ApiClient } from '../../src-main/client/api-client.ts';
import type { AppStore } from './index.ts';

/** Inputs of {@link startLiveSync}. */
export interface LiveSyncOptions {
  /** Waits between reconnect attempts (window.setTimeout in the app; injectable in tests). */
  sleep(ms: number): Promise<void>;
}

/** A running sync; `stop` closes the stream and ends the reconnect loop. */
export interface LiveSync {
  stop(): void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

/**
 * Keeps the store in step with the core. On each stream `hello` it reloads sessions, pending approvals
 * and the open transcripts (anything may have happened while disconnected); after that, frames update the
 * store. When the stream drops it reconnects with exponential backoff.
 */
export function startLiveSync(store: AppStore, api: ApiClient, options: LiveSyncOptions): LiveSync {
  let stopped = false;
  let current: { close(): void } | null = null;
  let backoff = MIN_BACKOFF_MS;

  const onHello = async (): Promise<void> => {
    const state = store.getState();
    try {
      await Promise.all([state.loadSessions(), state.loadApprovals(), state.loadAgents()]);
      // Every transcript held may have missed events while the stream was down.
      const selected = store.getState().selectedSessionId;
      const open = new Set([...Object.keys(store.getState().transcripts), ...(selected ? [selected] : [])]);
      await Promise.all([...open].map((sessionId) => store.getState().loadEvents(sessionId)));
      backoff = MIN_BACKOFF_MS;
      store.getState().setLink('live');
    } catch (error) {
      store.getState().setLink('offline', error instanceof Error ? error.message : String(error));
      current?.close();
    }
  };

  const onFrame = (frame: StreamFrame): void => {
    const state = store.getState();
    switch (frame.type) {
      case 'hello':
        void onHello();
        break;
      case 'session':
        state.applySession(frame.session);
        break;
      case 'approval':
        state.applyApproval(frame.approval);
        break;
      case 'event':
        state.applyEvent(frame.event);
        break;
    }
  };

  const connect = (): void => {
    if (stopped) return;
    current = api.openStream({
      onFrame,
      onClose: () => {
        current = null;
        if (stopped) return;
        const wasLive = store.getState().link.status === 'live';
        store.getState().setLink('offline', wasLive ? 'Connection to the core lost; reconnecting…' : store.getState().link.error);
        const wait = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        void options.sleep(wait).then(connect);
      },
    });
  };

  connect();
  return {
    stop() {
      stopped = true;
      current?.close();
    },
  };
}
