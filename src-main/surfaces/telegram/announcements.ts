/**
 * Tells the owner when a schedule or a webhook started a session: a message of its own (so the
 * phone notifies), naming the session and the note the core recorded on it ("Started by the schedule
 * "nightly" …: missed at 03:00 while the computer slept; running now"). The session's live status
 * follows as for any run.
 */
import type { CoreFacade, SessionEvent } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { escapeHtml } from './format/index.ts';
import type { Routing } from './routing.ts';
import type { Tasks } from './tasks.ts';
import { sessionLabel } from './views/session-label.ts';
import type { Writer } from './writer.ts';

const HEADINGS = { schedule: '⏰ <b>A schedule started a session</b>', webhook: '🪝 <b>A webhook started a session</b>' } as const;

/** Creates the announcer; feed it every event frame. */
export function createAnnouncements(deps: { core: Pick<CoreFacade, 'sessions'>; writer: Writer; routing: Routing; tasks: Tasks; log: Logger }) {
  return {
    onEvent(e: SessionEvent): void {
      if (e.kind !== 'message' || e.payload.role !== 'user') return;
      const source = e.payload.source;
      if (source !== 'schedule' && source !== 'webhook') return;
      deps.tasks.run('announce', async () => {
        const { session } = deps.core.sessions.get(e.sessionId);
        // The core records who started the session, and why now, as the status line just before the prompt.
        const before = deps.core.sessions.events(e.sessionId, Math.max(0, e.seq - 2), 1).events[0];
        const note = before?.kind === 'status' && before.payload.detail ? `\n<i>${escapeHtml(before.payload.detail)}</i>` : '';
        const place = await deps.routing.placeFor(e.sessionId);
        if (place === null) return;
        await deps.writer.send(place, `${HEADINGS[source]}\n${sessionLabel(session)}${note}`);
      });
    },
  };
}
