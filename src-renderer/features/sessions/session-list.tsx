import { useShallow } from 'zustand/react/shallow';
import { sortSessions } from '../../store/index.ts';
import { useAppState } from '../../store-context.tsx';

/** The sessions, newest activity first; clicking one opens its timeline. */
export function SessionList() {
  const sessions = useAppState(useShallow((state) => sortSessions(state.sessions)));
  const selectedId = useAppState((state) => state.selectedSessionId);
  const selectSession = useAppState((state) => state.selectSession);
  if (sessions.length === 0) return <p className="empty">No sessions yet. Start one above.</p>;
  return (
    <ul className="session-list" aria-label="Sessions">
      {sessions.map((session) => (
        <li key={session.id}>
          <button
            type="button"
            className={session.id === selectedId ? 'session selected' : 'session'}
            aria-current={session.id === selectedId}
            onClick={() => void selectSession(session.id)}
          >
            <span className="session-title">{session.title || session.cwd}</span>
            <span className={`state state-${session.state}`}>{session.waitingFor ? `waiting for ${session.waitingFor}` : session.state}</span>
            <span className="session-meta">
              {session.agent} · {session.mode} · {session.cwd}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
