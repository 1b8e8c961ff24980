import { join } from 'node:path';
import type {
  AgentInfo,
  ApprovalStatus,
  CoreFacade,
  CreateSessionBody,
  DecisionBody,
  EventsResponse,
  HookCallBody,
  HookCallResponse,
  SendMessageBody,
  SessionMode,
  SessionResponse,
} from '../contract/index.ts';
import { hookCallBody, terminalInputBody, terminalResizeBody } from '../contract/index.ts';
import { agentEnv } from './agents/agent-env.ts';
import { createVersionProbe } from './agents/agent-version.ts';
import { declaredAcpAgent } from './agents/acp/descriptor.ts';
import { findExecutable } from './agents/process/executable.ts';
import { binEnvName, resolveAgents, type AgentDescriptor } from './agents/registry.ts';
import type { AgentRunner, SpawnFn } from './agents/runner.ts';
import { createApprovalService, type ApprovalService } from './approvals/approval-service.ts';
import { createGrantService, type Actor } from './approvals/grant-service.ts';
import { createAuditLog, memoryAuditSeal, type AuditSeal } from './audit/index.ts';
import { createBudgetService } from './budgets/budget-service.ts';
import { systemClock, systemTimers, type Clock, type Timers } from './clock.ts';
import { createBus, type FrameListener } from './events/bus.ts';
import { createEventLog } from './events/event-log.ts';
import { createUnitOfWork } from './events/unit-of-work.ts';
import { loadConfig, type ReinsConfig } from './host/config.ts';
import { AmbiguousIdError, NotFoundError, ReinsError } from './errors.ts';
import { acquireLock } from './host/lock.ts';
import { homePaths } from './host/paths.ts';
import { ensurePrivateFile, securePrivateDir, tightenedWarning } from './host/private-dir.ts';
import { silentLogger, type Logger } from './log.ts';
import { createPasscodeService } from './passcode/index.ts';
import { createScheduler, createScheduleService, createWebhookService } from './schedules/index.ts';
import type { SecretStore } from './secrets/index.ts';
import { createAdoptedSessions } from './sessions/adopted-sessions.ts';
import { createReaper } from './sessions/reaper.ts';
import { createSessionArchive } from './sessions/session-archive.ts';
import { createSessionManager } from './sessions/session-manager.ts';
import { createSessionStateWriter } from './sessions/session-state.ts';
import { openStore, type Store } from './store/index.ts';

/** What a host (daemon, desktop, tests) gives the core. Everything that touches the world is here. */
export interface CoreDeps {
  /** The data directory (created 0700 if missing, tightened if others can read it). */
  home: string;
  /** Configuration; loaded from `<home>/config.json` plus environment overrides when omitted. */
  config?: ReinsConfig;
  /** The user's environment: agents inherit it minus Reins' own variables. */
  env?: NodeJS.ProcessEnv;
  /** The agents this core knows (default: the registry's built-ins); tests pass a scripted one. */
  agents?: readonly AgentDescriptor[];
  clock?: Clock;
  timers?: Timers;
  spawn?: SpawnFn;
  log?: Logger;
  /**
   * The audit log's key and head from the secret store (see audit/audit-seal.ts). Hosts pass the
   * real one; without it the key lives in memory only, which suits tests but seals nothing.
   */
  auditSeal?: AuditSeal;
  /** Where the secrets of owner-added webhooks live; without it only `secretEnv` webhooks work. */
  secrets?: SecretStore;
}

/** Clamp so that a mis-set timer never fires a storm of immediate timeouts. */
const MIN_TIMER_MS = 50;
/** Node fires a timeout longer than 2^31-1 ms after 1 ms instead: cap long watchdog settings here. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const timerMs = (ms: number): number => Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, ms));

/**
 * Builds the core: takes the data-directory lock, opens and migrates the store, recovers from a
 * previous crash (interrupted sessions, expired approvals) and wires the services together.
 */
export function createCore(deps: CoreDeps): CoreFacade & { readonly paths: ReturnType<typeof homePaths>; readonly config: ReinsConfig } {
  const env = deps.env ?? process.env;
  const paths = homePaths(deps.home);
  const log = (deps.log ?? silentLogger).child({ ns: 'app:core' });
  const tightened = tightenedWarning(paths.home, securePrivateDir(paths.home));
  if (tightened) log.warn(tightened);
  const config = deps.config ?? loadConfig(paths.config, env);
  const clock = deps.clock ?? systemClock;
  const timers = deps.timers ?? systemTimers;
  const releaseLock = acquireLock(paths.lock);
  let store: Store;
  try {
    // SQLite creates the -wal and -shm files with the database file's mode: create it 0600 first.
    ensurePrivateFile(paths.db);
    store = openStore(paths.db);
  } catch (err) {
    releaseLock();
    throw err;
  }
  const startedAt = clock.now();
  const bus = createBus(log);
  const uow = createUnitOfWork(store, bus);
  const events = createEventLog(store, uow, clock);
  const audit = createAuditLog(store, clock, deps.auditSeal ?? memoryAuditSeal(), (m) => log.warn(m));
  const grants = createGrantService({ store, audit, clock });
  const states = createSessionStateWriter({ store, uow, events, clock });
  const archive = createSessionArchive({ store, uow, events, audit, clock });
  const budgets = createBudgetService({ store, events, audit, clock, limits: () => config.budgets });
  const agents = resolveAgents(config, env, declaredAcpAgent, deps.agents);
  // Agents are asked their version with the environment they run in: without Reins' own secrets.
  const versionOf = createVersionProbe(agentEnv(env));
  const runners = new Map<string, AgentRunner>(
    [...agents.values()].map((a) => [
      a.descriptor.id,
      a.descriptor.createRunner({
        id: a.descriptor.id,
        bin: a.bin,
        config: a.config,
        maxLineBytes: config.maxLineBytes,
        stateDir: join(paths.agents, a.descriptor.id),
        ...(deps.spawn ? { spawn: deps.spawn } : {}),
      }),
    ]),
  );

  let approvals: ApprovalService;
  /** The ports the loopback API listens on; agents may not connect to them. */
  const apiPorts: number[] = [config.port];
  const sessions = createSessionManager({
    store,
    uow,
    events,
    states,
    archive,
    approvals: () => approvals,
    budgets,
    grants,
    audit,
    clock,
    timers,
    log,
    runners,
    agentEnv: (agent) => agentEnv(env, agents.get(agent)?.config.env ?? {}),
    agentSetup: (agent) => {
      const a = agents.get(agent);
      return {
        bin: a?.bin ?? agent,
        displayName: a?.descriptor.displayName ?? agent,
        installHint: a?.descriptor.installHint ?? 'see `reins doctor`',
        binEnv: binEnvName(agent),
      };
    },
    watchdog: () => ({
      stallMs: timerMs(config.watchdog.stallAfterMinutes * 60_000),
      killMs: timerMs(config.watchdog.killAfterMinutes * 60_000),
    }),
  });
  const adopted = createAdoptedSessions({ store, uow, events, states, archive, approvals: () => approvals, audit, clock, timers, log });
  approvals = createApprovalService({
    store,
    uow,
    events,
    audit,
    grants,
    clock,
    timers,
    log,
    timeoutMs: () => Math.max(MIN_TIMER_MS, config.approvalTimeoutSeconds * 1000),
    budgets,
    // A budget approval answers no agent: its decision resumes or stops the session itself.
    deliver: (a, d) => (a.kind === 'budget' ? sessions.budgetSettled(a) : sessions.deliverDecision(a, d) || adopted.deliver(a)),
    onSettled: (a) => {
      sessions.approvalSettled(a.sessionId);
      adopted.settled(a);
    },
    protectedPaths: [paths.home, paths.runtime],
    protectedPorts: () => apiPorts,
  });

  /** Schedules and webhooks: synced from config, then the scheduler runs what came due while Reins was down. */
  function startAutomation() {
    const agentKnown = (agent: string): boolean => runners.has(agent);
    const scheduler = createScheduler({
      store,
      clock,
      timers,
      log,
      fire(s, run) {
        const actor: Actor = { by: `schedule:${s.name}`, surface: 'schedule' };
        const note = `Started by the schedule "${s.name}" (${s.cron}, ${s.timeZone})${run.lateNote ? `: ${run.lateNote}` : ''}`;
        try {
          const session = sessions.create({ agent: s.agent, cwd: s.project, prompt: s.prompt, mode: s.mode, title: `schedule ${s.name}` }, actor, note);
          audit.append({
            type: 'schedule.fired',
            actor: actor.by,
            surface: 'schedule',
            subject: session.id,
            detail: { schedule: s.name, scheduledFor: run.scheduledFor, missed: run.missed },
          });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          audit.append({ type: 'schedule.failed', actor: actor.by, surface: 'schedule', subject: s.name, detail: { scheduledFor: run.scheduledFor, error } });
          log.warn({ schedule: s.name, err: error }, 'schedule.failed');
        }
      },
    });
    const scheduleService = createScheduleService({ store, clock, log, audit: audit.append, agentKnown, changed: () => scheduler.changed() });
    const webhookService = createWebhookService({
      store,
      clock,
      log,
      env,
      secrets: deps.secrets ?? null,
      audit: audit.append,
      agentKnown,
      start: (w, prompt, actor) =>
        sessions.create({ agent: w.agent, cwd: w.project, prompt, mode: w.mode, title: `webhook ${w.name}` }, actor, `Started by the webhook "${w.name}"`).id,
    });
    scheduleService.syncFromConfig(config.schedules);
    webhookService.syncFromConfig(config.webhooks);
    scheduler.start();
    return { scheduler, schedules: scheduleService, webhooks: webhookService };
  }

  const { sessions: recoveredSessions, agentsKilled } = sessions.recover();
  const expiredApprovals = approvals.recover();
  audit.append({ type: 'core.started', actor: 'reins', surface: 'core', detail: { pid: process.pid, recoveredSessions, expiredApprovals, agentsKilled } });
  log.info({ home: paths.home, recoveredSessions, expiredApprovals, agentsKilled }, 'core.started');
  if (agentsKilled > 0) log.warn({ agentsKilled }, 'core.leftover_agents_killed');
  const reaper = createReaper({
    store,
    events,
    sessions,
    archive,
    settings: () => ({ idleMs: config.reaper.idleMinutes * 60_000, archiveMs: config.reaper.archiveAfterDays * 86_400_000 }),
    clock,
    timers,
    log,
  });
  reaper.start();

  const automation = startAutomation();
  const passcode = createPasscodeService({ store, transaction: uow.run, audit, events, clock });
  let stopping: Promise<void> | null = null;
  const system: Actor = { by: 'reins', surface: 'core' };
  /** A full id from a full id or any unique prefix of one (the CLI shows 8 characters). */
  const resolveId = (what: string, given: string, exact: (id: string) => boolean, prefixed: (p: string) => string[]): string => {
    if (exact(given)) return given;
    const ids = prefixed(given);
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1)
      throw new AmbiguousIdError(
        what,
        given,
        ids.map((id) => id.slice(0, 12)),
      );
    throw new NotFoundError(what, given);
  };
  /** A session's full id from its id, its name (any case) or a unique prefix of its id. */
  const sessionId = (given: string): string => {
    if (store.sessions.get(given) !== undefined) return given;
    const named = store.sessions.idByName(given);
    if (named !== undefined) return named;
    return resolveId(
      'session',
      given,
      () => false,
      (p) => store.sessions.idsWithPrefix(p),
    );
  };
  const approvalId = (given: string): string =>
    resolveId(
      'approval',
      given,
      (id) => store.approvals.get(id) !== undefined || store.approvals.getByHandle(id) !== undefined,
      (p) => store.approvals.idsWithPrefix(p),
    );

  return {
    paths,
    config,
    startedAt,
    /** Recovery counts from this start (sessions interrupted, approvals expired). */
    recovery: { sessions: recoveredSessions, approvals: expiredApprovals, agentsKilled },
    /** Every agent of the registry, whether its executable is found, and what it can do. */
    agents: (): AgentInfo[] =>
      [...agents.values()].map(({ descriptor: d, bin }) => ({
        id: d.id,
        displayName: d.displayName,
        bin,
        installed: 'path' in findExecutable(bin, env as Record<string, string>, process.cwd()),
        installHint: d.installHint,
        capabilities: d.capabilities,
        tested: d.tested,
      })),
    async agentVersion(agentId: string): Promise<string | null> {
      const agent = agents.get(agentId);
      if (!agent) throw new ReinsError('not_found', `No agent "${agentId}": \`reins doctor\` lists the agents Reins knows.`);
      const found = findExecutable(agent.bin, env as Record<string, string>, process.cwd());
      return 'path' in found ? versionOf(found.path, agent.descriptor.versionArgs) : null;
    },
    sessions: {
      list: (opts?: { all?: boolean }) => store.sessions.list(opts),
      rename: (idOrName: string, name: string, actor: Actor) => archive.rename(sessionId(idOrName), name, actor),
      get: (idOrPrefix: string): SessionResponse => {
        const id = sessionId(idOrPrefix);
        return { session: sessions.get(id), pendingApprovals: approvals.pendingFor(id), followups: sessions.followups(id) };
      },
      create: (body: CreateSessionBody, actor: Actor) => sessions.create(body, actor),
      send: (idOrPrefix: string, body: SendMessageBody, actor: Actor) => sessions.send(sessionId(idOrPrefix), body, actor),
      cancelFollowup: (followupId: string, actor: Actor) => sessions.cancelFollowup(followupId, actor),
      stop: (idOrPrefix: string, actor: Actor) => sessions.stop(sessionId(idOrPrefix), actor),
      interrupt: (idOrPrefix: string, actor: Actor) => sessions.interrupt(sessionId(idOrPrefix), actor),
      terminalInput: (idOrPrefix: string, body: unknown, actor: Actor) =>
        sessions.terminalInput(sessionId(idOrPrefix), terminalInputBody.parse(body).data, actor),
      terminalResize: (idOrPrefix: string, body: unknown) => {
        const { cols, rows } = terminalResizeBody.parse(body);
        sessions.terminalResize(sessionId(idOrPrefix), cols, rows);
      },
      setMode: (idOrPrefix: string, mode: SessionMode, actor: Actor) => sessions.setMode(sessionId(idOrPrefix), mode, actor),
      events(idOrPrefix: string, after: number, limit: number): EventsResponse {
        const id = sessionId(idOrPrefix);
        const page = events.page(id, after, limit + 1);
        const more = page.length > limit;
        const evs = more ? page.slice(0, limit) : page;
        return { events: evs, nextAfter: evs.at(-1)?.seq ?? after, more };
      },
      livePids: () => sessions.livePids(),
    },
    approvals: {
      list: (status?: ApprovalStatus) => approvals.list(status),
      get: (idOrPrefix: string) => approvals.get(approvalId(idOrPrefix)),
      decide: (idOrPrefix: string, body: DecisionBody, actor: Actor) => approvals.decide(approvalId(idOrPrefix), body, actor),
    },
    grants,
    hooks: {
      /** Decides a tool call an agent's own hook posted (a session Reins did not start); waits for the owner if needed. */
      toolCall: (body: HookCallBody, signal?: AbortSignal): Promise<HookCallResponse> => {
        const b = hookCallBody.parse(body);
        return adopted.check(
          {
            agent: b.agent,
            agentSessionId: b.sessionId,
            cwd: b.cwd,
            transcriptPath: b.transcriptPath,
            tool: b.tool,
            input: b.input,
            toolUseId: b.toolUseId,
            budgetMs: b.budgetMs,
          },
          signal,
        );
      },
    },
    schedules: {
      list: () => automation.schedules.list(),
      add: (body, actor) => automation.schedules.add(body, actor),
      remove: (name, actor) => automation.schedules.remove(name, actor),
      setEnabled: (name, enabled, actor) => automation.schedules.setEnabled(name, enabled, actor),
    },
    webhooks: automation.webhooks,
    audit: {
      append: audit.append,
      recent: audit.recent,
      verify: () => audit.verify(),
    },
    passcode,
    /** Tells policy the port the loopback API really listens on (agents may never reach it). */
    protectApiPort(port: number): void {
      if (!apiPorts.includes(port)) apiPorts.push(port);
    },
    /** Small persistent values for adapters (Telegram offsets, message ids). */
    kv: store.kv,
    projects: { list: () => store.projects.list() },
    budget: { today: () => budgets.today() },
    /** Receives every committed change; returns the unsubscribe function. */
    subscribe: (listener: FrameListener): (() => void) => bus.subscribe(listener),
    /** Last seq of every session, for stream clients that resume. */
    lastSeqs(): Record<string, number> {
      return Object.fromEntries(store.sessions.list({ all: true }).map((s) => [s.id, s.lastSeq]));
    },
    /** Ends agents, timers, the store and the lock. Safe to call twice. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        await reaper.stop();
        automation.scheduler.stop();
        await sessions.stopAll();
        adopted.stop();
        approvals.stop();
        audit.append({ type: 'core.stopped', actor: system.by, surface: system.surface, detail: {} });
        await audit.close();
        store.close();
        releaseLock();
        log.info('core.stopped');
      })();
      return stopping;
    },
  };
}

/** The running core as its host sees it: the contract's `CoreFacade` (all a surface gets), plus its paths and whole config. */
export type Core = ReturnType<typeof createCore>;
