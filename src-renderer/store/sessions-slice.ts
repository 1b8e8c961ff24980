import type { AgentInfo, CreateSessionBody } from '../../src-main/contract/api.ts';
import type { Delivery, Session } from '../../src-main/contract/domain.ts';
import type { SliceContext } from './app-state.ts';

/** Sessions and the selected one (its events live in the events slice). */
export interface SessionsSlice {
  sessions: Record<string, Session>;
  /** The agents the core knows, installed or not, with what each can do. */
  agents: AgentInfo[];
  selectedSessionId: string | null;
  loadSessions(): Promise<void>;
  loadAgents(): Promise<void>;
  selectSession(sessionId: string | null): Promise<void>;
  createSession(body: CreateSessionBody): Promise<Session>;
  sendMessage(sessionId: string, text: string, delivery: Delivery): Promise<void>;
  /** A `session` frame or API answer: keeps the newer copy. */
  applySession(session: Session): void;
}

/** Sessions sorted for the list: most recently updated first. */
export function sortSessions(sessions: Record<string, Session>): Session[] {
  return Object.values(sessions).sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

/** Creates the sessions slice. */
export function createSessionsSlice({ set, get, api }: SliceContext): SessionsSlice {
  return {
    sessions: {},
    agents: [],
    selectedSessionId: null,

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
  };
}
