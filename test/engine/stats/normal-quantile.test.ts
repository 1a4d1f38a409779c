import { describe, expect, it } from 'vitest';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { normalQuantile } from '../../../engine/stats/normal-quantile.js';

describe('normalQuantile (AS 241)', () => {
  it('matches reference values to ~1e-15 in all three regions', () => {
    // scipy.stats.norm.ppf
    const cases: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.995, 2.5758293035489004],
      [0.3, -0.5244005127080409],
      [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of cases) expect(Math.abs(normalQuantile(p) / z - 1)).toBeLessThan(1e-15);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('is antisymmetric and infinite at the ends', () => {
    // 1 − p is rounded to 1e-16 absolute, which moves the upper quantile by ~1e-16 / (p z): 1e-10 at p = 1e-6.
    for (const p of [1e-6, 0.01, 0.2, 0.45]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 9);
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0470962993612, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(-0.1)).toThrow(InvalidArgumentStatsError);
  });
});
