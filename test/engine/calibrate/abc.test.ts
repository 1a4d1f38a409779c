import { describe, expect, it } from 'vitest';
import { accept, distance, drawParameters, effectiveSampleSize, median, perturbParameters, populationWeights, weightedQuantile, type Draw } from '../../../engine/calibrate/abc.js';

describe('ABC rejection', () => {
  const priors = [
    { path: 'scenario.a', low: 0, high: 1 },
    { path: 'scenario.b', low: 10, high: 20 },
  ];

  it('draws from the uniform priors, the same draws for the same seed', () => {
    const draws = drawParameters(priors, 2000, 7);
    expect(draws).toEqual(drawParameters(priors, 2000, 7));
    expect(draws).not.toEqual(drawParameters(priors, 2000, 8));
    for (const [a, b] of draws) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThan(1);
      expect(b).toBeGreaterThanOrEqual(10);
      expect(b).toBeLessThan(20);
    }
    // Uniform: the mean of 2,000 draws on [10, 20) is 15 within 4 SE (SE = 10/√12/√2000 ≈ 0.065).
    const mean = draws.reduce((sum, d) => sum + d[1]!, 0) / draws.length;
    expect(Math.abs(mean - 15)).toBeLessThan(4 * 0.065);
  });

  it('measures the RMS relative error over fitted targets; a lower bound counts only a shortfall', () => {
    // 36 against 34 (+2/34) and 19,500 against 19,500 (0): √((2/34)² / 2).
    expect(distance([36, 19_500], [34, 19_500], [true, true])).toBeCloseTo(Math.sqrt((2 / 34) ** 2 / 2), 12);
    // An unfitted target is only reported.
    expect(distance([36, 0], [34, 19_500], [true, false])).toBeCloseTo(2 / 34, 12);
    // At least 1,220: 9,000 misses nothing, 610 misses by half.
    expect(distance([9000], [1220], [true], [true])).toBe(0);
    expect(distance([610], [1220], [true], [true])).toBeCloseTo(0.5, 12);
    // A target of 0 is measured in absolute terms.
    expect(distance([3], [0], [true])).toBe(3);
  });

  it('keeps the closest share of draws, closest first, at least one', () => {
    const draws: Draw[] = [0.5, 0.1, 0.3, 0.2].map((d, i) => ({ values: [i], summaries: [], distance: d }));
    expect(accept(draws, 0.5).map((d) => d.distance)).toEqual([0.1, 0.2]);
    expect(accept(draws, 0.01)).toHaveLength(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('ABC population Monte Carlo', () => {
  const priors = [
    { path: 'scenario.a', low: 0, high: 1 },
    { path: 'scenario.b', low: 10, high: 20 },
  ];
  const population: Draw[] = [
    { values: [0.2, 12], summaries: [], distance: 0.1, weight: 1 },
    { values: [0.3, 13], summaries: [], distance: 0.2, weight: 1 },
    { values: [0.25, 12.5], summaries: [], distance: 0.15, weight: 2 },
  ];

  it('draws near the particles, inside the priors, the same for the same seed and round', () => {
    const draws = perturbParameters(priors, population, 3000, 5, 2);
    expect(draws).toEqual(perturbParameters(priors, population, 3000, 5, 2));
    expect(draws).not.toEqual(perturbParameters(priors, population, 3000, 5, 3));
    for (const [a, b] of draws) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
      expect(b).toBeGreaterThanOrEqual(10);
      expect(b).toBeLessThanOrEqual(20);
    }
    // The kernel is centred on the weighted particles: the mean of a is their weighted mean 0.25 (weights 1, 1, 2),
    // within 4 SE (kernel sd √2 × 0.035 ≈ 0.05 plus the particles' spread: SE < 0.06/√3000 ≈ 0.0011).
    const mean = draws.reduce((sum, d) => sum + d[0]!, 0) / draws.length;
    expect(Math.abs(mean - 0.25)).toBeLessThan(4 * 0.0011);
  });

  it('weights a draw by the prior over the mixture it came from: isolated draws weigh more', () => {
    const near: Draw = { values: [0.25, 12.5], summaries: [], distance: 0 };
    const far: Draw = { values: [0.45, 14.5], summaries: [], distance: 0 };
    const weights = populationWeights(priors, [near, far], population);
    expect(weights[0]! + weights[1]!).toBeCloseTo(1, 12);
    expect(weights[1]!).toBeGreaterThan(weights[0]!);
  });

  it('takes weighted quantiles', () => {
    expect(weightedQuantile([1, 2, 3], [1, 1, 1], 0.5)).toBe(2);
    expect(weightedQuantile([1, 2, 3], [1, 1, 10], 0.5)).toBe(3);
    expect(weightedQuantile([3, 1, 2], [1, 1, 1], 0)).toBe(1);
    expect(weightedQuantile([3, 1, 2], [1, 1, 1], 1)).toBe(3);
  });
});

describe('the effective sample size', () => {
  it('is n for equal weights and falls as weight concentrates', () => {
    expect(effectiveSampleSize([1, 1, 1, 1])).toBeCloseTo(4, 12);
    expect(effectiveSampleSize([3, 1])).toBeCloseTo(16 / 10, 12);
  });
});
