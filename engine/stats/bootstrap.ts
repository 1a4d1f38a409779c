import seedrandom from 'seedrandom';
import type { ColumnView } from './column.js';
import { InsufficientDataStatsError } from './errors.js';
import type { Interval } from './intervals.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { checkInteger, checkLevel, checkProbability } from './validate.js';

const DEFAULTS = { level: 0.95, resamples: 2000 };

export interface BootstrapOptions extends ColumnView {
  /** Seed of the resampling stream; the same seed gives the same interval. */
  seed: number;
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/**
 * Percentile bootstrap interval for the p-quantile (Efron & Tibshirani, An Introduction to the Bootstrap,
 * 1993, §13.3): resample the n values with replacement, take the quantile of each resample, and report
 * the (1 ∓ level)/2 quantiles of those estimates. The values are sorted once; a resample is then only a
 * count per sorted position, and its order statistics are read off the running total of counts, so each
 * resample costs O(n) rather than a sort. Draws come from seedrandom's xor4096 seeded with `seed`.
 */
export function bootstrapQuantileInterval(values: ArrayLike<number>, p: number, options: BootstrapOptions): Interval {
  const where = 'bootstrapQuantileInterval';
  checkProbability(p, 'p', where);
  const resamples = options.resamples ?? DEFAULTS.resamples;
  const level = options.level ?? DEFAULTS.level;
  checkInteger(options.seed, 'options.seed', where, Number.MIN_SAFE_INTEGER);
  checkInteger(resamples, 'options.resamples', where, 1);
  checkLevel(level, where);
  const sorted = sortedCopy(values, options, where);
  const n = sorted.length;
  if (n === 0) throw new InsufficientDataStatsError(`${where}: no values`);

  const random = seedrandom.xor4096(String(options.seed));
  const counts = new Uint32Array(n);
  const estimates = new Float64Array(resamples);
  const h = (n - 1) * p;
  const rank = Math.floor(h); // 0-based order statistics `rank` and `rank + 1` are interpolated
  const fraction = h - rank;
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
    let position = 0;
    let seen = counts[0]!; // resample values at or below sorted[position]
    while (seen <= rank) seen += counts[++position]!;
    const below = sorted[position]!;
    if (fraction === 0) {
      estimates[b] = below;
      continue;
    }
    while (seen <= rank + 1) seen += counts[++position]!;
    const above = sorted[position]!;
    estimates[b] = below === above ? below : below + fraction * (above - below);
  }
  estimates.sort();
  return {
    estimate: quantileSorted(sorted, p),
    lo: quantileSorted(estimates, (1 - level) / 2),
    hi: quantileSorted(estimates, (1 + level) / 2),
    level,
  };
}
