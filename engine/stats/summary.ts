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
 * since an epoch, counts near a ceiling); Welford's running deviations keep full precision there.
 * Reads a column in place (`options.offset`, `options.stride`, `options.count`). A NaN value throws.
 */
export function moments(values: ArrayLike<number>, options?: ColumnView): Moments {
  const { offset, stride, count } = resolveColumn(values, options, 'moments');
  let mean = 0;
  let sumSquares = 0; // Σ (x − mean)², updated as the mean moves
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const x = values[j]!;
    if (x !== x) throw nanError('moments', j);
    const delta = x - mean;
    mean += delta / (i + 1);
    sumSquares += delta * (x - mean);
  }
  return { n: count, mean: count > 0 ? mean : NaN, variance: count > 1 ? sumSquares / (count - 1) : NaN };
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
