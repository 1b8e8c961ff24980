import type { Delivery, Followup, FollowupState, Surface } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface FollowupRow {
  id: string;
  session_id: string;
  text: string;
  delivery: string;
  state: string;
  source: string;
  created_at: number;
  sent_at: number | null;
}
const toFollowup = (r: FollowupRow): Followup => ({
  id: r.id,
  sessionId: r.session_id,
  text: r.text,
  delivery: r.delivery as Delivery,
  state: r.state as FollowupState,
  source: r.source as Surface,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** Follow-up messages; `queued` ones wait for the current turn to end. */
export function createFollowupsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO followups (id, session_id, text, delivery, state, source, created_at, sent_at)
     VALUES (@id, @sessionId, @text, @delivery, @state, @source, @createdAt, @sentAt)`,
  );
  const queued = db.prepare<[string], FollowupRow>("SELECT * FROM followups WHERE session_id = ? AND state = 'queued' ORDER BY created_at, rowid");
  const recent = db.prepare<[string, number], FollowupRow>('SELECT * FROM followups WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const byId = db.prepare<[string], FollowupRow>('SELECT * FROM followups WHERE id = ?');
  const setState = db.prepare('UPDATE followups SET state = ?, sent_at = ? WHERE id = ? AND state = ?');
  return {
    insert(f: Followup): void {
      insert.run(f);
    },
    get(id: string): Followup | undefined {
      const row = byId.get(id);
      return row && toFollowup(row);
    },
    listQueued(sessionId: string): Followup[] {
      return queued.all(sessionId).map(toFollowup);
    },
    listRecent(sessionId: string, limit = 50): Followup[] {
      return recent.all(sessionId, limit).map(toFollowup);
    },
    /** Moves a follow-up out of `from`; false if it was no longer in that state. */
    transition(id: string, from: FollowupState, to: FollowupState, sentAt: number | null): boolean {
      return setState.run(to, sentAt, id, from).changes === 1;
    },
  };
}
