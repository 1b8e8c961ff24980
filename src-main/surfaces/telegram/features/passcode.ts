/**
 * The passcode gate of the phone. When the owner has set a passcode (`reins passcode set`), the
 * riskiest actions from Telegram wait for it: allowing a critical approval, granting through an
 * approval's "for this session/project", changing a session's mode, revoking a grant. The bot asks
 * with a ForceReply message; the reply is deleted before anything else happens, whatever it says,
 * then checked by the core (argon2id; five wrong tries lock these actions for a while). Denying
 * never needs it, and a pending prompt ends after `passcodePromptTtlMs`.
 */
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { CoreFacade } from '../../../contract/index.ts';
import type { Clock, Timers } from '../../../core/clock.ts';
import { AlreadyDecidedError, ReinsError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/log.ts';
import { escapeHtml } from '../format/index.ts';
import type { PasscodePrompt, PasscodePrompts, PasscodeTarget } from '../passcode-prompts.ts';
import type { Place } from '../state.ts';
import { describe, type Tasks } from '../tasks.ts';
import { sessionLabel } from '../views/session-label.ts';
import type { Writer } from '../writer.ts';
import { alreadyDecided } from './approvals.ts';
import { actorOf, placeOfMessage, samePlace, type FeatureDeps } from './deps.ts';

/** One action from the phone that may need the passcode. */
export interface GateRequest {
  readonly place: Place;
  readonly userId: number;
  readonly target: PasscodeTarget;
  /** What it does, in plain words (audit) and as chat HTML. */
  readonly what: string;
  readonly whatHtml: string;
  readonly sessionId?: string | undefined;
  readonly replyTo?: number | null | undefined;
}

/** See {@link createPasscodeGate}. */
export type PasscodeGate = ReturnType<typeof createPasscodeGate>;

/** "14:05": when a lock ends, in the machine's time zone (where the owner decides instead). */
function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 5);
}

/** The refusal while phone approvals are locked. */
function lockedText(until: number): string {
  return `🔒 Locked until ${clockTime(until)} after wrong passcodes; decide on the desktop or the CLI.`;
}

/** Creates the gate: it asks, waits for, checks and carries out. */
export function createPasscodeGate(deps: {
  core: CoreFacade;
  writer: Writer;
  prompts: PasscodePrompts;
  clock: Clock;
  timers: Timers;
  tasks: Tasks;
  log: Logger;
  ttlMs: number;
}) {
  const { core, writer, prompts } = deps;
  const expiry = new Set<unknown>();
  let counter = 0;

  const ask = (p: PasscodePrompt, lead: string, replyTo?: number): void => {
    deps.tasks.run('passcode.prompt', async () => {
      const id = await writer.send(p.place, `${lead}🔑 Reply to this message with your passcode to ${p.whatHtml}. Your reply is deleted at once.`, {
        forceReply: { placeholder: 'passcode' },
        priority: 'approval',
        ...(replyTo !== undefined ? { replyTo } : {}),
      });
      prompts.shown(p.id, p.place.chatId, id);
    });
  };

  const expire = (id: string): void => {
    const p = prompts.active();
    if (p?.id !== id) return;
    prompts.end(id);
    const text = `⌛ The passcode prompt to ${p.whatHtml} expired; nothing was changed. Tap the button again to retry.`;
    if (p.messageId === null) deps.tasks.run('passcode.expired', () => writer.send(p.place, text));
    else deps.tasks.run('passcode.expired', () => writer.edit(p.place.chatId, { chatId: p.place.chatId, messageId: p.messageId! }, text, { final: true }));
  };

  /** Carries out what the passcode let through; returns what to tell the owner. */
  const perform = (target: PasscodeTarget, userId: number): string => {
    const actor = actorOf(userId);
    try {
      switch (target.kind) {
        case 'approval': {
          const body = target.scope === 'once' ? { decision: 'allow' as const } : { decision: 'allow' as const, scope: target.scope };
          core.approvals.decide(target.approvalId, body, actor);
          return target.scope === 'once' ? '✅ Allowed' : `✅ Allowed for this ${target.scope}`;
        }
        case 'mode': {
          const s = core.sessions.setMode(target.sessionId, target.mode, actor);
          return `Mode of ${sessionLabel(s)} is now <b>${target.mode}</b>.`;
        }
        case 'revoke':
          core.grants.revoke(target.grantId, actor);
          return '🗑 Revoked.';
      }
    } catch (err) {
      if (err instanceof AlreadyDecidedError && target.kind === 'approval') return escapeHtml(alreadyDecided(core.approvals.get(target.approvalId)));
      if (err instanceof ReinsError) return `❌ ${escapeHtml(err.message)}`;
      throw err;
    }
  };

  /** Deletes the reply, checks it against prompt `p`, then acts and tells the owner. */
  const answer = async (msg: Message, p: PasscodePrompt | null): Promise<void> => {
    const chatId = msg.chat.id;
    const place = placeOfMessage(msg);
    // Before anything else, whatever the text is: a passcode must not stay in the chat.
    const deleted = await writer.call('deleteMessage', { chat_id: chatId, message_id: msg.message_id }, { priority: 'approval' }).then(
      () => true,
      (err: unknown) => {
        deps.log.warn({ err: describe(err) }, 'telegram.passcode_reply_not_deleted');
        return false;
      },
    );
    const say = (html: string): void => deps.tasks.run('passcode.answer', () => writer.send(place, html));
    if (!deleted) say('⚠️ Reins could not delete your reply: delete it yourself.');
    if (p === null || p.expiresAt <= deps.clock.now() || p.userId !== msg.from?.id) {
      if (p !== null) prompts.end(p.id);
      return say('⌛ That passcode prompt expired; nothing was changed. Tap the button again to retry.');
    }
    const result = await core.passcode.check((msg.text ?? '').trim(), actorOf(p.userId), { what: p.what, sessionId: p.sessionId });
    if (result.ok) {
      prompts.end(p.id);
      return say(`🔑 Passcode accepted. ${perform(p.target, p.userId)}`);
    }
    switch (result.reason) {
      case 'wrong':
        return ask(p, `❌ Wrong passcode (${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left).\n`);
      case 'locked':
        prompts.end(p.id);
        return say(`${lockedText(result.lockedUntil)}\nAllowing critical calls and changing modes or grants from the phone is refused until then.`);
      case 'not_set':
        prompts.end(p.id);
        return say('No passcode is set any more; nothing was changed. Tap the button again.');
    }
  };

  return {
    /**
     * Guards one action from the phone: null when no passcode is set (go ahead). Otherwise nothing
     * happens now: refused while locked, else the owner is asked for the passcode and the action
     * runs once it comes. Returns what to tell the owner.
     */
    guard(req: GateRequest): string | null {
      const status = core.passcode.status();
      if (!status.set) return null;
      if (status.lockedUntil !== null) return lockedText(status.lockedUntil);
      const id = `${deps.clock.now()}-${++counter}`;
      const p: PasscodePrompt = {
        id,
        place: req.place,
        userId: req.userId,
        messageId: null,
        expiresAt: deps.clock.now() + deps.ttlMs,
        target: req.target,
        what: req.what,
        whatHtml: req.whatHtml,
        ...(req.sessionId !== undefined ? { sessionId: req.sessionId } : {}),
      };
      prompts.start(p);
      ask(p, '', req.replyTo ?? undefined);
      const handle = deps.timers.setTimeout(() => {
        expiry.delete(handle);
        expire(id);
      }, deps.ttlMs);
      expiry.add(handle);
      return '🔑 Reply with your passcode.';
    },

    /**
     * Takes a text message that answers a passcode prompt: a reply to a prompt message (even an
     * expired one: a late passcode must not reach an agent), or, while a prompt waits in this chat,
     * plain text that replies to nothing. Null when the message is not one.
     */
    take(msg: Message): Promise<void> | null {
      const r = msg.reply_to_message;
      const replyTo = r && r.forum_topic_created === undefined ? r.message_id : undefined;
      const p = prompts.active();
      const waitsHere = p !== null && p.expiresAt > deps.clock.now() && samePlace(p.place, placeOfMessage(msg));
      const toPrompt = replyTo !== undefined && prompts.isPromptMessage(msg.chat.id, replyTo);
      if (!toPrompt && !(waitsHere && replyTo === undefined && !(msg.text ?? '').startsWith('/'))) return null;
      return answer(msg, p !== null && samePlace(p.place, placeOfMessage(msg)) ? p : null);
    },

    /** Ends the expiry timers (the bridge stops; prompts expire lazily after a restart). */
    stop(): void {
      for (const h of expiry) deps.timers.clearTimeout(h);
      expiry.clear();
    },
  };
}

/** The Composer that hands passcode replies to the gate before commands and follow-ups see them. */
export function passcodeFeature(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  c.on('message:text', async (ctx, next) => {
    const taken = deps.passcode.take(ctx.message);
    if (taken === null) return next();
    await taken;
  });
  return c;
}
