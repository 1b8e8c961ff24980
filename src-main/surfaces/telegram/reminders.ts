/**
 * Reminders that a session still waits for the owner: the core's reaper appends a `status` event
 * with `reminder` (once per idle interval, instead of ending the session); the phone gets it as a
 * new message in the session's place, which notifies, where an edit of the live message would not.
 */
import type { SessionEvent } from '../../contract/index.ts';
import { escapeHtml } from './format/index.ts';
import type { Routing } from './routing.ts';
import type { SessionCache } from './session-cache.ts';
import type { Tasks } from './tasks.ts';
import { sessionLabel } from './views/session-label.ts';
import type { Writer } from './writer.ts';

/** Creates the reminder sender; feed it every event frame. */
export function createReminders(deps: { routing: Routing; writer: Writer; sessions: SessionCache; tasks: Tasks }) {
  return {
    onEvent(e: SessionEvent): void {
      if (e.kind !== 'status' || !e.payload.reminder) return;
      const { waitingMs, approvals } = e.payload.reminder;
      const s = deps.sessions.get(e.sessionId);
      const what = approvals === 1 ? 'an approval' : `${approvals} approvals`;
      const html = [
        `⏰ ${sessionLabel(s)}`,
        `<b>@${escapeHtml(s?.name ?? e.sessionId.slice(0, 8))}</b> still waits for you: ${what}, for ${Math.round(waitingMs / 60_000)} min. /approvals lists them.`,
      ].join('\n');
      deps.tasks.run('reminder', async () => {
        const place = await deps.routing.placeFor(e.sessionId);
        if (place) await deps.writer.send(place, html);
      });
    },
  };
}
