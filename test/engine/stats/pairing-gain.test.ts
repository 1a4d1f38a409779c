import { describe, expect, it } from 'vitest';
import { pairedComparison } from '../../../engine/stats/paired.js';
import { medianPairingGain, pairingGain, type PairingGain } from '../../../engine/stats/pairing-gain.js';
import { sd } from '../../../engine/stats/summary.js';
import { normals } from './draws.js';

describe('pairingGain', () => {
  it('is the paired over the unpaired half-width, near √(1 − ρ) for equal spreads', () => {
    // A ~ N(10, 3²), B = A + N(0, 1²) − 0.5 shares A's randomness: sd(B − A) = 1, √(sdA² + sdB²) = √(9 + 10) = 4.36.
    const n = 1000;
    const a = normals(71, n, 10, 3);
    const noise = normals(72, n, 0, 1);
    const b = a.map((x, i) => x - 0.5 + noise[i]!);
    const comparison = pairedComparison(a, b);
    const gain = pairingGain(comparison);
    expect(gain.kind).toBe('varying');
    expect(gain.pairedOverUnpaired).toBe(comparison.paired.halfWidth / comparison.unpaired.halfWidth);
    expect(gain.correlation).toBe(comparison.correlation);
    // The standard-error ratio (the definition of shared/tools/crn-ratio.mjs) differs only by t_{n−1} / t_ν.
    const sdRatio = sd(b.map((y, i) => y - a[i]!)) / Math.sqrt(sd(a) ** 2 + sd(b) ** 2);
    expect(gain.pairedOverUnpaired! / sdRatio).toBeGreaterThanOrEqual(1);
    expect(gain.pairedOverUnpaired! / sdRatio).toBeLessThan(1.001);
    // 1 / 4.36 = 0.229; each sd is within ~5% at n = 1000.
    expect(gain.pairedOverUnpaired!).toBeGreaterThan(0.2);
    expect(gain.pairedOverUnpaired!).toBeLessThan(0.26);
  });

  it('is about 1 for independent regimes', () => {
    const gain = pairingGain(pairedComparison(normals(73, 2000, 5, 2), normals(74, 2000, 5, 2)));
    expect(gain.kind).toBe('varying');
    // sd of the ratio ≈ √(1/(2n)) for ρ ≈ 0: 0.016; 4 sd.
    expect(Math.abs(gain.pairedOverUnpaired! - 1)).toBeLessThan(0.064);
    expect(Math.abs(gain.correlation!)).toBeLessThan(0.09);
  });

  it('says why there is no ratio instead of returning NaN', () => {
    const same = pairingGain(pairedComparison([1, 2, 3, 5], [1, 2, 3, 5]));
    expect(same).toEqual({ kind: 'identical', pairedOverUnpaired: null, correlation: 1 });
    expect(pairingGain(pairedComparison([1, 2, 3, 5], [3, 4, 5, 7]))).toEqual({ kind: 'same-difference', pairedOverUnpaired: null, correlation: 1 });
    expect(pairingGain(pairedComparison([4, 4, 4], [4, 4, 4]))).toEqual({ kind: 'identical', pairedOverUnpaired: null, correlation: null });
    expect(pairingGain(pairedComparison([4, 4, 4], [0, 0, 0]))).toEqual({ kind: 'constant', pairedOverUnpaired: null, correlation: null });
  });

  it('takes a difference that moves only in its 14th digit as the same in every run', () => {
    // B − A is −30 in every run but for round-off (the trial's "2.1e-15, r 1.00").
    const a = [100.1, 250.7, 77.3, 412.9];
    const b = a.map((x, i) => x - 30 + (i % 2 ? 4e-14 : -4e-14));
    expect(pairedComparison(a, b).sdDifference).toBeGreaterThan(0);
    expect(pairingGain(pairedComparison(a, b))).toEqual({ kind: 'same-difference', pairedOverUnpaired: null, correlation: expect.any(Number) });
    // And one that is 0 but for round-off is identical; a constant regime with a 14th-digit spread is constant.
    expect(pairingGain(pairedComparison(a, a.map((x, i) => x + (i % 2 ? 1e-14 : -1e-14)))).kind).toBe('identical');
    expect(pairingGain(pairedComparison([5, 5 + 1e-14, 5, 5 - 1e-14], [1, 3, 0, 2])).kind).toBe('a-constant');
    // A real difference of a millionth still varies.
    expect(pairingGain(pairedComparison(a, a.map((x, i) => x + i * 1e-6))).kind).toBe('varying');
  });

  it('gives no correlation over 2 runs, where it is ±1 whatever the regimes do', () => {
    const two = pairingGain(pairedComparison([1, 2], [1, 5]));
    expect(two.kind).toBe('varying');
    expect(two.pairedOverUnpaired).toBeGreaterThan(0);
    expect(two.correlation).toBeNull();
    expect(pairingGain(pairedComparison([1, 2, 4], [1, 5, 2])).correlation).not.toBeNull();
  });

  it('gives 1 with no correlation when one regime never varies', () => {
    const aConstant = pairingGain(pairedComparison([2, 2, 2, 2], [1, 3, 0, 2]));
    expect(aConstant.kind).toBe('a-constant');
    expect(aConstant.pairedOverUnpaired).toBeCloseTo(1, 12);
    expect(aConstant.correlation).toBeNull();
    expect(pairingGain(pairedComparison([1, 3, 0, 2], [0, 0, 0, 0])).kind).toBe('b-constant');
  });
});

describe('medianPairingGain', () => {
  const varying = (r: number): PairingGain => ({ kind: 'varying', pairedOverUnpaired: r, correlation: 0.5 });

  it('takes the median over varying comparisons only', () => {
    const gains: PairingGain[] = [
      varying(0.4),
      varying(0.1),
      varying(0.9),
      varying(0.2),
      { kind: 'a-constant', pairedOverUnpaired: 1, correlation: null },
      { kind: 'identical', pairedOverUnpaired: null, correlation: 1 },
      { kind: 'constant', pairedOverUnpaired: null, correlation: null },
    ];
    const { median, over } = medianPairingGain(gains);
    expect(median).toBeCloseTo(0.3, 15); // type 7: halfway between 0.2 and 0.4
    expect(over).toBe(4);
    expect(medianPairingGain(gains.slice(0, 3))).toEqual({ median: 0.4, over: 3 });
  });

  it('is null when nothing varies', () => {
    expect(medianPairingGain([{ kind: 'identical', pairedOverUnpaired: null, correlation: 1 }])).toEqual({ median: null, over: 0 });
    expect(medianPairingGain([])).toEqual({ median: null, over: 0 });
  });
});
