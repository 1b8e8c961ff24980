import type { Session, SessionState, StatusPayload } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { EventLog } from '../events/event-log.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { Store } from '../store/index.ts';

/** What a session's state should be, given what its live process is doing. */
export interface DerivedState {
  state: SessionState;
  waitingFor: Session['waitingFor'];
  reason: string | null;
}

/**
 * Writes session state changes: the row, a `status` event and a session frame, in one unit of
 * work. A call that changes nothing writes nothing unless it marks a turn boundary.
 */
export function createSessionStateWriter(deps: { store: Store; uow: UnitOfWork; events: EventLog; clock: Clock }) {
  const { store, uow, events, clock } = deps;
  return {
    write(sessionId: string, next: DerivedState, extra: { detail?: string; turn?: StatusPayload['turn'] } = {}): Session | undefined {
      return uow.run(() => {
        const cur = store.sessions.get(sessionId);
        if (!cur) return undefined;
        const changed = cur.state !== next.state || cur.waitingFor !== next.waitingFor || cur.stateReason !== next.reason;
        if (!changed && !extra.turn && !extra.detail) return cur;
        if (changed) store.sessions.setState(sessionId, next.state, next.reason, next.waitingFor, clock.now());
        const payload: StatusPayload = { state: next.state };
        const detail = extra.detail ?? (changed ? (next.reason ?? undefined) : undefined);
        if (detail) payload.detail = detail;
        if (extra.turn) payload.turn = extra.turn;
        events.append(sessionId, [{ kind: 'status', payload }]);
        const updated = store.sessions.get(sessionId)!;
        uow.emit({ type: 'session', session: updated });
        return updated;
      });
    },
  };
}
export type SessionStateWriter = ReturnType<typeof createSessionStateWriter>;
