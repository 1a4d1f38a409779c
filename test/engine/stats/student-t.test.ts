import { describe, expect, it } from 'vitest';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { normalQuantile } from '../../../engine/stats/normal-quantile.js';
import { studentTCdf, studentTQuantile, studentTUpperTail } from '../../../engine/stats/student-t.js';

describe('studentTQuantile', () => {
  it('matches printed tables of t_{0.975, df}', () => {
    // Standard two-sided 95% table values, as printed (6 or 4 decimals).
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157, 6);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
  });

  it('matches reference values to 1e-12 relative across df, fractional df and tails', () => {
    // scipy.stats.t.ppf(p, df)
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 2, 4.302652729749462],
      [0.975, 5, 2.5705818356363146],
      [0.975, 9, 2.262157162798205],
      [0.975, 30, 2.0422724563012378],
      [0.975, 100, 1.9839715185235518],
      [0.975, 1000, 1.9623390808264083],
      [0.975, 7.5, 2.333039626864974],
      [1e-6, 3, -103.29946778041935],
      [0.9, 2.5, 1.7302509288071766],
    ];
    for (const [p, df, t] of cases) expect(Math.abs(studentTQuantile(p, df) / t - 1)).toBeLessThan(1e-12);
  });

  it('inverts its own cdf, including far tails and small df', () => {
    for (const df of [0.5, 1.5, 3, 4.2, 17, 250, 9999, 20_000])
      for (const p of [1e-9, 1e-4, 0.01, 0.3, 0.49, 0.8, 0.999]) {
        const t = studentTQuantile(p, df);
        const back = p < 0.5 ? studentTCdf(t, df) : studentTUpperTail(t, df);
        expect(Math.abs(back / (p < 0.5 ? p : 1 - p) - 1)).toBeLessThan(1e-10);
      }
  });

  it('is exact on both sides of the switch to the Cornish–Fisher series and tends to the normal', () => {
    // mpmath at 30 digits (root of the regularized incomplete beta): the Newton branch at df = 10,000 and
    // the series just above it (1.96020123989062625…, 1.96020123986689790…).
    expect(Math.abs(studentTQuantile(0.975, 10_000) / 1.9602012398906263 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(studentTQuantile(0.975, 10_000.001) / 1.960201239866898 - 1)).toBeLessThan(1e-13);
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(normalQuantile(0.975), 8);
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });

  it('is antisymmetric with exact ends and rejects bad arguments', () => {
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(0.025, 9)).toBe(-studentTQuantile(0.975, 9));
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(0.5, 0)).toThrow(InvalidArgumentStatsError);
    expect(() => studentTQuantile(1.1, 3)).toThrow(InvalidArgumentStatsError);
  });
});

describe('studentTCdf', () => {
  it('matches reference values', () => {
    // scipy.stats.t.cdf / t.sf
    expect(Math.abs(studentTCdf(2, 5) / 0.9490302605850708 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(studentTUpperTail(10, 3) / 0.0010641995292070751 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(studentTCdf(-1.5, 1.5) / 0.15499737061139984 - 1)).toBeLessThan(1e-13);
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(Infinity, 7)).toBe(1);
  });
});
