import { describe, expect, it } from 'vitest';
import { bands } from '../../../engine/stats/bands.js';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { normals, uniforms } from './draws.js';

describe('bands', () => {
  it('gives per-timepoint type-7 median and 5–95% band, whatever the run order', () => {
    // 101 runs × 4 timepoints; at timepoint t the runs hold t + 0..100 in shuffled order, so h = 100p
    // falls on order statistics: median 50 + t, p05 5 + t, p95 95 + t.
    const runs = 101;
    const timepoints = 4;
    const order = Array.from({ length: runs }, (_, r) => r);
    const u = uniforms(41, runs);
    order.sort((a, b) => u[a]! - u[b]!);
    const matrix = new Float64Array(runs * timepoints);
    order.forEach((value, r) => {
      for (let t = 0; t < timepoints; t++) matrix[r * timepoints + t] = value + t;
    });
    const result = bands(matrix, { timepoints });
    expect(result.runs).toBe(101);
    expect([...result.median]).toEqual([50, 51, 52, 53]);
    expect([...result.lower]).toEqual([5, 6, 7, 8]);
    expect([...result.upper]).toEqual([95, 96, 97, 98]);
    expect(bands(matrix, { timepoints, lower: 0.25, upper: 0.75 }).lower[0]).toBe(25);
  });

  it('recovers normal quantiles at each timepoint within sampling error', () => {
    // 2,001 runs, value N(t, 1) at timepoint t. SE of the sample p-quantile is √(p(1 − p)) / (φ(z_p)√n):
    // 0.028 for the median, 0.047 for the 5% and 95% points. Tolerances are 4 SE.
    const runs = 2001;
    const timepoints = 6;
    const noise = normals(42, runs * timepoints);
    const matrix = noise.map((x, k) => x + (k % timepoints));
    const { median, lower, upper } = bands(matrix, { timepoints });
    for (let t = 0; t < timepoints; t++) {
      expect(Math.abs(median[t]! - t)).toBeLessThan(0.112);
      expect(Math.abs(lower[t]! - (t - 1.6449))).toBeLessThan(0.19);
      expect(Math.abs(upper[t]! - (t + 1.6449))).toBeLessThan(0.19);
    }
  });

  it('rejects a ragged matrix, NaN and inverted bands, by class', () => {
    expect(() => bands(new Float64Array(7), { timepoints: 3 })).toThrow(InvalidArgumentStatsError);
    expect(() => bands(new Float64Array(0), { timepoints: 3 })).toThrow(InvalidArgumentStatsError);
    expect(() => bands(new Float64Array([1, NaN]), { timepoints: 2 })).toThrow(InvalidArgumentStatsError);
    expect(() => bands(new Float64Array(4), { timepoints: 2, lower: 0.9, upper: 0.1 })).toThrow(InvalidArgumentStatsError);
  });
});
