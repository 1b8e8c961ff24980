/** Statistics of benchmark samples: percentiles and the spread of a figure over rounds. */

/** A percentile of an empty sample was asked for: there is nothing to summarise. */
export class EmptySampleError extends Error {
  override readonly name = 'EmptySampleError';
  constructor(what: string) {
    super(`Cannot take ${what} of an empty sample: the benchmark collected no values.`);
  }
}

/** The `p`-th percentile (0–100) of a sample, nearest rank: always one of the sampled values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new EmptySampleError(`percentile ${p}`);
  if (!(p >= 0 && p <= 100)) throw new RangeError(`A percentile must be within 0–100, got ${p}.`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median (50th percentile, nearest rank) of a sample. */
export const median = (values: readonly number[]): number => percentile(values, 50);

/** How one figure varied over the rounds of a run: median, quartiles and extremes. */
export interface Spread {
  rounds: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** The spread of per-round values (nearest-rank quartiles). */
export function spread(perRound: readonly number[]): Spread {
  return {
    rounds: perRound.length,
    median: median(perRound),
    q1: percentile(perRound, 25),
    q3: percentile(perRound, 75),
    min: percentile(perRound, 0),
    max: percentile(perRound, 100),
  };
}

/** Rounds for display. */
export const round = (v: number, digits = 2): number => Number(v.toFixed(digits));
