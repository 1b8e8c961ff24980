import type { AuditEntry } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface AuditRow {
  seq: number;
  ts: number;
  type: string;
  actor: string;
  surface: string;
  subject: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}
/** Raw audit rows: `detail` stays the exact JSON text that was hashed. */
export interface AuditRecord extends Omit<AuditEntry, 'detail'> {
  detailJson: string;
}
const toRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq,
  ts: r.ts,
  type: r.type,
  actor: r.actor,
  surface: r.surface,
  subject: r.subject,
  detailJson: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Append-only storage of the sealed audit log (MACs and verification live in core/audit). */
export function createAuditRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit (seq, ts, type, actor, surface, subject, detail, prev_hash, hash)
     VALUES (@seq, @ts, @type, @actor, @surface, @subject, @detailJson, @prevHash, @hash)`,
  );
  const last = db.prepare<[], AuditRow>('SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
  const page = db.prepare<[number, number], AuditRow>('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  const recent = db.prepare<[number], AuditRow>('SELECT * FROM audit ORDER BY seq DESC LIMIT ?');
  const lastOfType = db.prepare<[string], AuditRow>('SELECT * FROM audit WHERE type IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT 1');
  return {
    insert(r: AuditRecord): void {
      insert.run(r);
    },
    last(): AuditRecord | undefined {
      const row = last.get();
      return row && toRecord(row);
    },
    page(after: number, limit: number): AuditRecord[] {
      return page.all(after, limit).map(toRecord);
    },
    recent(limit: number): AuditRecord[] {
      return recent.all(limit).map(toRecord);
    },
    /** The newest entry of one of `types`. */
    lastOfType(types: readonly string[]): AuditRecord | undefined {
      const row = lastOfType.get(JSON.stringify(types));
      return row && toRecord(row);
    },
  };
}
