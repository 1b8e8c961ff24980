import type { Approval, ApprovalKind, ApprovalStatus, Surface } from '../../../contract/index.ts';
import { unknownAction } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface ApprovalRow {
  id: string;
  handle: string;
  session_id: string;
  agent_request_id: string;
  tool_use_id: string | null;
  kind: string;
  tool: string;
  input: string;
  plan: string | null;
  questions: string | null;
  risk: string;
  status: string;
  decided_by: string | null;
  surface: string | null;
  reason: string | null;
  message: string | null;
  answers: string | null;
  grant_offer: string | null;
  action: string | null;
  created_at: number;
  decided_at: number | null;
  expires_at: number;
}

/** An approval plus the agent-side ids needed to answer it. */
export interface StoredApproval extends Approval {
  agentRequestId: string;
  toolUseId: string | null;
}

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const toApproval = (r: ApprovalRow): StoredApproval => ({
  id: r.id,
  handle: r.handle,
  sessionId: r.session_id,
  agentRequestId: r.agent_request_id,
  toolUseId: r.tool_use_id,
  kind: r.kind as ApprovalKind,
  tool: r.tool,
  input: JSON.parse(r.input),
  // Approvals stored before actions existed know only the tool's name.
  action: parse(r.action) ?? unknownAction(r.tool, JSON.parse(r.input)),
  plan: r.plan,
  questions: parse(r.questions),
  risk: JSON.parse(r.risk),
  status: r.status as ApprovalStatus,
  decidedBy: r.decided_by,
  surface: r.surface as Surface | null,
  reason: r.reason,
  message: r.message,
  answers: parse(r.answers),
  grantOffer: parse(r.grant_offer),
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  expiresAt: r.expires_at,
});

/** The fields a decision writes. */
export interface DecisionFields {
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string;
  surface: Surface;
  reason: string;
  message: string | null;
  answers: Record<string, string> | null;
  decidedAt: number;
}

/** Approval rows. `claim` is the single atomic compare-and-set that makes the first decision win. */
export function createApprovalsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO approvals (id, handle, session_id, agent_request_id, tool_use_id, kind, tool, input, plan, questions,
       risk, status, decided_by, surface, reason, message, answers, grant_offer, action, created_at, decided_at, expires_at)
     VALUES (@id, @handle, @sessionId, @agentRequestId, @toolUseId, @kind, @tool, @input, @plan, @questions,
       @risk, @status, @decidedBy, @surface, @reason, @message, @answers, @grantOffer, @action, @createdAt, @decidedAt, @expiresAt)`,
  );
  const byId = db.prepare<[string], ApprovalRow>('SELECT * FROM approvals WHERE id = ?');
  const byHandle = db.prepare<[string], ApprovalRow>('SELECT * FROM approvals WHERE handle = ?');
  const byPrefix = db.prepare<[string, string], { id: string }>(
    "SELECT id FROM approvals WHERE id GLOB ? || '*' UNION SELECT id FROM approvals WHERE handle GLOB ? || '*' LIMIT 6",
  );
  const pending = db.prepare<[], ApprovalRow>("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at");
  const pendingFor = db.prepare<[string], ApprovalRow>("SELECT * FROM approvals WHERE status = 'pending' AND session_id = ? ORDER BY created_at");
  const recent = db.prepare<[number], ApprovalRow>('SELECT * FROM approvals ORDER BY created_at DESC LIMIT ?');
  const byStatus = db.prepare<[string, number], ApprovalRow>('SELECT * FROM approvals WHERE status = ? ORDER BY created_at DESC LIMIT ?');
  const claim = db.prepare(
    `UPDATE approvals SET status = @status, decided_by = @decidedBy, surface = @surface, reason = @reason,
       message = @message, answers = @answers, decided_at = @decidedAt
     WHERE id = @id AND status = 'pending'`,
  );
  return {
    insert(a: StoredApproval): void {
      insert.run({
        ...a,
        input: JSON.stringify(a.input),
        questions: a.questions && JSON.stringify(a.questions),
        risk: JSON.stringify(a.risk),
        answers: a.answers && JSON.stringify(a.answers),
        grantOffer: a.grantOffer && JSON.stringify(a.grantOffer),
        action: JSON.stringify(a.action),
      });
    },
    get(id: string): StoredApproval | undefined {
      const row = byId.get(id);
      return row && toApproval(row);
    },
    /** Ids of approvals whose id or handle starts with `prefix` (at most 6). */
    idsWithPrefix(prefix: string): string[] {
      return /^[A-Za-z0-9_-]+$/.test(prefix) ? byPrefix.all(prefix, prefix).map((r) => r.id) : [];
    },
    getByHandle(handle: string): StoredApproval | undefined {
      const row = byHandle.get(handle);
      return row && toApproval(row);
    },
    listPending(sessionId?: string): StoredApproval[] {
      return (sessionId ? pendingFor.all(sessionId) : pending.all()).map(toApproval);
    },
    list(status: ApprovalStatus | undefined, limit = 200): StoredApproval[] {
      return (status ? byStatus.all(status, limit) : recent.all(limit)).map(toApproval);
    },
    /** Decides a pending approval. Returns false when it was already decided (someone else won). */
    claim(id: string, d: DecisionFields): boolean {
      const answers = d.answers && JSON.stringify(d.answers);
      return claim.run({ ...d, answers, id }).changes === 1;
    },
  };
}
