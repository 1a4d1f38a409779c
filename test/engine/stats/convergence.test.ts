import { describe, expect, it } from 'vitest';
import { convergence, untilPrecision } from '../../../engine/stats/convergence.js';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { meanInterval } from '../../../engine/stats/intervals.js';
import { exponentials } from './draws.js';

describe('convergence', () => {
  const values = exponentials(51, 10_000);

  it('reports the same half-width as meanInterval on each prefix', () => {
    const points = convergence(values, { checkpoints: [2, 30, 500, 10_000] });
    expect(points.map((p) => p.runs)).toEqual([2, 30, 500, 10_000]);
    for (const point of points) {
      const reference = meanInterval(values, { count: point.runs });
      expect(point.mean).toBeCloseTo(reference.estimate, 12);
      expect(point.halfWidth).toBeCloseTo(reference.halfWidth, 12);
      expect(point.relativeHalfWidth).toBeCloseTo(reference.halfWidth / reference.estimate, 12);
    }
  });

  it('narrows like 1/√n: Exp(1) has relative half-width ≈ 1.96/√n', () => {
    // At n = 10,000 the relative half-width is t·s/(x̄√n) ≈ 0.0196. Its own relative error is that of s/x̄:
    // √(0.01² + 0.014²) ≈ 0.017 (SE of x̄ is 0.01; of s, √((κ − 1)/4n) = 0.014 with κ = 9). Tolerance 4×.
    const points = convergence(values);
    expect(points.map((p) => p.runs)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 10_000]);
    const last = points[points.length - 1]!;
    expect(Math.abs(last.relativeHalfWidth / 0.0196 - 1)).toBeLessThan(0.07);
  });

  it('rejects checkpoints that do not ascend within the data', () => {
    expect(() => convergence(values, { checkpoints: [10, 5] })).toThrow(InvalidArgumentStatsError);
    expect(() => convergence(values, { checkpoints: [20_000] })).toThrow(InvalidArgumentStatsError);
    expect(() => convergence(values, { checkpoints: [1] })).toThrow(InvalidArgumentStatsError);
  });
});

describe('untilPrecision', () => {
  const values = exponentials(52, 5000);

  it('stops at the first run count whose interval meets the target, as a brute-force scan finds', () => {
    const result = untilPrecision(values, 0.05, { minRuns: 30 });
    let expected = -1;
    for (let n = 30; n <= values.length && expected < 0; n++) {
      const ci = meanInterval(values, { count: n });
      if (ci.halfWidth / Math.abs(ci.estimate) <= 0.05) expected = n;
    }
    expect(result.reached).toBe(true);
    expect(result.runs).toBe(expected);
    expect(result.relativeHalfWidth).toBeLessThanOrEqual(0.05);
    // For Exp(1) (cv = 1) the rule should stop near (1.96/0.05)² = 1537 runs. The crossing n scales with
    // (s/x̄)², whose relative SE near n = 1500 is ~9%; tolerance ±35% (4 SE).
    expect(result.runs).toBeGreaterThan(1537 * 0.65);
    expect(result.runs).toBeLessThan(1537 * 1.35);
  });

  it('says when the target is not reached, with the precision at the end', () => {
    const result = untilPrecision(values.subarray(0, 200), 0.01);
    expect(result.reached).toBe(false);
    expect(result.runs).toBe(200);
    const ci = meanInterval(values, { count: 200 });
    expect(result.relativeHalfWidth).toBeCloseTo(ci.halfWidth / ci.estimate, 12);
  });

  it('never declares a sample with no spread precise (a rare outcome not yet seen)', () => {
    const zeros = new Float64Array(100);
    expect(untilPrecision(zeros, 0.1).reached).toBe(false);
    const rare = new Float64Array(100);
    rare[90] = 1;
    expect(untilPrecision(rare, 0.1)).toMatchObject({ reached: false, runs: 100 });
  });

  it('respects minRuns and rejects bad options', () => {
    expect(untilPrecision(values, 0.5, { minRuns: 400 }).runs).toBe(400);
    expect(() => untilPrecision(values, 0)).toThrow(InvalidArgumentStatsError);
    expect(() => untilPrecision(values, 0.1, { minRuns: 1 })).toThrow(InvalidArgumentStatsError);
  });
});
