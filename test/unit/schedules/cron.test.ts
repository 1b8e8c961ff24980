/** Next runs of cron expressions read in a time zone (croner), across daylight-saving changes. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/core/index.ts';
import { cronProblem, formatInZone, nextRunAfter } from '../../../src-main/core/schedules/cron.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe('next run in a time zone', () => {
  it('reads the expression in the schedule’s zone, not the computer’s', () => {
    // Friday 12:00 UTC: the next weekday 09:00 in Berlin (summer time, UTC+2) is Monday 07:00 UTC.
    expect(iso(nextRunAfter('0 9 * * 1-5', 'Europe/Berlin', at('2026-03-27T12:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextRunAfter('0 9 * * 1-5', 'America/New_York', at('2026-03-27T12:00:00Z')))).toBe('2026-03-27T13:00:00.000Z');
    expect(iso(nextRunAfter('30 8 * * *', 'Asia/Kolkata', at('2026-01-10T00:00:00Z')))).toBe('2026-01-10T03:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    expect(iso(nextRunAfter('0 9 * * *', 'UTC', at('2026-05-01T09:00:00Z')))).toBe('2026-05-02T09:00:00.000Z');
  });

  it('keeps the local time across the spring change (UTC offset moves by an hour)', () => {
    expect(iso(nextRunAfter('0 9 * * *', 'Europe/Berlin', at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextRunAfter('0 9 * * *', 'Europe/Berlin', at('2026-03-27T12:00:00Z')))).toBe('2026-03-28T08:00:00.000Z');
  });

  it('runs a local time the spring change skips at the first minute after it, once', () => {
    // 02:30 does not exist in Berlin on 29 March 2026 (02:00 → 03:00).
    const first = nextRunAfter('30 2 * * *', 'Europe/Berlin', at('2026-03-28T12:00:00Z'));
    expect(iso(first)).toBe('2026-03-29T01:00:00.000Z');
    expect(formatInZone(first!, 'Europe/Berlin')).toBe('2026-03-29 03:00 CEST');
    expect(iso(nextRunAfter('30 2 * * *', 'Europe/Berlin', first!))).toBe('2026-03-30T00:30:00.000Z');
  });

  it('runs a local time the autumn change repeats only once', () => {
    // 02:30 happens twice in Berlin on 25 October 2026 (03:00 CEST → 02:00 CET).
    const first = nextRunAfter('30 2 * * *', 'Europe/Berlin', at('2026-10-24T12:00:00Z'))!;
    const second = nextRunAfter('30 2 * * *', 'Europe/Berlin', first)!;
    expect(second - first).toBeGreaterThan(23 * 3600_000);
    expect(formatInZone(first, 'Europe/Berlin')).toMatch(/^2026-10-25 02:30 /);
    expect(formatInZone(second, 'Europe/Berlin')).toBe('2026-10-26 02:30 CET');
  });

  it('refuses seconds, nonsense and unknown zones with a sentence saying what to write', () => {
    expect(cronProblem('0 9 * * 1-5', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('@daily', 'UTC')).toBeNull();
    expect(cronProblem('* * * * * *', 'UTC')).toMatch(/five fields/);
    expect(cronProblem('every morning', 'UTC')).toMatch(/is not a cron expression/);
    expect(cronProblem('0 9 * * *', 'Mars/Olympus')).toMatch(/"Mars\/Olympus" is not a time zone/);
  });
});

describe('schedules in config.json', () => {
  it('are refused at load with the field and what to write', () => {
    const base = { name: 'a', cron: '0 9 * * *', timeZone: 'UTC', project: '/p', agent: 'claude', prompt: 'x' };
    expect(() => parseConfig({ schedules: [{ ...base, cron: '0 9 * *' }] })).toThrow(/schedules\.0\.cron: "0 9 \* \*" is not a cron expression/);
    expect(() => parseConfig({ schedules: [{ ...base, timeZone: 'Berlin' }] })).toThrow(/"Berlin" is not a time zone/);
    expect(() => parseConfig({ schedules: [base, base] })).toThrow(/schedules\.1\.name: the name "a" is used twice/);
    expect(() => parseConfig({ webhooks: { ci: { project: '/p', agent: 'claude', promptTemplate: 't', secretEnv: 'CI_SECRET' } } })).toThrow(
      /webhooks\.ci\.secretEnv: an environment variable starting with REINS_/,
    );
    expect(parseConfig({ schedules: [base] }).schedules[0]).toMatchObject({ name: 'a', mode: 'ask' });
  });
});
