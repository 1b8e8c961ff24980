import type { SliceContext } from './app-state.ts';

/** What the window does to a running session besides writing to it: stop it, or stop only its turn. */
export interface SessionActionsSlice {
  /** Ends the session's agent (a later message resumes it). */
  stopSession(sessionId: string): Promise<void>;
  /** Stops the current turn only; the agent keeps its process and context. */
  interruptSession(sessionId: string): Promise<void>;
  /** Gives the session another name; rejects with the core's reason (taken, wrong form). */
  renameSession(sessionId: string, name: string): Promise<void>;
  /** The session's transcript (secrets redacted by the core) and the file name to save it under. */
  exportSession(sessionId: string, format: 'md' | 'json' | 'html'): Promise<{ fileName: string; body: string }>;
}

/** Creates the session actions slice. */
export function createSessionActionsSlice({ get, api }: SliceContext): SessionActionsSlice {
  return {
    async stopSession(sessionId) {
      const { session } = await api.stopSession(sessionId);
      get().applySession(session);
    },
    async interruptSession(sessionId) {
      await api.interruptSession(sessionId);
    },
    async renameSession(sessionId, name) {
      const { session } = await api.renameSession(sessionId, name);
      get().applySession(session);
    },
    exportSession: (sessionId, format) => api.exportSession(sessionId, format),
  };
}
