import { describe, expect, it } from 'vitest';
import { exponential, sampleDelay, seedRun, standardExponential, standardNormal, uniform } from '../../../engine/kernel/rng.js';
import { normalQuantile } from '../../../engine/stats/normal-quantile.js';

/**
 * The random variates at fixed seeds. Every tolerance is a quantile of the statistic's null distribution
 * at the sample size used, at a level (≤ 0.1%) where a correct generator passes whatever the seed and a
 * wrong table, layer or tail fails by orders of magnitude.
 */
const N = 400_000;

function draws(seed: number, draw: () => number, n = N): Float64Array {
  seedRun(seed, 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

/** Kolmogorov–Smirnov distance between a sample and a continuous CDF. */
function ks(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / sorted.length - f, f - i / sorted.length);
  }
  return d;
}

// KS critical value at level 0.001: 1.949 / √n (Smirnov's limit), ≈ 0.0031 at n = 400,000.
const KS_CRITICAL = 1.949 / Math.sqrt(N);

describe('the exponential ziggurat', () => {
  it('has the standard exponential distribution (KS at the 0.1% level)', () => {
    for (const seed of [1, 2, 3]) expect(ks(draws(seed, standardExponential), (x) => 1 - Math.exp(-x))).toBeLessThan(KS_CRITICAL);
  });

  it('has mean 1 and variance 1, and the right mass in the base strip tail beyond R = 7.697', () => {
    const x = draws(7, standardExponential, 2_000_000);
    const n = x.length;
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    // SE of the mean 1/√n; SE of the variance √((μ4 − σ⁴)/n) = √(8/n) (μ4 = 9 for the exponential).
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n));
    // P(X > 7.697) = e^-7.697 ≈ 4.5e-4: ~909 draws, Poisson SE ≈ 30; only the slow path produces them.
    const tail = x.filter((v) => v > 7.697117470131487).length;
    const expected = n * Math.exp(-7.697117470131487);
    expect(Math.abs(tail - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('fills every layer: equal-probability bins pass a chi-square test', () => {
    const x = draws(11, standardExponential);
    const bins = 200;
    const counts = new Float64Array(bins);
    for (const v of x) counts[Math.min(bins - 1, Math.floor((1 - Math.exp(-v)) * bins))]!++;
    const e = x.length / bins;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    // χ²(199) at the 0.1% upper tail ≈ 267.
    expect(chi2).toBeLessThan(267);
  });

  it('is what sampleDelay, exponential() and the Weibull branch draw', () => {
    const packed = Float64Array.from([1, 30, 0]);
    seedRun(5, 9);
    const a = [sampleDelay(packed, 0, 2), exponential(4)];
    seedRun(5, 9);
    const b = [(30 * standardExponential()) / 2, 4 * standardExponential()];
    expect(a).toEqual(b);
    // Weibull(shape k, scale λ) = λ · E^(1/k): KS against 1 − exp(−(x/λ)^k).
    const weibull = Float64Array.from([3, 1.5, 20]);
    expect(ks(draws(13, () => sampleDelay(weibull, 0, 1)), (x) => 1 - Math.exp(-Math.pow(x / 20, 1.5)))).toBeLessThan(KS_CRITICAL);
  });

  it('depends on the seed and run only', () => {
    const first = draws(99, standardExponential, 1000);
    uniform();
    expect(draws(99, standardExponential, 1000)).toEqual(first);
    seedRun(99, 1);
    expect(standardExponential()).not.toBe(first[0]);
  });
});

describe('the normal ziggurat', () => {
  it('fills 200 equal-probability bins of the standard normal evenly (chi-square at the 0.1% level)', () => {
    for (const seed of [1, 2]) {
      const x = draws(seed, standardNormal);
      const bins = 200;
      const edges = Array.from({ length: bins - 1 }, (_, k) => normalQuantile((k + 1) / bins));
      const counts = new Float64Array(bins);
      for (const v of x) {
        let lo = 0;
        let hi = bins - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (v < edges[mid]!) hi = mid;
          else lo = mid + 1;
        }
        counts[lo]!++;
      }
      const e = x.length / bins;
      // χ²(199) at the 0.1% upper tail ≈ 267.
      expect(counts.reduce((a, c) => a + (c - e) ** 2 / e, 0)).toBeLessThan(267);
    }
  });

  it('has mean 0, variance 1, no skew, and the right mass beyond R = 3.4426 on each side', () => {
    const x = draws(3, standardNormal, 2_000_000);
    const n = x.length;
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const skew = x.reduce((a, b) => a + (b - mean) ** 3, 0) / n;
    // SEs: 1/√n for the mean, √(2/n) for the variance, √(15/n) for the third moment (μ6 = 15).
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(skew)).toBeLessThan(4 * Math.sqrt(15 / n));
    // P(Z > 3.4426) = ½ erfc(3.4426/√2) = 2.88054e-4 per side: ~576 draws, Poisson SE ≈ 24; only the tail path produces them.
    const expected = n * 2.88054e-4;
    for (const side of [1, -1]) {
      const tail = x.filter((v) => side * v > 3.442619855899).length;
      expect(Math.abs(tail - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
  });

  it('is what the lognormal branch of sampleDelay draws', () => {
    const packed = Float64Array.from([2, Math.log(60), 0.8]);
    seedRun(4, 2);
    const a = sampleDelay(packed, 0, 3);
    seedRun(4, 2);
    expect(a).toBe(Math.exp(Math.log(60) + 0.8 * standardNormal()) / 3);
  });
});
