import { describe, expect, it } from 'vitest';
import { mergeSingleBench, type StoredFigure, type StoredResults } from '../../bench/merge-results.ts';
import { resultsMarkdown } from '../../bench/report.ts';
import { spread } from '../../bench/stats.ts';

const row = (measure: string, bench: string | undefined, value: number): StoredFigure => ({
  measure,
  value: spread([value]),
  unit: 'count',
  target: null,
  absolute: '—',
  missed: false,
  ...(bench !== undefined && { bench }),
});

const fullRun: StoredResults = {
  date: '2026-12-01T10:00:00.000Z',
  node: 'v24.21.0',
  cpu: 'test cpu',
  cores: 2,
  loadAverage: [0.5, 0.4, 0.3],
  ingestion: { raw: 'old ingestion' },
  hook_roundtrip: { raw: 'old hook' },
  // The hook rows were written before figures carried their bench name.
  figures: [row('Ingestion', 'ingestion', 1), row('Hook p50', undefined, 2), row('Hook p90', undefined, 3), row('Telegram', 'telegram', 4)],
};

describe('mergeSingleBench', () => {
  it("replaces one benchmark's rows in place, matching old unnamed rows by measure, and keeps the rest", () => {
    const fresh = [row('Hook p50', 'hook_roundtrip', 20), row('Hook p90', 'hook_roundtrip', 30)];
    const merged = mergeSingleBench(fullRun, 'hook_roundtrip', { raw: 'new hook' }, fresh, {
      bench: 'hook_roundtrip',
      date: '2026-12-03T17:00:00.000Z',
      loadAverage: [6, 5, 4],
    });
    expect(merged.figures.map((figure) => [figure.measure, figure.value.median])).toEqual([
      ['Ingestion', 1],
      ['Hook p50', 20],
      ['Hook p90', 30],
      ['Telegram', 4],
    ]);
    expect(merged).toMatchObject({ date: fullRun.date, ingestion: { raw: 'old ingestion' }, hook_roundtrip: { raw: 'new hook' } });
    expect(merged.refreshed).toEqual([{ bench: 'hook_roundtrip', date: '2026-12-03T17:00:00.000Z', loadAverage: [6, 5, 4] }]);
  });

  it('appends a benchmark the full run did not have, and a second refresh replaces the first', () => {
    const once = mergeSingleBench(fullRun, 'renderer_session', {}, [row('Open 100k', 'renderer_session', 45)], {
      bench: 'renderer_session',
      date: 'd1',
      loadAverage: [1],
    });
    const twice = mergeSingleBench(once, 'renderer_session', {}, [row('Open 100k', 'renderer_session', 40)], {
      bench: 'renderer_session',
      date: 'd2',
      loadAverage: [2],
    });
    expect(twice.figures.map((figure) => [figure.measure, figure.value.median])).toEqual([
      ['Ingestion', 1],
      ['Hook p50', 2],
      ['Hook p90', 3],
      ['Telegram', 4],
      ['Open 100k', 40],
    ]);
    expect(twice.refreshed?.map((entry) => entry.date)).toEqual(['d2']);
    expect(resultsMarkdown(twice.figures, twice, twice.refreshed)).toContain(
      'The rows of `renderer_session` were re-measured alone (`npm run bench renderer_session`) on d2, load average 2.00.',
    );
  });
});
