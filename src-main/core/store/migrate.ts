import type { Db } from './db.ts';

/** One schema step. `version` is the file's number (multiples of 10); `up` holds only DDL/DML. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

/** The database was written by a newer Reins: refusing is the only safe answer. */
export class DatabaseFromFutureError extends Error {
  override readonly name = 'DatabaseFromFutureError';
  readonly dbVersion: number;
  readonly knownVersion: number;
  constructor(path: string, dbVersion: number, knownVersion: number) {
    super(
      `The database ${path} has schema version ${dbVersion}, newer than this Reins knows (${knownVersion}). ` +
        'Upgrade Reins, or point --home at another data directory.',
    );
    this.dbVersion = dbVersion;
    this.knownVersion = knownVersion;
  }
}

/** Migrations must be strictly increasing; a mistake here would corrupt every user's database. */
export class MigrationOrderError extends Error {
  override readonly name = 'MigrationOrderError';
}

/**
 * Brings `db` to the newest version in one transaction: all pending migrations apply, or none.
 * `PRAGMA user_version` records the version. A database from a newer Reins is refused.
 * Returns the versions applied.
 */
export function runMigrations(db: Db, migrations: readonly Migration[], opts: { path?: string; target?: number } = {}): number[] {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1]!;
    const cur = migrations[i]!;
    if (cur.version <= prev.version) {
      throw new MigrationOrderError(`Migration ${cur.version}-${cur.name} does not come after ${prev.version}-${prev.name}`);
    }
  }
  const newest = migrations.at(-1)?.version ?? 0;
  const target = opts.target ?? newest;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > newest) throw new DatabaseFromFutureError(opts.path ?? db.name, current, newest);
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      // user_version cannot take a bound parameter; the value is an integer from our own list.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }
  })();
  db.pragma('optimize');
  return pending.map((m) => m.version);
}
