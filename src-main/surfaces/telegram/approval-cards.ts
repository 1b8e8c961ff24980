/**
 * Approval cards: a new message per pending approval (a new message makes the phone buzz, an
 * edit does not), sent ahead of all other traffic; edited to its outcome without buttons when
 * the approval is decided, whoever decided it (Telegram, the desktop, the CLI, a timeout).
 * Open cards are recorded, so after a restart decided ones are repainted and pending approvals
 * that never got a card get one.
 */
import type { Approval } from '../../contract/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import type { Redactor } from './format/index.ts';
import { OutboxError, type MessageTarget } from './outbox/index.ts';
import type { Routing } from './routing.ts';
import type { SessionCache } from './session-cache.ts';
import type { CardRecord, Place, TelegramState } from './state.ts';
import { describe, type Tasks } from './tasks.ts';
import { renderApprovalCard, renderApprovalOutcome } from './views/approval-card.ts';
import type { Writer } from './writer.ts';

/** Everything the cards need. */
export interface ApprovalCardsDeps {
  core: Pick<CoreFacade, 'approvals'>;
  state: TelegramState;
  writer: Writer;
  routing: Routing;
  sessions: SessionCache;
  redactor: () => Redactor;
  clock: Clock;
  tasks: Tasks;
  log: Logger;
}

/** Creates the card controller; feed it every approval frame and call `recover()` at start. */
export function createApprovalCards(deps: ApprovalCardsDeps) {
  const { state, writer, log } = deps;
  const refOf = (approvalId: string): string => `card:${approvalId}`;
  const targetOf = (approvalId: string, rec: CardRecord): MessageTarget =>
    rec.messageId !== null ? { chatId: rec.place.chatId, messageId: rec.messageId } : { ref: refOf(approvalId) };
  /** Cards whose send is queued in this process (only these can be edited by ref). */
  const sending = new Set<string>();

  const send = (a: Approval, place: Place): void => {
    const rec: CardRecord = { place, messageId: null };
    state.cards.put(a.id, rec);
    sending.add(a.id);
    const view = renderApprovalCard(a, deps.sessions.get(a.sessionId), deps.redactor(), state.answers.get(a.id) ?? {}, deps.clock.now());
    // Queued in this order before anything is awaited: the plan first, the card with its buttons last.
    // The plan's failure is handled at once: it may settle before the card, and the card still works.
    const preface =
      view.preface === null
        ? Promise.resolve([])
        : writer.sendLong(place, view.preface, { priority: 'approval' }).catch((err: unknown) => {
            log.warn({ err: describe(err), approval: a.id }, 'telegram.card_preface_failed');
            return [];
          });
    const card = writer.send(place, view.html, { keyboard: view.keyboard, priority: 'approval', ref: refOf(a.id) });
    deps.tasks.run('card.send', async () => {
      let messageId: number;
      try {
        messageId = await card;
      } catch (err) {
        // The card is lost (Telegram refused it); without a message there is nothing to repaint.
        state.cards.remove(a.id);
        sending.delete(a.id);
        if (!resendToGeneral(a, place, err)) throw err;
        return;
      }
      const current = state.cards.get(a.id);
      if (current) state.cards.put(a.id, { ...current, messageId });
      sending.delete(a.id);
      state.rememberMessage(place.chatId, messageId, a.sessionId);
      for (const id of await preface) state.rememberMessage(place.chatId, id, a.sessionId);
    });
  };

  /**
   * A card Telegram refused in a forum topic (deleted or closed since) goes to the group's
   * General topic instead, while the approval still waits: an approval must not be lost with its topic.
   */
  const resendToGeneral = (a: Approval, place: Place, err: unknown): boolean => {
    if (place.threadId === undefined || !(err instanceof OutboxError) || err.reason !== 'rejected') return false;
    const now = deps.core.approvals.get(a.id);
    if (now.status !== 'pending' || state.cards.get(a.id) !== undefined) return false;
    log.warn({ err: describe(err), approval: a.id, threadId: place.threadId }, 'telegram.card_topic_refused');
    send(now, { chatId: place.chatId });
    return true;
  };

  const ensureCard = (a: Approval): void => {
    if (state.cards.get(a.id) !== undefined) return;
    const place = deps.routing.placeNow(a.sessionId);
    if (place !== null) {
      send(a, place);
      return;
    }
    deps.tasks.run('card.place', async () => {
      // No topic could be made for the session: the card goes to the forum's General topic.
      const p = (await deps.routing.placeFor(a.sessionId)) ?? deps.routing.general();
      const now = deps.core.approvals.get(a.id);
      if (p !== null && now.status === 'pending' && state.cards.get(a.id) === undefined) send(now, p);
    });
  };

  const paintOutcome = (a: Approval): void => {
    const rec = state.cards.get(a.id);
    if (rec === undefined) return;
    state.answers.remove(a.id);
    const prompt = state.prompt();
    if (prompt?.kind === 'deny_reason' && prompt.approvalId === a.id) state.setPrompt(null);
    if (rec.messageId === null && !sending.has(a.id)) {
      state.cards.remove(a.id);
      return;
    }
    const html = renderApprovalOutcome(a, deps.sessions.get(a.sessionId), deps.redactor());
    const edit = writer.edit(rec.place.chatId, targetOf(a.id, rec), html, { priority: 'approval_update', final: true });
    deps.tasks.run('card.outcome', async () => {
      try {
        await edit;
      } catch (err) {
        // Cut short by shutdown: the record stays, so the next start repaints the card.
        if (!(err instanceof OutboxError) || err.reason === 'stopped') throw err;
        log.warn({ err: describe(err), approval: a.id }, 'telegram.card_outcome_failed');
      }
      state.cards.remove(a.id);
    });
  };

  return {
    /** An approval frame: a card for a new pending approval, the outcome for a decided one. */
    onApproval(a: Approval): void {
      if (a.status === 'pending') {
        // Policy may have decided it in the same commit; only still-pending ones get a card.
        if (deps.core.approvals.get(a.id).status === 'pending') ensureCard(a);
        return;
      }
      paintOutcome(a);
    },

    /**
     * A tap on the card of approval `a`, decided since: repaints the card to the outcome. A card
     * without a record (its repaint failed for good, or the record was lost) is repainted at the
     * tapped message itself.
     */
    tapped(a: Approval, chatId: number, messageId: number | null): void {
      if (state.cards.get(a.id) !== undefined || messageId === null) {
        paintOutcome(a);
        return;
      }
      const html = renderApprovalOutcome(a, deps.sessions.get(a.sessionId), deps.redactor());
      writer
        .edit(chatId, { chatId, messageId }, html, { priority: 'approval_update', final: true })
        .catch((err: unknown) => log.warn({ err: describe(err), approval: a.id }, 'telegram.card_outcome_failed'));
    },

    /** Re-renders a pending card (after a question option was picked). */
    refresh(a: Approval): void {
      const rec = state.cards.get(a.id);
      if (rec === undefined || a.status !== 'pending') return;
      const view = renderApprovalCard(a, deps.sessions.get(a.sessionId), deps.redactor(), state.answers.get(a.id) ?? {}, deps.clock.now());
      const edit = writer.edit(rec.place.chatId, targetOf(a.id, rec), view.html, { keyboard: view.keyboard, priority: 'approval_update' });
      edit.catch((err: unknown) => log.warn({ err: describe(err), approval: a.id }, 'telegram.card_refresh_failed'));
    },

    /** Repaints cards decided while the bridge was down and sends cards for pending approvals without one. */
    recover(): void {
      for (const [id, rec] of state.cards.entries()) {
        // A card whose send never completed (the bridge stopped first) is sent again if still pending.
        if (rec.messageId === null && !sending.has(id)) {
          state.cards.remove(id);
          continue;
        }
        let a: Approval;
        try {
          a = deps.core.approvals.get(id);
        } catch {
          state.cards.remove(id);
          continue;
        }
        if (a.status !== 'pending') paintOutcome(a);
      }
      for (const a of deps.core.approvals.list('pending')) ensureCard(a);
    },
  };
}
/** See {@link createApprovalCards}. */
export type ApprovalCards = ReturnType<typeof createApprovalCards>;
