import type { EventKind, SessionEvent } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface EventRow {
  session_id: string;
  seq: number;
  ts: number;
  kind: string;
  payload: string;
}
const toEvent = (r: EventRow): SessionEvent =>
  ({ sessionId: r.session_id, seq: r.seq, ts: r.ts, kind: r.kind as EventKind, payload: JSON.parse(r.payload) }) as SessionEvent;

/** Rows per multi-row INSERT: fewer statement executions when an agent floods output. */
const CHUNK = 128;

/** The append-only session event log. Callers own seq assignment and the surrounding transaction. */
export function createEventsRepo(db: Db) {
  const insertOne = db.prepare('INSERT INTO events (session_id, seq, ts, kind, payload) VALUES (?, ?, ?, ?, ?)');
  const insertChunk = db.prepare(`INSERT INTO events (session_id, seq, ts, kind, payload) VALUES ${Array(CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')}`);
  const page = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  const maxSeq = db.prepare<[string], { m: number | null }>('SELECT MAX(seq) AS m FROM events WHERE session_id = ?');
  return {
    /** Inserts already-numbered events; `payloads` are JSON text. */
    insertMany(rows: readonly { sessionId: string; seq: number; ts: number; kind: string; payload: string }[]): void {
      let i = 0;
      const args: unknown[] = [];
      for (; i + CHUNK <= rows.length; i += CHUNK) {
        args.length = 0;
        for (let j = i; j < i + CHUNK; j++) {
          const r = rows[j]!;
          args.push(r.sessionId, r.seq, r.ts, r.kind, r.payload);
        }
        insertChunk.run(...args);
      }
      for (; i < rows.length; i++) {
        const r = rows[i]!;
        insertOne.run(r.sessionId, r.seq, r.ts, r.kind, r.payload);
      }
    },
    page(sessionId: string, after: number, limit: number): SessionEvent[] {
      return page.all(sessionId, after, limit).map(toEvent);
    },
    maxSeq(sessionId: string): number {
      return maxSeq.get(sessionId)?.m ?? 0;
    },
  };
}
