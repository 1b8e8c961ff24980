import { NeedsYou } from './features/approvals/needs-you.tsx';
import { NewSessionForm } from './features/new-session/new-session-form.tsx';
import { SessionList } from './features/sessions/session-list.tsx';
import { SessionView } from './features/session/session-view.tsx';
import { useAppState } from './store-context.tsx';

const LINK_LABELS = { connecting: 'Connecting…', live: 'Live', offline: 'Offline' } as const;

/** The window: connection state on top, sessions on the left, approvals and the timeline on the right. */
export function App() {
  const link = useAppState((state) => state.link);
  const selectedId = useAppState((state) => state.selectedSessionId);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Reins</h1>
        <span className={`link link-${link.status}`} role="status" aria-label="Connection">
          {LINK_LABELS[link.status]}
        </span>
        {link.error ? <span className="link-error">{link.error}</span> : null}
      </header>
      <aside className="sidebar">
        <NewSessionForm />
        <SessionList />
      </aside>
      <main className="content">
        <NeedsYou />
        {selectedId ? <SessionView sessionId={selectedId} /> : <p className="empty">Select a session to see what its agent is doing.</p>}
      </main>
    </div>
  );
}

/** Shown instead of the app when there is no connection to a core at all. */
export function ConnectionProblem(props: { message: string }) {
  return (
    <div className="app fatal" role="alert">
      <h1>Reins</h1>
      <p>{props.message}</p>
    </div>
  );
}
