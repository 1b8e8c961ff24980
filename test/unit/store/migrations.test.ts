import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatabaseFromFutureError,
  MIGRATIONS,
  MigrationOrderError,
  openDatabase,
  openStore,
  runMigrations,
  type Migration,
} from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.remove());

describe('migrations', () => {
  it('are strictly increasing multiples of 10', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    for (const v of versions) expect(v % 10).toBe(0);
  });

  it('bring a new database to the newest version, with WAL and STRICT tables', () => {
    dir = tempDir();
    const store = openStore(join(dir.path, 'r.db'));
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = store.db
      .prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'")
      .all();
    expect(tables.map((t) => t.name).sort()).toEqual([
      'agent_processes',
      'approvals',
      'audit',
      'events',
      'followups',
      'grants',
      'kv',
      'passcode',
      'projects',
      'schedules',
      'sessions',
      'webhook_deliveries',
      'webhooks',
    ]);
    for (const t of tables) expect(t.strict, t.name).toBe(1);
    store.close();
  });

  it('re-opening applies nothing twice', () => {
    dir = tempDir();
    const path = join(dir.path, 'r.db');
    openStore(path).close();
    const db = openDatabase(path);
    expect(runMigrations(db, MIGRATIONS)).toEqual([]);
    db.close();
  });

  it('refuse a database written by a newer Reins', () => {
    dir = tempDir();
    const path = join(dir.path, 'r.db');
    const db = openDatabase(path);
    db.pragma('user_version = 9990');
    db.close();
    expect(() => openStore(path)).toThrow(DatabaseFromFutureError);
    expect(() => openStore(path)).toThrow(/newer than this Reins/);
  });

  it('roll back every step when one fails, leaving the version unchanged', () => {
    dir = tempDir();
    const db = openDatabase(join(dir.path, 'r.db'));
    const broken: Migration[] = [
      { version: 10, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
      { version: 20, name: 'boom', up: (d) => d.exec('CREATE TABLE nonsense (') },
    ];
    expect(() => runMigrations(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuse an out-of-order list', () => {
    dir = tempDir();
    const db = openDatabase(join(dir.path, 'r.db'));
    const list: Migration[] = [
      { version: 20, name: 'b', up: () => {} },
      { version: 10, name: 'a', up: () => {} },
    ];
    expect(() => runMigrations(db, list)).toThrow(MigrationOrderError);
    db.close();
  });

  it('serve the hot queries from indexes', () => {
    dir = tempDir();
    const store = openStore(join(dir.path, 'r.db'));
    const plan = (sql: string) =>
      store.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan("SELECT * FROM events WHERE session_id = 'x' AND seq > 5 ORDER BY seq LIMIT 100")).toMatch(/USING INDEX/);
    expect(plan("SELECT * FROM approvals WHERE status = 'pending' AND session_id = 'x' ORDER BY created_at")).toMatch(/USING INDEX/);
    expect(plan("SELECT * FROM followups WHERE session_id = 'x' AND state = 'queued' ORDER BY created_at")).toMatch(/USING INDEX/);
    store.close();
  });
});
