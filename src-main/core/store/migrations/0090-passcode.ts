import type { Migration } from '../migrate.ts';

/**
 * The owner's optional passcode (only its argon2id PHC hash, never the passcode) and the lock after
 * wrong tries from the phone. One row, always present: the lock lives here, not in memory, so a
 * restart does not give a guesser five fresh tries.
 */
export const migration0090: Migration = {
  version: 90,
  name: 'passcode',
  up(db) {
    db.exec(`
      CREATE TABLE passcode (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hash TEXT,
        set_at INTEGER,
        failed_tries INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER
      ) STRICT;
      INSERT INTO passcode (id) VALUES (1);
    `);
  },
};
