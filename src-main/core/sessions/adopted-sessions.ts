/**
 * Sessions Reins did not start: a developer runs an agent by hand, and the hook Reins installed in the
 * agent's settings posts each tool call here before it runs. The call goes through the same approval
 * layer as Reins' own sessions (policy, grants, audit, approvals on every surface); the HTTP request
 * waits for the owner and its answer is the hook's. Reins owns no process of these sessions: nothing
 * to resume, stop or kill, and a restart leaves them alone.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Session } from '../../contract/index.ts';
import { approvalKindOf } from '../../contract/index.ts';
import { hookAction } from '../agents/hook-action.ts';
import type { ApprovalService } from '../approvals/approval-service.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock, Timers } from '../clock.ts';
import type { EventLog } from '../events/event-log.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { Logger } from '../log.ts';
import type { Store, StoredApproval } from '../store/index.ts';
import { resolveProjectDir } from './project-dir.ts';
import type { SessionArchive } from './session-archive.ts';
import type { SessionStateWriter } from './session-state.ts';

/** One tool call reported by an agent's hook. */
export interface HookCall {
  agent: string;
  /** The agent's own session id. */
  agentSessionId: string;
  cwd: string;
  transcriptPath: string | null;
  tool: string;
  input: Record<string, unknown>;
  toolUseId: string | null;
  /** How long the hook can wait; the call is denied (and its approval withdrawn) by then. */
  budgetMs: number;
}

/** What the hook tells the agent. */
export interface HookAnswer {
  decision: 'allow' | 'deny' | 'ask';
  reason: string;
  sessionId: string;
  approvalId: string | null;
}

export interface AdoptedSessionsDeps {
  store: Store;
  uow: UnitOfWork;
  events: EventLog;
  states: SessionStateWriter;
  archive: SessionArchive;
  approvals: () => ApprovalService;
  audit: AuditLog;
  clock: Clock;
  timers: Timers;
  log: Logger;
}

/** Node fires a longer timeout at once: the budget is capped below it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createAdoptedSessions(deps: AdoptedSessionsDeps) {
  const { store, uow, events, states, audit, clock, timers, log } = deps;
  /** Approval id → the hook call waiting for it. */
  const waiters = new Map<string, (a: StoredApproval) => void>();

  const answerOf = (a: StoredApproval, sessionId: string): HookAnswer =>
    a.status === 'allowed'
      ? { decision: 'allow', reason: a.reason ?? 'allowed', sessionId, approvalId: a.id }
      : { decision: 'deny', reason: a.message ?? a.reason ?? 'Denied.', sessionId, approvalId: a.id };

  /** `waiting` while one of its calls waits for the owner, else `running`. */
  const refresh = (sessionId: string): void => {
    const s = store.sessions.get(sessionId);
    if (!s?.adopted) return;
    const waiting = store.approvals.listPending(sessionId).length > 0;
    states.write(sessionId, waiting ? { state: 'waiting', waitingFor: 'approval', reason: null } : { state: 'running', waitingFor: null, reason: null });
  };

  /** The session of the agent's conversation: found by its id, or recorded on its first call. */
  const adopt = (call: HookCall): Session => {
    const now = clock.now();
    const found = store.sessions.findAdopted(call.agent, call.agentSessionId);
    if (found) {
      // The agent carried on after its session was archived: it is back.
      if (found.archivedAt !== null) deps.archive.restore(found.id, { by: 'hook', surface: 'api' });
      if (call.transcriptPath && call.transcriptPath !== found.transcriptPath) {
        uow.run(() => {
          store.sessions.setTranscriptPath(found.id, call.transcriptPath!, now);
          uow.emit({ type: 'session', session: store.sessions.get(found.id)! });
        });
      }
      if (found.state !== 'running' && found.state !== 'waiting') refresh(found.id);
      return store.sessions.get(found.id)!;
    }
    const dir = resolveProjectDir(call.cwd);
    const id = randomUUID();
    uow.run(() => {
      const project = store.projects.ensure(dir, now);
      store.sessions.insert({
        id,
        projectId: project.id,
        agent: call.agent,
        mode: 'ask',
        state: 'running',
        title: `${call.agent} in ${basename(dir)} (started outside Reins)`,
        name: deps.archive.nameFor(dir),
        createdAt: now,
        updatedAt: now,
        adopted: true,
        agentSessionId: call.agentSessionId,
        transcriptPath: call.transcriptPath,
      });
      events.append(id, [
        { kind: 'status', payload: { state: 'running', detail: `${call.agent} in ${dir}, started outside Reins: its hook sends each tool call to Reins` } },
      ]);
      audit.append({
        type: 'session.adopted',
        actor: 'hook',
        surface: 'api',
        subject: id,
        detail: { agent: call.agent, cwd: dir, agentSessionId: call.agentSessionId },
      });
      uow.emit({ type: 'session', session: store.sessions.get(id)! });
    });
    return store.sessions.get(id)!;
  };

  /** Waits for the owner's decision on `approval`, for at most the hook's budget or until it hangs up. */
  const waitFor = (approval: StoredApproval, sessionId: string, budgetMs: number, signal: AbortSignal | undefined): Promise<HookAnswer> =>
    new Promise((resolve) => {
      let timer: unknown = null;
      const onAbort = (): void => {
        deps.approvals().cancel(approval.id, 'the agent stopped waiting (its hook ended)', false);
      };
      const finish = (a: StoredApproval): void => {
        if (waiters.get(approval.id) !== finish) return;
        waiters.delete(approval.id);
        if (timer !== null) timers.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(answerOf(a, sessionId));
      };
      waiters.set(approval.id, finish);
      // Cancelling settles the approval, which resolves this wait through `settled` with its message.
      timer = timers.setTimeout(
        () => {
          deps
            .approvals()
            .cancel(approval.id, `nobody decided within the ${Math.round(budgetMs / 1000)} s the agent's hook can wait, so the call was denied`, false);
        },
        Math.min(budgetMs, MAX_TIMER_MS),
      );
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    /**
     * Decides one hook call: policy first (harmless calls run, grants apply, Reins itself is out of
     * reach); a call that needs the owner becomes a pending approval and the answer waits for it.
     * Plans and questions go back to the agent's own prompt (`ask`): the person at it answers them.
     */
    async check(call: HookCall, signal?: AbortSignal): Promise<HookAnswer> {
      const session = adopt(call);
      const action = hookAction(call.agent, call.tool, call.input);
      const checked = deps.approvals().check(session, { requestId: call.toolUseId ?? randomUUID(), toolUseId: call.toolUseId, action });
      if (checked.decision !== 'ask' || approvalKindOf(action) !== 'tool') return { ...checked, sessionId: session.id, approvalId: null };
      const approval = deps.approvals().request(session, { requestId: randomUUID(), toolUseId: call.toolUseId, action, agentReason: null, agentAsked: false });
      if (approval.status !== 'pending') return answerOf(approval, session.id);
      refresh(session.id);
      return waitFor(approval, session.id, call.budgetMs, signal);
    },

    /** Answers the hook call waiting for `a`; false when none waits (not an adopted session's call). */
    deliver(a: StoredApproval): boolean {
      const waiter = waiters.get(a.id);
      if (!waiter) return false;
      waiter(a);
      return true;
    },

    /** An approval settled, however (decided, expired, withdrawn): answer its waiting call, refresh the state. */
    settled(a: StoredApproval): void {
      waiters.get(a.id)?.(a);
      refresh(a.sessionId);
    },

    /** Denies every waiting call (the core is stopping); their rows expire at the next start. */
    stop(): void {
      for (const [id, waiter] of [...waiters]) {
        const a = store.approvals.get(id);
        if (!a) continue;
        waiter({ ...a, status: 'cancelled', message: 'Reins is shutting down, so this call was denied.' });
      }
      if (waiters.size > 0) log.warn({ left: waiters.size }, 'adopted.waiters_left');
    },
  };
}
