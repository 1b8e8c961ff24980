import type { AutomationSource, Schedule, SessionMode } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface ScheduleRow {
  id: string;
  name: string;
  cron: string;
  time_zone: string;
  project: string;
  agent: string;
  mode: string;
  prompt: string;
  enabled: number;
  source: string;
  last_run_at: number | null;
  next_run_at: number | null;
  created_at: number;
}

const toSchedule = (r: ScheduleRow): Schedule => ({
  id: r.id,
  name: r.name,
  cron: r.cron,
  timeZone: r.time_zone,
  project: r.project,
  agent: r.agent,
  mode: r.mode as SessionMode,
  prompt: r.prompt,
  enabled: r.enabled === 1,
  source: r.source as AutomationSource,
  lastRunAt: r.last_run_at,
  nextRunAt: r.next_run_at,
  createdAt: r.created_at,
});

/** Schedules by name; the scheduler keeps `last_run_at` and `next_run_at` current. */
export function createSchedulesRepo(db: Db) {
  const all = db.prepare<[], ScheduleRow>('SELECT * FROM schedules ORDER BY name');
  const byName = db.prepare<[string], ScheduleRow>('SELECT * FROM schedules WHERE name = ?');
  const upsert = db.prepare(
    `INSERT INTO schedules (id, name, cron, time_zone, project, agent, mode, prompt, enabled, source, last_run_at, next_run_at, created_at)
     VALUES (@id, @name, @cron, @timeZone, @project, @agent, @mode, @prompt, @enabled, @source, @lastRunAt, @nextRunAt, @createdAt)
     ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone, project = excluded.project,
       agent = excluded.agent, mode = excluded.mode, prompt = excluded.prompt, source = excluded.source, next_run_at = excluded.next_run_at`,
  );
  const del = db.prepare('DELETE FROM schedules WHERE name = ?');
  const setEnabled = db.prepare('UPDATE schedules SET enabled = ?, next_run_at = ? WHERE name = ?');
  const setRun = db.prepare('UPDATE schedules SET last_run_at = ?, next_run_at = ? WHERE name = ?');
  return {
    list(): Schedule[] {
      return all.all().map(toSchedule);
    },
    get(name: string): Schedule | undefined {
      const row = byName.get(name);
      return row && toSchedule(row);
    },
    /** Inserts, or updates the definition of the schedule of that name (its run times and pause stay as they are, except `nextRunAt`). */
    put(s: Schedule): void {
      upsert.run({ ...s, enabled: s.enabled ? 1 : 0 });
    },
    delete(name: string): boolean {
      return del.run(name).changes === 1;
    },
    setEnabled(name: string, enabled: boolean, nextRunAt: number | null): void {
      setEnabled.run(enabled ? 1 : 0, nextRunAt, name);
    },
    /** Records a start (`lastRunAt`) and the next one. */
    setRun(name: string, lastRunAt: number | null, nextRunAt: number | null): void {
      setRun.run(lastRunAt, nextRunAt, name);
    },
  };
}
