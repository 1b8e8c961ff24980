/**
 * The reaper: housekeeping of quiet sessions, once a minute on the injected clock and timers.
 * - An idle session's agent process that saw no activity for `idleMs` is ended politely; the session
 *   stays `idle` and the next message resumes the agent's own conversation (as after a restart).
 * - A session created more than `archiveMs` ago is archived once nothing runs in it: the age counts
 *   from creation (an absolute age, as the setting says), not from the last activity.
 * - A session waiting for the owner is never ended nor archived: the owner is reminded instead, once
 *   per `idleMs` of waiting (a `status` event with `reminder`, which the surfaces notify).
 * Each step is recorded as a status event of its session and audited (reminders are only events).
 */
import type { Actor, Session, SessionState } from '../../contract/index.ts';
import type { Clock, Timers } from '../clock.ts';
import type { EventLog } from '../events/event-log.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import type { SessionArchive } from './session-archive.ts';

/** How often the reaper looks. Settings are in minutes and days, so a minute is precise enough. */
const REAPER_INTERVAL_MS = 60_000;

/** The reaper's limits in ms; 0 turns one off. */
export interface ReaperSettings {
  idleMs: number;
  archiveMs: number;
}

/** One thing the reaper does. */
export type ReaperStep =
  | { kind: 'end-idle'; sessionId: string; why: string }
  | { kind: 'archive'; sessionId: string; why: string }
  | { kind: 'remind'; sessionId: string; waitingMs: number; approvals: number };

/** What the reaper decides from: the sessions not archived and what their agents are doing. */
export interface ReaperView {
  now: number;
  settings: ReaperSettings;
  sessions: readonly Session[];
  /** Live agent processes with nothing to do, and their last activity. */
  idleAgents: ReadonlyArray<{ sessionId: string; since: number }>;
  /** Sessions whose agent process is alive. */
  withAgent: ReadonlySet<string>;
  /** Sessions with pending approvals: since when the oldest waits, and how many. */
  waiting: ReadonlyMap<string, { since: number; count: number }>;
  /** When each session was last reminded. */
  reminded: ReadonlyMap<string, number>;
}

/** States a session rests in: nothing runs and nothing waits. */
const RESTING: readonly SessionState[] = ['idle', 'stopped', 'failed', 'interrupted'];
const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;
/** An age in words: "45 min", "5 h", "1 day", "30 days". */
const age = (ms: number): string => {
  const d = Math.floor(ms / 86_400_000);
  if (d >= 1) return d === 1 ? '1 day' : `${d} days`;
  return ms >= 3_600_000 ? `${Math.floor(ms / 3_600_000)} h` : minutes(ms);
};

/** The reaper's steps for one look at the sessions; a pure function of `v`. */
export function reaperSteps(v: ReaperView): ReaperStep[] {
  const { now, settings } = v;
  const steps: ReaperStep[] = [];
  const archiveDue = (s: Session): boolean => settings.archiveMs > 0 && s.archivedAt === null && now - s.createdAt >= settings.archiveMs;
  const byId = new Map(v.sessions.map((s) => [s.id, s]));
  for (const [sessionId, w] of v.waiting) {
    if (settings.idleMs <= 0 || !byId.has(sessionId)) continue;
    const last = Math.max(w.since, v.reminded.get(sessionId) ?? 0);
    if (now - last >= settings.idleMs) steps.push({ kind: 'remind', sessionId, waitingMs: now - w.since, approvals: w.count });
  }
  for (const a of v.idleAgents) {
    const s = byId.get(a.sessionId);
    if (!s || v.waiting.has(a.sessionId)) continue;
    if (settings.idleMs > 0 && now - a.since >= settings.idleMs) {
      steps.push({ kind: 'end-idle', sessionId: a.sessionId, why: `idle for ${minutes(now - a.since)}` });
    } else if (archiveDue(s)) {
      steps.push({ kind: 'end-idle', sessionId: a.sessionId, why: `the session is being archived (created ${age(now - s.createdAt)} ago)` });
    }
  }
  for (const s of v.sessions) {
    if (!archiveDue(s) || v.waiting.has(s.id) || v.withAgent.has(s.id)) continue;
    // An adopted session rests in `running`: its agent runs outside Reins and is not Reins' to end.
    if (!RESTING.includes(s.state) && !(s.adopted && s.state === 'running')) continue;
    steps.push({ kind: 'archive', sessionId: s.id, why: `created ${age(now - s.createdAt)} ago` });
  }
  return steps;
}

/** What the reaper needs from the session manager. */
interface ReapableSessions {
  idleAgents(): Array<{ sessionId: string; since: number }>;
  hasAgent(sessionId: string): boolean;
  endIdle(sessionId: string, why: string, actor: Actor): Promise<boolean>;
}

/** Creates the reaper; `start()` it once the core has recovered, `stop()` it before the agents end. */
export function createReaper(deps: {
  store: Store;
  events: EventLog;
  sessions: ReapableSessions;
  archive: SessionArchive;
  settings: () => ReaperSettings;
  clock: Clock;
  timers: Timers;
  log: Logger;
}) {
  const { store, clock, timers, log } = deps;
  const actor: Actor = { by: 'reins', surface: 'core' };
  const reminded = new Map<string, number>();
  const ending = new Set<Promise<unknown>>();
  let timer: unknown = null;
  let stopped = false;

  const view = (): ReaperView => {
    const waiting = new Map<string, { since: number; count: number }>();
    for (const a of store.approvals.listPending()) {
      const w = waiting.get(a.sessionId);
      waiting.set(a.sessionId, w ? { since: Math.min(w.since, a.createdAt), count: w.count + 1 } : { since: a.createdAt, count: 1 });
    }
    const sessions = store.sessions.list({ limit: 100_000 });
    return {
      now: clock.now(),
      settings: deps.settings(),
      sessions,
      idleAgents: deps.sessions.idleAgents(),
      withAgent: new Set(sessions.filter((s) => deps.sessions.hasAgent(s.id)).map((s) => s.id)),
      waiting,
      reminded,
    };
  };

  const apply = (step: ReaperStep): void => {
    switch (step.kind) {
      case 'remind': {
        reminded.set(step.sessionId, clock.now());
        const s = store.sessions.get(step.sessionId);
        if (!s) return;
        const what = step.approvals === 1 ? 'an approval' : `${step.approvals} approvals`;
        deps.events.append(step.sessionId, [
          {
            kind: 'status',
            payload: {
              state: s.state,
              detail: `still waiting for you: ${what}, for ${minutes(step.waitingMs)}`,
              reminder: { waitingMs: step.waitingMs, approvals: step.approvals },
            },
          },
        ]);
        return;
      }
      case 'end-idle': {
        const p = deps.sessions
          .endIdle(step.sessionId, step.why, actor)
          .catch((err: unknown) => log.error({ err, session: step.sessionId }, 'reaper.end_failed'))
          .finally(() => ending.delete(p));
        ending.add(p);
        return;
      }
      case 'archive':
        deps.archive.archive(step.sessionId, step.why, actor);
        return;
    }
  };

  const tick = (): void => {
    timer = null;
    if (stopped) return;
    try {
      const v = view();
      for (const id of reminded.keys()) if (!v.waiting.has(id)) reminded.delete(id);
      for (const step of reaperSteps(v)) {
        try {
          apply(step);
        } catch (err) {
          log.error({ err, session: step.sessionId, step: step.kind }, 'reaper.step_failed');
        }
      }
    } catch (err) {
      log.error({ err }, 'reaper.tick_failed');
    }
    timer = timers.setTimeout(tick, REAPER_INTERVAL_MS);
  };

  return {
    /** Looks now, then once a minute. */
    start(): void {
      if (!stopped && timer === null) tick();
    },
    /** Stops looking and waits for agents being ended. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await Promise.all([...ending]);
    },
  };
}
