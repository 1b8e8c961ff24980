/**
 * A follow-up sent while the agent is busy waits in a queue; the owner sees it as a message with
 * a Cancel button, edited to "sent" or "cancelled" when that happens (from any surface). Open
 * notices are recorded until that edit is done, so after a restart they are repainted too.
 */
import type { Followup, FollowupState, SessionEvent } from '../../contract/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { escapeHtml } from './format/index.ts';
import { OutboxError, type MessageTarget } from './outbox/index.ts';
import type { SessionCache } from './session-cache.ts';
import type { Place, QueueNotice, TelegramState } from './state.ts';
import { describe, type Tasks } from './tasks.ts';
import type { TelegramTuning } from './tuning.ts';
import { sessionLabel } from './views/session-label.ts';
import type { Writer } from './writer.ts';

const TEXT_SHOWN = 300;

/** Creates the notices; feed them every event frame and call `recover()` at start. */
export function createQueueNotices(deps: {
  state: TelegramState;
  writer: Writer;
  sessions: SessionCache;
  core: Pick<CoreFacade, 'sessions'>;
  clock: Clock;
  tuning: TelegramTuning;
  tasks: Tasks;
  log: Logger;
}) {
  const { state, writer } = deps;
  const refOf = (followupId: string): string => `queue:${followupId}`;
  const quote = (text: string): string => `«${escapeHtml(text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN - 1)}…` : text)}»`;

  /** Repaints the notice of a follow-up that left the queue; the record goes once the edit is done. */
  const paintFinal = (followupId: string, rec: QueueNotice, f: { sessionId: string; text: string; state: FollowupState }): void => {
    const text = quote(f.text);
    const html =
      f.state === 'sent'
        ? `📨 Sent to ${sessionLabel(deps.sessions.get(f.sessionId))}:\n${text}`
        : `✖ ${f.state === 'cancelled' ? 'Cancelled' : 'Not delivered'}:\n${text}`;
    const target: MessageTarget = rec.messageId !== null ? { chatId: rec.place.chatId, messageId: rec.messageId } : { ref: refOf(followupId) };
    const edit = writer.edit(rec.place.chatId, target, html, { final: true });
    deps.tasks.run('queue.final', async () => {
      try {
        await edit;
      } catch (err) {
        // Cut short by shutdown: the record stays, so the next start repaints the notice.
        if (err instanceof OutboxError && err.reason === 'stopped') throw err;
        deps.log.warn({ err: describe(err), followup: followupId }, 'telegram.queue_notice_failed');
      }
      state.queue.remove(followupId);
    });
  };

  return {
    /** Posts the notice of a queued follow-up. */
    show(place: Place, f: Followup): void {
      state.queue.put(f.id, { place, messageId: null, sessionId: f.sessionId });
      const handle = state.newHandle({ kind: 'followup', followupId: f.id, chatId: place.chatId, expiresAt: deps.clock.now() + deps.tuning.menuTtlMs });
      const html = `⏳ Queued for ${sessionLabel(deps.sessions.get(f.sessionId))}; it goes in when the agent finishes its turn:\n${quote(f.text)}`;
      const sent = writer.send(place, html, { keyboard: [[{ text: '✖ Cancel', payload: { handle, action: 'cancel_followup' } }]], ref: refOf(f.id) });
      deps.tasks.run('queue.notice', async () => {
        const messageId = await sent;
        state.rememberMessage(place.chatId, messageId, f.sessionId);
        const rec = state.queue.get(f.id);
        if (rec) state.queue.put(f.id, { ...rec, messageId });
      });
    },

    /** A follow-up event: repaints the notice once the follow-up left the queue. */
    onEvent(ev: SessionEvent): void {
      if (ev.kind !== 'followup' || ev.payload.state === 'queued') return;
      const rec = state.queue.get(ev.payload.followupId);
      if (!rec) return;
      paintFinal(ev.payload.followupId, rec, { sessionId: ev.sessionId, text: ev.payload.text, state: ev.payload.state });
    },

    /**
     * Repaints notices of follow-ups that left the queue while the bridge was down, and drops
     * records that can no longer be repainted (a send that never completed, a follow-up the core
     * no longer lists).
     */
    recover(): void {
      for (const [id, rec] of state.queue.entries()) {
        let f: Followup | undefined;
        try {
          f = rec.messageId === null ? undefined : deps.core.sessions.get(rec.sessionId).followups.find((x) => x.id === id);
        } catch {
          f = undefined;
        }
        if (f === undefined) state.queue.remove(id);
        else if (f.state !== 'queued') paintFinal(id, rec, f);
      }
    },
  };
}
/** See {@link createQueueNotices}. */
export type QueueNotices = ReturnType<typeof createQueueNotices>;
