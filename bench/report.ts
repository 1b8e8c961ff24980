/**
 * The figures a bench run reports and how they are printed: each is compared with a baseline
 * measured in the same run (absolute times do not carry from one machine to another), summarised
 * over rounds, and checked against its target on the median.
 */
import type { Spread } from './stats.ts';

/** How a figure's value reads: a ratio (×), a share (%), milliseconds, or a plain count. */
/** `ms` is a difference (signed); `duration-ms` a time taken. */
type FigureUnit = 'ratio' | 'percent' | 'ms' | 'duration-ms' | 'count';

/** What the median of a figure must be; `text` is how the target is printed. */
interface Target {
  op: '<=' | '>=' | '<';
  value: number;
  text: string;
}

/** One reported figure. */
export interface Figure {
  /** What is measured and against what, in plain words. */
  measure: string;
  /** The figure per round, summarised. */
  value: Spread;
  unit: FigureUnit;
  /** Null when the figure is information only. */
  target: Target | null;
  /** Absolute figures of this machine, for information only (they are not compared). */
  absolute: string;
}

/** True when the figure has a target and its median misses it. */
export function missed(f: Figure): boolean {
  if (f.target === null) return false;
  const v = f.value.median;
  const t = f.target.value;
  return !(f.target.op === '<=' ? v <= t : f.target.op === '>=' ? v >= t : v < t);
}

/** Which way a printed figure rounds: away from its target's bound, so a miss never prints as met. */
type Rounding = 'up' | 'down' | 'nearest';

const fixed = (v: number, digits: number, rounding: Rounding): string => {
  const scale = 10 ** digits;
  const scaled = v * scale;
  // toPrecision trims float noise first (2.3 * 100 is 229.99999999999997, not below 230).
  const exact = Number(scaled.toPrecision(12));
  const r = rounding === 'up' ? Math.ceil(exact) : rounding === 'down' ? Math.floor(exact) : Math.round(exact);
  return (r / scale).toFixed(digits);
};

const fmt = (v: number, unit: FigureUnit, rounding: Rounding): string => {
  switch (unit) {
    case 'ratio':
      return `${fixed(v, v < 10 ? 3 : 2, rounding)}×`;
    case 'percent':
      return `${fixed(v * 100, 1, rounding)} %`;
    case 'ms': {
      const text = fixed(v, 2, rounding);
      return `${text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`} ms`;
    }
    case 'duration-ms':
      return `${fixed(v, 2, rounding)} ms`;
    case 'count':
      return Number(fixed(v, 1, rounding)).toLocaleString('en-US');
  }
};

/** "1.030× (0.990× – 1.080×, 8 rounds)": the median, then the range over the rounds. */
export function formatValue(f: Figure): string {
  const { median, min, max, rounds } = f.value;
  // An upper bound ("≤ 3×") rounds up, a lower bound ("≥ 50 %") down: 3.0004 never shows as 3.000.
  const rounding: Rounding = f.target === null ? 'nearest' : f.target.op === '>=' ? 'down' : 'up';
  const show = (v: number): string => fmt(v, f.unit, rounding);
  if (rounds === 1) return show(median);
  return `${show(median)} (${show(min)} – ${show(max)}, ${rounds} rounds)`;
}

/** One "MISSED: …" line per figure that misses its target. */
export function missedLines(figures: readonly Figure[]): string[] {
  return figures.filter(missed).map((f) => `MISSED: ${f.measure}: ${formatValue(f)}, target ${f.target!.text}`);
}

/** The console summary: one line per figure, then the misses (or that there were none). */
export function consoleSummary(figures: readonly Figure[]): string {
  const lines = figures.map((f) => `${missed(f) ? '✗' : f.target ? '✓' : '·'} ${f.measure}: ${formatValue(f)}${f.target ? ` (target ${f.target.text})` : ''}`);
  const misses = missedLines(figures);
  return [...lines, '', ...(misses.length > 0 ? misses : ['All targets met.']), ''].join('\n');
}

/** Where and when a run was taken, for the head of RESULTS.md. */
export interface RunInfo {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  loadAverage: readonly number[];
}

/** bench/RESULTS.md: the figures as a table with a "missed" column, and how to read them. */
export function resultsMarkdown(
  figures: readonly Figure[],
  run: RunInfo,
  refreshed: readonly { bench: string; date: string; loadAverage: readonly number[] }[] = [],
): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const misses = figures.filter(missed).length;
  const loads = (loadAverage: readonly number[]): string => loadAverage.map((l) => l.toFixed(2)).join(' ');
  return [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${run.date} (Node ${run.node}, ${run.cores} cores, ${run.cpu}; load average ${loads(run.loadAverage)} at the start). Raw figures: [results.json](results.json).`,
    '',
    ...refreshed.map(
      (entry) =>
        `The rows of \`${entry.bench}\` were re-measured alone (\`npm run bench ${entry.bench}\`) on ${entry.date}, load average ${loads(entry.loadAverage)}.`,
    ),
    ...(refreshed.length > 0 ? [''] : []),
    'Every figure is compared with a baseline measured in the same run on the same machine, so it holds on',
    'any machine; the absolute times in the last column are for information only. A figure is the median',
    'over the rounds, with the lowest and highest round in brackets; its target applies to the median.',
    '',
    ...(run.loadAverage[0]! >= run.cores / 2
      ? [
          `**The machine was busy with other work when the run started** (1-minute load average ${run.loadAverage[0]!.toFixed(2)} on ${run.cores} cores): its noise is in these figures; re-run on a quiet machine before drawing conclusions.`,
          '',
        ]
      : []),
    misses === 0 ? 'All targets met.' : `**${misses} target${misses === 1 ? '' : 's'} missed.**`,
    '',
    '| measure | figure | target | missed | absolute (this machine, information only) |',
    '|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${cell(f.measure)} | ${cell(formatValue(f))} | ${f.target ? cell(f.target.text) : '—'} | ${missed(f) ? '**MISSED**' : f.target ? 'no' : '—'} | ${cell(f.absolute)} |`,
    ),
    '',
  ].join('\n');
}
