import type { Migration } from '../migrate.ts';

/**
 * Budgets. `spend` totals the agents' usage reports per session and local day (kept in the same
 * transaction as each `usage` event, so it can never disagree with the log); a session carries its own
 * limit; `budget_days` holds a day's limit once the owner raised it. Approvals gain the kind `budget`
 * (a session paused at its limit): SQLite cannot change a CHECK, so the table is rebuilt as it was
 * with the wider one. Existing usage events are totalled once here.
 */
export const migration0080: Migration = {
  version: 80,
  name: 'budgets',
  up(db) {
    db.exec(`
      CREATE TABLE approvals_next (
        id TEXT PRIMARY KEY,
        handle TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        agent_request_id TEXT NOT NULL,
        tool_use_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('tool', 'plan', 'question', 'budget')),
        tool TEXT NOT NULL,
        input TEXT NOT NULL,
        plan TEXT,
        questions TEXT,
        risk TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied', 'expired', 'cancelled')),
        decided_by TEXT,
        surface TEXT,
        reason TEXT,
        message TEXT,
        answers TEXT,
        created_at INTEGER NOT NULL,
        decided_at INTEGER,
        expires_at INTEGER NOT NULL,
        grant_offer TEXT,
        action TEXT
      ) STRICT;
      INSERT INTO approvals_next (id, handle, session_id, agent_request_id, tool_use_id, kind, tool, input, plan, questions, risk, status,
        decided_by, surface, reason, message, answers, created_at, decided_at, expires_at, grant_offer, action)
      SELECT id, handle, session_id, agent_request_id, tool_use_id, kind, tool, input, plan, questions, risk, status,
        decided_by, surface, reason, message, answers, created_at, decided_at, expires_at, grant_offer, action FROM approvals;
      DROP TABLE approvals;
      ALTER TABLE approvals_next RENAME TO approvals;
      CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status = 'pending';
      CREATE INDEX approvals_by_session ON approvals (session_id, created_at);

      ALTER TABLE sessions ADD COLUMN budget_cost_usd REAL;
      ALTER TABLE sessions ADD COLUMN budget_tokens INTEGER;

      CREATE TABLE spend (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        day TEXT NOT NULL,
        cost_usd REAL NOT NULL,
        tokens INTEGER NOT NULL,
        PRIMARY KEY (session_id, day)
      ) STRICT;
      CREATE INDEX spend_by_day ON spend (day);

      CREATE TABLE budget_days (
        day TEXT PRIMARY KEY,
        cost_usd REAL,
        tokens INTEGER
      ) STRICT;

      INSERT INTO spend (session_id, day, cost_usd, tokens)
      SELECT session_id, date(ts / 1000, 'unixepoch', 'localtime'),
        SUM(COALESCE(json_extract(payload, '$.costUsd'), 0)),
        SUM(COALESCE(json_extract(payload, '$.inputTokens'), 0) + COALESCE(json_extract(payload, '$.outputTokens'), 0))
      FROM events WHERE kind = 'usage' GROUP BY 1, 2;
    `);
  },
};
