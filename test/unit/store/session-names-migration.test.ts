/** Migration 0050 names the sessions a previous version left, and keeps names unique among sessions not archived. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, runMigrations } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

describe('migration 0050 (session names)', () => {
  it('names existing sessions after their project folder in order of creation, then enforces unique names (ignoring case) among those not archived', () => {
    dir = tempDir();
    const db = openDatabase(join(dir.path, 'r.db'));
    runMigrations(db, MIGRATIONS, { target: 40 });
    const project = db.prepare('INSERT INTO projects (id, path, name, created_at) VALUES (?, ?, ?, 0)');
    project.run('p1', '/home/me/API Server', 'API Server');
    project.run('p2', '/home/me/web', 'web');
    const session = db.prepare(
      "INSERT INTO sessions (id, project_id, agent, mode, state, title, created_at, updated_at) VALUES (?, ?, 'claude', 'ask', 'idle', 't', ?, 0)",
    );
    session.run('s-late', 'p1', 30);
    session.run('s-early', 'p1', 10);
    session.run('s-web', 'p2', 20);
    expect(runMigrations(db, MIGRATIONS)).toEqual(MIGRATIONS.filter((m) => m.version > 40).map((m) => m.version));

    const names = db.prepare<[], { id: string; name: string; archived_at: number | null }>('SELECT id, name, archived_at FROM sessions ORDER BY id').all();
    expect(names).toEqual([
      { id: 's-early', name: 'api-server', archived_at: null },
      { id: 's-late', name: 'api-server-2', archived_at: null },
      { id: 's-web', name: 'web', archived_at: null },
    ]);
    expect(() => db.prepare("UPDATE sessions SET name = 'WEB' WHERE id = 's-late'").run()).toThrow(/UNIQUE constraint failed: sessions.name/);
    // An archived session's name is free for another.
    db.prepare("UPDATE sessions SET archived_at = 5 WHERE id = 's-web'").run();
    db.prepare("UPDATE sessions SET name = 'web' WHERE id = 's-late'").run();
    db.close();
  });
});
