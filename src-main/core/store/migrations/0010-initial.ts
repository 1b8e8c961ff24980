import type { Migration } from '../migrate.ts';

/** The first schema: projects, sessions, the event log, approvals, grants, follow-ups, audit, kv. */
export const migration0010: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id),
        agent TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('ask', 'auto', 'standby')),
        state TEXT NOT NULL,
        state_reason TEXT,
        waiting_for TEXT,
        agent_session_id TEXT,
        title TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_updated ON sessions (updated_at DESC);

      CREATE TABLE events (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (session_id, seq)
      ) STRICT;

      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        handle TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        agent_request_id TEXT NOT NULL,
        tool_use_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('tool', 'plan', 'question')),
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
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status = 'pending';
      CREATE INDEX approvals_by_session ON approvals (session_id, created_at);

      CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('run', 'session', 'project')),
        session_id TEXT REFERENCES sessions(id),
        project_id TEXT REFERENCES projects(id),
        tool TEXT NOT NULL,
        matcher TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE followups (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        text TEXT NOT NULL,
        delivery TEXT NOT NULL CHECK (delivery IN ('queue', 'steer', 'interrupt')),
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'cancelled', 'failed')),
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      ) STRICT;
      CREATE INDEX followups_queue ON followups (session_id, state, created_at);

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        surface TEXT NOT NULL,
        subject TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;

      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
