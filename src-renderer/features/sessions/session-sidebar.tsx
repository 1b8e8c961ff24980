import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Session, SessionState } from '../../../src-main/contract/domain.ts';
import { useNow } from '../../frame/use-now.ts';
import { sortSessions } from '../../store/index.ts';
import { useAppState } from '../../store-context.tsx';
import { relativeTime } from './relative-time.ts';
import { filterSessions, NO_FILTER, projectName, type SessionFilter } from './session-filter.ts';

const STATES: readonly SessionState[] = ['starting', 'running', 'stalled', 'waiting', 'idle', 'stopped', 'failed', 'interrupted'];

/** The sessions, newest activity first, with a filter row; choosing one opens it. */
export function SessionSidebar() {
  // Archived sessions (by age, see the reaper) leave the list; `reins sessions --all` still shows them.
  const sessions = useAppState(useShallow((state) => sortSessions(state.sessions).filter((session) => session.archivedAt === null)));
  const [filter, setFilter] = useState<SessionFilter>(NO_FILTER);
  const shown = useMemo(() => filterSessions(sessions, filter), [sessions, filter]);
  const agentIds = useMemo(() => [...new Set(sessions.map((session) => session.agent))].sort(), [sessions]);
  const agentNames = useAgentNames();
  // One clock for every row's "n min ago".
  const now = useNow();

  return (
    <section className="sessions" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <search className="session-filter">
        <input
          type="search"
          aria-label="Filter sessions"
          placeholder="Filter…"
          value={filter.text}
          onChange={(event) => setFilter({ ...filter, text: event.target.value })}
        />
        <select aria-label="State" value={filter.state} onChange={(event) => setFilter({ ...filter, state: event.target.value as SessionState | '' })}>
          <option value="">Any state</option>
          {STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
        <select aria-label="Agent" value={filter.agent} onChange={(event) => setFilter({ ...filter, agent: event.target.value })}>
          <option value="">Any agent</option>
          {agentIds.map((id) => (
            <option key={id} value={id}>
              {agentNames[id] ?? id}
            </option>
          ))}
        </select>
      </search>
      {sessions.length === 0 ? (
        <p className="empty">No sessions yet.</p>
      ) : shown.length === 0 ? (
        <p className="empty">No session matches the filter.</p>
      ) : (
        <ul className="session-list" aria-label="Sessions">
          {shown.map((session) => (
            <SessionItem key={session.id} session={session} agentName={agentNames[session.agent] ?? session.agent} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Agent ids to display names, from the registry the core reported. */
function useAgentNames(): Record<string, string> {
  const agents = useAppState((state) => state.agents);
  return useMemo(() => Object.fromEntries(agents.map((agent) => [agent.id, agent.displayName])), [agents]);
}

function SessionItem(props: { session: Session; agentName: string; now: number }) {
  const { session, now } = props;
  const open = useAppState((state) => state.view === 'session' && state.selectedSessionId === session.id);
  const openSession = useAppState((state) => state.openSession);
  const pending = useAppState((state) => Object.values(state.pendingApprovals).filter((approval) => approval.sessionId === session.id).length);
  const stateText = session.waitingFor ? `waiting for ${session.waitingFor}` : session.state;
  return (
    <li>
      <button
        type="button"
        className={open ? 'session selected' : 'session'}
        aria-current={open ? 'page' : undefined}
        data-session-id={session.id}
        onClick={() => void openSession(session.id)}
      >
        <span className="session-title">{session.title || projectName(session.cwd)}</span>
        {pending > 0 ? (
          <span className="badge badge-amber" title={`${pending} approval${pending === 1 ? '' : 's'} waiting`}>
            {pending}
            <span className="visually-hidden"> waiting for you</span>
          </span>
        ) : null}
        <span className="session-meta">
          <span className="session-name" title="The session's name: @name in the Telegram chat, or in place of its id in the CLI">
            @{session.name}
          </span>
          <span className={`state state-${session.state}`}>{stateText}</span>
          <span>{props.agentName}</span>
          <span className="project" title={session.cwd}>
            {projectName(session.cwd)}
          </span>
          {session.adopted ? (
            <span className="tag" title="Started outside Reins; seen through its hook">
              adopted
            </span>
          ) : null}
          <time className="when" dateTime={new Date(session.updatedAt).toISOString()} title={new Date(session.updatedAt).toLocaleString()}>
            {relativeTime(session.updatedAt, now)}
          </time>
        </span>
      </button>
    </li>
  );
}
