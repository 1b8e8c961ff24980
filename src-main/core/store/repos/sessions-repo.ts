import type { AgentId, Session, SessionMode, SessionState } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface SessionRow {
  id: string;
  project_id: string;
  cwd: string;
  agent: string;
  mode: string;
  state: string;
  state_reason: string | null;
  waiting_for: string | null;
  agent_session_id: string | null;
  adopted: number;
  transcript_path: string | null;
  title: string;
  last_seq: number;
  created_at: number;
  updated_at: number;
}
const SELECT = 'SELECT s.*, p.path AS cwd FROM sessions s JOIN projects p ON p.id = s.project_id';
const toSession = (r: SessionRow): Session => ({
  id: r.id,
  agent: r.agent as AgentId,
  projectId: r.project_id,
  cwd: r.cwd,
  mode: r.mode as SessionMode,
  state: r.state as SessionState,
  stateReason: r.state_reason,
  waitingFor: r.waiting_for as Session['waitingFor'],
  agentSessionId: r.agent_session_id,
  adopted: r.adopted === 1,
  transcriptPath: r.transcript_path,
  title: r.title,
  lastSeq: r.last_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Session rows. State changes go through the session manager, which also logs a status event. */
export function createSessionsRepo(db: Db) {
  const byId = db.prepare<[string], SessionRow>(`${SELECT} WHERE s.id = ?`);
  const all = db.prepare<[number], SessionRow>(`${SELECT} ORDER BY s.updated_at DESC LIMIT ?`);
  const inStates = db.prepare<[string], SessionRow>(`${SELECT} WHERE s.state IN (SELECT value FROM json_each(?))`);
  const insert = db.prepare(
    `INSERT INTO sessions (id, project_id, agent, mode, state, title, created_at, updated_at, adopted, agent_session_id, transcript_path)
     VALUES (@id, @projectId, @agent, @mode, @state, @title, @createdAt, @updatedAt, @adopted, @agentSessionId, @transcriptPath)`,
  );
  const adoptedBy = db.prepare<[string, string], SessionRow>(`${SELECT} WHERE s.adopted = 1 AND s.agent = ? AND s.agent_session_id = ?`);
  const setTranscript = db.prepare('UPDATE sessions SET transcript_path = ?, updated_at = ? WHERE id = ?');
  const setState = db.prepare('UPDATE sessions SET state = ?, state_reason = ?, waiting_for = ?, updated_at = ? WHERE id = ?');
  // GLOB, not LIKE: case-sensitive, and the prefixes callers pass hold no glob characters.
  const byPrefix = db.prepare<[string], { id: string }>("SELECT id FROM sessions WHERE id GLOB ? || '*' ORDER BY id LIMIT 6");
  const setMode = db.prepare('UPDATE sessions SET mode = ?, updated_at = ? WHERE id = ?');
  const setAgentId = db.prepare('UPDATE sessions SET agent_session_id = ?, updated_at = ? WHERE id = ?');
  const setLastSeq = db.prepare('UPDATE sessions SET last_seq = ?, updated_at = ? WHERE id = ?');
  return {
    insert(
      s: Pick<Session, 'id' | 'projectId' | 'agent' | 'mode' | 'state' | 'title' | 'createdAt' | 'updatedAt'> &
        Partial<Pick<Session, 'adopted' | 'agentSessionId' | 'transcriptPath'>>,
    ): void {
      insert.run({ ...s, adopted: s.adopted ? 1 : 0, agentSessionId: s.agentSessionId ?? null, transcriptPath: s.transcriptPath ?? null });
    },
    /** The adopted session of an agent's own session id. */
    findAdopted(agent: string, agentSessionId: string): Session | undefined {
      const row = adoptedBy.get(agent, agentSessionId);
      return row && toSession(row);
    },
    setTranscriptPath(id: string, path: string, now: number): void {
      setTranscript.run(path, now, id);
    },
    /** Ids starting with `prefix` (letters, digits, `-`, `_` only; at most 6: enough to say it is ambiguous). */
    idsWithPrefix(prefix: string): string[] {
      return /^[A-Za-z0-9_-]+$/.test(prefix) ? byPrefix.all(prefix).map((r) => r.id) : [];
    },
    get(id: string): Session | undefined {
      const row = byId.get(id);
      return row && toSession(row);
    },
    list(limit = 500): Session[] {
      return all.all(limit).map(toSession);
    },
    listInStates(states: readonly SessionState[]): Session[] {
      return inStates.all(JSON.stringify(states)).map(toSession);
    },
    setState(id: string, state: SessionState, reason: string | null, waitingFor: Session['waitingFor'], now: number): void {
      setState.run(state, reason, waitingFor, now, id);
    },
    setMode(id: string, mode: SessionMode, now: number): void {
      setMode.run(mode, now, id);
    },
    setAgentSessionId(id: string, agentSessionId: string, now: number): void {
      setAgentId.run(agentSessionId, now, id);
    },
    setLastSeq(id: string, seq: number, now: number): void {
      setLastSeq.run(seq, now, id);
    },
  };
}
