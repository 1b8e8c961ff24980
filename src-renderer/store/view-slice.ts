import type { SliceContext } from './app-state.ts';

/** What the main area shows: the selected session, the approvals waiting, the new-session form, or settings. */
export type View = 'session' | 'needs-you' | 'new-session' | 'settings';

/** The frame's navigation state. */
export interface ViewSlice {
  view: View;
  showView(view: View): void;
  /** Shows a session (from the sidebar, a notification or a new start) and loads its events. */
  openSession(sessionId: string): Promise<void>;
}

/** Creates the view slice. */
export function createViewSlice({ set, get }: SliceContext): ViewSlice {
  return {
    view: 'new-session',
    showView: (view) => set({ view }),
    async openSession(sessionId) {
      set({ view: 'session' });
      await get().selectSession(sessionId);
    },
  };
}
