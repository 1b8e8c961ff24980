import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { Session } from '../src-main/contract/domain.ts';
import { NeedsYou } from './features/approvals/needs-you.tsx';
import { NewSessionView } from './features/new-session/new-session-view.tsx';
import { watchForNotifications } from './features/notifications/browser-notifications.ts';
import { NotificationBanner } from './features/notifications/notification-banner.tsx';
import { projectName } from './features/sessions/session-filter.ts';
import { SessionSidebar } from './features/sessions/session-sidebar.tsx';
import { SessionView } from './features/session/session-view.tsx';
import { ThemeToggle } from './frame/theme-toggle.tsx';
import type { View } from './store/index.ts';
import { useAppState, useAppStore } from './store-context.tsx';

// The heavy parts load when first shown: xterm.js with the terminal, the QR library with settings.
const TerminalView = lazy(() => import('./features/terminal/terminal-view.tsx'));
const SettingsView = lazy(() => import('./features/settings/settings-view.tsx'));

const LINK_LABELS = { connecting: 'Connecting…', live: 'Live', offline: 'Offline' } as const;

/** The window: the sidebar (views, sessions) and the main area showing the chosen view. */
export function App() {
  const store = useAppStore();
  // In a browser tab the page notifies; the desktop app does it natively.
  useEffect(() => (window.reins ? undefined : watchForNotifications(store)), [store]);
  useDesktopFocus();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <aside className="sidebar" aria-label="Sidebar">
        <header className="brand">
          <h1>Reins</h1>
          <ConnectionBadge />
          <ThemeToggle />
        </header>
        <ViewNav />
        <SessionSidebar />
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <NotificationBanner />
        <CurrentView />
      </main>
    </div>
  );
}

/**
 * Inside the desktop app: tells the main process which session is on screen (it sends no notification
 * for that one) and opens the session a notification click asks for.
 */
function useDesktopFocus(): void {
  const store = useAppStore();
  const focused = useAppState((state) => (state.view === 'session' ? state.selectedSessionId : null));
  // Subscribe before the first focus report: main holds a notification's session until that report.
  useEffect(() => window.reins?.onOpenSession((sessionId) => void store.getState().openSession(sessionId)), [store]);
  useEffect(() => {
    window.reins?.setFocusedSession(focused);
  }, [focused]);
}

function ConnectionBadge() {
  const link = useAppState((state) => state.link);
  return (
    <span className={`link link-${link.status}`} role="status" aria-label="Connection" title={link.error ?? undefined}>
      {LINK_LABELS[link.status]}
    </span>
  );
}

/** The fixed views: a new session, what needs the owner (with the count), settings. */
function ViewNav() {
  const view = useAppState((state) => state.view);
  const showView = useAppState((state) => state.showView);
  const waiting = useAppState((state) => Object.keys(state.pendingApprovals).length);
  const item = (target: View, label: string, extra?: ReactNode) => (
    <li>
      <button type="button" className="nav-item" aria-current={view === target ? 'page' : undefined} onClick={() => showView(target)}>
        {label}
        {extra}
      </button>
    </li>
  );
  return (
    <nav aria-label="Views">
      <ul className="nav-list">
        {item('new-session', 'New session')}
        {item(
          'needs-you',
          'Needs you',
          waiting > 0 ? (
            <span className="badge badge-amber">
              {waiting}
              <span className="visually-hidden"> waiting</span>
            </span>
          ) : null,
        )}
        {item('settings', 'Settings')}
      </ul>
    </nav>
  );
}

function CurrentView() {
  const view = useAppState((state) => state.view);
  switch (view) {
    case 'new-session':
      return <NewSessionView />;
    case 'needs-you':
      return <NeedsYouView />;
    case 'settings':
      return (
        <Suspense fallback={<p className="muted">Loading settings…</p>}>
          <SettingsView />
        </Suspense>
      );
    case 'session':
      return <SessionArea />;
  }
}

/** What needs the owner now: every pending approval, across all sessions. */
function NeedsYouView() {
  return (
    <div className="view">
      <NeedsYou />
    </div>
  );
}

/** The selected session: a terminal for terminal sessions, else the chat with its approvals inline. */
function SessionArea() {
  const session = useAppState((state) => (state.selectedSessionId ? state.sessions[state.selectedSessionId] : undefined));
  if (!session) return <p className="empty">Choose a session in the sidebar.</p>;
  if (session.agent === 'terminal') {
    return (
      <div className="view session-view">
        <TerminalHeader session={session} />
        <Suspense fallback={<p className="muted">Loading the terminal…</p>}>
          <TerminalView key={session.id} session={session} />
        </Suspense>
      </div>
    );
  }
  return <SessionView key={session.id} sessionId={session.id} />;
}

function TerminalHeader(props: { session: Session }) {
  const { session } = props;
  return (
    <header className="timeline-header">
      <h2>{session.title || projectName(session.cwd)}</h2>
      <span className={`state state-${session.state}`}>{session.state}</span>
      <span className="muted" title={session.cwd}>
        Terminal · {projectName(session.cwd)}
      </span>
    </header>
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
