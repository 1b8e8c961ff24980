/**
 * Cron expressions read in a time zone, through croner: five fields (minute hour day-of-month month
 * day-of-week) or a nickname (`@daily`). Seconds are refused: a schedule starts agent sessions, and a
 * per-second expression would start one every second.
 */
import { Cron } from 'croner';
import { InvalidRequestError } from '../errors.ts';

/** Whether `zone` is an IANA time zone this Node knows. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with `cron` in `timeZone`, or null when both are usable. */
export function cronProblem(cron: string, timeZone: string): string | null {
  if (!isTimeZone(timeZone)) return `"${timeZone}" is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.`;
  try {
    new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' });
    return null;
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '');
    return `"${cron}" is not a cron expression (${why}); use five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5".`;
  }
}

/** Throws {@link InvalidRequestError} unless `cron` in `timeZone` is usable. */
export function assertCron(cron: string, timeZone: string): void {
  const problem = cronProblem(cron, timeZone);
  if (problem) throw new InvalidRequestError(problem);
}

/**
 * The first time `cron` matches strictly after `after` (ms), read in `timeZone`; null when it never
 * matches again. A local time skipped by a daylight-saving change runs at the first minute after it.
 */
export function nextRunAfter(cron: string, timeZone: string, after: number): number | null {
  const next = new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** The parts of `ms` as `timeZone` reads it, with the zone's short name as `locale` spells it. */
function partsInZone(ms: number, timeZone: string, locale: string): Record<string, string> {
  return Object.fromEntries(
    new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
}

/** `ms` as the wall-clock time in `timeZone`: "2026-03-30 09:00 CEST", "2026-06-01 09:00 EDT". */
export function formatInZone(ms: number, timeZone: string): string {
  // British English names European zones (CEST, BST) and American English American ones (EDT, PDT);
  // each spells the other's as an offset ("GMT+2"), which is kept when neither has a name.
  const parts = partsInZone(ms, timeZone, 'en-GB');
  const us = partsInZone(ms, timeZone, 'en-US').timeZoneName ?? '';
  const zone = parts.timeZoneName?.startsWith('GMT') && !us.startsWith('GMT') ? us : parts.timeZoneName;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`;
}

/** Only the time of day of `ms` in `timeZone` ("03:00"). */
export function timeOfDayInZone(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}
