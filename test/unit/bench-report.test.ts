import { describe, expect, it } from 'vitest';
import { consoleSummary, formatValue, missed, missedLines, resultsMarkdown, type Figure } from '../../bench/report.ts';
import { spread } from '../../bench/stats.ts';

const figure = (over: Partial<Figure>): Figure => ({
  measure: 'Approval round trip / its floor, p99',
  value: spread([2.1, 2.4, 3.6, 2.2, 2.9]),
  unit: 'ratio',
  target: { op: '<=', value: 3, text: '≤ 3×' },
  absolute: 'Reins p99 6 ms; floor p99 2.5 ms',
  ...over,
});

describe('bench report', () => {
  it('checks the target on the median, not on the worst round', () => {
    expect(missed(figure({}))).toBe(false);
    expect(missed(figure({ value: spread([3.1, 3.2, 2.0, 3.3, 2.5]) }))).toBe(true);
    expect(missed(figure({ value: spread([3]) }))).toBe(false);
  });

  it('checks "at least" and "below" targets too, and never misses a figure without a target', () => {
    const share = figure({ unit: 'percent', target: { op: '>=', value: 0.5, text: '≥ 50 %' } });
    expect(missed({ ...share, value: spread([0.49]) })).toBe(true);
    expect(missed({ ...share, value: spread([0.5]) })).toBe(false);
    const below = figure({ unit: 'count', target: { op: '<', value: 200, text: '< 200 MB' } });
    expect(missed({ ...below, value: spread([200]) })).toBe(true);
    expect(missed({ ...below, value: spread([199.9]) })).toBe(false);
    expect(missed(figure({ target: null, value: spread([1e9]) }))).toBe(false);
  });

  it('prints the median with the range over rounds, in the figure’s unit', () => {
    expect(formatValue(figure({}))).toBe('2.400× (2.100× – 3.600×, 5 rounds)');
    expect(formatValue(figure({ unit: 'percent', value: spread([0.554]) }))).toBe('55.4 %');
    // A miss must not print as the target: 49.7 % is not "50 %".
    expect(formatValue(figure({ unit: 'percent', value: spread([0.497]) }))).toBe('49.7 %');
    expect(formatValue(figure({ unit: 'ms', value: spread([-1.5, 0.25, 2]) }))).toBe('+0.25 ms (−1.50 ms – +2.00 ms, 3 rounds)');
    expect(formatValue(figure({ unit: 'count', value: spread([123456]) }))).toBe('123,456');
  });

  it('rounds away from the target, so a miss never prints as its bound', () => {
    const atMost = (v: number) => figure({ value: spread([v]), target: { op: '<=', value: 1.05, text: '≤ 1.05' } });
    expect(formatValue(atMost(1.0501))).toBe('1.051×');
    expect(formatValue(atMost(1.05))).toBe('1.050×');
    const atLeast = (v: number) => figure({ value: spread([v]), target: { op: '>=', value: 20, text: '≥ 20×' } });
    expect(formatValue(atLeast(19.996))).toBe('19.99×');
    const share = (v: number) => figure({ unit: 'percent', value: spread([v]), target: { op: '>=', value: 0.5, text: '≥ 50 %' } });
    expect(formatValue(share(0.49999))).toBe('49.9 %');
    expect(formatValue(share(0.5))).toBe('50.0 %');
    expect(formatValue(figure({ value: spread([1.0504]), target: null }))).toBe('1.050×');
  });

  it('says plainly which targets were missed, one line each', () => {
    const figures = [
      figure({}),
      figure({ measure: 'Event ingestion / autocommit', value: spread([5, 6, 4]), target: { op: '>=', value: 20, text: '≥ 20×' } }),
      figure({ measure: 'Telegram card / bare call', target: null }),
    ];
    expect(missedLines(figures)).toEqual(['MISSED: Event ingestion / autocommit: 5.000× (4.000× – 6.000×, 3 rounds), target ≥ 20×']);
    const summary = consoleSummary(figures);
    expect(summary).toContain('MISSED: Event ingestion / autocommit');
    expect(summary).not.toContain('All targets met');
    expect(consoleSummary([figure({})])).toContain('All targets met.');
  });

  it('writes RESULTS.md with a missed column and the absolute figures as information', () => {
    const md = resultsMarkdown([figure({}), figure({ measure: 'Turn | ratio', value: spread([1.2]), target: { op: '<=', value: 1.05, text: '≤ 1.05' } })], {
      date: '2026-01-01T00:00:00.000Z',
      node: 'v24.21.0',
      cores: 2,
      cpu: 'Test CPU',
      loadAverage: [1, 0.5, 0.25],
    });
    expect(md).toContain('| measure | figure | target | missed | absolute (this machine, information only) |');
    expect(md).toContain('| Approval round trip / its floor, p99 | 2.400× (2.100× – 3.600×, 5 rounds) | ≤ 3× | no | Reins p99 6 ms; floor p99 2.5 ms |');
    expect(md).toContain('| Turn \\| ratio | 1.200× | ≤ 1.05 | **MISSED** |');
    expect(md).toContain('**1 target missed.**');
    expect(md).toContain('load average 1.00 0.50 0.25');
    expect(md).toContain('The machine was busy with other work');
    const quiet = resultsMarkdown([figure({})], { date: 'd', node: 'v24', cores: 2, cpu: 'c', loadAverage: [0.4, 0.3, 0.2] });
    expect(quiet).not.toContain('busy');
    expect(quiet).toContain('All targets met.');
  });
});
