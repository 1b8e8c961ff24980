/**
 * Naming and archiving of session rows, shared by the session manager and adopted sessions: the
 * name a new session gets, renames, and archiving (a flag beside the state: an archived session
 * keeps the state it ended in, leaves the default lists and frees its name).
 */
import type { Actor, Session } from '../../contract/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { EventLog } from '../events/event-log.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { Store } from '../store/index.ts';
import { checkName, generateName, type NameBook } from './session-names.ts';

/** Creates the service over the store. */
export function createSessionArchive(deps: { store: Store; uow: UnitOfWork; events: EventLog; audit: AuditLog; clock: Clock }) {
  const { store, uow, events, audit, clock } = deps;
  const book: NameBook = { holder: (name) => store.sessions.nameHolder(name), idsWithPrefix: (p) => store.sessions.idsWithPrefix(p) };
  const current = (id: string): Session => {
    const s = store.sessions.get(id);
    if (!s) throw new NotFoundError('session', id);
    return s;
  };
  const publish = (id: string): Session => {
    const s = current(id);
    uow.emit({ type: 'session', session: s });
    return s;
  };

  return {
    /** A free name for a new session in `cwd` (call inside the unit of work that inserts it). */
    nameFor: (cwd: string): string => generateName(cwd, book),

    /** Gives the session the name `given` (normalised and checked); audited, with a status event. */
    rename(id: string, given: string, actor: Actor): Session {
      return uow.run(() => {
        const s = current(id);
        const name = checkName(given, book, id);
        if (name === s.name) return s;
        store.sessions.setName(id, name, clock.now());
        events.append(id, [{ kind: 'status', payload: { state: s.state, detail: `renamed from ${s.name} to ${name}` } }]);
        audit.append({ type: 'session.renamed', actor: actor.by, surface: actor.surface, subject: id, detail: { from: s.name, to: name } });
        return publish(id);
      });
    },

    /** Archives the session (`why` goes into its status event and the audit entry). */
    archive(id: string, why: string, actor: Actor): Session {
      return uow.run(() => {
        const s = current(id);
        if (s.archivedAt !== null) return s;
        store.sessions.setArchivedAt(id, clock.now());
        events.append(id, [{ kind: 'status', payload: { state: s.state, detail: `archived: ${why}; a message brings it back` } }]);
        audit.append({ type: 'session.archived', actor: actor.by, surface: actor.surface, subject: id, detail: { reason: why, name: s.name } });
        return publish(id);
      });
    },

    /**
     * Brings an archived session back (a message was sent to it). Its old name may have gone to another
     * session meanwhile: it then gets a new one, and the status event says so.
     */
    restore(id: string, actor: Actor): Session {
      return uow.run(() => {
        const s = current(id);
        if (s.archivedAt === null) return s;
        const name = book.holder(s.name) === undefined ? s.name : generateName(s.cwd, book, id);
        if (name !== s.name) store.sessions.setName(id, name, clock.now());
        store.sessions.setArchivedAt(id, null);
        const detail = name === s.name ? 'brought back from the archive' : `brought back from the archive as ${name} (${s.name} is another session's now)`;
        events.append(id, [{ kind: 'status', payload: { state: s.state, detail } }]);
        audit.append({ type: 'session.unarchived', actor: actor.by, surface: actor.surface, subject: id, detail: { name } });
        return publish(id);
      });
    },
  };
}
/** See {@link createSessionArchive}. */
export type SessionArchive = ReturnType<typeof createSessionArchive>;
