import type { Db } from '../db.ts';

/** Small named values that must survive restarts (e.g. the Telegram update offset). */
export function createKvRepo(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const del = db.prepare('DELETE FROM kv WHERE key = ?');
  return {
    get(key: string): string | undefined {
      return get.get(key)?.value;
    },
    set(key: string, value: string, now: number): void {
      set.run(key, value, now);
    },
    delete(key: string): void {
      del.run(key);
    },
  };
}
