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
      'budget_days',
      'events',
      'followups',
      'grants',
      'kv',
      'passcode',
      'projects',
      'schedules',
      'sessions',
      'spend',
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

  it('0080 keeps every approval through the table rebuild, allows budget approvals and totals past usage per session and day', () => {
    dir = tempDir();
    const path = join(dir.path, 'r.db');
    const db = openDatabase(path);
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 80),
    );
    db.exec(`
      INSERT INTO projects VALUES ('p', '/work/p', 'p', 0);
      INSERT INTO sessions (id, project_id, agent, mode, state, title, created_at, updated_at, name) VALUES ('s', 'p', 'claude', 'ask', 'idle', 't', 0, 0, 'p');
      INSERT INTO approvals (id, handle, session_id, agent_request_id, kind, tool, input, risk, status, created_at, expires_at, grant_offer, action)
        VALUES ('a', 'h', 's', 'r', 'tool', 'Bash', '{}', '{}', 'allowed', 1, 2, '{"exact":null}', '{"kind":"shell"}');
      INSERT INTO events VALUES ('s', 1, 1000, 'usage', '{"costUsd":0.5,"inputTokens":100,"outputTokens":20,"durationMs":1}');
      INSERT INTO events VALUES ('s', 2, 2000, 'usage', '{"costUsd":null,"inputTokens":10,"outputTokens":5,"durationMs":1}');
    `);
    db.close();
    const store = openStore(path);
    expect(store.db.prepare('SELECT id, kind, status, grant_offer, action FROM approvals').all()).toEqual([
      { id: 'a', kind: 'tool', status: 'allowed', grant_offer: '{"exact":null}', action: '{"kind":"shell"}' },
    ]);
    expect(store.sessions.get('s')?.budget).toEqual({ limit: { costUsd: null, tokens: null }, spent: { costUsd: 0.5, tokens: 135 } });
    store.db.exec("UPDATE approvals SET kind = 'budget'");
    expect(() => store.db.exec("UPDATE approvals SET kind = 'other'")).toThrow(/CHECK constraint/);
    store.close();
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
