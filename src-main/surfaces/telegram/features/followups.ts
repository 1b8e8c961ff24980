/**
 * Plain text from the owner: the reason of a "deny with reason", a step of the /new wizard, or
 * a follow-up for a session (the one replied to, the topic's, or the current one). A follow-up
 * sent while the agent is busy waits in the queue, shown with a Cancel button.
 */
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import { AlreadyDecidedError, ReinsError } from '../../../core/errors.ts';
import { escapeHtml } from '../format/index.ts';
import type { PendingPrompt } from '../state.ts';
import { alreadyDecided } from './approvals.ts';
import { actorOf, fire, NO_SESSION, placeOfMessage, reply, samePlace, sessionOfMessage, type FeatureDeps } from './deps.ts';
import { wizardText } from './new-session.ts';

/** Builds the Composer for text messages (after the commands, which consume their own). */
export function followupsFeature(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  c.on('message:text', (ctx) => {
    const msg = ctx.message;
    const text = msg.text;
    const p = deps.state.prompt();
    const prompt = p && samePlace(p.place, placeOfMessage(msg)) ? p : null;
    // A directory path such as "/srv" looks like a command; the wizard's path step takes it first.
    if (prompt?.kind === 'wizard' && prompt.step === 'project' && wizardText(deps, ctx, prompt, text)) return;
    if (/^\/[A-Za-z0-9_]+(@\w+)?(\s|$)/.test(text)) {
      fire(deps, 'followup.reply', reply(deps, ctx, 'Unknown command. See /help.'));
      return;
    }
    if (prompt?.kind === 'deny_reason') return denyWithReason(deps, ctx, prompt, text);
    if (prompt?.kind === 'wizard' && wizardText(deps, ctx, prompt, text)) return;
    sendFollowup(deps, ctx, msg, text);
  });
  return c;
}

/** Sends `text` to the session `msg` is about, showing the queue notice when it has to wait. */
function sendFollowup(deps: FeatureDeps, ctx: Context, msg: Message, text: string): void {
  const sessionId = sessionOfMessage(deps, msg);
  if (!sessionId) {
    fire(deps, 'followup.reply', reply(deps, ctx, NO_SESSION));
    return;
  }
  try {
    const f = deps.core.sessions.send(sessionId, { text, delivery: 'queue' }, actorOf(ctx.from?.id ?? 0));
    if (f.state === 'queued') deps.notices.show(deps.routing.placeNow(sessionId) ?? placeOfMessage(msg), f);
  } catch (err) {
    if (!(err instanceof ReinsError)) throw err;
    fire(deps, 'followup.reply', reply(deps, ctx, `❌ ${escapeHtml(err.message)}`));
  }
}

function denyWithReason(deps: FeatureDeps, ctx: Context, prompt: Extract<PendingPrompt, { kind: 'deny_reason' }>, text: string): void {
  deps.state.setPrompt(null);
  let answer: string;
  try {
    deps.core.approvals.decide(prompt.approvalId, { decision: 'deny', message: text }, actorOf(ctx.from?.id ?? 0));
    answer = '❌ Denied; the agent got your reason.';
  } catch (err) {
    if (err instanceof AlreadyDecidedError) answer = alreadyDecided(deps.core.approvals.get(prompt.approvalId));
    else if (err instanceof ReinsError) answer = `❌ ${escapeHtml(err.message)}`;
    else throw err;
  }
  fire(deps, 'followup.reply', reply(deps, ctx, answer));
}
