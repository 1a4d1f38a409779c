import { describe, expect, it } from 'vitest';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from '../../../engine/stats/errors.js';
import { pairedComparison } from '../../../engine/stats/paired.js';
import { sd } from '../../../engine/stats/summary.js';
import { normals, uniforms } from './draws.js';

describe('pairedComparison', () => {
  it('matches scipy ttest_rel and Welch ttest_ind intervals on a small example', () => {
    const a = [12.1, 9.8, 15.3, 11.0, 8.7, 13.4, 10.2, 14.8];
    const b = [11.5, 9.9, 14.1, 10.2, 8.0, 12.9, 9.1, 14.0];
    const result = pairedComparison(a, b);
    expect(result.n).toBe(8);
    expect(result.meanDifference).toBeCloseTo(-0.7, 13);
    expect(result.sdDifference).toBeCloseTo(0.4, 13);
    expect(result.correlation).toBeCloseTo(0.9868409938533041, 13);
    // scipy.stats.ttest_rel(b, a).confidence_interval()
    expect(result.paired.lo).toBeCloseTo(-1.0344083686518848, 12);
    expect(result.paired.hi).toBeCloseTo(-0.3655916313481156, 12);
    expect(result.paired.df).toBe(7);
    // scipy.stats.ttest_ind(b, a, equal_var=False): interval and Welch–Satterthwaite df
    expect(result.unpaired.lo).toBeCloseTo(-3.2185298561132702, 12);
    expect(result.unpaired.hi).toBeCloseTo(1.8185298561132646, 12);
    expect(result.unpaired.df).toBeCloseTo(13.961742117462842, 11);
    expect(result.relativeChange).toBeCloseTo(-0.7 / result.meanA, 14);
  });

  it('is far narrower than the unpaired interval under common random numbers', () => {
    // A: N(10, 3²) per run; B shares the run's randomness: B = A − 0.5 + N(0, 0.5²), so corr ≈ 0.986.
    // The paired half-width scales with sd(B − A) = 0.5, the unpaired one with √(9 + 9.25) = 4.27: a
    // ratio of ~8.5. Asserting 4× leaves room for sampling error in both sds (each within ~5% at n = 1000).
    const n = 1000;
    const a = normals(61, n, 10, 3);
    const noise = normals(62, n, 0, 0.5);
    const b = a.map((x, i) => x - 0.5 + noise[i]!);
    const result = pairedComparison(a, b);
    expect(result.paired.halfWidth * 4).toBeLessThan(result.unpaired.halfWidth);
    // SE of the mean difference is 0.5/√1000 = 0.0158; tolerance 4 SE.
    expect(Math.abs(result.meanDifference + 0.5)).toBeLessThan(0.064);
    expect(result.meanDifference).toBeCloseTo(result.meanB - result.meanA, 12);
    expect(result.sdDifference).toBeCloseTo(sd(b.map((y, i) => y - a[i]!)), 12);
    expect(result.correlation).toBeGreaterThan(0.98);
    // Both intervals are centred on the same difference.
    expect((result.paired.lo + result.paired.hi) / 2).toBeCloseTo((result.unpaired.lo + result.unpaired.hi) / 2, 10);
  });

  it('loses nothing to a large common offset (times since an epoch)', () => {
    const a = normals(63, 500, 0, 2);
    const noise = normals(64, 500, 0, 0.1);
    const b = a.map((x, i) => x + 0.25 + noise[i]!);
    const near = pairedComparison(a, b);
    const far = pairedComparison(a.map((x) => 1e9 + x), b.map((y) => 1e9 + y));
    // Inputs near 1e9 are themselves rounded to 1.2e-7, which moves each difference by up to ~1e-7.
    expect(far.meanDifference).toBeCloseTo(near.meanDifference, 6);
    expect(far.sdDifference / near.sdDifference).toBeCloseTo(1, 5);
    expect(far.unpaired.halfWidth / near.unpaired.halfWidth).toBeCloseTo(1, 9);
    expect(far.correlation).toBeCloseTo(near.correlation, 9);
    expect(far.meanA - 1e9).toBeCloseTo(near.meanA, 6);
  });

  it('reads regime columns from runs × metrics arrays', () => {
    const a = new Float64Array([1, 10, 2, 20, 3, 30]);
    const b = new Float64Array([0, 11, 0, 23, 0, 32]);
    const result = pairedComparison(a, b, { columnA: { offset: 1, stride: 2 }, columnB: { offset: 1, stride: 2 } });
    expect(result.meanDifference).toBeCloseTo(2, 14);
    expect(result.meanA).toBeCloseTo(20, 14);
  });

  it('handles identical regimes and rejects misaligned or too few runs', () => {
    const same = pairedComparison([1, 2, 3], [1, 2, 3]);
    expect(same.paired).toMatchObject({ lo: 0, hi: 0, halfWidth: 0 });
    expect(pairedComparison([0, 0], [1, 2]).relativeChange).toBeNaN();
    expect(() => pairedComparison([1, 2, 3], [1, 2])).toThrow(InvalidArgumentStatsError);
    expect(() => pairedComparison([1], [2])).toThrow(InsufficientDataStatsError);
    expect(() => pairedComparison([1, NaN], [2, 3])).toThrow(InvalidArgumentStatsError);
  });

  it('gives a count no run changes on average a mean difference of exactly 0 (a running mean left 5.6e-17)', () => {
    const differences = [3, -1, -1, -1, 2, -2, 0, 1, -1];
    const a = differences.map(() => 5);
    const b = differences.map((d) => 5 + d);
    const result = pairedComparison(a, b);
    expect(result.meanDifference).toBe(0);
    expect(result.paired.lo).toBe(-result.paired.hi);
  });

  describe('a share of runs (0 or 1 in every run): Newcombe’s score intervals', () => {
    /** Runs of A and B from a 2×2 table: both 1, only A, only B, neither. */
    const runs = (both: number, onlyA: number, onlyB: number, neither: number) => {
      const a: number[] = [];
      const b: number[] = [];
      const add = (count: number, x: number, y: number) => {
        for (let i = 0; i < count; i++) {
          a.push(x);
          b.push(y);
        }
      };
      add(both, 1, 1);
      add(onlyA, 1, 0);
      add(onlyB, 0, 1);
      add(neither, 0, 0);
      return [a, b] as const;
    };

    it('matches the published paired and unpaired intervals', () => {
      // Cavo et al. (2012) as Fagerland, Lydersen & Laake (2017) §8.5 analyse it: 59 both, 6 before only,
      // 16 after only, 80 neither; Newcombe square-and-add −0.0621 (−0.1186 to −0.0046) for before − after
      // (the contingencytables package's tests), so +0.0621 (0.0046 to 0.1186) for B − A.
      const [a, b] = runs(59, 6, 16, 80);
      const paired = pairedComparison(a, b, { share: true });
      expect(paired.meanDifference).toBeCloseTo(10 / 161, 12);
      expect(paired.paired.lo).toBeCloseTo(0.0046, 4);
      expect(paired.paired.hi).toBeCloseTo(0.1186, 4);
      expect(paired.paired.df).toBe(Infinity);
      // Perondi et al. (2004), the same book §4.5: 7 of 34 against 1 of 34, Newcombe hybrid score 0.1765
      // (0.0189 to 0.3404); the unpaired interval reads only each regime's share.
      const [c, d] = runs(0, 1, 7, 26);
      const unpaired = pairedComparison(c, d, { share: true }).unpaired;
      expect(unpaired.lo).toBeCloseTo(0.0189, 4);
      expect(unpaired.hi).toBeCloseTo(0.3404, 4);
    });

    it('stays within ±1 where the t interval passes it, and is not a point when no run differs', () => {
      const [a, b] = runs(0, 0, 4, 1);
      expect(pairedComparison(a, b).paired.hi).toBeGreaterThan(1);
      const share = pairedComparison(a, b, { share: true });
      expect(share.paired.hi).toBeLessThanOrEqual(1);
      expect(share.unpaired.hi).toBeLessThanOrEqual(1);
      expect(share.paired.lo).toBeGreaterThan(0);
      // 200 runs, none differing: the t interval is [0, 0]; the score interval says how large a difference
      // 200 runs could miss.
      const [c, d] = runs(30, 0, 0, 170);
      const same = pairedComparison(c, d, { share: true }).paired;
      expect(same.lo).toBeLessThan(0);
      expect(same.hi).toBeGreaterThan(0);
      expect(same.hi).toBeLessThan(0.05);
    });

    it('covers the true difference about 95% of the time on correlated runs', () => {
      // 2,000 seeded batches of 100 paired runs: P(A) = 0.3, P(B) = 0.4, P(B | A) = 0.743 and P(B | not A) =
      // 0.253 (a correlation of 0.46). The coverage's standard error over 2,000 batches is 0.5 points, so
      // 93–97% is four of them either side of 95%.
      const u = uniforms(71, 2000 * 100 * 2);
      let covered = 0;
      for (let batch = 0; batch < 2000; batch++) {
        const a: number[] = [];
        const b: number[] = [];
        for (let r = 0; r < 100; r++) {
          const x = u[(batch * 100 + r) * 2]!;
          const y = u[(batch * 100 + r) * 2 + 1]!;
          const inA = x < 0.3;
          const inB = inA ? y < 0.743 : y < (0.4 - 0.3 * 0.743) / 0.7;
          a.push(inA ? 1 : 0);
          b.push(inB ? 1 : 0);
        }
        const { paired } = pairedComparison(a, b, { share: true });
        if (paired.lo <= 0.1 && 0.1 <= paired.hi) covered++;
      }
      // 95.5% with seed 71 (the t interval: 95.4%; it differs at the edges, tested above).
      expect(covered / 2000).toBeGreaterThan(0.93);
      expect(covered / 2000).toBeLessThan(0.97);
    });

    it('keeps the t intervals for a metric that is not 0 or 1 in every run', () => {
      const a = [0, 1, 0.5, 1];
      const b = [1, 1, 1, 0];
      expect(pairedComparison(a, b, { share: true })).toEqual(pairedComparison(a, b));
    });
  });
});
