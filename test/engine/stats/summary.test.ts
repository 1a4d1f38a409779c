import { describe, expect, it } from 'vitest';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { mean, moments, sd, variance } from '../../../engine/stats/summary.js';
import { exponentials, normals } from './draws.js';

describe('moments (Welford)', () => {
  it('computes mean and sample variance of a small set exactly', () => {
    expect(moments([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ n: 8, mean: 5, variance: 32 / 7 });
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('is NaN where undefined: no values, or one value for the variance', () => {
    expect(moments([])).toEqual({ n: 0, mean: NaN, variance: NaN });
    expect(moments([3])).toEqual({ n: 1, mean: 3, variance: NaN });
  });

  it('reads a column of a row-major runs × metrics array without copying', () => {
    const matrix = new Float64Array([1, 100, 2, 200, 3, 300, 4, 400]);
    expect(mean(matrix, { offset: 1, stride: 2 })).toBe(250);
    expect(variance(matrix, { offset: 0, stride: 2 })).toBeCloseTo(5 / 3, 14);
    expect(moments(matrix, { offset: 1, stride: 2, count: 2 })).toEqual({ n: 2, mean: 150, variance: 5000 });
  });

  it('matches an exact two-pass computation on data offset by 1e9, where the naive formula fails', () => {
    const n = 100_000;
    const noise = normals(1, n, 0, 0.5);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = 1e9 + noise[i]!;
    // Reference: x − 1e9 is exact (Sterbenz), so a two-pass over the small residuals is exact to ~1e-15.
    let residualSum = 0;
    for (let i = 0; i < n; i++) residualSum += values[i]! - 1e9;
    const residualMean = residualSum / n;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) sumSquares += (values[i]! - 1e9 - residualMean) ** 2;
    const exactVariance = sumSquares / (n - 1);

    const welford = moments(values);
    // Shifted by the first value, the running mean lives near 0: the result is within one ulp of 1e9
    // (1.2e-7), and the variance keeps ~13 digits (1e5 roundings of ~1e-16 each, relative).
    expect(Math.abs(welford.mean - (1e9 + residualMean))).toBeLessThanOrEqual(1.2e-7);
    expect(Math.abs(welford.variance / exactVariance - 1)).toBeLessThan(1e-12);

    // The textbook one-pass Σx² − (Σx)²/n, for contrast: Σx² ≈ 1e23 has an ulp of ~1e7, far above
    // the 2.5e4 it is supposed to resolve.
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < n; i++) {
      sum += values[i]!;
      sumOfSquares += values[i]! * values[i]!;
    }
    const naive = (sumOfSquares - (sum * sum) / n) / (n - 1);
    expect(Math.abs(naive / exactVariance - 1)).toBeGreaterThan(0.5);
  });

  it('recovers the moments of Exp(1) within sampling error', () => {
    // Exp(1): mean 1, variance 1. SE of the mean of 10,000 draws is 0.01; SE of the sample variance is
    // √((μ4 − σ⁴)/n) = √(8/10,000) ≈ 0.028 (μ4 = 9). Tolerances are 4 SE.
    const result = moments(exponentials(2, 10_000));
    expect(Math.abs(result.mean - 1)).toBeLessThan(0.04);
    expect(Math.abs(result.variance - 1)).toBeLessThan(0.113);
  });

  it('lets an infinite value (a state never reached) make the mean infinite', () => {
    expect(moments([Infinity, 1, 2])).toEqual({ n: 3, mean: Infinity, variance: NaN });
    expect(moments([1, -Infinity])).toEqual({ n: 2, mean: -Infinity, variance: NaN });
    expect(mean([Infinity, -Infinity])).toBeNaN();
  });

  it('rejects NaN with the class, naming the index', () => {
    expect(() => moments([1, NaN, 3])).toThrow(InvalidArgumentStatsError);
    expect(() => moments([1, NaN, 3])).toThrow(/values\[1\]/);
  });
});
