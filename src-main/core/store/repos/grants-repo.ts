import type { Grant, GrantScope } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface GrantRow {
  id: string;
  scope: string;
  session_id: string | null;
  project_id: string | null;
  tool: string;
  matcher: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  created_by: string;
}
const toGrant = (r: GrantRow): Grant => ({
  id: r.id,
  scope: r.scope as GrantScope,
  sessionId: r.session_id,
  projectId: r.project_id,
  tool: r.tool,
  matcher: JSON.parse(r.matcher),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  createdBy: r.created_by,
});

/** Standing auto-allows. Revocation keeps the row (the audit log refers to it). */
export function createGrantsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO grants (id, scope, session_id, project_id, tool, matcher, created_at, expires_at, revoked_at, created_by)
     VALUES (@id, @scope, @sessionId, @projectId, @tool, @matcher, @createdAt, @expiresAt, @revokedAt, @createdBy)`,
  );
  const active = db.prepare<[number], GrantRow>('SELECT * FROM grants WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at');
  const forCall = db.prepare<[number, string, string], GrantRow>(
    `SELECT * FROM grants WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
       AND (session_id = ? OR project_id = ?) ORDER BY created_at`,
  );
  const byId = db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE id = ?');
  const revoke = db.prepare('UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  return {
    insert(g: Grant): void {
      insert.run({ ...g, matcher: JSON.stringify(g.matcher) });
    },
    get(id: string): Grant | undefined {
      const row = byId.get(id);
      return row && toGrant(row);
    },
    listActive(now: number): Grant[] {
      return active.all(now).map(toGrant);
    },
    /** Active grants that could apply to a call in this session or project. */
    listApplicable(sessionId: string, projectId: string, now: number): Grant[] {
      return forCall.all(now, sessionId, projectId).map(toGrant);
    },
    revoke(id: string, now: number): boolean {
      return revoke.run(now, id).changes === 1;
    },
  };
}
