import path from 'node:path';
import type { Migration } from '../migrate.ts';

interface OldGrant {
  id: string;
  tool: string;
  matcher: string;
  project_path: string | null;
}

const GLOB_SYNTAX = /[*?[\]{}]/;
/** Tools whose old grants were an implicit allow-anything (`any`): they must not survive as such. */
const IMPLICIT_ANY = new Set(['Grep', 'Glob', 'LS', 'WebFetch', 'WebSearch']);

/**
 * An old matcher in the exact form, or null when it cannot be expressed without widening (it is then
 * revoked). Old command grants were prefixes of the approved command: they become that exact command.
 */
function exactMatcher(g: OldGrant): Record<string, string> | null {
  const m = JSON.parse(g.matcher) as { kind: string; prefix?: string; glob?: string };
  if (g.tool === '*') return null;
  if (m.kind === 'command' && typeof m.prefix === 'string') return { kind: 'command', command: m.prefix.trim() };
  if (m.kind === 'any') return IMPLICIT_ANY.has(g.tool) ? null : { kind: 'any' };
  if (m.kind === 'path' && typeof m.glob === 'string' && g.project_path !== null) {
    const folder = /^(.*?)\/?\*\*$/.exec(m.glob);
    if (folder && !GLOB_SYNTAX.test(folder[1] ?? '')) return { kind: 'folder', path: path.resolve(g.project_path, folder[1] ?? '.') };
    if (!GLOB_SYNTAX.test(m.glob)) return { kind: 'file', path: path.resolve(g.project_path, m.glob) };
  }
  return null;
}

/**
 * Grants become exact (a prefix grant on `rm -rf build` used to cover `rm -rf build /elsewhere`);
 * approvals remember what "allow for this session" would grant; each agent process is recorded so
 * that a core starting after a crash can end any agent the dead core left running.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'exact-grants-agent-processes',
  up(db) {
    db.exec(`
      ALTER TABLE approvals ADD COLUMN grant_offer TEXT;

      CREATE TABLE agent_processes (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        pid INTEGER NOT NULL,
        pgid INTEGER,
        identity TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER
      ) STRICT;
      CREATE INDEX agent_processes_running ON agent_processes (session_id) WHERE ended_at IS NULL;
    `);
    const now = Date.now();
    const grants = db
      .prepare<[], OldGrant>(
        'SELECT g.id, g.tool, g.matcher, p.path AS project_path FROM grants g LEFT JOIN projects p ON p.id = g.project_id WHERE g.revoked_at IS NULL',
      )
      .all();
    const update = db.prepare('UPDATE grants SET matcher = ? WHERE id = ?');
    const revoke = db.prepare('UPDATE grants SET revoked_at = ? WHERE id = ?');
    for (const g of grants) {
      const exact = exactMatcher(g);
      if (exact === null) revoke.run(now, g.id);
      else update.run(JSON.stringify(exact), g.id);
    }
  },
};
