/**
 * Where each session's messages go: the owner's private chat, or (with `telegram.forumChatId`)
 * a topic of that forum group created for the session on first use.
 */
import { basename } from 'node:path';
import type { Logger } from '../../core/log.ts';
import type { Redactor } from './format/index.ts';
import type { SessionCache } from './session-cache.ts';
import type { Place, TelegramState } from './state.ts';
import { describe } from './tasks.ts';
import type { Writer } from './writer.ts';

/** Telegram's longest topic name. */
const TOPIC_NAME_LIMIT = 128;

/** Creates the router. */
export function createRouting(deps: {
  state: TelegramState;
  writer: Writer;
  sessions: SessionCache;
  forumChatId: number | null;
  ownerId: () => number | null;
  redactor: () => Redactor;
  log: Logger;
}) {
  const { state, writer, forumChatId } = deps;
  const creating = new Map<string, Promise<Place | null>>();

  const createTopic = async (sessionId: string, chatId: number): Promise<Place | null> => {
    const s = deps.sessions.get(sessionId);
    const raw = s ? `${basename(s.cwd)} · ${s.title || s.agent}` : `session ${sessionId.slice(0, 8)}`;
    const name = deps.redactor()(raw).slice(0, TOPIC_NAME_LIMIT).trim() || 'Reins session';
    try {
      const reply = await writer.call('createForumTopic', { name }, { chatId });
      const threadId = reply.status === 'ok' ? (reply.result as { message_thread_id?: unknown }).message_thread_id : undefined;
      if (typeof threadId !== 'number') throw new Error('createForumTopic returned no message_thread_id');
      state.setTopic(sessionId, threadId);
      return { chatId, threadId };
    } catch (err) {
      deps.log.error({ err: describe(err), session: sessionId }, 'telegram.topic_failed');
      return null;
    } finally {
      creating.delete(sessionId);
    }
  };

  return {
    /** The place of a session if known now (the forum topic may still be on its way). */
    placeNow(sessionId: string): Place | null {
      if (forumChatId === null) {
        const owner = deps.ownerId();
        return owner === null ? null : { chatId: owner };
      }
      const threadId = state.topicOf(sessionId);
      return threadId === undefined ? null : { chatId: forumChatId, threadId };
    },
    /** The place of a session, creating its forum topic when needed; null when nothing can be sent. */
    placeFor(sessionId: string): Promise<Place | null> {
      const now = this.placeNow(sessionId);
      if (now !== null || forumChatId === null || deps.ownerId() === null) return Promise.resolve(now);
      let pending = creating.get(sessionId);
      if (!pending) {
        pending = createTopic(sessionId, forumChatId);
        creating.set(sessionId, pending);
      }
      return pending;
    },
    /**
     * The forum group's General topic, for what must reach the owner when a session's own topic
     * cannot be made; null without a forum or an owner.
     */
    general(): Place | null {
      return forumChatId !== null && deps.ownerId() !== null ? { chatId: forumChatId } : null;
    },
    /** The place for replies that concern no session (command answers in the chat they came from). */
    forumChatId,
  };
}
/** See {@link createRouting}. */
export type Routing = ReturnType<typeof createRouting>;
