import { describe, expect, it } from 'vitest';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { quantile, quantiles, quantileSorted } from '../../../engine/stats/quantile.js';
import { normals } from './draws.js';

describe('quantiles (type 7)', () => {
  it('matches numpy.quantile (method "linear") on an unsorted sample with ties', () => {
    // numpy 2.4: np.quantile([3.1, -2, 7.25, 0.5, 12, 4.4, 4.4], [0, .05, .1, .25, .5, .9, 1])
    const values = [3.1, -2.0, 7.25, 0.5, 12.0, 4.4, 4.4];
    const expected = [-2.0, -1.25, -0.4999999999999998, 1.8, 4.4, 9.150000000000002, 12.0];
    const got = quantiles(values, [0, 0.05, 0.1, 0.25, 0.5, 0.9, 1]);
    got.forEach((q, k) => expect(q).toBeCloseTo(expected[k]!, 12));
    // numpy's documentation example: np.quantile([[10, 7, 4], [3, 2, 1]], 0.5) == 3.5
    expect(quantile([10, 7, 4, 3, 2, 1], 0.5)).toBe(3.5);
  });

  it('interpolates at h = (n − 1)p and hits order statistics exactly', () => {
    expect(quantiles([1, 2, 3, 4], [0.25, 0.5, 0.75])).toEqual([1.75, 2.5, 3.25]);
    expect(quantile([5], 0.3)).toBe(5);
    expect(quantileSorted([0, 10, 20], 0.5)).toBe(10);
  });

  it('does not reorder the caller\'s array and reads a column', () => {
    const values = new Float64Array([3, 30, 1, 10, 2, 20]);
    expect(quantile(values, 0.5, { offset: 1, stride: 2 })).toBe(20);
    expect([...values]).toEqual([3, 30, 1, 10, 2, 20]);
  });

  it('keeps infinities (runs that never reached a state) without producing NaN', () => {
    expect(quantiles([1, Infinity, Infinity, 2], [0.5, 0.9])).toEqual([Infinity, Infinity]);
    expect(quantile([1, 2, Infinity], 0.25)).toBe(1.5);
  });

  it('estimates normal quantiles within sampling error', () => {
    // N(0, 1), n = 20,000: SE of the p-quantile is √(p(1 − p)) / (φ(z_p) √n) — 0.0089 at the median and
    // 0.0146 at 5%/95%. Tolerances are 4 SE.
    const [p05, p50, p95] = quantiles(normals(3, 20_000), [0.05, 0.5, 0.95]);
    expect(Math.abs(p50! - 0)).toBeLessThan(0.036);
    expect(Math.abs(p05! + 1.6449)).toBeLessThan(0.058);
    expect(Math.abs(p95! - 1.6449)).toBeLessThan(0.058);
  });

  it('rejects p outside [0, 1], NaN values and an empty set, by class', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(InvalidArgumentStatsError);
    expect(() => quantile([1, 2], NaN)).toThrow(InvalidArgumentStatsError);
    expect(() => quantile([1, NaN, 2], 0.5)).toThrow(InvalidArgumentStatsError);
    expect(() => quantile([], 0.5)).toThrow(InsufficientDataStatsError);
  });
});
