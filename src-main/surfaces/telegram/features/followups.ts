/**
 * Plain text from the owner: the reason of a "deny with reason", a step of the /new wizard, or
 * a follow-up for a session: `@name text` for the named one from anywhere in the chat, else the one
 * replied to, the topic's, or the current one. A follow-up sent while the agent is busy waits in the
 * queue, shown with a Cancel button.
 */
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import { AlreadyDecidedError, ReinsError } from '../../../core/errors.ts';
import { closeNames } from '../close-names.ts';
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
    const addressed = ADDRESSED.exec(text);
    if (addressed) {
      const [, name = '', rest = ''] = addressed;
      // "@bot text" in a group is the bot's own mention, not a session's name.
      if (name.toLowerCase() !== ctx.me.username.toLowerCase()) return sendToNamed(deps, ctx, msg, name, rest);
      if (prompt?.kind !== 'deny_reason') return sendFollowup(deps, ctx, msg, rest);
    }
    if (prompt?.kind === 'deny_reason') return denyWithReason(deps, ctx, prompt, text);
    if (prompt?.kind === 'wizard' && wizardText(deps, ctx, prompt, text)) return;
    sendFollowup(deps, ctx, msg, text);
  });
  return c;
}

/** `@name text`: a session's name (or id) first, then the message; underscores let the bot's own mention through. */
const ADDRESSED = /^@([A-Za-z0-9][A-Za-z0-9_-]{0,63})\s+(\S[\s\S]*)$/;

/** Sends `text` to the session named `name`; an unknown name gets one line with the names close to it. */
function sendToNamed(deps: FeatureDeps, ctx: Context, msg: Message, name: string, text: string): void {
  let sessionId: string;
  try {
    sessionId = deps.core.sessions.get(name).session.id;
  } catch (err) {
    if (!(err instanceof ReinsError)) throw err;
    const close = closeNames(
      name,
      deps.core.sessions.list().map((s) => s.name),
    );
    const hint = close.length ? `Did you mean ${close.map((n) => `@${escapeHtml(n)}`).join(', ')}?` : 'See /sessions for the names.';
    fire(deps, 'followup.reply', reply(deps, ctx, `🤷 No session is called <b>${escapeHtml(name)}</b>. ${hint}`));
    return;
  }
  sendFollowup(deps, ctx, msg, text, sessionId);
}

/** Sends `text` to `to`, else the session `msg` is about, showing the queue notice when it has to wait. */
function sendFollowup(deps: FeatureDeps, ctx: Context, msg: Message, text: string, to?: string): void {
  const sessionId = to ?? sessionOfMessage(deps, msg);
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
