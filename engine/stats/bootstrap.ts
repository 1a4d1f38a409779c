import seedrandom from 'seedrandom';
import type { ColumnView } from './column.js';
import { InsufficientDataStatsError } from './errors.js';
import type { Interval } from './intervals.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { checkInteger, checkLevel, checkProbability } from './validate.js';
import { betaVariate, type UniformSource } from './variates.js';

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
 * 1993, §13.3): resample the n values with replacement, take the type-7 quantile of each resample, and
 * report the (1 ∓ level)/2 quantiles of those estimates.
 *
 * A resample's quantile depends only on two of its order statistics, so they are drawn directly instead
 * of drawing n values and sorting: a resample is n indices ⌊nU⌋ into the sorted values, and because ⌊n·⌋
 * is monotone its m-th smallest index is ⌊n U₍ₘ₎⌋, where U₍ₘ₎ is the m-th smallest of n uniforms,
 * distributed Beta(m, n − m + 1); the next one lies above it like the least of the n − m uniforms left on
 * (U₍ₘ₎, 1) (David & Nagaraja, Order Statistics, 3rd ed., 2003, §2.2 and §2.5). The estimates have
 * exactly the distribution of the classical resampling ones at O(1) per resample instead of O(n)
 * — milliseconds rather than seconds for 100,000 runs and 2,000 resamples. Draws come from seedrandom's
 * xor4096 seeded with `options.seed`.
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
  const estimates = new Float64Array(resamples);
  const h = (n - 1) * p;
  const rank = Math.floor(h); // the quantile interpolates the resample's order statistics rank + 1 and rank + 2
  const fraction = h - rank;
  for (let b = 0; b < resamples; b++) {
    const u = uniformOrderStatistic(random, n, rank + 1);
    const below = sorted[Math.min(n - 1, Math.floor(n * u))]!;
    if (fraction === 0) {
      estimates[b] = below;
      continue;
    }
    const above = sorted[Math.min(n - 1, Math.floor(n * nextUniformOrderStatistic(random, u, n - rank - 1)))]!;
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

/** The m-th smallest of n independent U(0, 1): Beta(m, n − m + 1). */
export function uniformOrderStatistic(random: UniformSource, n: number, m: number): number {
  return betaVariate(random, m, n - m + 1);
}

/** The next order statistic above u when `remaining` uniforms lie above it: u + (1 − u)(1 − W^(1/remaining)). */
export function nextUniformOrderStatistic(random: UniformSource, u: number, remaining: number): number {
  return u - (1 - u) * Math.expm1(Math.log(1 - random()) / remaining);
}
