import Database from 'better-sqlite3';

/** An open better-sqlite3 handle. */
export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite file at `path` with the pragmas Reins relies on:
 * WAL so readers never block the writer, `synchronous=NORMAL` (a committed transaction survives a
 * killed process; only an OS crash may lose the last ones), foreign keys on, and a busy timeout so a
 * second reader (the CLI, `reins audit verify`) waits instead of failing.
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  return db;
}
