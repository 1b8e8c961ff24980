import type { Migration } from '../migrate.ts';

/**
 * Schedules and webhooks that start sessions on the owner's behalf, and the signatures of accepted
 * webhook deliveries (kept for the acceptance window, so a replayed delivery is refused). A
 * webhook's signing secret is never stored here: it lives in the secret store or the environment.
 */
export const migration0070: Migration = {
  version: 70,
  name: 'schedules',
  up(db) {
    db.exec(`
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        cron TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        project TEXT NOT NULL,
        agent TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('ask', 'auto', 'standby')),
        prompt TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('config', 'user')),
        last_run_at INTEGER,
        next_run_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        project TEXT NOT NULL,
        agent TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('ask', 'auto', 'standby')),
        prompt_template TEXT NOT NULL,
        secret_env TEXT,
        source TEXT NOT NULL CHECK (source IN ('config', 'user')),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE webhook_deliveries (
        webhook TEXT NOT NULL,
        signature TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (webhook, signature)
      ) STRICT;
      CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
    `);
  },
};
