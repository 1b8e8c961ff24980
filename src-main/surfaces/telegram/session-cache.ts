/**
 * Sessions as last published by the core, so renders of live messages and cards do not query
 * the store on every event.
 */
import type { Session } from '../../contract/index.ts';
import type { CoreFacade } from '../../contract/index.ts';

/** Creates the cache; feed it every `session` frame. */
export function createSessionCache(core: Pick<CoreFacade, 'sessions'>) {
  const sessions = new Map<string, Session>();
  return {
    update(session: Session): void {
      sessions.set(session.id, session);
    },
    /** The session, loaded from the core on a miss; undefined when it does not exist. */
    get(id: string): Session | undefined {
      const known = sessions.get(id);
      if (known) return known;
      try {
        const s = core.sessions.get(id).session;
        sessions.set(id, s);
        return s;
      } catch {
        return undefined;
      }
    },
  };
}
/** See {@link createSessionCache}. */
export type SessionCache = ReturnType<typeof createSessionCache>;
