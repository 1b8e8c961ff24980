/**
 * Button taps. Before anything happens a tap must pass, in order: the signature (HMAC over the
 * payload and the chat it was sent to, so a forged, altered or forwarded button fails), single
 * use (its nonce was never seen), and a live target (a pending approval, or a menu / Stop /
 * Cancel handle that has not expired, in this chat). Refusals are audited and told with a toast;
 * every tap is answered at once. A tap whose decision failed, or that changed nothing yet (it waits
 * for the passcode), gives its nonce back, so it can be retried.
 */
import { Composer, type Context } from 'grammy';
import type { Approval } from '../../../contract/index.ts';
import { NotFoundError, ReinsError } from '../../../core/errors.ts';
import type { CallbackCodec } from '../callback-codec.ts';
import type { Place } from '../state.ts';
import { describe } from '../tasks.ts';
import { approvalTap, DecisionNotRecordedError } from './approvals.ts';
import { actorOf, ButtonKept, type FeatureDeps, type MenuHandler, type Tap } from './deps.ts';

/** Builds the Composer that verifies and dispatches taps. */
export function callbacksFeature(deps: FeatureDeps, codec: CallbackCodec, menus: ReadonlyMap<string, MenuHandler>): Composer<Context> {
  const c = new Composer<Context>();
  c.on('callback_query:data', (ctx) => {
    const q = ctx.callbackQuery;
    const msg = q.message;
    const toast = (text: string): void => deps.tasks.run('callback.toast', () => deps.writer.toast(q.id, text));
    const refuse = (reason: string, text: string): void => {
      deps.refusals.refuse({ reason, userId: q.from.id, chatId: msg?.chat.id ?? null, update: 'callback_query' });
      toast(text);
    };
    if (!msg) return refuse('button without a message', '⛔ This button cannot be used here.');
    const chatId = msg.chat.id;
    const decoded = codec.decode(q.data, chatId);
    if (!decoded.ok) return refuse(`button ${decoded.reason}`, '⛔ Refused: this button is not valid.');
    if (!deps.state.useNonce(decoded.nonce)) return refuse('button replayed', '⛔ Refused: this button was already used.');
    const threadId = 'message_thread_id' in msg && msg.is_topic_message ? msg.message_thread_id : undefined;
    const place: Place = threadId === undefined ? { chatId } : { chatId, threadId };
    const tap: Tap = { queryId: q.id, userId: q.from.id, place, messageId: msg.message_id, action: decoded.action };
    try {
      toast(dispatch(deps, menus, tap, decoded.handle));
    } catch (err) {
      if (err instanceof ButtonKept) {
        deps.state.releaseNonce(decoded.nonce);
        return toast(err.message);
      }
      if (!(err instanceof DecisionNotRecordedError)) throw err;
      // Only a decision that went through spends the button. Updates are handled one at a time
      // and nothing above awaits, so no replay can slip in between; the core's atomic claim is
      // the last guard against deciding twice anyway.
      deps.state.releaseNonce(decoded.nonce);
      deps.log.warn({ err: describe(err.cause), approval: err.approvalId }, 'telegram.decision_failed');
      toast(err.message);
    }
  });
  return c;
}

function dispatch(deps: FeatureDeps, menus: ReadonlyMap<string, MenuHandler>, tap: Tap, handle: string): string {
  const target = deps.state.handle(handle);
  try {
    if (target !== undefined) {
      if (target.chatId !== tap.place.chatId) return 'This button belongs to another chat.';
      switch (target.kind) {
        case 'session': {
          if (tap.action !== 'stop') return 'Unknown action.';
          deps.state.dropHandle(handle);
          const actor = actorOf(tap.userId);
          deps.tasks.run('button.stop', () => deps.core.sessions.stop(target.sessionId, actor));
          return '⏹ Stopping…';
        }
        case 'followup':
          if (tap.action !== 'cancel_followup') return 'Unknown action.';
          deps.state.dropHandle(handle);
          return deps.core.sessions.cancelFollowup(target.followupId, actorOf(tap.userId)) ? '✖ Cancelled' : 'Already sent.';
        case 'menu': {
          const index = tap.action.startsWith('answer:') ? Number(tap.action.slice('answer:'.length)) : -1;
          const choice = target.options[index];
          const handler = menus.get(target.menu.split(':')[0] ?? '');
          if (choice === undefined || !handler) return 'Unknown option.';
          // Menus stay usable until they expire: each button is still single-use by its nonce.
          return handler(tap, target, choice);
        }
      }
    }
    let a: Approval;
    try {
      a = deps.core.approvals.get(handle);
    } catch (err) {
      if (err instanceof NotFoundError) return 'This button is no longer valid.';
      throw err;
    }
    return approvalTap(deps, tap, a);
  } catch (err) {
    if (err instanceof ReinsError) return err.message.slice(0, 190);
    throw err;
  }
}
