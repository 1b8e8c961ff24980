import type { AgentInfo, CreateSessionBody } from '../../src-main/contract/api.ts';
import type { Delivery, Session } from '../../src-main/contract/domain.ts';
import type { SessionEvent } from '../../src-main/contract/events.ts';
import type { SliceContext } from './app-state.ts';

/** Sessions, the selected one, and the event timelines loaded so far (only of sessions that were opened). */
export interface SessionsSlice {
  sessions: Record<string, Session>;
  /** The agents the core knows, installed or not, with what each can do. */
  agents: AgentInfo[];
  selectedSessionId: string | null;
  /** Per session, events in `seq` order with no gaps. Absent until the session is opened. */
  timelines: Record<string, SessionEvent[]>;
  loadSessions(): Promise<void>;
  loadAgents(): Promise<void>;
  selectSession(sessionId: string | null): Promise<void>;
  /** Fetches the events after the last one held (all pages). */
  loadEvents(sessionId: string): Promise<void>;
  createSession(body: CreateSessionBody): Promise<Session>;
  sendMessage(sessionId: string, text: string, delivery: Delivery): Promise<void>;
  /** A `session` frame or API answer: keeps the newer copy. */
  applySession(session: Session): void;
  /** An `event` frame: appended when it is the next seq; a gap triggers a fetch of what was missed. */
  applyEvent(event: SessionEvent): void;
}

/** Upper bound on pages fetched in one `loadEvents`, so a runaway server cannot spin the renderer. */
const MAX_PAGES = 50;

/** Sessions sorted for the list: most recently updated first. */
export function sortSessions(sessions: Record<string, Session>): Session[] {
  return Object.values(sessions).sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

/** Creates the sessions slice. */
export function createSessionsSlice({ set, get, api }: SliceContext): SessionsSlice {
  const lastSeq = (sessionId: string): number => get().timelines[sessionId]?.at(-1)?.seq ?? 0;
  const loading = new Map<string, Promise<void>>();

  const fetchEvents = async (sessionId: string): Promise<void> => {
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await api.events(sessionId, lastSeq(sessionId));
      set((state) => {
        const held = state.timelines[sessionId] ?? [];
        const last = held.at(-1)?.seq ?? 0;
        const fresh = response.events.filter((event) => event.seq > last);
        return { timelines: { ...state.timelines, [sessionId]: [...held, ...fresh] } };
      });
      if (!response.more) return;
    }
  };

  return {
    sessions: {},
    agents: [],
    selectedSessionId: null,
    timelines: {},

    async loadSessions() {
      const { sessions } = await api.listSessions();
      set({ sessions: Object.fromEntries(sessions.map((session) => [session.id, session])) });
    },

    async loadAgents() {
      const { agents } = await api.agents();
      set({ agents });
    },

    async selectSession(sessionId) {
      set({ selectedSessionId: sessionId });
      if (sessionId) await get().loadEvents(sessionId);
    },

    loadEvents(sessionId) {
      // One fetch per session at a time: frames arriving during a fetch must not start another.
      const running = loading.get(sessionId);
      if (running) return running;
      const task = fetchEvents(sessionId).finally(() => loading.delete(sessionId));
      loading.set(sessionId, task);
      return task;
    },

    async createSession(body) {
      const { session } = await api.createSession(body);
      get().applySession(session);
      await get().selectSession(session.id);
      return session;
    },

    async sendMessage(sessionId, text, delivery) {
      await api.sendMessage(sessionId, { text, delivery });
    },

    applySession(session) {
      set((state) => {
        const known = state.sessions[session.id];
        if (known && known.updatedAt > session.updatedAt) return {};
        return { sessions: { ...state.sessions, [session.id]: session } };
      });
    },

    applyEvent(event) {
      const held = get().timelines[event.sessionId];
      if (!held) return; // not opened: fetched in full when it is
      const last = held.at(-1)?.seq ?? 0;
      if (event.seq <= last) return; // already have it (a fetch overlapped the stream)
      if (event.seq === last + 1) {
        set((state) => ({ timelines: { ...state.timelines, [event.sessionId]: [...held, event] } }));
        return;
      }
      void get()
        .loadEvents(event.sessionId)
        .catch(() => {});
    },
  };
}
