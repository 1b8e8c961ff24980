import type { Migration } from '../migrate.ts';

/**
 * Session names and archiving. Every session gets a short name, unique (ignoring case) among the
 * sessions not archived; `archived_at` marks sessions the reaper archived by age. Archiving is a
 * flag beside the state, not a state: an archived session keeps the state it ended in.
 *
 * Existing sessions are named like new ones: the project folder's name, then `-2`, `-3`, … in order
 * of creation. The naming is written out here, not imported, so that this step never changes.
 */
export const migration0050: Migration = {
  version: 50,
  name: 'session-names',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE sessions ADD COLUMN archived_at INTEGER;
    `);
    const rows = db
      .prepare<[], { id: string; path: string }>('SELECT s.id, p.path FROM sessions s JOIN projects p ON p.id = s.project_id ORDER BY s.created_at, s.id')
      .all();
    const setName = db.prepare('UPDATE sessions SET name = ? WHERE id = ?');
    const taken = new Set<string>();
    for (const row of rows) {
      const folder =
        row.path
          .split(/[\\/]+/)
          .filter(Boolean)
          .at(-1) ?? '';
      const base =
        folder
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 24)
          .replace(/-+$/, '') || 'session';
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
      taken.add(name);
      setName.run(name, row.id);
    }
    db.exec('CREATE UNIQUE INDEX sessions_name ON sessions (name COLLATE NOCASE) WHERE archived_at IS NULL');
  },
};
