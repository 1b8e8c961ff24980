import type { AgentId, BudgetLimit, Session, SessionMode, SessionState } from '../../../contract/index.ts';
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
  name: string;
  archived_at: number | null;
  budget_cost_usd: number | null;
  budget_tokens: number | null;
  spent_cost_usd: number;
  spent_tokens: number;
  last_seq: number;
  created_at: number;
  updated_at: number;
}
// Spend is summed from the per-day totals (primary-key lookups), not from the event log.
const SELECT = `SELECT s.*, p.path AS cwd,
  (SELECT COALESCE(SUM(cost_usd), 0) FROM spend WHERE session_id = s.id) AS spent_cost_usd,
  (SELECT COALESCE(SUM(tokens), 0) FROM spend WHERE session_id = s.id) AS spent_tokens
  FROM sessions s JOIN projects p ON p.id = s.project_id`;
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
  name: r.name,
  archivedAt: r.archived_at,
  budget: { limit: { costUsd: r.budget_cost_usd, tokens: r.budget_tokens }, spent: { costUsd: r.spent_cost_usd, tokens: r.spent_tokens } },
  lastSeq: r.last_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Session rows. State changes go through the session manager, which also logs a status event. */
export function createSessionsRepo(db: Db) {
  const byId = db.prepare<[string], SessionRow>(`${SELECT} WHERE s.id = ?`);
  const all = db.prepare<[number], SessionRow>(`${SELECT} ORDER BY s.updated_at DESC LIMIT ?`);
  const unarchived = db.prepare<[number], SessionRow>(`${SELECT} WHERE s.archived_at IS NULL ORDER BY s.updated_at DESC LIMIT ?`);
  // An active name first, else the archived session that held it last.
  const byName = db.prepare<[string], { id: string }>(
    'SELECT id FROM sessions WHERE name = ? COLLATE NOCASE ORDER BY archived_at IS NOT NULL, archived_at DESC LIMIT 1',
  );
  const nameHolder = db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE name = ? COLLATE NOCASE AND archived_at IS NULL');
  const setName = db.prepare('UPDATE sessions SET name = ?, updated_at = ? WHERE id = ?');
  const setArchived = db.prepare('UPDATE sessions SET archived_at = ? WHERE id = ?');
  const inStates = db.prepare<[string], SessionRow>(`${SELECT} WHERE s.state IN (SELECT value FROM json_each(?))`);
  const insert = db.prepare(
    `INSERT INTO sessions (id, project_id, agent, mode, state, title, name, created_at, updated_at, adopted, agent_session_id, transcript_path)
     VALUES (@id, @projectId, @agent, @mode, @state, @title, @name, @createdAt, @updatedAt, @adopted, @agentSessionId, @transcriptPath)`,
  );
  const adoptedBy = db.prepare<[string, string], SessionRow>(`${SELECT} WHERE s.adopted = 1 AND s.agent = ? AND s.agent_session_id = ?`);
  const setTranscript = db.prepare('UPDATE sessions SET transcript_path = ?, updated_at = ? WHERE id = ?');
  const setState = db.prepare('UPDATE sessions SET state = ?, state_reason = ?, waiting_for = ?, updated_at = ? WHERE id = ?');
  // GLOB, not LIKE: case-sensitive, and the prefixes callers pass hold no glob characters.
  const byPrefix = db.prepare<[string], { id: string }>("SELECT id FROM sessions WHERE id GLOB ? || '*' ORDER BY id LIMIT 6");
  const setMode = db.prepare('UPDATE sessions SET mode = ?, updated_at = ? WHERE id = ?');
  const setAgentId = db.prepare('UPDATE sessions SET agent_session_id = ?, updated_at = ? WHERE id = ?');
  const setLastSeq = db.prepare('UPDATE sessions SET last_seq = ?, updated_at = ? WHERE id = ?');
  const setBudget = db.prepare('UPDATE sessions SET budget_cost_usd = ?, budget_tokens = ?, updated_at = ? WHERE id = ?');
  return {
    insert(
      s: Pick<Session, 'id' | 'projectId' | 'agent' | 'mode' | 'state' | 'title' | 'name' | 'createdAt' | 'updatedAt'> &
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
    /** Newest activity first; archived sessions only with `all`. */
    list(opts: { all?: boolean; limit?: number } = {}): Session[] {
      return (opts.all ? all : unarchived).all(opts.limit ?? 500).map(toSession);
    },
    /** The session named `name` (ignoring case): the active one, else the last archived one. */
    idByName(name: string): string | undefined {
      return byName.get(name)?.id;
    },
    /** The session not archived that holds `name` (ignoring case). */
    nameHolder(name: string): string | undefined {
      return nameHolder.get(name)?.id;
    },
    setName(id: string, name: string, now: number): void {
      setName.run(name, now, id);
    },
    /** Archives (a time) or brings back (null); the activity time stays, so lists keep their order. */
    setArchivedAt(id: string, at: number | null): void {
      setArchived.run(at, id);
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
    /** The session's own spending limit (null figures: no limit of that kind). */
    setBudget(id: string, limit: BudgetLimit, now: number): void {
      setBudget.run(limit.costUsd, limit.tokens, now, id);
    },
  };
}
