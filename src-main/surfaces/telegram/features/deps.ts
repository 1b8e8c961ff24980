/**
 * What every feature Composer is built with, and helpers to read an incoming update: where it
 * came from, who sent it, and which session it is about.
 */
import type { Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Actor } from '../../../core/approvals/grant-service.ts';
import type { Clock } from '../../../core/clock.ts';
import type { CoreFacade } from '../../../contract/index.ts';
import type { Logger } from '../../../core/log.ts';
import type { ApprovalCards } from '../approval-cards.ts';
import type { CallbackAction } from '../callback-codec.ts';
import type { Redactor } from '../format/index.ts';
import type { QueueNotices } from '../queue-notices.ts';
import type { RefusalAudit } from '../refusals.ts';
import type { Routing } from '../routing.ts';
import type { SessionCache } from '../session-cache.ts';
import type { HandleTarget, Place, TelegramState } from '../state.ts';
import type { Tasks } from '../tasks.ts';
import type { TelegramTuning } from '../tuning.ts';
import type { WriteOptions, Writer } from '../writer.ts';
import type { PasscodeGate } from './passcode.ts';

/** Shared services of the features. */
export interface FeatureDeps {
  readonly core: CoreFacade;
  readonly state: TelegramState;
  readonly writer: Writer;
  readonly routing: Routing;
  readonly sessions: SessionCache;
  readonly cards: ApprovalCards;
  readonly notices: QueueNotices;
  readonly refusals: RefusalAudit;
  readonly tuning: TelegramTuning;
  readonly clock: Clock;
  readonly tasks: Tasks;
  readonly log: Logger;
  readonly redactor: () => Redactor;
  /** Asks for the owner's passcode before the riskiest phone actions (when one is set). */
  readonly passcode: PasscodeGate;
  /** The owner's user id (configured, else paired), or null before pairing. */
  owner(): number | null;
  /** A user completed pairing with a valid code. */
  paired(userId: number): void;
  /** Aborted when the bridge stops: work that follows the agents (not awaited by stop) ends with it. */
  readonly stopping: AbortSignal;
  /** Downloads a Telegram file to `dest` (at most `maxBytes`); resolves its size. */
  download(fileId: string, dest: string, maxBytes: number): Promise<number>;
}

/** A verified tap on one of the bridge's buttons. */
export interface Tap {
  readonly queryId: string;
  readonly userId: number;
  readonly place: Place;
  readonly messageId: number | null;
  readonly action: CallbackAction;
}

/** Handles a tap on a menu button (option `choice` of `target`); returns the toast. */
export type MenuHandler = (tap: Tap, target: Extract<HandleTarget, { kind: 'menu' }>, choice: string) => string;

/**
 * A tap that changed nothing (it waits for the passcode, or was refused while locked): its button
 * stays usable, so the owner can tap it again. The message is the toast.
 */
export class ButtonKept extends Error {
  override readonly name = 'ButtonKept';
}

/** The actor the core records for the owner acting from Telegram. */
export function actorOf(userId: number): Actor {
  return { by: `telegram:${userId}`, surface: 'telegram' };
}

/** The chat (and forum topic) a message was written in. */
export function placeOfMessage(msg: Pick<Message, 'chat' | 'message_thread_id' | 'is_topic_message'>): Place {
  return msg.is_topic_message && msg.message_thread_id !== undefined ? { chatId: msg.chat.id, threadId: msg.message_thread_id } : { chatId: msg.chat.id };
}

/** Same chat and topic. */
export function samePlace(a: Place, b: Place): boolean {
  return a.chatId === b.chatId && a.threadId === b.threadId;
}

/**
 * The message this one replies to, ignoring the pseudo-reply every message in a forum topic
 * carries (to the topic's creation message).
 */
function repliedTo(msg: Message): number | undefined {
  const r = msg.reply_to_message;
  if (!r || r.forum_topic_created !== undefined) return undefined;
  return r.message_id;
}

/**
 * The session a message is about: the one whose message it replies to, else the session of its
 * forum topic, else the focused session.
 */
export function sessionOfMessage(deps: FeatureDeps, msg: Message): string | null {
  const reply = repliedTo(msg);
  if (reply !== undefined) {
    const s = deps.state.sessionOfMessage(msg.chat.id, reply);
    if (s) return s;
  }
  const place = placeOfMessage(msg);
  if (place.threadId !== undefined) {
    const s = deps.state.sessionOfTopic(place.threadId);
    if (s) return s;
  }
  const focus = deps.state.focus();
  return focus && deps.sessions.get(focus) ? focus : null;
}

/** Sends an answer in the chat (and topic) of `ctx`'s message. */
export function reply(deps: FeatureDeps, ctx: Context, html: string, options: WriteOptions = {}): Promise<number> {
  const msg = ctx.msg;
  const place = msg ? placeOfMessage(msg) : { chatId: ctx.chat?.id ?? 0 };
  return deps.writer.send(place, html, options);
}

/** Starts `send` without awaiting it, logging a failure. */
export function fire(deps: FeatureDeps, what: string, send: Promise<unknown>): void {
  deps.tasks.run(what, () => send);
}

/** The reply telling the owner no session was found. */
export const NO_SESSION = '🤷 No session to send this to. Start one with /new, pick one with /sessions, or reply to a message of the session.';
