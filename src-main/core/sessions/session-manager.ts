import { randomUUID } from 'node:crypto';
import type { AgentCapabilities, CreateSessionBody, Delivery, Followup, NewEvent, SendMessageBody, Session, SessionMode } from '../../contract/index.ts';
import { createSessionBody, ENDED_STATES, NO_CAPABILITIES, sendMessageBody } from '../../contract/index.ts';
import type { AgentDecision, AgentRun, AgentRunner, ExitInfo, PermissionRequest, RunOutput, ToolCheck } from '../agents/runner.ts';
import { endSurvivors } from '../agents/process/survivors.ts';
import type { ApprovalService } from '../approvals/approval-service.ts';
import type { Actor, GrantService } from '../approvals/grant-service.ts';
import type { AuditLog } from '../audit/index.ts';
import type { BudgetService } from '../budgets/budget-service.ts';
import type { Clock, Timers } from '../clock.ts';
import { processIdentity } from '../host/process-identity.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.ts';
import type { EventLog } from '../events/event-log.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import type { Logger } from '../log.ts';
import type { Store, StoredApproval } from '../store/index.ts';
import { resolveProjectDir } from './project-dir.ts';
import type { SessionArchive } from './session-archive.ts';
import type { DerivedState, SessionStateWriter } from './session-state.ts';

/** A session whose agent process is alive. */
interface Live {
  sessionId: string;
  run: AgentRun;
  /** User messages handed to the agent whose turn has not ended yet. */
  pendingTurns: number;
  stalled: boolean;
  stopping: boolean;
  shuttingDown: boolean;
  killedByWatchdog: boolean;
  /** Ended by the reaper after sitting idle: the session stays `idle`, the next message resumes it. */
  reaped: boolean;
  /** Follow-up to send first once the interrupted turn has ended. */
  interruptFollowup: string | null;
  watchdog: unknown | null;
  /** When the agent last printed (or a turn started, or an approval settled). */
  lastOutputAt: number;
  /** Why the last turn failed (plain words and what to do), shown as the idle session's reason until the next turn. */
  lastTurnError: string | null;
  /** The agent is retrying a failed model request ("…; retrying in 8 s, attempt 2 of 10"), until the turn ends. */
  retryNote: string | null;
  /** Why the owner stopped it, kept as the stopped session's reason ("stopped at its budget …"). */
  stopReason: string | null;
  /** Tokens the running turn used so far by the agent's mid-turn reports (0 once its usage is recorded). */
  turnTokens: number;
  /** Permission requests held while the session is paused at its budget: answered once the owner decides. */
  heldPermissions: PermissionRequest[];
}

export interface SessionManagerDeps {
  store: Store;
  uow: UnitOfWork;
  events: EventLog;
  states: SessionStateWriter;
  archive: SessionArchive;
  approvals: () => ApprovalService;
  budgets: Pick<BudgetService, 'reached' | 'initialLimit'>;
  grants: GrantService;
  audit: AuditLog;
  clock: Clock;
  timers: Timers;
  log: Logger;
  runners: ReadonlyMap<string, AgentRunner>;
  /** The environment an agent of this kind is started with. */
  agentEnv(agent: string): Record<string, string>;
  /** The agent's executable and how to install it, for the message when it cannot start. */
  agentSetup(agent: string): { bin: string; displayName: string; installHint: string; binEnv: string };
  watchdog(): { stallMs: number; killMs: number };
}

const ACTIVE_STATES = ['starting', 'running', 'stalled', 'waiting'] as const;

const ADOPTED_NO_MESSAGES =
  "This agent was started outside Reins (in a terminal or an IDE): Reins decides its tool calls but cannot send it messages. Type in the agent's own window.";
const ADOPTED_NO_STOP =
  'This agent was started outside Reins (in a terminal or an IDE), so Reins cannot stop it: stop it where it runs (Ctrl-C in its terminal). Deny its pending calls to hold it.';

/**
 * Sessions: starts and resumes agent processes, feeds them follow-ups, routes their permission
 * requests to approvals, keeps the state machine and the idle watchdog.
 */
export function createSessionManager(deps: SessionManagerDeps) {
  const { store, uow, events, states, audit, clock, timers, log } = deps;
  const lives = new Map<string, Live>();

  const getSession = (id: string): Session => {
    const s = store.sessions.get(id);
    if (!s) throw new NotFoundError('session', id);
    return s;
  };

  /** What a waiting session waits for, in words: a budget pause says which limit; an approval needs none. */
  const waitingReason = (pending: readonly StoredApproval[]): string | null => pending.find((a) => a.kind === 'budget')?.action.title ?? null;
  const derive = (live: Live): DerivedState => {
    const pending = store.approvals.listPending(live.sessionId);
    if (pending.length > 0) return { state: 'waiting', waitingFor: 'approval', reason: waitingReason(pending) };
    if (live.pendingTurns > 0)
      return live.stalled
        ? { state: 'stalled', waitingFor: null, reason: 'no output from the agent for a while' }
        : { state: 'running', waitingFor: null, reason: live.retryNote };
    return { state: 'idle', waitingFor: null, reason: live.lastTurnError };
  };
  const refresh = (live: Live, extra: Parameters<SessionStateWriter['write']>[2] = {}): void => {
    states.write(live.sessionId, derive(live), extra);
  };

  // === Watchdog: a turn that produces no output is `stalled`, then killed. Waiting for an
  // approval is not silence: the agent legitimately waits, so the watchdog is paused.
  const disarm = (live: Live): void => {
    if (live.watchdog !== null) timers.clearTimeout(live.watchdog);
    live.watchdog = null;
  };
  /**
   * Looks at the silence when the timer fires rather than resetting a timer per stdout chunk: a
   * flooding agent then costs no timer churn and no database query per chunk.
   */
  const check = (live: Live): void => {
    live.watchdog = null;
    if (live.pendingTurns === 0 || live.stopping || store.approvals.listPending(live.sessionId).length > 0) return;
    const { stallMs, killMs } = deps.watchdog();
    const silent = clock.now() - live.lastOutputAt;
    if (silent < stallMs) {
      live.watchdog = timers.setTimeout(() => check(live), stallMs - silent);
      return;
    }
    live.stalled = true;
    refresh(live, { detail: `no output for ${Math.round(stallMs / 1000)} s while a turn is running` });
    live.watchdog = timers.setTimeout(() => {
      live.killedByWatchdog = true;
      log.warn({ session: live.sessionId }, 'session.watchdog_kill');
      live.run.kill();
    }, killMs);
  };
  /** Output (or a new turn, or a settled approval) resets the silence; the timer runs while a turn may stall. */
  const arm = (live: Live): void => {
    live.lastOutputAt = clock.now();
    if (live.watchdog !== null || live.pendingTurns === 0 || live.stopping) return;
    live.watchdog = timers.setTimeout(() => check(live), deps.watchdog().stallMs);
  };

  const capabilitiesOf = (agent: string): AgentCapabilities => deps.runners.get(agent)?.capabilities ?? NO_CAPABILITIES;

  /** The running terminal of a session, or a refusal that says why. */
  const liveTerminal = (sessionId: string): NonNullable<AgentRun['terminal']> => {
    const session = getSession(sessionId);
    const terminal = lives.get(sessionId)?.run.terminal;
    if (terminal === undefined) {
      throw new ConflictError(
        session.agent === 'terminal' ? 'The terminal has ended; send a message to start it again.' : `Session ${sessionId} is not a terminal session.`,
      );
    }
    return terminal;
  };

  // === Budgets: a new turn starts only within the limits; at one, the owner is asked once.
  /**
   * True when the session may not start a turn now: a budget approval is pending, or a limit is
   * reached (then the approval is created here). The agent is not told: it simply gets no new turn.
   */
  const budgetHolds = (sessionId: string, inTurnTokens = 0): boolean => {
    if (store.approvals.listPending(sessionId).some((a) => a.kind === 'budget')) return true;
    const session = getSession(sessionId);
    if (session.adopted) return false;
    const ask = deps.budgets.reached(session, inTurnTokens);
    if (ask === null) return false;
    deps.approvals().requestBudget(session, ask);
    return true;
  };
  /** A session without a process paused at its budget: `waiting`, saying which limit. */
  const pauseWithoutAgent = (sessionId: string): void => {
    states.write(sessionId, { state: 'waiting', waitingFor: 'approval', reason: waitingReason(store.approvals.listPending(sessionId)) });
  };

  // === Delivery of user text.
  const deliverText = (live: Live, text: string): void => {
    live.run.sendUserMessage(text);
    live.pendingTurns++;
    live.stalled = false;
    refresh(live, { turn: 'started' });
    arm(live);
  };
  const deliverFollowup = (live: Live, f: Followup): boolean => {
    const sent = uow.run(() => {
      if (!store.followups.transition(f.id, 'queued', 'sent', clock.now())) return false;
      events.append(f.sessionId, [{ kind: 'followup', payload: { followupId: f.id, text: f.text, delivery: f.delivery, state: 'sent', source: f.source } }]);
      return true;
    });
    if (sent) deliverText(live, f.text);
    return sent;
  };
  const deliverNext = (live: Live): void => {
    if (live.pendingTurns > 0 || live.stopping || live.shuttingDown) return;
    const queued = store.followups.listQueued(live.sessionId);
    const first = queued.find((f) => f.id === live.interruptFollowup) ?? queued[0];
    if (!first) return;
    if (budgetHolds(live.sessionId)) {
      refresh(live);
      return;
    }
    live.interruptFollowup = null;
    deliverFollowup(live, first);
  };

  // === Agent output.
  const onPermission = (live: Live, req: PermissionRequest): void => {
    const session = getSession(live.sessionId);
    disarm(live);
    // Paused at a budget mid-turn: the request waits (agents wait for an answer) until the owner decides.
    if (budgetHolds(live.sessionId, live.turnTokens)) {
      live.heldPermissions.push(req);
      refresh(live);
      return;
    }
    const a = deps.approvals().request(session, req);
    if (a.status === 'pending') refresh(live);
  };
  /** Records a failure to process agent output (never throws: the store itself may be failing). */
  const reportOutputFailure = (live: Live, err: unknown): void => {
    log.error({ err, session: live.sessionId }, 'session.output_failed');
    try {
      events.append(live.sessionId, [
        { kind: 'error', payload: { source: 'core', message: `Reins could not process agent output: ${(err as Error).message}` } },
      ]);
    } catch {
      // The log line above is all that is left.
    }
  };

  /** Fail closed: a permission request that never became a pending approval is denied now. */
  const denyUnrecorded = (live: Live, req: PermissionRequest, err: unknown): void => {
    let recorded = false;
    try {
      recorded = store.approvals.listPending(live.sessionId).some((a) => a.agentRequestId === req.requestId);
    } catch {
      // Cannot tell: deny, since a recorded one would also be denied by its timeout.
    }
    if (!recorded)
      live.run.respond(req.requestId, {
        decision: 'deny',
        message: `Reins could not record this permission request (${(err as Error).message}), so it was denied.`,
      });
  };

  /** Policy decides a call before it runs; anything that goes wrong denies it (fail closed). */
  const onToolCheck = (live: Live, check: ToolCheck): void => {
    let answer;
    try {
      // At a budget mid-turn the call goes to the agent's permission request, which waits without a
      // time limit and is held (see onPermission); a held hook answer could time out and run the call.
      if (budgetHolds(live.sessionId, live.turnTokens)) {
        live.run.answerToolCheck(check.requestId, { decision: 'ask', reason: 'the session is paused at its budget' });
        refresh(live);
        return;
      }
      answer = deps.approvals().check(getSession(live.sessionId), check);
    } catch (err) {
      log.error({ err, session: live.sessionId }, 'session.tool_check_failed');
      answer = { decision: 'deny' as const, reason: `Reins could not check this call (${(err as Error).message}), so it was denied.` };
    }
    live.run.answerToolCheck(check.requestId, answer);
  };

  const handleItem = (live: Live, item: RunOutput, flush: () => void): void => {
    switch (item.type) {
      case 'event':
        return;
      case 'tool-check':
        flush();
        onToolCheck(live, item.check);
        return;
      case 'agent-session': {
        const s = store.sessions.get(live.sessionId);
        if (s && s.agentSessionId !== item.id) {
          uow.run(() => {
            store.sessions.setAgentSessionId(live.sessionId, item.id, clock.now());
            uow.emit({ type: 'session', session: store.sessions.get(live.sessionId)! });
          });
        }
        return;
      }
      case 'permission':
        flush();
        onPermission(live, item.request);
        return;
      case 'permission-cancelled': {
        flush();
        live.heldPermissions = live.heldPermissions.filter((r) => r.requestId !== item.requestId);
        const a = deps.approvals().findByAgentRequest(live.sessionId, item.requestId);
        if (a) deps.approvals().cancel(a.id, 'the agent withdrew the request', false);
        return;
      }
      case 'provider-retry':
        flush();
        live.retryNote = item.note;
        refresh(live);
        return;
      case 'usage-progress':
        live.turnTokens += item.tokens;
        return;
      case 'turn-ended':
        flush();
        live.retryNote = null;
        live.turnTokens = 0; // the turn's usage event, just recorded, has the real figures
        live.pendingTurns = Math.max(0, live.pendingTurns - 1);
        live.stalled = false;
        live.lastTurnError = item.ok || item.interrupted ? null : (item.reason ?? null);
        refresh(live, { turn: 'ended', detail: item.interrupted ? 'turn interrupted' : item.ok ? 'turn finished' : 'turn ended with an error' });
        // At a limit the owner is asked as the turn ends, not only when the next message comes.
        if (live.pendingTurns === 0 && !live.stopping && !live.shuttingDown && budgetHolds(live.sessionId)) refresh(live);
        else deliverNext(live);
        return;
    }
  };

  /**
   * Handles one stdout chunk's items in order. Each item is handled on its own: a failure is
   * recorded and the rest still happen (a lost turn end would leave the session busy forever). A
   * permission request that cannot be recorded is denied at once: nothing may wait unanswered.
   */
  const onOutput = (live: Live, items: RunOutput[]): void => {
    let buf: NewEvent[] = [];
    const flush = (): void => {
      const pending = buf;
      buf = [];
      if (pending.length) events.append(live.sessionId, pending);
    };
    if (live.stalled) {
      live.stalled = false;
      disarm(live); // The kill that was pending.
      try {
        refresh(live, { detail: 'output resumed' });
      } catch (err) {
        reportOutputFailure(live, err);
      }
    }
    for (const item of items) {
      if (item.type === 'event') {
        buf.push(item.event);
        continue;
      }
      try {
        handleItem(live, item, flush);
      } catch (err) {
        reportOutputFailure(live, err);
        if (item.type === 'permission') denyUnrecorded(live, item.request, err);
      }
    }
    try {
      flush();
    } catch (err) {
      reportOutputFailure(live, err);
    }
    arm(live);
  };

  const onExit = (live: Live, info: ExitInfo): void => {
    lives.delete(live.sessionId);
    disarm(live);
    try {
      if (live.run.pid !== undefined) store.agentProcesses.markEnded(live.sessionId, live.run.pid, clock.now());
      deps.grants.revokeRunGrants(live.sessionId);
      deps.approvals().cancelForSession(live.sessionId, 'the agent process ended', false);
      const lastErr = info.stderrTail.split('\n').filter(Boolean).at(-1) ?? '';
      const agentId = store.sessions.get(live.sessionId)?.agent ?? '';
      let next: DerivedState;
      const extraEvents: NewEvent[] = [];
      if (info.spawnError) {
        const setup = deps.agentSetup(agentId);
        const reason = `could not start \`${setup.bin}\` (${info.spawnError}). Install ${setup.displayName} (${setup.installHint}) or set ${setup.binEnv} / agents.${agentId}.bin in config.json`;
        extraEvents.push({ kind: 'error', payload: { source: 'agent-spawn', message: reason } });
        next = { state: 'failed', waitingFor: null, reason };
      } else if (live.killedByWatchdog) {
        const { stallMs, killMs } = deps.watchdog();
        next = {
          state: 'failed',
          waitingFor: null,
          reason: `killed after ${Math.round((stallMs + killMs) / 1000)} s without output during a turn; send a message to resume`,
        };
      } else if (live.reaped) {
        next = { state: 'idle', waitingFor: null, reason: live.lastTurnError };
      } else if (live.stopping) {
        next = { state: 'stopped', waitingFor: null, reason: live.stopReason };
      } else if (live.shuttingDown) {
        next =
          live.pendingTurns > 0
            ? { state: 'interrupted', waitingFor: null, reason: 'Reins shut down during a turn; send a message to resume' }
            : { state: 'idle', waitingFor: null, reason: live.lastTurnError };
      } else if (live.pendingTurns > 0 || (info.code !== 0 && info.code !== null) || info.signal) {
        const how = info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
        const reason = `${deps.agentSetup(agentId).bin} ${how}${live.pendingTurns > 0 ? ' during a turn' : ''}${lastErr ? `: ${lastErr}` : ''}`;
        extraEvents.push({
          kind: 'error',
          payload: { source: 'agent-exit', message: reason, ...(info.stderrTail ? { sample: info.stderrTail.slice(-2000) } : {}) },
        });
        next = { state: 'failed', waitingFor: null, reason };
      } else {
        // A clean exit after a failed turn keeps that turn's reason: it is still what the owner must fix.
        next = { state: 'idle', waitingFor: null, reason: live.lastTurnError };
      }
      if (extraEvents.length) events.append(live.sessionId, extraEvents);
      states.write(live.sessionId, next, live.reaped ? { detail: 'the idle agent process was ended; the next message resumes the session' } : {});
      // A message that arrived while the idle agent was being ended resumes it straight away.
      if (live.reaped && store.followups.listQueued(live.sessionId).length > 0) resume(getSession(live.sessionId));
    } catch (err) {
      log.error({ err, session: live.sessionId }, 'session.exit_failed');
    }
  };

  /** Never two agents for one session: one a previous core left running is ended first. */
  const endLeftovers = (sessionId: string): void => {
    const left = store.agentProcesses.listRunning(sessionId);
    if (left.length === 0) return;
    const killed = endSurvivors(left);
    for (const p of left) store.agentProcesses.markEnded(sessionId, p.pid, clock.now());
    if (killed > 0) log.warn({ session: sessionId, killed }, 'session.leftover_agent_killed');
  };

  const spawn = (session: Session, resumeId: string | null, planMode = false): Live => {
    const runner = deps.runners.get(session.agent);
    if (!runner) throw new InvalidRequestError(`Agent "${session.agent}" is not supported yet. Supported: ${[...deps.runners.keys()].join(', ')}.`);
    endLeftovers(session.id);
    // `live` is filled in before the runner can call back: sink callbacks only fire on later ticks.
    const live = {} as Live;
    const run = runner.start({
      cwd: session.cwd,
      env: deps.agentEnv(session.agent),
      resumeId,
      planMode,
      log,
      sink: { output: (items) => onOutput(live, items), exited: (info) => onExit(live, info) },
    });
    Object.assign(live, {
      sessionId: session.id,
      run,
      pendingTurns: 0,
      stalled: false,
      stopping: false,
      shuttingDown: false,
      killedByWatchdog: false,
      reaped: false,
      interruptFollowup: null,
      watchdog: null,
      lastOutputAt: clock.now(),
      lastTurnError: null,
      retryNote: null,
      stopReason: null,
      turnTokens: 0,
      heldPermissions: [],
    } satisfies Live);
    lives.set(session.id, live);
    if (run.pid !== undefined) {
      // Recorded before any output is handled, so a crash from now on leaves a trace to clean up.
      store.agentProcesses.insert({ sessionId: session.id, pid: run.pid, pgid: run.pgid, identity: processIdentity(run.pid), startedAt: clock.now() });
    }
    return live;
  };

  /** Starts the agent of a session without a process again (its own conversation), then sends what is queued. */
  const resume = (session: Session): void => {
    if (budgetHolds(session.id)) {
      pauseWithoutAgent(session.id);
      return;
    }
    const live = spawn(session, session.agentSessionId);
    if (!session.agentSessionId) {
      // The agent never got as far as starting a conversation, so it never saw the first prompt:
      // send that first, and the follow-up after it, rather than losing the task.
      const first = events.page(session.id, 0, 10).find((e) => e.kind === 'message' && e.payload.role === 'user');
      if (first?.kind === 'message') {
        events.append(session.id, [
          { kind: 'status', payload: { state: session.state, detail: 'the agent never started this conversation; sending the first prompt again' } },
        ]);
        deliverText(live, first.payload.text);
      }
    }
    deliverNext(live);
  };

  return {
    /**
     * Starts a session: records it, spawns the agent and sends the first prompt. `note` (who started it
     * and why now, for a schedule or webhook) becomes a status line before the prompt.
     */
    create(body: CreateSessionBody, actor: Actor, note?: string): Session {
      const b = createSessionBody.parse(body);
      if (!deps.runners.has(b.agent))
        throw new InvalidRequestError(`Agent "${b.agent}" is not supported yet. Supported: ${[...deps.runners.keys()].join(', ')}.`);
      const dir = resolveProjectDir(b.cwd);
      const now = clock.now();
      const id = randomUUID();
      const title = b.title ?? (b.prompt.split('\n')[0] ?? '').slice(0, 80);
      uow.run(() => {
        const project = store.projects.ensure(dir, now);
        const name = deps.archive.nameFor(dir);
        store.sessions.insert({ id, projectId: project.id, agent: b.agent, mode: b.mode, state: 'starting', title, name, createdAt: now, updatedAt: now });
        store.sessions.setBudget(id, deps.budgets.initialLimit(b.budget), now);
        events.append(id, [
          { kind: 'status', payload: { state: 'starting', detail: `${b.agent} in ${dir} (${b.mode} mode${b.plan ? ', planning first' : ''})` } },
          ...(note ? [{ kind: 'status' as const, payload: { state: 'starting' as const, detail: note } }] : []),
          { kind: 'message', payload: { role: 'user', text: b.prompt, source: actor.surface } },
        ]);
        audit.append({
          type: 'session.created',
          actor: actor.by,
          surface: actor.surface,
          subject: id,
          detail: { agent: b.agent, cwd: dir, mode: b.mode, name },
        });
        // An agent that asks for nothing (a terminal) runs what it is sent: the text itself is audited.
        if (!capabilitiesOf(b.agent).approvals)
          audit.append({ type: 'terminal.input', actor: actor.by, surface: actor.surface, subject: id, detail: { data: b.prompt } });
        uow.emit({ type: 'session', session: store.sessions.get(id)! });
      });
      // Today's budget may already be spent: the session waits with its prompt, which the agent gets
      // (it never started a conversation) once the owner continues.
      if (budgetHolds(id)) {
        pauseWithoutAgent(id);
        return getSession(id);
      }
      const live = spawn(getSession(id), null, b.plan);
      deliverText(live, b.prompt);
      return getSession(id);
    },

    /** Sends a follow-up: now when the agent is idle, after the turn (`queue`), or by interrupting it. */
    send(sessionId: string, body: SendMessageBody, actor: Actor): Followup {
      const b = sendMessageBody.parse(body);
      if (getSession(sessionId).adopted) throw new ConflictError(ADOPTED_NO_MESSAGES);
      const live = lives.get(sessionId);
      // Refuse before recording: a follow-up left queued here would surface on the next resume. An
      // idle agent being ended by the reaper is not refused: its exit resumes it with this message.
      if (live?.stopping && !live.reaped) throw new ConflictError('The session is stopping; send the message again once it has stopped (it will resume).');
      const followup: Followup = {
        id: randomUUID(),
        sessionId,
        text: b.text,
        delivery: b.delivery as Delivery,
        state: 'queued',
        source: actor.surface,
        createdAt: clock.now(),
        sentAt: null,
      };
      // A message to an archived session brings it back first.
      const session = deps.archive.restore(sessionId, actor);
      uow.run(() => {
        store.followups.insert(followup);
        if (!capabilitiesOf(session.agent).approvals)
          audit.append({ type: 'terminal.input', actor: actor.by, surface: actor.surface, subject: sessionId, detail: { data: b.text } });
        events.append(sessionId, [
          {
            kind: 'followup',
            payload: { followupId: followup.id, text: followup.text, delivery: followup.delivery, state: 'queued', source: followup.source },
          },
        ]);
      });
      if (!live) {
        // No process: the agent ended (or Reins restarted). Continue the agent's own session.
        resume(session);
      } else if (live.reaped) {
        // Queued: the reaped agent's exit resumes the session with it.
      } else if (live.pendingTurns === 0) {
        deliverNext(live);
      } else if (b.delivery === 'steer' && capabilitiesOf(session.agent).steer) {
        // Agents that steer take a message written mid-turn at their next step.
        deliverFollowup(live, followup);
      } else if (b.delivery === 'interrupt' && capabilitiesOf(session.agent).interrupt) {
        live.interruptFollowup = followup.id;
        void live.run.interrupt();
      } else if (b.delivery !== 'queue') {
        // The agent cannot take it now: it waits for the turn to end, and the owner is told so.
        const name = deps.agentSetup(session.agent).displayName;
        events.append(sessionId, [
          {
            kind: 'status',
            payload: {
              state: getSession(sessionId).state,
              detail: `${name} cannot ${b.delivery === 'steer' ? 'take a message mid-turn' : 'be interrupted'}; the message is sent when the turn ends`,
            },
          },
        ]);
      }
      return store.followups.get(followup.id)!;
    },

    /** Cancels a queued follow-up; false if it was already sent or cancelled. */
    cancelFollowup(followupId: string, actor: Actor): boolean {
      const f = store.followups.get(followupId);
      if (!f) throw new NotFoundError('follow-up', followupId);
      return uow.run(() => {
        if (!store.followups.transition(f.id, 'queued', 'cancelled', null)) return false;
        events.append(f.sessionId, [
          { kind: 'followup', payload: { followupId: f.id, text: f.text, delivery: f.delivery, state: 'cancelled', source: f.source } },
        ]);
        audit.append({ type: 'followup.cancelled', actor: actor.by, surface: actor.surface, subject: f.id, detail: { sessionId: f.sessionId } });
        return true;
      });
    },

    /**
     * Stops the session: interrupts the turn, ends the agent process, cancels what waits. `reason`
     * stays as the stopped session's reason.
     */
    async stop(sessionId: string, actor: Actor, reason: string | null = null): Promise<Session> {
      const session = getSession(sessionId);
      if (session.adopted) throw new ConflictError(ADOPTED_NO_STOP);
      audit.append({ type: 'session.stopped', actor: actor.by, surface: actor.surface, subject: sessionId, detail: { state: session.state } });
      for (const f of store.followups.listQueued(sessionId)) this.cancelFollowup(f.id, actor);
      const live = lives.get(sessionId);
      if (!live) {
        deps.approvals().cancelForSession(sessionId, 'the session was stopped', false);
        if (!ENDED_STATES.includes(session.state)) states.write(sessionId, { state: 'stopped', waitingFor: null, reason });
        return getSession(sessionId);
      }
      live.reaped = false; // The owner's stop wins over the reaper's quiet end.
      live.stopping = true;
      live.stopReason = reason;
      disarm(live);
      deps.approvals().cancelForSession(sessionId, 'the session was stopped', true);
      if (live.pendingTurns > 0) await live.run.interrupt();
      await live.run.close(3000);
      return getSession(sessionId);
    },

    /** Stops the current turn only; the agent stays up for the next message. False when no turn runs. */
    async interrupt(sessionId: string, actor: Actor): Promise<boolean> {
      getSession(sessionId);
      const live = lives.get(sessionId);
      if (!live || live.pendingTurns === 0) return false;
      audit.append({ type: 'session.interrupted', actor: actor.by, surface: actor.surface, subject: sessionId, detail: {} });
      return live.run.interrupt();
    },

    /**
     * Keystrokes for a terminal session (raw: `\r` is Enter, `\x03` Ctrl-C). Audited, since a terminal
     * runs what it is given with no approval. Throws when the session has no running terminal.
     */
    terminalInput(sessionId: string, data: string, actor: Actor): void {
      const terminal = liveTerminal(sessionId);
      audit.append({ type: 'terminal.input', actor: actor.by, surface: actor.surface, subject: sessionId, detail: { data } });
      terminal.input(data);
    },

    /** The terminal's new size, in character cells. */
    terminalResize(sessionId: string, cols: number, rows: number): void {
      liveTerminal(sessionId).resize(cols, rows);
    },

    setMode(sessionId: string, mode: SessionMode, actor: Actor): Session {
      const session = getSession(sessionId);
      return uow.run(() => {
        store.sessions.setMode(sessionId, mode, clock.now());
        audit.append({ type: 'session.mode_changed', actor: actor.by, surface: actor.surface, subject: sessionId, detail: { from: session.mode, to: mode } });
        events.append(sessionId, [{ kind: 'status', payload: { state: session.state, detail: `mode changed to ${mode}` } }]);
        const updated = getSession(sessionId);
        uow.emit({ type: 'session', session: updated });
        return updated;
      });
    },

    get: getSession,
    followups: (sessionId: string): Followup[] => store.followups.listRecent(sessionId),

    /** Answers the agent behind an approval; false when its process is gone. */
    deliverDecision(a: StoredApproval, decision: AgentDecision): boolean {
      const live = lives.get(a.sessionId);
      return live ? live.run.respond(a.agentRequestId, decision) : false;
    },

    /**
     * A budget approval was decided. Allowed: the limit is already raised, so what waits is sent
     * (the first prompt too, when the session paused before its agent started). Denied by the owner:
     * the session stops, saying so. Expired or cancelled: nothing more; the next message asks again.
     */
    budgetSettled(a: StoredApproval): boolean {
      const session = store.sessions.get(a.sessionId);
      if (!session) return false;
      const live = lives.get(a.sessionId);
      const held = live ? live.heldPermissions.splice(0) : [];
      if (a.status === 'allowed') {
        if (live) {
          // The calls held mid-turn now go through policy and the owner as usual.
          for (const req of held) onPermission(live, req);
          refresh(live);
          deliverNext(live);
        } else if (!session.agentSessionId || store.followups.listQueued(session.id).length > 0) resume(session);
        else states.write(session.id, { state: 'idle', waitingFor: null, reason: null });
        return true;
      }
      for (const req of held)
        live?.run.respond(req.requestId, { decision: 'deny', message: 'Reins: the session is paused at its budget and the owner did not continue it.' });
      if (a.status === 'denied') {
        const actor: Actor = { by: a.decidedBy ?? 'owner', surface: a.surface ?? 'api' };
        const reason = `stopped at its budget by ${actor.by} via ${actor.surface} (${a.action.title.replace(/^Budget reached: /, '')})`;
        this.stop(a.sessionId, actor, reason).catch((err: unknown) => log.error({ err, session: a.sessionId }, 'session.budget_stop_failed'));
        return true;
      }
      if (!live && session.state === 'waiting') states.write(session.id, { state: 'idle', waitingFor: null, reason: null });
      return true;
    },

    /** An approval of this session settled: leave `waiting`, re-arm the watchdog. */
    approvalSettled(sessionId: string): void {
      const live = lives.get(sessionId);
      if (!live) return;
      refresh(live);
      arm(live);
    },

    /**
     * After a crash: first every agent the dead core left running is ended with what it started
     * (nothing may be resumed next to it); then sessions whose agent was working are `interrupted`
     * (resumable). Returns the sessions interrupted and the agents that had to be killed.
     */
    recover(): { sessions: number; agentsKilled: number } {
      const left = store.agentProcesses.listRunning();
      const agentsKilled = endSurvivors(left);
      for (const p of left) store.agentProcesses.markEnded(p.sessionId, p.pid, clock.now());
      let n = 0;
      for (const s of store.sessions.listInStates(ACTIVE_STATES)) {
        // Not Reins' process: it may well still run; its next tool call finds the session again.
        if (s.adopted) {
          states.write(s.id, { state: 'running', waitingFor: null, reason: null }, { detail: 'Reins restarted; this agent runs outside Reins' });
          continue;
        }
        states.write(s.id, { state: 'interrupted', waitingFor: null, reason: 'Reins stopped while the agent was working; send a message to resume' });
        n++;
      }
      return { sessions: n, agentsKilled };
    },

    /**
     * Sessions whose agent process is alive and idle (no turn, nothing pending, not stopping), with the
     * time of their last activity. Only agents that resume are listed: ending one that cannot (a
     * terminal's shell, say) would lose what it holds.
     */
    idleAgents(): Array<{ sessionId: string; since: number }> {
      return [...lives.values()]
        .filter((l) => l.pendingTurns === 0 && !l.stopping && !l.shuttingDown)
        .filter((l) => capabilitiesOf(store.sessions.get(l.sessionId)?.agent ?? '').resume)
        .filter((l) => store.approvals.listPending(l.sessionId).length === 0)
        .map((l) => ({ sessionId: l.sessionId, since: l.lastOutputAt }));
    },

    /** Whether the session's agent process is alive. */
    hasAgent: (sessionId: string): boolean => lives.has(sessionId),

    /**
     * Ends an idle session's agent politely (end of input), keeping the session `idle` and resumable:
     * the next message starts it again on its own conversation. False when it is no longer idle.
     */
    async endIdle(sessionId: string, why: string, actor: Actor, graceMs = 3000): Promise<boolean> {
      const live = lives.get(sessionId);
      if (!live || live.pendingTurns > 0 || live.stopping || live.shuttingDown || store.approvals.listPending(sessionId).length > 0) return false;
      live.reaped = true;
      live.stopping = true;
      disarm(live);
      uow.run(() => {
        audit.append({ type: 'session.reaped', actor: actor.by, surface: actor.surface, subject: sessionId, detail: { reason: why } });
        events.append(sessionId, [{ kind: 'status', payload: { state: 'idle', detail: `ending the agent process: ${why}` } }]);
      });
      await live.run.close(graceMs);
      return true;
    },

    livePids(): number[] {
      return [...lives.values()].flatMap((l) => (l.run.pid ? [l.run.pid] : []));
    },

    /** Ends every agent process (politely, then by force) and waits for them. */
    async stopAll(graceMs = 2000): Promise<void> {
      const all = [...lives.values()];
      for (const live of all) {
        live.shuttingDown = true;
        disarm(live);
      }
      await Promise.all(all.map((l) => l.run.close(graceMs)));
    },
  };
}
