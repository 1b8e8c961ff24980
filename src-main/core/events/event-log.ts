import type { NewEvent, SessionEvent } from '../../contract/index.ts';
import { localDay } from '../budgets/local-day.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/index.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/**
 * Appends events to a session's log with gap-free per-session seqs, inside the current unit of
 * work, and queues them for publication after commit.
 */
export function createEventLog(store: Store, uow: UnitOfWork, clock: Clock) {
  const lastSeq = new Map<string, number>();
  // A rolled-back append leaves our counters ahead of the table: forget them, reload on demand.
  uow.onRollback(() => lastSeq.clear());
  const next = (sessionId: string): number => {
    let seq = lastSeq.get(sessionId);
    if (seq === undefined) seq = store.events.maxSeq(sessionId);
    return seq;
  };
  return {
    /** Appends `events` in order; returns them as stored. */
    append(sessionId: string, events: readonly NewEvent[]): SessionEvent[] {
      if (events.length === 0) return [];
      return uow.run(() => {
        const ts = clock.now();
        let seq = next(sessionId);
        const stored: SessionEvent[] = [];
        const rows = events.map((e) => {
          seq++;
          const ev = { ...e, sessionId, seq, ts } as SessionEvent;
          stored.push(ev);
          return { sessionId, seq, ts, kind: e.kind, payload: JSON.stringify(e.payload) };
        });
        store.events.insertMany(rows);
        // Spend totals move with the usage events in one transaction: budgets never read a stale sum.
        for (const e of events) {
          if (e.kind !== 'usage') continue;
          const p = e.payload;
          store.spend.add(sessionId, localDay(ts), p.costUsd ?? 0, p.inputTokens + p.outputTokens);
        }
        store.sessions.setLastSeq(sessionId, seq, ts);
        lastSeq.set(sessionId, seq);
        for (const ev of stored) uow.emit({ type: 'event', event: ev });
        return stored;
      });
    },
    page(sessionId: string, after: number, limit: number): SessionEvent[] {
      return store.events.page(sessionId, after, limit);
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;
