import { describe, expect, it } from 'vitest';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { histogram } from '../../../engine/stats/histogram.js';
import { uniforms } from './draws.js';

describe('histogram', () => {
  it('counts half-open equal-width bins, the last one closed', () => {
    expect(histogram([0, 1, 1.5, 2, 3, 4], { bins: 4 })).toEqual([
      { x0: 0, x1: 1, count: 1 },
      { x0: 1, x1: 2, count: 2 },
      { x0: 2, x1: 3, count: 1 },
      { x0: 3, x1: 4, count: 2 },
    ]);
  });

  it('leaves values outside a given domain, infinities included, uncounted', () => {
    const bins = histogram([-1, 0.5, 1.5, 2.5, Infinity], { bins: 2, domain: [0, 2] });
    expect(bins.map((b) => b.count)).toEqual([1, 1]);
    // Without a domain, the finite values set it.
    expect(histogram([1, 2, Infinity], { bins: 1 })).toEqual([{ x0: 1, x1: 2, count: 2 }]);
  });

  it('puts every value in the bin whose printed edges contain it, whatever the rounding', () => {
    // Awkward domains where (x − lo)/(hi − lo)·bins rounds across an edge.
    for (const [lo, hi, bins] of [[0, 0.7, 7], [0.1, 0.7, 3], [-3.3, 9.9, 11], [1e9, 1e9 + 1, 10]] as const) {
      const values: number[] = [];
      for (let k = 0; k <= 3 * bins; k++) values.push(lo + ((hi - lo) * k) / (3 * bins), lo + (k * (hi - lo)) / (3 * bins) + 1e-17);
      for (let k = 0; k <= bins; k++) values.push(lo + k * ((hi - lo) / bins));
      const inside = values.filter((x) => x >= lo && x <= hi);
      const result = histogram(inside, { bins, domain: [lo, hi] });
      expect(result.reduce((s, b) => s + b.count, 0)).toBe(inside.length);
      for (const [k, bin] of result.entries()) {
        const last = k === result.length - 1;
        const expected = inside.filter((x) => x >= bin.x0 && (x < bin.x1 || (last && x <= bin.x1))).length;
        expect(bin.count).toBe(expected);
      }
    }
  });

  it('spreads U(0, 1) draws evenly within binomial error', () => {
    // 10,000 draws, 10 bins: each count is Binomial(10000, 0.1), sd 30; tolerance 4 sd = 120.
    const bins = histogram(uniforms(31, 10_000), { bins: 10, domain: [0, 1] });
    expect(bins).toHaveLength(10);
    for (const bin of bins) expect(Math.abs(bin.count - 1000)).toBeLessThan(120);
  });

  it('defaults to Sturges\' bin count, handles no spread and no values, and rejects NaN', () => {
    expect(histogram(uniforms(32, 1000))).toHaveLength(11); // ⌈log₂ 1000⌉ + 1
    expect(histogram([5, 5, 5], { bins: 4 })).toEqual([{ x0: 5, x1: 5, count: 3 }]);
    expect(histogram([])).toEqual([]);
    expect(() => histogram([1, NaN])).toThrow(InvalidArgumentStatsError);
    expect(() => histogram([1, 2], { bins: 0 })).toThrow(InvalidArgumentStatsError);
    expect(() => histogram([1, 2], { domain: [2, 1] })).toThrow(InvalidArgumentStatsError);
  });
});
