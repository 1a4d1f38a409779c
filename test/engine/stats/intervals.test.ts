import { describe, expect, it } from 'vitest';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { meanInterval, meanIntervalOf, wilsonInterval } from '../../../engine/stats/intervals.js';
import { exponentials, normals } from './draws.js';

const SAMPLE = [4.0, 8.5, 1.25, 6.0, 3.5, 9.75, 2.0, 5.5, 7.0, 0.5, 12.0];

describe('meanInterval', () => {
  it('matches scipy.stats.t.interval on a small sample', () => {
    const ci95 = meanInterval(SAMPLE);
    expect(ci95.estimate).toBeCloseTo(5.454545454545454, 14);
    expect(ci95.lo).toBeCloseTo(3.001271095162683, 12);
    expect(ci95.hi).toBeCloseTo(7.907819813928225, 12);
    expect(ci95.df).toBe(10);
    expect(ci95.halfWidth).toBeCloseTo(ci95.hi - ci95.estimate, 14);
    const ci90 = meanInterval(SAMPLE, { level: 0.9 });
    expect(ci90.lo).toBeCloseTo(3.458949715075181, 12);
    expect(ci90.hi).toBeCloseTo(7.4501411940157265, 12);
  });

  it('covers the true mean of normal samples 95% of the time, even at n = 10', () => {
    // 4,000 samples of n = 10 from N(3, 2²). If coverage is 0.95 the count covered is Binomial(4000, 0.95):
    // SE of the rate √(0.95·0.05/4000) = 0.0034, tolerance 4 SE = 0.0138. A normal (z) interval would
    // cover only P(|t₉| < 1.96) = 0.918 here, well outside the tolerance, so this also checks the t quantile.
    const samples = 4000;
    const n = 10;
    const draws = normals(11, samples * n, 3, 2);
    let covered = 0;
    for (let s = 0; s < samples; s++) {
      const { lo, hi } = meanInterval(draws, { offset: s * n, count: n });
      if (lo <= 3 && 3 <= hi) covered++;
    }
    expect(Math.abs(covered / samples - 0.95)).toBeLessThan(0.0138);
  });

  it('covers the mean of a skewed Exp(1) metric near nominal at n = 200', () => {
    // Skewness shifts t-interval coverage by O(1/√n); at n = 200 it is 0.9456 (200,000 numpy samples). Same binomial
    // tolerance as above (2,000 samples: SE 0.0049, 4 SE = 0.0195).
    const samples = 2000;
    const n = 200;
    const draws = exponentials(12, samples * n);
    let covered = 0;
    for (let s = 0; s < samples; s++) {
      const { lo, hi } = meanInterval(draws, { offset: s * n, count: n });
      if (lo <= 1 && 1 <= hi) covered++;
    }
    expect(Math.abs(covered / samples - 0.945)).toBeLessThan(0.0195);
  });

  it('is a point for a constant metric and needs two values', () => {
    expect(meanInterval([4, 4, 4])).toMatchObject({ estimate: 4, lo: 4, hi: 4, halfWidth: 0 });
    expect(() => meanInterval([4])).toThrow(InsufficientDataStatsError);
    expect(() => meanIntervalOf({ n: 1, mean: 4, variance: NaN })).toThrow(InsufficientDataStatsError);
    expect(() => meanInterval(SAMPLE, { level: 1 })).toThrow(InvalidArgumentStatsError);
  });
});

describe('wilsonInterval', () => {
  it('matches textbook values', () => {
    // Newcombe (Stat. Med. 17, 1998) and most texts: 0/10 → [0, 0.2775], 5/10 → [0.2366, 0.7634] at 95%;
    // the rest from the closed form at full precision.
    const none = wilsonInterval(0, 10);
    expect(none.lo).toBe(0);
    expect(none.hi).toBeCloseTo(0.2775327998628892, 13);
    const half = wilsonInterval(5, 10);
    expect(half.lo).toBeCloseTo(0.236593090512564, 13);
    expect(half.hi).toBeCloseTo(0.7634069094874361, 13);
    expect(half.estimate).toBe(0.5);
    const some = wilsonInterval(81, 263);
    expect(some.lo).toBeCloseTo(0.2552885198782742, 13);
    expect(some.hi).toBeCloseTo(0.36620957698280004, 13);
    expect(wilsonInterval(10, 10).hi).toBe(1);
  });

  it('narrows with a lower level and rejects impossible counts', () => {
    const ci80 = wilsonInterval(1, 20, 0.8);
    const ci95 = wilsonInterval(1, 20);
    expect(ci95.lo).toBeCloseTo(0.008881448800795402, 13);
    expect(ci95.hi).toBeCloseTo(0.23613119344674205, 13);
    expect(ci80.lo).toBeGreaterThan(ci95.lo);
    expect(ci80.hi).toBeLessThan(ci95.hi);
    expect(() => wilsonInterval(11, 10)).toThrow(InvalidArgumentStatsError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(InvalidArgumentStatsError);
    expect(() => wilsonInterval(0, 0)).toThrow(InvalidArgumentStatsError);
  });
});
