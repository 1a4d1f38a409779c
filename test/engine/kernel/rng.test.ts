import { describe, expect, it } from 'vitest';
import { delayAt, exponentialAt, normalAt, RunStreams, STREAM, STREAM_COUNT, uniformAt } from '../../../engine/kernel/rng.js';
import { normalQuantile } from '../../../engine/stats/normal-quantile.js';

/**
 * The random variates at fixed seeds, drawn the way the kernels draw them: one number per entity (member,
 * edge, site) or one per counter of one entity, never a sequence. Every tolerance is a quantile of the
 * statistic's null distribution at the sample size used, at a level (≤ 0.1%) where a correct generator
 * passes whatever the seed and a wrong table, layer, tail or a poorly mixed hash fails by orders of magnitude.
 */
const N = 400_000;

type Draw = (keys: Int32Array, stream: number, entity: number, counter: number) => number;

function keysOf(seed: number, run = 0): Int32Array {
  const streams = new RunStreams();
  streams.seed(seed, run);
  return streams.keys;
}

/** n draws: over entities 0, 1, 2, … at counter 0 (odd seeds), or over counters of entity 12345 (even seeds). */
function draws(seed: number, draw: Draw, n = N, stream: number = STREAM.attempt): Float64Array {
  const keys = keysOf(seed);
  const out = new Float64Array(n);
  if (seed % 2 === 1) for (let i = 0; i < n; i++) out[i] = draw(keys, stream, i, 0);
  else for (let i = 0; i < n; i++) out[i] = draw(keys, stream, 12345, i);
  return out;
}

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
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
    for (const seed of [1, 2, 3]) expect(ks(draws(seed, exponentialAt), (x) => 1 - Math.exp(-x))).toBeLessThan(KS_CRITICAL);
  });

  it('has mean 1 and variance 1, and the right mass in the base strip tail beyond R = 7.697', () => {
    const x = draws(7, exponentialAt, 2_000_000);
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
    const x = draws(11, exponentialAt);
    const bins = 200;
    const counts = new Float64Array(bins);
    for (const v of x) counts[Math.min(bins - 1, Math.floor((1 - Math.exp(-v)) * bins))]!++;
    const e = x.length / bins;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    // χ²(199) at the 0.1% upper tail ≈ 267.
    expect(chi2).toBeLessThan(267);
  });

  it('is what the exponential and Weibull branches of delayAt draw', () => {
    const keys = keysOf(5, 9);
    const packed = Float64Array.from([1, 30, 0]);
    expect(delayAt(packed, 0, 2, keys, STREAM.payload, 17, 3)).toBe((30 * exponentialAt(keys, STREAM.payload, 17, 3)) / 2);
    // Weibull(shape k, scale λ) = λ · E^(1/k): KS against 1 − exp(−(x/λ)^k).
    const weibull = Float64Array.from([3, 1.5, 20]);
    const draw: Draw = (k, stream, entity, counter) => delayAt(weibull, 0, 1, k, stream, entity, counter);
    expect(ks(draws(13, draw), (x) => 1 - Math.exp(-Math.pow(x / 20, 1.5)))).toBeLessThan(KS_CRITICAL);
  });
});

describe('the streams', () => {
  it('are pure functions of (seed, run, stream, entity, counter)', () => {
    const keys = keysOf(99, 4);
    const first = exponentialAt(keys, STREAM.detectCompromised, 321, 0);
    // Any number of other draws in between changes nothing.
    for (let i = 0; i < 1000; i++) uniformAt(keys, STREAM.scanPick, i, i);
    expect(exponentialAt(keysOf(99, 4), STREAM.detectCompromised, 321, 0)).toBe(first);
    expect(exponentialAt(keysOf(99, 5), STREAM.detectCompromised, 321, 0)).not.toBe(first);
    expect(exponentialAt(keysOf(98, 4), STREAM.detectCompromised, 321, 0)).not.toBe(first);
    expect(exponentialAt(keys, STREAM.detectDisrupted, 321, 0)).not.toBe(first);
    expect(exponentialAt(keys, STREAM.detectCompromised, 322, 0)).not.toBe(first);
    expect(exponentialAt(keys, STREAM.detectCompromised, 321, 1)).not.toBe(first);
    // Seeds above 2^32 are seeds of their own.
    expect(uniformAt(keysOf(2 ** 32 + 99, 4), STREAM.detectCompromised, 321, 0)).not.toBe(uniformAt(keysOf(99, 4), STREAM.detectCompromised, 321, 0));
  });

  // Under independence a sample correlation of n pairs has SE ≈ 1/√n; 4.5 SE is beyond the 1e-5 level.
  const limit = 4.5 / Math.sqrt(N);

  it('are uncorrelated between neighbouring entities, neighbouring counters, streams and runs', () => {
    const u = (seed: number, run: number, stream: number, entity: (i: number) => number, counter: (i: number) => number): Float64Array => {
      const keys = keysOf(seed, run);
      return Float64Array.from({ length: N }, (_, i) => uniformAt(keys, stream, entity(i), counter(i)));
    };
    const byEntity = u(3, 0, STREAM.attempt, (i) => i, () => 0);
    const nextEntity = u(3, 0, STREAM.attempt, (i) => i + 1, () => 0);
    expect(Math.abs(correlation(byEntity, nextEntity))).toBeLessThan(limit);
    const nextCounter = u(3, 0, STREAM.attempt, (i) => i, () => 1);
    expect(Math.abs(correlation(byEntity, nextCounter))).toBeLessThan(limit);
    for (let stream = 0; stream < STREAM_COUNT; stream++) {
      if (stream === STREAM.attempt) continue;
      expect(Math.abs(correlation(byEntity, u(3, 0, stream, (i) => i, () => 0)))).toBeLessThan(limit);
    }
    expect(Math.abs(correlation(byEntity, u(3, 1, STREAM.attempt, (i) => i, () => 0)))).toBeLessThan(limit);
    expect(Math.abs(correlation(byEntity, u(4, 0, STREAM.attempt, (i) => i, () => 0)))).toBeLessThan(limit);
  });

  it('fill the unit square evenly: pairs of neighbouring entities in 32 × 32 cells (chi-square at the 0.1% level)', () => {
    for (const seed of [1, 2]) {
      const keys = keysOf(seed);
      const cells = new Float64Array(32 * 32);
      for (let i = 0; i < N; i++) {
        const x = Math.floor(uniformAt(keys, STREAM.entryMember, 2 * i, 0) * 32);
        const y = Math.floor(uniformAt(keys, STREAM.entryMember, 2 * i + 1, 0) * 32);
        cells[x * 32 + y]!++;
      }
      const e = N / cells.length;
      // χ²(1023) at the 0.1% upper tail ≈ 1168.
      expect(cells.reduce((a, c) => a + (c - e) ** 2 / e, 0)).toBeLessThan(1168);
    }
  });
});

describe('the normal ziggurat', () => {
  it('fills 200 equal-probability bins of the standard normal evenly (chi-square at the 0.1% level)', () => {
    for (const seed of [1, 2]) {
      const x = draws(seed, normalAt);
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
    const x = draws(3, normalAt, 2_000_000);
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

  it('is what the lognormal branch of delayAt draws', () => {
    const keys = keysOf(4, 2);
    const packed = Float64Array.from([2, Math.log(60), 0.8]);
    expect(delayAt(packed, 0, 3, keys, STREAM.response, 5, 1)).toBe(Math.exp(Math.log(60) + 0.8 * normalAt(keys, STREAM.response, 5, 1)) / 3);
  });
});
