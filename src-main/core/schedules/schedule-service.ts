/**
 * Schedules as the owner manages them: from config.json (synced at start, read-only elsewhere) or
 * added with `reins schedule add`; listing, removing, pausing and resuming. Every change is audited.
 */
import { randomUUID } from 'node:crypto';
import { addScheduleBody, type AddScheduleBody, type Actor, type AuditInput, type Schedule } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, InvalidRequestError, ReinsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { resolveProjectDir } from '../sessions/project-dir.ts';
import type { Store } from '../store/index.ts';
import { assertCron, nextRunAfter } from './cron.ts';

export interface ScheduleServiceDeps {
  store: Pick<Store, 'schedules'>;
  clock: Clock;
  log: Logger;
  audit(input: AuditInput): unknown;
  /** Whether the core can run this agent. */
  agentKnown(agent: string): boolean;
  /** The scheduler's cue that a schedule changed. */
  changed(): void;
}

/** The schedule `name` does not exist. */
class ScheduleNotFoundError extends ReinsError {
  override name = 'ScheduleNotFoundError';
  constructor(name: string) {
    super('not_found', `No schedule "${name}". \`reins schedule list\` shows them.`);
  }
}

/** See {@link ScheduleServiceDeps}. */
export function createScheduleService(deps: ScheduleServiceDeps) {
  const { store, clock, log } = deps;

  const need = (name: string): Schedule => {
    const s = store.schedules.get(name);
    if (!s) throw new ScheduleNotFoundError(name);
    return s;
  };
  const checkAgent = (agent: string): void => {
    if (!deps.agentKnown(agent)) throw new InvalidRequestError(`Reins knows no agent "${agent}": \`reins doctor\` lists them.`);
  };

  return {
    list: (): Schedule[] => store.schedules.list(),

    /**
     * Makes the table match config.json: its schedules are added or updated (a schedule whose cron and
     * time zone did not change keeps its next run, so a run missed while Reins was down still runs),
     * and config schedules no longer there are removed. Owner-added schedules are left alone unless
     * config.json now defines one of the same name.
     */
    syncFromConfig(entries: readonly AddScheduleBody[]): void {
      const now = clock.now();
      const names = new Set<string>();
      for (const raw of entries) {
        const e = addScheduleBody.parse(raw);
        names.add(e.name);
        const old = store.schedules.get(e.name);
        if (old?.source === 'user') log.warn({ schedule: e.name }, 'schedule.config_replaces_user_schedule');
        const sameTiming = old !== undefined && old.cron === e.cron && old.timeZone === e.timeZone;
        store.schedules.put({
          id: old?.id ?? randomUUID(),
          ...e,
          enabled: old?.enabled ?? true,
          source: 'config',
          lastRunAt: old?.lastRunAt ?? null,
          nextRunAt: old && !old.enabled ? null : sameTiming ? old.nextRunAt : nextRunAfter(e.cron, e.timeZone, now),
          createdAt: old?.createdAt ?? now,
        });
      }
      for (const s of store.schedules.list()) if (s.source === 'config' && !names.has(s.name)) store.schedules.delete(s.name);
    },

    add(body: AddScheduleBody, actor: Actor): Schedule {
      const b = addScheduleBody.parse(body);
      assertCron(b.cron, b.timeZone);
      checkAgent(b.agent);
      const project = resolveProjectDir(b.project);
      if (store.schedules.get(b.name)) throw new ConflictError(`A schedule named "${b.name}" exists: remove it first or pick another name.`);
      const now = clock.now();
      const schedule: Schedule = {
        id: randomUUID(),
        ...b,
        project,
        enabled: true,
        source: 'user',
        lastRunAt: null,
        nextRunAt: nextRunAfter(b.cron, b.timeZone, now),
        createdAt: now,
      };
      store.schedules.put(schedule);
      deps.audit({
        type: 'schedule.added',
        actor: actor.by,
        surface: actor.surface,
        subject: b.name,
        detail: { cron: b.cron, timeZone: b.timeZone, project, agent: b.agent, mode: b.mode },
      });
      deps.changed();
      return need(b.name);
    },

    remove(name: string, actor: Actor): Schedule {
      const s = need(name);
      if (s.source === 'config') throw new ConflictError(`Schedule "${name}" is defined in config.json; edit it there.`);
      store.schedules.delete(name);
      deps.audit({ type: 'schedule.removed', actor: actor.by, surface: actor.surface, subject: name, detail: { cron: s.cron, timeZone: s.timeZone } });
      deps.changed();
      return s;
    },

    /** Pauses or resumes; a resumed schedule next runs at its next time from now (nothing missed is made up). */
    setEnabled(name: string, enabled: boolean, actor: Actor): Schedule {
      const s = need(name);
      if (s.enabled !== enabled) {
        store.schedules.setEnabled(name, enabled, enabled ? nextRunAfter(s.cron, s.timeZone, clock.now()) : null);
        deps.audit({ type: enabled ? 'schedule.resumed' : 'schedule.paused', actor: actor.by, surface: actor.surface, subject: name, detail: {} });
        deps.changed();
      }
      return need(name);
    },
  };
}
