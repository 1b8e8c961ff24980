import { useAppState } from '../../store-context.tsx';
import { FollowupForm } from './followup-form.tsx';
import { summarizeEvent } from './event-summary.ts';

const EMPTY: never[] = [];

/** The selected session's event log, in order, with the follow-up box under it. */
export function EventTimeline() {
  const sessionId = useAppState((state) => state.selectedSessionId);
  const session = useAppState((state) => (sessionId ? state.sessions[sessionId] : undefined));
  const events = useAppState((state) => (sessionId ? (state.timelines[sessionId] ?? EMPTY) : EMPTY));
  if (!sessionId || !session) return <p className="empty">Select a session to see what its agent is doing.</p>;
  return (
    <section className="timeline" aria-label="Session timeline">
      <header className="timeline-header">
        <h2>{session.title || session.cwd}</h2>
        <span className={`state state-${session.state}`}>{session.state}</span>
        {session.stateReason ? <span className="state-reason">{session.stateReason}</span> : null}
      </header>
      <ol className="events">
        {events.map((event) => {
          const summary = summarizeEvent(event);
          return (
            <li key={event.seq} className={`event tone-${summary.tone}`} data-kind={event.kind}>
              <span className="event-label">{summary.label}</span>
              <span className="event-text">{summary.text}</span>
            </li>
          );
        })}
      </ol>
      <FollowupForm sessionId={sessionId} />
    </section>
  );
}
