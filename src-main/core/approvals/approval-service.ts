import { randomBytes, randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import type { ApprovalStatus, BudgetAsk, BudgetLimit, DecisionBody, GrantMatcher, Risk, Session, Surface, ToolAction } from '../../contract/index.ts';
import { approvalKindOf, budgetTitle, decisionBody, describeGrantMatcher, grantSubject, limitWords } from '../../contract/index.ts';
import type { AgentDecision, PermissionRequest, ToolCheck, ToolCheckAnswer } from '../agents/runner.ts';
import type { AuditLog } from '../audit/index.ts';
import type { BudgetService } from '../budgets/budget-service.ts';
import type { Clock, Timers } from '../clock.ts';
import { AlreadyDecidedError, InvalidRequestError, NotFoundError } from '../errors.ts';
import type { EventLog } from '../events/event-log.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { Logger } from '../log.ts';
import type { DecisionFields, Store, StoredApproval } from '../store/index.ts';
import { classifyToolCall, decidePolicy, fsPathProbe, grantOfferFor, raiseRisk, readOnlyAction } from './index.ts';
import type { PolicyVerdict } from './policy.ts';
import type { Actor, GrantService } from './grant-service.ts';

/**
 * A budget approval waits for the owner as long as it takes: spending nothing is the safe side, and
 * a timeout that stopped the session would end work nobody decided to end. The date only fills the
 * column; a restart expires it like any other, and the next message asks again.
 */
const BUDGET_WAIT_MS = 30 * 86_400_000;

const HANDLE_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 8 unambiguous characters: short enough for buttons and typing, 2^46 guesses to hit one. */
function newHandle(): string {
  const bytes = randomBytes(8);
  let h = '';
  for (const b of bytes) h += HANDLE_ALPHABET[b % HANDLE_ALPHABET.length];
  return h;
}

/** What a new approval asks (its tool and input from its action), with a fresh id and handle and nothing decided yet. */
function pendingApproval(
  asked: Pick<
    StoredApproval,
    'sessionId' | 'agentRequestId' | 'toolUseId' | 'kind' | 'action' | 'plan' | 'questions' | 'risk' | 'grantOffer' | 'createdAt' | 'expiresAt'
  >,
): StoredApproval {
  return {
    ...asked,
    id: randomUUID(),
    handle: newHandle(),
    tool: asked.action.tool,
    input: asked.action.input,
    status: 'pending',
    decidedBy: null,
    surface: null,
    reason: null,
    message: null,
    answers: null,
    decidedAt: null,
  };
}

function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.round(s / 60)} min`;
}

export interface ApprovalServiceDeps {
  store: Store;
  uow: UnitOfWork;
  events: EventLog;
  audit: AuditLog;
  grants: GrantService;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Milliseconds a pending approval waits before it is denied as timed out. */
  timeoutMs(): number;
  /** Hands a decision to the agent that asked; false when its process is gone. */
  deliver(approval: StoredApproval, decision: AgentDecision): boolean;
  /** Called after any approval of the session settled (so the session state can be refreshed). */
  onSettled(approval: StoredApproval): void;
  /** Raises a limit when the owner continues a session paused at its budget. */
  budgets: Pick<BudgetService, 'planRaise' | 'applyRaise'>;
  /** Reins' own locations (data directory, runtime file): any call reaching them is denied. */
  protectedPaths: readonly string[];
  /** Reins' API port(s) on loopback, once known: any call connecting to them is denied. */
  protectedPorts(): readonly number[];
}

/**
 * Approvals: policy first, then the owner. Every decision — by policy, a person, a timeout, a
 * restart — is one atomic claim on the pending row; the first wins and is audited in the same
 * transaction; only then is the agent answered.
 */
export function createApprovalService(deps: ApprovalServiceDeps) {
  const { store, uow, events, audit, clock, timers, log } = deps;
  const expiryTimers = new Map<string, unknown>();

  const toDecision = (a: StoredApproval): AgentDecision =>
    a.status === 'allowed'
      ? { decision: 'allow', answers: a.kind === 'question' ? (a.answers ?? {}) : null }
      : { decision: 'deny', message: a.message ?? 'Denied.' };

  const publish = (a: StoredApproval): void => uow.emit({ type: 'approval', approval: a });

  /** A new pending approval: its row, its `approval_requested` event and its frame (inside the caller's unit of work). */
  const record = (a: StoredApproval): void => {
    store.approvals.insert(a);
    events.append(a.sessionId, [
      {
        kind: 'approval_requested',
        payload: { approvalId: a.id, handle: a.handle, kind: a.kind, tool: a.tool, input: a.input, action: a.action, risk: a.risk, expiresAt: a.expiresAt },
      },
    ]);
    publish(a);
  };

  /** Claims a pending approval inside the current transaction; returns the decided row or null. */
  const claimIn = (a: StoredApproval, fields: DecisionFields, auditType: string, extra: Record<string, unknown> = {}): StoredApproval | null => {
    if (!store.approvals.claim(a.id, fields)) return null;
    const decided = store.approvals.get(a.id)!;
    events.append(a.sessionId, [
      {
        kind: 'approval_decided',
        payload: { approvalId: a.id, status: fields.status, decidedBy: fields.decidedBy, surface: fields.surface, reason: fields.reason },
      },
    ]);
    audit.append({
      type: auditType,
      actor: fields.decidedBy,
      surface: fields.surface,
      subject: a.id,
      detail: {
        sessionId: a.sessionId,
        tool: a.tool,
        action: a.action.kind,
        kind: a.kind,
        status: fields.status,
        reason: fields.reason,
        risk: a.risk.level,
        ...extra,
      },
    });
    publish(decided);
    return decided;
  };

  const settle = (decided: StoredApproval, deliver: boolean): void => {
    const t = expiryTimers.get(decided.id);
    if (t !== undefined) timers.clearTimeout(t);
    expiryTimers.delete(decided.id);
    if (deliver && !deps.deliver(decided, toDecision(decided))) {
      log.warn({ approval: decided.id }, 'approval.undeliverable');
    }
    deps.onSettled(decided);
  };

  const systemClaim = (
    id: string,
    status: Exclude<ApprovalStatus, 'pending' | 'allowed'>,
    surface: Surface,
    reason: string,
    message: string,
    deliver: boolean,
  ): StoredApproval | null => {
    const a = store.approvals.get(id);
    if (a?.status !== 'pending') return null;
    const decided = uow.run(() =>
      claimIn(a, { status, decidedBy: 'reins', surface, reason, message, answers: null, decidedAt: clock.now() }, `approval.${status}`),
    );
    if (decided) settle(decided, deliver);
    return decided;
  };

  const expire = (id: string): void => {
    const ms = deps.timeoutMs();
    systemClaim(
      id,
      'expired',
      'timeout',
      `timed out after ${humanDuration(ms)} with no decision`,
      `Reins: the owner did not answer within ${humanDuration(ms)}, so this request timed out and was denied. Do not retry it unasked; continue without it or stop.`,
      true,
    );
  };

  const scheduleExpiry = (a: StoredApproval): void => {
    const delay = Math.max(0, a.expiresAt - clock.now());
    expiryTimers.set(
      a.id,
      timers.setTimeout(() => expire(a.id), delay),
    );
  };

  const targetContext = (session: Session) => ({ projectDir: session.cwd, homeDir: homedir(), probe: fsPathProbe });
  const classify = (session: Session, action: ToolAction): Risk =>
    classifyToolCall(action, { ...targetContext(session), protectedPaths: deps.protectedPaths, protectedPorts: deps.protectedPorts() });
  const policyFor = (session: Session, action: ToolAction, risk: Risk, now: number): PolicyVerdict =>
    decidePolicy({
      mode: session.mode,
      kind: approvalKindOf(action),
      action,
      risk,
      grants: store.grants.listApplicable(session.id, session.projectId, now),
      sessionId: session.id,
      projectId: session.projectId,
      now,
      ...targetContext(session),
    });

  const find = (idOrHandle: string): StoredApproval => {
    const a = store.approvals.get(idOrHandle) ?? store.approvals.getByHandle(idOrHandle);
    if (!a) throw new NotFoundError('approval', idOrHandle);
    return a;
  };

  return {
    /** Records a permission request, lets policy decide, and otherwise leaves it pending for the owner. */
    request(session: Session, req: PermissionRequest): StoredApproval {
      const now = clock.now();
      // The agent asking on its own is itself a finding, except for read-only tools, which policy
      // may run when nothing else raises their risk (a secrets file, a path outside the project).
      const asked = req.agentReason ? `the agent asked for permission (${req.agentReason})` : 'the agent asked for permission';
      const { action } = req;
      const kind = approvalKindOf(action);
      const base: Risk =
        kind !== 'tool' || !req.agentAsked || readOnlyAction(action)
          ? { level: 'low', tags: [], reasons: [] }
          : { level: 'medium', tags: [], reasons: [asked] };
      const risk = kind === 'tool' ? raiseRisk(base, classify(session, action)) : base;
      const verdict = policyFor(session, action, risk, now);
      const grantOffer = kind === 'tool' ? grantOfferFor(action, risk, targetContext(session)) : null;
      const approval = pendingApproval({
        sessionId: session.id,
        agentRequestId: req.requestId,
        toolUseId: req.toolUseId,
        kind,
        action,
        plan: kind === 'plan' ? (action.plan ?? '') : null,
        questions: kind === 'question' ? (action.questions ?? []) : null,
        risk,
        grantOffer,
        createdAt: now,
        expiresAt: now + deps.timeoutMs(),
      });
      const decided = uow.run(() => {
        record(approval);
        if (verdict.action === 'ask') return null;
        const fields: DecisionFields =
          verdict.action === 'allow'
            ? { status: 'allowed', decidedBy: 'policy', surface: 'policy', reason: verdict.reason, message: null, answers: null, decidedAt: now }
            : { status: 'denied', decidedBy: 'policy', surface: 'policy', reason: verdict.reason, message: verdict.message, answers: null, decidedAt: now };
        return claimIn(approval, fields, 'approval.decided', {
          mode: session.mode,
          ...('grantId' in verdict && verdict.grantId ? { grantId: verdict.grantId } : {}),
        });
      });
      if (decided) {
        settle(decided, true);
        return decided;
      }
      scheduleExpiry(approval);
      return approval;
    },

    /**
     * Pauses a session at a budget: a pending approval of kind `budget` (continue with a new limit, or
     * stop) that no policy decides and no timer expires. Audited with the spend that reached it.
     */
    requestBudget(session: Session, ask: BudgetAsk): StoredApproval {
      const now = clock.now();
      const action: ToolAction = { kind: 'budget', tool: 'budget', title: budgetTitle(ask), input: { ...ask }, budget: ask };
      const approval = pendingApproval({
        sessionId: session.id,
        agentRequestId: `budget:${ask.scope}`,
        toolUseId: null,
        kind: 'budget',
        action,
        plan: null,
        questions: null,
        risk: { level: 'low', tags: [], reasons: [] },
        grantOffer: null,
        createdAt: now,
        expiresAt: now + BUDGET_WAIT_MS,
      });
      uow.run(() => {
        record(approval);
        audit.append({
          type: 'budget.reached',
          actor: 'reins',
          surface: 'core',
          subject: session.id,
          detail: { approvalId: approval.id, scope: ask.scope, ...(ask.day ? { day: ask.day } : {}), spent: ask.spent, limit: ask.limit },
        });
      });
      return approval;
    },

    /**
     * Decides a tool call before the agent runs it. `allow` and `deny` are recorded here (an event,
     * an audit entry) and final; `ask` sends the call into the agent's permission flow, which comes
     * back through {@link request}. Questions and plans always go that way: they are the owner's.
     */
    check(session: Session, check: ToolCheck): ToolCheckAnswer {
      const { action } = check;
      if (approvalKindOf(action) !== 'tool') return { decision: 'ask', reason: 'the owner decides this' };
      const now = clock.now();
      const risk = classify(session, action);
      const verdict = policyFor(session, action, risk, now);
      const grantId = verdict.action === 'allow' ? verdict.grantId : undefined;
      uow.run(() => {
        events.append(session.id, [
          {
            kind: 'policy_decision',
            payload: {
              toolUseId: check.toolUseId,
              tool: action.tool,
              action,
              decision: verdict.action,
              reason: verdict.reason,
              risk,
              ...(grantId ? { grantId } : {}),
            },
          },
        ]);
        if (verdict.action === 'ask') return;
        audit.append({
          type: verdict.action === 'allow' ? 'policy.allowed' : 'policy.denied',
          actor: 'policy',
          surface: 'policy',
          subject: check.toolUseId,
          detail: {
            sessionId: session.id,
            tool: action.tool,
            action: action.kind,
            reason: verdict.reason,
            risk: risk.level,
            mode: session.mode,
            ...(grantId ? { grantId } : {}),
          },
        });
      });
      if (verdict.action === 'deny') return { decision: 'deny', reason: verdict.message };
      return { decision: verdict.action, reason: verdict.reason };
    },

    /** A person's decision. Throws {@link AlreadyDecidedError} when someone (or something) decided first. */
    decide(idOrHandle: string, body: DecisionBody, actor: Actor): StoredApproval {
      const d = decisionBody.parse(body);
      const a = find(idOrHandle);
      if (a.status !== 'pending') {
        audit.append({
          type: 'approval.late_decision',
          actor: actor.by,
          surface: actor.surface,
          subject: a.id,
          detail: { attempted: d.decision, status: a.status },
        });
        throw new AlreadyDecidedError(a.id, a.status, a.surface);
      }
      if (d.decision === 'allow' && a.kind === 'question') {
        const missing = (a.questions ?? []).filter((q) => !d.answers?.[q.question]);
        if (missing.length)
          throw new InvalidRequestError(`Answer every question: missing ${missing.map((q) => JSON.stringify(q.question)).join(', ')}.`, {
            questions: a.questions,
          });
      }
      const now = clock.now();
      const session = store.sessions.get(a.sessionId)!;
      const ask = a.kind === 'budget' ? a.action.budget : undefined;
      const raised: BudgetLimit | null = ask && d.decision === 'allow' ? deps.budgets.planRaise(ask, a.sessionId, d.budget) : null;
      const wantsGrant = d.decision === 'allow' && a.kind === 'tool' && (d.scope === 'session' || d.scope === 'project');
      if (wantsGrant && d.widen && !a.grantOffer?.wider) {
        throw new InvalidRequestError(
          `This call has no wider grant to offer${a.grantOffer ? `; "allow for this ${d.scope}" covers ${describeGrantMatcher(grantSubject(a.action), a.grantOffer.exact, session.cwd)}` : ''}.`,
        );
      }
      const matcher: GrantMatcher | null = wantsGrant && a.grantOffer ? (d.widen ? a.grantOffer.wider : a.grantOffer.exact) : null;
      const scopeNote = wantsGrant
        ? matcher
          ? ` (grant: ${describeGrantMatcher(grantSubject(a.action), matcher, session.cwd)})`
          : ' (once only: no grant may cover a critical call, secrets, or a target that cannot be pinned down)'
        : '';
      const allowedHow = raised
        ? `continued by ${actor.by} via ${actor.surface} with a limit of ${limitWords(raised)}`
        : `allowed by ${actor.by} via ${actor.surface}${d.scope && d.scope !== 'once' ? ` for this ${d.scope}` : ''}${scopeNote}`;
      const fields: DecisionFields =
        d.decision === 'allow'
          ? {
              status: 'allowed',
              decidedBy: actor.by,
              surface: actor.surface,
              reason: allowedHow,
              message: null,
              answers: a.kind === 'question' ? (d.answers ?? {}) : null,
              decidedAt: now,
            }
          : {
              status: 'denied',
              decidedBy: actor.by,
              surface: actor.surface,
              reason: ask ? `stopped by ${actor.by} via ${actor.surface} at its budget` : `denied by ${actor.by} via ${actor.surface}`,
              message: d.message?.trim() || `Denied by the owner (via ${actor.surface}).`,
              answers: null,
              decidedAt: now,
            };
      const decided = uow.run(() => {
        const r = claimIn(a, fields, 'approval.decided', {
          scope: d.scope ?? 'once',
          ...(matcher ? { grantCovers: describeGrantMatcher(grantSubject(a.action), matcher) } : {}),
        });
        if (r && ask && raised) deps.budgets.applyRaise(ask, session, raised, actor);
        if (r && wantsGrant && matcher)
          deps.grants.createFromDecision(d.scope as 'session' | 'project', a.sessionId, session.projectId, grantSubject(a.action), matcher, actor, a.id);
        return r;
      });
      if (!decided) {
        const now2 = find(a.id);
        audit.append({
          type: 'approval.late_decision',
          actor: actor.by,
          surface: actor.surface,
          subject: a.id,
          detail: { attempted: d.decision, status: now2.status },
        });
        throw new AlreadyDecidedError(a.id, now2.status, now2.surface);
      }
      settle(decided, true);
      return decided;
    },

    /** Withdraws a pending approval (the agent cancelled it, or its session stopped). */
    cancel(id: string, reason: string, deliverDeny: boolean): StoredApproval | null {
      return systemClaim(id, 'cancelled', 'core', reason, `Reins: ${reason}.`, deliverDeny);
    },

    /** Cancels every pending approval of a session. */
    cancelForSession(sessionId: string, reason: string, deliverDeny: boolean): void {
      for (const a of store.approvals.listPending(sessionId)) this.cancel(a.id, reason, deliverDeny);
    },

    /** Finds the pending approval behind an agent request id. */
    findByAgentRequest(sessionId: string, requestId: string): StoredApproval | undefined {
      return store.approvals.listPending(sessionId).find((a) => a.agentRequestId === requestId);
    },

    /**
     * After a restart nothing can answer the agents that asked: their processes died with the old
     * core. Each pending approval becomes `expired`, saying why; none is ever decided twice.
     */
    recover(): number {
      let n = 0;
      for (const a of store.approvals.listPending()) {
        if (
          systemClaim(
            a.id,
            'expired',
            'core',
            'Reins restarted before anyone decided; the agent process that asked is gone',
            'Reins restarted before a decision.',
            false,
          )
        )
          n++;
      }
      return n;
    },

    get: find,
    list(status?: ApprovalStatus): StoredApproval[] {
      return status === 'pending' ? store.approvals.listPending() : store.approvals.list(status);
    },
    pendingFor(sessionId: string): StoredApproval[] {
      return store.approvals.listPending(sessionId);
    },
    /** Clears expiry timers (pending rows stay pending; `recover` handles them on next start). */
    stop(): void {
      for (const t of expiryTimers.values()) timers.clearTimeout(t);
      expiryTimers.clear();
    },
  };
}
export type ApprovalService = ReturnType<typeof createApprovalService>;
