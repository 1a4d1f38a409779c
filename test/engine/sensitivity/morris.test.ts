import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { elementaryEffects, InvalidArgumentSensitivityError, morrisDesign, valueAt, type MorrisDesign, type ParameterRange } from '../../../engine/sensitivity/index.js';

const rng = (seed: number) => seedrandom.alea(`morris-test/${seed}`);

/** The model evaluated at every design point, each factor mapped onto its range. */
function evaluate(design: MorrisDesign, ranges: ParameterRange[], model: (x: number[]) => number): Float64Array {
  const k = design.factors;
  const rows = design.points.length / k;
  return Float64Array.from({ length: rows }, (_, p) => model(ranges.map((r, i) => valueAt(r, design.points[p * k + i]!))));
}

const linear = (low: number, high: number): ParameterRange => ({ low, high, scale: 'linear', integer: false });

describe('morrisDesign', () => {
  it('moves every factor once per trajectory, by ±Δ on the p-level grid, inside the unit cube', () => {
    const k = 5;
    const p = 4;
    const design = morrisDesign(k, { trajectories: 30, levels: p }, rng(1));
    expect(design.delta).toBeCloseTo(2 / 3, 15);
    expect(design.points.length).toBe(30 * (k + 1) * k);
    for (let t = 0; t < 30; t++) {
      expect([...design.changed.subarray(t * k, (t + 1) * k)].sort()).toEqual([0, 1, 2, 3, 4]);
      for (let j = 0; j < k; j++) {
        const a = (t * (k + 1) + j) * k;
        const b = a + k;
        for (let i = 0; i < k; i++) {
          const d = design.points[b + i]! - design.points[a + i]!;
          if (i === design.changed[t * k + j]) expect(Math.abs(d)).toBeCloseTo(design.delta, 14);
          else expect(d).toBe(0);
        }
      }
    }
    for (const x of design.points) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(x * (p - 1)).toBeCloseTo(Math.round(x * (p - 1)), 12);
    }
  });

  it('visits the levels equally often (p even): each of 4 levels about a quarter of the time', () => {
    const k = 4;
    const design = morrisDesign(k, { trajectories: 500, levels: 4 }, rng(2));
    const counts = [0, 0, 0, 0];
    for (const x of design.points) counts[Math.round(x * 3)]!++;
    // Each share is 1/4 by symmetry; the points of one trajectory are dependent, so allow ±2 points.
    for (const c of counts) expect(Math.abs(c / design.points.length - 0.25)).toBeLessThan(0.02);
  });

  it('is the same design for the same seed, and another for another', () => {
    const a = morrisDesign(6, { trajectories: 5, levels: 6, candidates: 20 }, rng(3));
    const b = morrisDesign(6, { trajectories: 5, levels: 6, candidates: 20 }, rng(3));
    const c = morrisDesign(6, { trajectories: 5, levels: 6, candidates: 20 }, rng(4));
    expect(b).toEqual(a);
    expect(c.points).not.toEqual(a.points);
  });

  it('keeps the most spread-out trajectories of the candidates (Campolongo et al. 2007)', () => {
    // Their criterion: Σ over pairs of trajectories of d², d the sum of Euclidean distances between their points.
    const spread = (d: MorrisDesign) => {
      const k = d.factors;
      const point = (t: number, j: number) => d.points.subarray((t * (k + 1) + j) * k, (t * (k + 1) + j + 1) * k);
      let sum = 0;
      for (let a = 0; a < d.trajectories; a++) {
        for (let b = a + 1; b < d.trajectories; b++) {
          let distance = 0;
          for (let p = 0; p <= k; p++) for (let q = 0; q <= k; q++) distance += Math.hypot(...point(a, p).map((x, i) => x - point(b, q)[i]!));
          sum += distance ** 2;
        }
      }
      return sum;
    };
    const plain = morrisDesign(4, { trajectories: 6, levels: 4 }, rng(5));
    const chosen = morrisDesign(4, { trajectories: 6, levels: 4, candidates: 60 }, rng(5));
    expect(chosen.trajectories).toBe(6);
    expect(spread(chosen)).toBeGreaterThan(spread(plain));
    // And than each of ten designs drawn without it.
    for (let seed = 100; seed < 110; seed++) expect(spread(chosen)).toBeGreaterThan(spread(morrisDesign(4, { trajectories: 6, levels: 4 }, rng(seed))));
  });

  it('refuses odd levels, a single trajectory and too few candidates', () => {
    expect(() => morrisDesign(3, { trajectories: 4, levels: 3 }, rng(6))).toThrow(InvalidArgumentSensitivityError);
    expect(() => morrisDesign(3, { trajectories: 1, levels: 4 }, rng(6))).toThrow(InvalidArgumentSensitivityError);
    expect(() => morrisDesign(3, { trajectories: 4, levels: 4, candidates: 3 }, rng(6))).toThrow(InvalidArgumentSensitivityError);
    expect(() => morrisDesign(0, { trajectories: 4, levels: 4 }, rng(6))).toThrow(InvalidArgumentSensitivityError);
  });
});

describe('elementaryEffects', () => {
  it('gives μ* = |coefficient| × range and σ = 0 for an additive linear model, and 0 for a factor with no effect', () => {
    const ranges = [linear(0, 10), linear(5, 7), linear(-1, 1), linear(100, 200)];
    const coefficients = [3, -4, 0, 0.5];
    const design = morrisDesign(4, { trajectories: 8, levels: 4, candidates: 40 }, rng(7));
    const values = evaluate(design, ranges, (x) => 1 + x.reduce((s, xi, i) => s + coefficients[i]! * xi, 0));
    const indices = elementaryEffects(design, { values });
    indices.forEach((index, i) => {
      const expected = coefficients[i]! * (ranges[i]!.high - ranges[i]!.low);
      expect(index.muStar).toBeCloseTo(Math.abs(expected), 9);
      expect(index.mu).toBeCloseTo(expected, 9);
      expect(index.sigma).toBeCloseTo(0, 9);
      expect(index.effects).toBe(8);
      expect(Number.isNaN(index.standardError)).toBe(true);
    });
    expect(indices[2]!.muStar).toBe(0);
  });

  it('counts a round-off rise as no effect and keeps a small real one (docs/sensitivity.md "No effect in any run")', () => {
    // Factor 1 moves the mean in its 15th digit, as a sum taken in another order does; factor 0 by 1e-6 of it.
    const unit = [linear(0, 1), linear(0, 1)];
    const design = morrisDesign(2, { trajectories: 6, levels: 4, candidates: 20 }, rng(9));
    const [small, noise] = elementaryEffects(design, { values: evaluate(design, unit, (x) => 6321.1 * (1 + 1e-6 * x[0]! + 3e-15 * x[1]!)) });
    expect(noise!.muStar).toBe(0);
    expect(noise!.effects).toBe(6);
    expect(small!.muStar).toBeCloseTo(6321.1e-6, 12);
  });

  it('separates μ from μ* for a non-monotone factor, and gives interacting factors σ > 0', () => {
    // y = (x0 − ½)² + x1·x2 on the unit cube: x0 goes up then down (μ ≈ 0 < μ*), x1 and x2 interact.
    const unit = [linear(0, 1), linear(0, 1), linear(0, 1), linear(0, 1)];
    const design = morrisDesign(4, { trajectories: 40, levels: 4 }, rng(8));
    const [x0, x1, x2, x3] = elementaryEffects(design, { values: evaluate(design, unit, (x) => (x[0]! - 0.5) ** 2 + x[1]! * x[2]!) });
    // From x = 0 or 1/3 to x + 2/3: effects ±1/3 exactly, so μ* = 1/3 and |μ| well below it.
    expect(x0!.muStar).toBeCloseTo(1 / 3, 12);
    expect(Math.abs(x0!.mu)).toBeLessThan(x0!.muStar / 2);
    for (const x of [x1!, x2!]) {
      expect(x.sigma).toBeGreaterThan(0.2);
      // The effect of x1 is x2's value, ~ uniform over the levels: mean ½.
      expect(x.mu).toBeGreaterThan(0.3);
      expect(x.mu).toBeLessThan(0.7);
    }
    expect(x3).toMatchObject({ muStar: 0, mu: 0, sigma: 0 });
  });

  it('uses the coordinates that really ran (an integer factor), skips undefined outcomes, and averages step errors', () => {
    const design = morrisDesign(2, { trajectories: 4, levels: 4 }, rng(9));
    const staff: ParameterRange = { low: 1.5, high: 6, scale: 'linear', integer: true };
    const values = evaluate(design, [staff, linear(0, 1)], (x) => 10 * x[0]!);
    // Realised: the rounded staff counts, mapped back to unit coordinates.
    const coordinates = design.points.map((u, n) => (n % 2 === 0 ? (valueAt(staff, u) - staff.low) / (staff.high - staff.low) : u));
    const exact = elementaryEffects(design, { values, coordinates });
    expect(exact[0]!.muStar).toBeCloseTo(10 * (staff.high - staff.low), 9);
    values[0] = NaN;
    const stepErrors = new Float64Array(design.changed.length).fill(0.5);
    const holed = elementaryEffects(design, { values, coordinates, stepErrors });
    expect(holed[0]!.effects + holed[1]!.effects).toBe(7);
    // A step error of 0.5 over a unit step of 2/3: 0.75 per effect of the continuous factor.
    expect(holed[1]!.standardError).toBeCloseTo(0.75, 12);
  });

  it('refuses outcomes of the wrong length', () => {
    const design = morrisDesign(2, { trajectories: 2, levels: 4 }, rng(10));
    expect(() => elementaryEffects(design, { values: new Float64Array(5) })).toThrow(InvalidArgumentSensitivityError);
    expect(() => elementaryEffects(design, { values: new Float64Array(6), stepErrors: new Float64Array(3) })).toThrow(InvalidArgumentSensitivityError);
  });
});
