/**
 * A follow-up sent while the agent is busy waits in a queue; the owner sees it as a message with
 * a Cancel button, edited to "sent" or "cancelled" when that happens (from any surface).
 */
import type { Followup, SessionEvent } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { escapeHtml } from './format/index.ts';
import type { MessageTarget } from './outbox/index.ts';
import type { SessionCache } from './session-cache.ts';
import type { Place, TelegramState } from './state.ts';
import { describe, type Tasks } from './tasks.ts';
import type { TelegramTuning } from './tuning.ts';
import { sessionLabel } from './views/session-label.ts';
import type { Writer } from './writer.ts';

const TEXT_SHOWN = 300;

/** Creates the notices; feed them every event frame. */
export function createQueueNotices(deps: { state: TelegramState; writer: Writer; sessions: SessionCache; clock: Clock; tuning: TelegramTuning; tasks: Tasks; log: Logger }) {
  const { state, writer } = deps;
  const refOf = (followupId: string): string => `queue:${followupId}`;
  const quote = (text: string): string => `«${escapeHtml(text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN - 1)}…` : text)}»`;
  const texts = new Map<string, string>();

  return {
    /** Posts the notice of a queued follow-up. */
    show(place: Place, f: Followup): void {
      state.queue.put(f.id, { place, messageId: null });
      texts.set(f.id, f.text);
      const handle = state.newHandle({ kind: 'followup', followupId: f.id, chatId: place.chatId, expiresAt: deps.clock.now() + deps.tuning.menuTtlMs });
      const html = `⏳ Queued for ${sessionLabel(deps.sessions.get(f.sessionId))}; it goes in when the agent finishes its turn:\n${quote(f.text)}`;
      const sent = writer.send(place, html, { keyboard: [[{ text: '✖ Cancel', payload: { handle, action: 'cancel_followup' } }]], ref: refOf(f.id) });
      deps.tasks.run('queue.notice', async () => {
        const messageId = await sent;
        state.rememberMessage(place.chatId, messageId, f.sessionId);
        if (state.queue.get(f.id)) state.queue.put(f.id, { place, messageId });
      });
    },

    /** A follow-up event: repaints the notice once the follow-up left the queue. */
    onEvent(ev: SessionEvent): void {
      if (ev.kind !== 'followup' || ev.payload.state === 'queued') return;
      const rec = state.queue.get(ev.payload.followupId);
      if (!rec) return;
      state.queue.remove(ev.payload.followupId);
      const text = quote(texts.get(ev.payload.followupId) ?? ev.payload.text);
      texts.delete(ev.payload.followupId);
      const html = ev.payload.state === 'sent' ? `📨 Sent to ${sessionLabel(deps.sessions.get(ev.sessionId))}:\n${text}` : `✖ ${ev.payload.state === 'cancelled' ? 'Cancelled' : 'Not delivered'}:\n${text}`;
      const target: MessageTarget = rec.messageId !== null ? { chatId: rec.place.chatId, messageId: rec.messageId } : { ref: refOf(ev.payload.followupId) };
      writer
        .edit(rec.place.chatId, target, html, { final: true })
        .catch((err: unknown) => deps.log.warn({ err: describe(err), followup: ev.payload.followupId }, 'telegram.queue_notice_failed'));
    },
  };
}
/** See {@link createQueueNotices}. */
export type QueueNotices = ReturnType<typeof createQueueNotices>;
