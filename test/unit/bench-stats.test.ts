import { describe, expect, it } from 'vitest';
import { EmptySampleError, median, percentile, round, spread } from '../../bench/stats.ts';

describe('bench statistics', () => {
  it('takes percentiles by nearest rank: always a sampled value', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile(values, 11)).toBe(2);
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
  });

  it('puts p99 of 1000 samples on the 990th value, so ten outliers show and one does not', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(990);
    const oneSpike = [...Array.from({ length: 999 }, () => 1), 500];
    expect(percentile(oneSpike, 99)).toBe(1);
    const tenSpikes = [...Array.from({ length: 989 }, () => 1), ...Array.from({ length: 11 }, () => 500)];
    expect(percentile(tenSpikes, 99)).toBe(500);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
  });

  it('takes the lower middle value as the median of an even sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([7])).toBe(7);
  });

  it('refuses an empty sample and a percentile outside 0–100 with a message', () => {
    expect(() => percentile([], 50)).toThrow(EmptySampleError);
    expect(() => median([])).toThrow(/empty sample/);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('summarises rounds as median, quartiles and extremes', () => {
    expect(spread([1.2, 0.9, 1.0, 1.5, 1.1])).toEqual({ rounds: 5, median: 1.1, q1: 1.0, q3: 1.2, min: 0.9, max: 1.5 });
    expect(spread([3])).toEqual({ rounds: 1, median: 3, q1: 3, q3: 3, min: 3, max: 3 });
  });

  it('rounds for display', () => {
    expect(round(1.23456, 3)).toBe(1.235);
    expect(round(2.5)).toBe(2.5);
  });
});
