import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { moments } from '../../../engine/stats/summary.js';
import { betaVariate, gammaVariate, standardNormal } from '../../../engine/stats/variates.js';

const DRAWS = 20_000;

function sample(draw: () => number): Float64Array {
  const out = new Float64Array(DRAWS);
  for (let i = 0; i < DRAWS; i++) out[i] = draw();
  return out;
}

/** |sample mean − mean| within 4 SE and |sample variance − variance| within 4 SE, given the 4th central moment. */
function expectMoments(values: Float64Array, mean: number, variance: number, fourthCentral: number): void {
  const result = moments(values);
  expect(Math.abs(result.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / DRAWS));
  expect(Math.abs(result.variance - variance)).toBeLessThan(4 * Math.sqrt((fourthCentral - variance * variance) / DRAWS));
}

describe('variates', () => {
  it('draws N(0, 1): mean 0, variance 1 (4th central moment 3)', () => {
    const random = seedrandom.xor4096('normal');
    expectMoments(sample(() => standardNormal(random)), 0, 1, 3);
  });

  it('draws Gamma(k): mean k, variance k (4th central moment 3k² + 6k)', () => {
    for (const k of [1, 2.5, 1000]) {
      const random = seedrandom.xor4096(`gamma-${k}`);
      expectMoments(sample(() => gammaVariate(random, k)), k, k, 3 * k * k + 6 * k);
    }
  });

  it('draws Beta(a, b): mean a/(a + b), variance ab/((a + b)²(a + b + 1))', () => {
    // The 4th central moment is bounded by variance × max squared deviation ≤ variance (values in [0, 1]);
    // using that bound makes the variance tolerance conservative.
    for (const [a, b] of [[1, 1], [2, 5], [500, 9500]] as const) {
      const random = seedrandom.xor4096(`beta-${a}-${b}`);
      const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expectMoments(sample(() => betaVariate(random, a, b)), a / (a + b), variance, variance);
    }
  });
});
