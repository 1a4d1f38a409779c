import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bootstrapQuantileInterval, nextUniformOrderStatistic, uniformOrderStatistic } from '../../../engine/stats/bootstrap.js';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { quantileSorted } from '../../../engine/stats/quantile.js';
import { exponentials } from './draws.js';

/** The textbook bootstrap: materialize and sort each resample. */
function naiveBootstrap(values: ArrayLike<number>, p: number, seed: number, resamples: number, level: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const random = seedrandom.xor4096(String(seed));
  const estimates = new Float64Array(resamples);
  const resample = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) resample[i] = sorted[Math.floor(random() * n)]!;
    estimates[b] = quantileSorted(resample.sort(), p);
  }
  estimates.sort();
  return [quantileSorted(estimates, (1 - level) / 2), quantileSorted(estimates, (1 + level) / 2)];
}

/** P(Binomial(n, q) ≥ m), summed exactly for small n. */
function binomialAtLeast(n: number, q: number, m: number): number {
  let total = 0;
  let choose = 1; // C(n, k)
  for (let k = 0; k <= n; k++) {
    if (k >= m) total += choose * q ** k * (1 - q) ** (n - k);
    choose = (choose * (n - k)) / (k + 1);
  }
  return total;
}

describe('order statistics of a resample', () => {
  it('have exactly the distribution of the m-th and (m+1)-th smallest of n draws with replacement', () => {
    // Resample n = 20 indices uniformly from 0..19. The m-th smallest index J satisfies
    // P(J ≤ j) = P(Binomial(n, (j + 1)/n) ≥ m). From 100,000 draws, Pearson's χ² over the 15 cells expecting
    // ≥ 5 counts plus one pooled cell for the rest has 15 df; its 99.99% point is 44.26. A sampler off by
    // one order statistic scores in the thousands.
    const n = 20;
    const m = 10;
    const draws = 100_000;
    const random = seedrandom.xor4096('order-statistics');
    const lowerCounts = new Array<number>(n).fill(0);
    const upperCounts = new Array<number>(n).fill(0);
    let misordered = 0;
    for (let d = 0; d < draws; d++) {
      const u = uniformOrderStatistic(random, n, m);
      const next = nextUniformOrderStatistic(random, u, n - m);
      if (next < u) misordered++;
      lowerCounts[Math.floor(n * u)]!++;
      upperCounts[Math.floor(n * next)]!++;
    }
    expect(misordered).toBe(0);
    for (const [counts, order] of [[lowerCounts, m], [upperCounts, m + 1]] as const) {
      let chiSquare = 0;
      let cells = 0;
      let pooledCount = 0;
      let pooledExpected = 0;
      for (let j = 0; j < n; j++) {
        const expected = draws * (binomialAtLeast(n, (j + 1) / n, order) - binomialAtLeast(n, j / n, order));
        if (expected >= 5) {
          chiSquare += (counts[j]! - expected) ** 2 / expected;
          cells++;
        } else {
          pooledCount += counts[j]!;
          pooledExpected += expected;
        }
      }
      chiSquare += (pooledCount - pooledExpected) ** 2 / pooledExpected;
      expect(cells).toBe(15);
      expect(chiSquare).toBeLessThan(44.26);
    }
  });
});

describe('bootstrapQuantileInterval', () => {
  const values = exponentials(21, 1000);

  it('is reproducible under the same seed and differs under another', () => {
    const first = bootstrapQuantileInterval(values, 0.9, { seed: 7, resamples: 500 });
    const again = bootstrapQuantileInterval(values, 0.9, { seed: 7, resamples: 500 });
    const other = bootstrapQuantileInterval(values, 0.9, { seed: 8, resamples: 500 });
    expect(again).toEqual(first);
    expect([other.lo, other.hi]).not.toEqual([first.lo, first.hi]);
  });

  it('agrees with sorting every resample, up to Monte Carlo error', () => {
    // Same bootstrap distribution, different draws: with 20,000 resamples each endpoint is a quantile of
    // a distribution on order statistics of 301 values, pinned to within one or two neighbouring order
    // statistics; the spacing there is ~0.01–0.03 for Exp(1), so 0.05 allows a couple of steps.
    const sample = values.subarray(0, 301);
    for (const p of [0.5, 0.9]) {
      const fast = bootstrapQuantileInterval(sample, p, { seed: 3, resamples: 20_000, level: 0.9 });
      const [lo, hi] = naiveBootstrap(sample, p, 3, 20_000, 0.9);
      expect(Math.abs(fast.lo - lo)).toBeLessThan(0.05);
      expect(Math.abs(fast.hi - hi)).toBeLessThan(0.05);
    }
  });

  it('has the width asymptotic theory predicts for the median of Exp(1)', () => {
    // The sample median's SE is 1 / (2 f(m) √n) = 1/√n = 0.0316 at n = 1000 (f(ln 2) = ½), so a 95%
    // interval is ~0.124 wide. Over 200 numpy data sets the bootstrap width averaged 0.124 with an sd of
    // 14% (order statistics near the median are discrete and themselves random); tolerance ±50% ≈ 3.6 sd.
    const { estimate, lo, hi } = bootstrapQuantileInterval(values, 0.5, { seed: 1 });
    expect(lo).toBeLessThanOrEqual(estimate);
    expect(hi).toBeGreaterThanOrEqual(estimate);
    expect(hi - lo).toBeGreaterThan(0.124 * 0.5);
    expect(hi - lo).toBeLessThan(0.124 * 1.5);
  });

  it('reads a column and rejects bad options by class', () => {
    const matrix = new Float64Array(2 * values.length);
    values.forEach((x, i) => (matrix[2 * i + 1] = x));
    expect(bootstrapQuantileInterval(matrix, 0.5, { seed: 4, resamples: 200, offset: 1, stride: 2 })).toEqual(
      bootstrapQuantileInterval(values, 0.5, { seed: 4, resamples: 200 }),
    );
    expect(() => bootstrapQuantileInterval(values, 0.5, { seed: 1.5 })).toThrow(InvalidArgumentStatsError);
    expect(() => bootstrapQuantileInterval(values, 0.5, { seed: 1, resamples: 0 })).toThrow(InvalidArgumentStatsError);
    expect(() => bootstrapQuantileInterval(values, 2, { seed: 1 })).toThrow(InvalidArgumentStatsError);
    expect(() => bootstrapQuantileInterval([], 0.5, { seed: 1 })).toThrow(InsufficientDataStatsError);
  });
});
