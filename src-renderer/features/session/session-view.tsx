import { useEffect, useMemo, useState } from 'react';
import { spendWords } from '../../../src-main/contract/budget-words.ts';
import type { SessionEvent } from '../../../src-main/contract/events.ts';
import { useAppState } from '../../store-context.tsx';
import { Composer } from './composer.tsx';
import { ExportMenu } from './export-menu.tsx';
import { SessionName } from './session-name.tsx';
import { buildTranscript } from './transcript.ts';
import { TranscriptView } from './transcript-view.tsx';
import './session.css';

const NO_EVENTS: SessionEvent[] = [];

/**
 * One session as a chat: its header (title, agent, state), the live transcript with approvals
 * inline, and the composer. Loads the newest page of events when opened; the stream keeps it live.
 */
export function SessionView(props: { sessionId: string }) {
  const { sessionId } = props;
  const session = useAppState((state) => state.sessions[sessionId]);
  const events = useAppState((state) => state.transcripts[sessionId]?.events ?? NO_EVENTS);
  const held = useAppState((state) => state.transcripts[sessionId] !== undefined);
  const agentName = useAppState((state) => state.agents.find((agent) => agent.id === session?.agent)?.displayName);
  const loadEvents = useAppState((state) => state.loadEvents);
  const [details, setDetails] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const items = useMemo(() => buildTranscript(events, details), [events, details]);

  useEffect(() => {
    if (held) return;
    loadEvents(sessionId).catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
  }, [held, loadEvents, sessionId]);

  if (!session) return <p className="muted session-missing">This session is not known to the core.</p>;
  return (
    <section className="session-view" aria-labelledby={`session-${sessionId}-title`}>
      <header className="session-head">
        <div className="session-head-main">
          <h2 id={`session-${sessionId}-title`}>{session.title || session.cwd}</h2>
          <span className={`state-pill state-${session.state}`}>{session.waitingFor ? `waiting for ${session.waitingFor}` : session.state}</span>
        </div>
        <div className="session-head-meta">
          <SessionName session={session} />
          <span>{agentName ?? session.agent}</span>
          <span>{session.mode} mode</span>
          {spendWords(session.budget) ? (
            <span className="session-spend" title="What this session spent (against its budget, when it has one)">
              {spendWords(session.budget)}
            </span>
          ) : null}
          <span className="session-cwd" title={session.cwd}>
            {session.cwd}
          </span>
          <ExportMenu session={session} />
          <label className="details-toggle">
            <input type="checkbox" checked={details} onChange={(event) => setDetails(event.target.checked)} />
            Details
          </label>
        </div>
        {session.stateReason ? <p className="session-reason">{session.stateReason}</p> : null}
        {loadError ? (
          <p className="error" role="alert">
            {loadError}
          </p>
        ) : null}
      </header>
      <TranscriptView session={session} items={items} />
      <Composer session={session} />
    </section>
  );
}
