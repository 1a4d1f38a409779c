import { resolveColumn, type ColumnView } from './column.js';
import { nanError } from './validate.js';

/** Count, mean and sample variance of a set of values. */
export interface Moments {
  n: number;
  mean: number;
  /** Sample variance (divisor n − 1); NaN when n < 2. */
  variance: number;
}

/**
 * Mean and sample variance in one pass by Welford's update (B. P. Welford, "Note on a method for
 * calculating corrected sums of squares and products", Technometrics 4(3), 1962). The naive
 * Σx² − (Σx)²/n cancels catastrophically when the mean is large against the spread (times in minutes
 * since an epoch, counts near a ceiling); Welford's running deviations keep full precision there. The
 * values are also shifted by the first one, as Chan, Golub & LeVeque advise ("Algorithms for computing
 * the sample variance", Am. Stat. 37(3), 1983): the running mean is then kept near 0 where its rounding
 * is tiny, instead of near 1e9 where every update rounds to a 1e-7 grid.
 * Reads a column in place (`options.offset`, `options.stride`, `options.count`). A NaN value throws; an
 * infinite one (a run that never reached a state) makes the mean that infinity and the variance NaN.
 */
export function moments(values: ArrayLike<number>, options?: ColumnView): Moments {
  const { offset, stride, count } = resolveColumn(values, options, 'moments');
  let shift = NaN;
  let finite = 0;
  let mean = 0; // of x − shift
  let sumSquares = 0; // Σ (x − mean)², updated as the mean moves
  let aboveAll = 0; // +Infinity values
  let belowAll = 0; // −Infinity values
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const value = values[j]!;
    if (value - value !== 0) {
      if (value !== value) throw nanError('moments', j);
      if (value > 0) aboveAll++;
      else belowAll++;
      continue;
    }
    if (finite === 0) shift = value;
    const x = value - shift;
    const delta = x - mean;
    mean += delta / ++finite;
    sumSquares += delta * (x - mean);
  }
  if (aboveAll + belowAll > 0) return { n: count, mean: belowAll === 0 ? Infinity : aboveAll === 0 ? -Infinity : NaN, variance: NaN };
  return { n: count, mean: shift + mean, variance: count > 1 ? sumSquares / (count - 1) : NaN };
}

/**
 * The same update one value at a time, for callers that need the moments of every prefix (convergence
 * curves, stopping rules). Values are expected finite; the shift is the first value pushed.
 */
export class RunningMoments {
  n = 0;
  #shift = 0;
  #shiftedMean = 0;
  #sumSquares = 0;

  push(value: number): void {
    if (this.n === 0) this.#shift = value;
    const x = value - this.#shift;
    const delta = x - this.#shiftedMean;
    this.#shiftedMean += delta / ++this.n;
    this.#sumSquares += delta * (x - this.#shiftedMean);
  }

  get mean(): number {
    return this.n > 0 ? this.#shift + this.#shiftedMean : NaN;
  }

  /** Sample variance (n − 1); NaN for fewer than two values. */
  get variance(): number {
    return this.n > 1 ? this.#sumSquares / (this.n - 1) : NaN;
  }
}

/** Arithmetic mean; NaN for no values. */
export function mean(values: ArrayLike<number>, options?: ColumnView): number {
  return moments(values, options).mean;
}

/** Sample variance (n − 1); NaN for fewer than two values. */
export function variance(values: ArrayLike<number>, options?: ColumnView): number {
  return moments(values, options).variance;
}

/** Sample standard deviation (n − 1); NaN for fewer than two values. */
export function sd(values: ArrayLike<number>, options?: ColumnView): number {
  return Math.sqrt(moments(values, options).variance);
}
