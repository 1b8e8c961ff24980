import type { Db } from '../db.ts';

/** One agent process a core started, kept until the core saw it end. */
export interface AgentProcessRecord {
  sessionId: string;
  pid: number;
  /** Its process group (the agent leads its own), or null where groups do not apply. */
  pgid: number | null;
  /** Tells this process apart from a later one with the same pid (see processIdentity); null if unknown. */
  identity: string | null;
  startedAt: number;
}

interface Row {
  session_id: string;
  pid: number;
  pgid: number | null;
  identity: string | null;
  started_at: number;
}

const toRecord = (r: Row): AgentProcessRecord => ({ sessionId: r.session_id, pid: r.pid, pgid: r.pgid, identity: r.identity, startedAt: r.started_at });

/**
 * Agent processes, so that a core starting after a crash can find and end any agent the dead core
 * left running before it resumes anything (never two agents for one session).
 */
export function createAgentProcessesRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO agent_processes (session_id, pid, pgid, identity, started_at) VALUES (@sessionId, @pid, @pgid, @identity, @startedAt)',
  );
  const end = db.prepare('UPDATE agent_processes SET ended_at = ? WHERE session_id = ? AND pid = ? AND ended_at IS NULL');
  const running = db.prepare<[], Row>('SELECT * FROM agent_processes WHERE ended_at IS NULL ORDER BY started_at');
  const runningFor = db.prepare<[string], Row>('SELECT * FROM agent_processes WHERE ended_at IS NULL AND session_id = ? ORDER BY started_at');
  return {
    insert(r: AgentProcessRecord): void {
      insert.run(r);
    },
    /** Marks the process ended (it exited, or recovery made sure it is gone). */
    markEnded(sessionId: string, pid: number, endedAt: number): void {
      end.run(endedAt, sessionId, pid);
    },
    /** Processes not known to have ended, oldest first; optionally of one session. */
    listRunning(sessionId?: string): AgentProcessRecord[] {
      return (sessionId === undefined ? running.all() : runningFor.all(sessionId)).map(toRecord);
    },
  };
}
