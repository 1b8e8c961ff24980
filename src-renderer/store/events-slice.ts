import type { SessionEvent } from '../../src-main/contract/events.ts';
import type { SliceContext } from './app-state.ts';

/**
 * The part of a session's event log the window holds: a contiguous run of events, newest last. It
 * starts with the newest page and grows backwards as the owner scrolls up (`loadOlder`), and
 * forwards with every live frame.
 */
export interface Transcript {
  /** Events in `seq` order with no gaps. */
  events: SessionEvent[];
  /** True while an older page is being fetched. */
  loadingOlder: boolean;
}

/** Session transcripts (only of sessions that were opened) and how they load. */
export interface EventsSlice {
  transcripts: Record<string, Transcript>;
  /** Loads the newest page of a session (if not held yet), then everything after what is held. */
  loadEvents(sessionId: string): Promise<void>;
  /** Fetches the page before the oldest event held; no-op when the start is already held. */
  loadOlder(sessionId: string): Promise<void>;
  /** An `event` frame: appended when it is the next seq; a gap triggers a fetch of what was missed. */
  applyEvent(event: SessionEvent): void;
}

/** Events per page: enough to fill a tall window, small enough to paint at once. */
export const PAGE_SIZE = 400;
/** Upper bound on pages fetched in one catch-up, so a runaway server cannot spin the renderer. */
const MAX_PAGES = 50;

/** True when the transcript holds the session's very first event. */
export function holdsStart(transcript: Transcript | undefined): boolean {
  return transcript !== undefined && (transcript.events.length === 0 || transcript.events[0]!.seq === 1);
}

/** Creates the events slice. */
export function createEventsSlice({ set, get, api }: SliceContext): EventsSlice {
  const loading = new Map<string, Promise<void>>();

  const update = (sessionId: string, change: (held: Transcript) => Transcript): void =>
    set((state) => {
      const held = state.transcripts[sessionId] ?? { events: [], loadingOlder: false };
      return { transcripts: { ...state.transcripts, [sessionId]: change(held) } };
    });

  const append = (sessionId: string, events: SessionEvent[]): void =>
    update(sessionId, (held) => {
      const last = held.events.at(-1)?.seq ?? 0;
      const fresh = events.filter((event) => event.seq > last);
      return fresh.length === 0 ? held : { ...held, events: held.events.concat(fresh) };
    });

  const fetchNewer = async (sessionId: string): Promise<void> => {
    if (!get().transcripts[sessionId]) {
      // First open: start at the newest page, whatever the session's length.
      const lastSeq = get().sessions[sessionId]?.lastSeq ?? 0;
      const after = Math.max(0, lastSeq - PAGE_SIZE);
      const response = await api.events(sessionId, after, PAGE_SIZE);
      update(sessionId, (held) => ({ ...held, events: response.events }));
      if (!response.more) return;
    }
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await api.events(sessionId, get().transcripts[sessionId]?.events.at(-1)?.seq ?? 0, PAGE_SIZE);
      append(sessionId, response.events);
      if (!response.more) return;
    }
  };

  return {
    transcripts: {},

    loadEvents(sessionId) {
      // One fetch per session at a time: frames arriving during a fetch must not start another.
      const running = loading.get(sessionId);
      if (running) return running;
      const task = fetchNewer(sessionId).finally(() => loading.delete(sessionId));
      loading.set(sessionId, task);
      return task;
    },

    async loadOlder(sessionId) {
      const held = get().transcripts[sessionId];
      if (!held || held.loadingOlder || holdsStart(held)) return;
      const first = held.events[0]!.seq;
      const after = Math.max(0, first - 1 - PAGE_SIZE);
      update(sessionId, (t) => ({ ...t, loadingOlder: true }));
      try {
        const response = await api.events(sessionId, after, first - 1 - after);
        update(sessionId, (t) => {
          const start = t.events[0]?.seq ?? Number.POSITIVE_INFINITY;
          return { ...t, events: response.events.filter((event) => event.seq < start).concat(t.events) };
        });
      } finally {
        update(sessionId, (t) => ({ ...t, loadingOlder: false }));
      }
    },

    applyEvent(event) {
      const held = get().transcripts[event.sessionId];
      if (!held) return; // not opened: its newest page is fetched when it is
      const last = held.events.at(-1)?.seq ?? 0;
      if (event.seq <= last) return; // already have it (a fetch overlapped the stream)
      if (event.seq === last + 1) {
        append(event.sessionId, [event]);
        return;
      }
      void get()
        .loadEvents(event.sessionId)
        .catch(() => {});
    },
  };
}
