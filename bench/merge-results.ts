import type { Figure, RunInfo } from './report.ts';

/** A figure as results.json keeps it: which benchmark measured it, and whether it missed. */
export type StoredFigure = Figure & { bench?: string; missed: boolean };

/** One benchmark re-run on its own after the full run, for the head of RESULTS.md. */
export interface Refresh {
  bench: string;
  date: string;
  loadAverage: readonly number[];
}

/** bench/results.json: the run, each benchmark's raw result, and the figures. */
export interface StoredResults extends RunInfo {
  figures: StoredFigure[];
  refreshed?: Refresh[];
  [bench: string]: unknown;
}

/**
 * The last full run with one benchmark's figures replaced by a fresh single run of it (`npm run bench
 * NAME`), so one change can be re-measured without the whole 20-minute run. The replaced rows keep
 * their place; a benchmark the full run did not have is appended. The run info stays the full run's,
 * and `refreshed` says which rows are newer, when, and under what load.
 */
export function mergeSingleBench(previous: StoredResults, bench: string, raw: unknown, figures: StoredFigure[], refresh: Refresh): StoredResults {
  const measures = new Set(figures.map((figure) => figure.measure));
  // Rows written before figures carried their bench name are matched by their measure text.
  const isReplaced = (figure: StoredFigure): boolean => figure.bench === bench || measures.has(figure.measure);
  const firstReplaced = previous.figures.findIndex(isReplaced);
  const kept = previous.figures.filter((figure) => !isReplaced(figure));
  const at = firstReplaced < 0 ? kept.length : previous.figures.slice(0, firstReplaced).filter((figure) => !isReplaced(figure)).length;
  return {
    ...previous,
    [bench]: raw,
    figures: [...kept.slice(0, at), ...figures, ...kept.slice(at)],
    refreshed: [...(previous.refreshed ?? []).filter((entry) => entry.bench !== bench), refresh],
  };
}
