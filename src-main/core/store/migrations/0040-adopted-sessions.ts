import type { Migration } from '../migrate.ts';

/**
 * Sessions Reins did not start: an agent run by hand whose hook posts each tool call to the core. Such a
 * session has no agent process of Reins' (nothing to resume, stop or kill) and is found again by the
 * agent's own session id; Claude's hook also names the transcript file.
 */
export const migration0040: Migration = {
  version: 40,
  name: 'adopted-sessions',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1));
      ALTER TABLE sessions ADD COLUMN transcript_path TEXT;
      CREATE INDEX sessions_adopted ON sessions (agent, agent_session_id) WHERE adopted = 1;
    `);
  },
};
