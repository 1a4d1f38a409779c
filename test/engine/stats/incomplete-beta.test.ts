import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../../engine/stats/incomplete-beta.js';

describe('regularizedIncompleteBeta', () => {
  it('matches reference values on both sides of the continued fraction switch', () => {
    // scipy.special.betainc(a, b, x)
    const cases: [number, number, number, number][] = [
      [0.3, 2.5, 0.5, 0.018927124071945658],
      [0.01, 0.5, 30, 0.560665631094749],
      [0.4, 200, 300, 0.5024286163199315],
    ];
    for (const [x, a, b, expected] of cases) expect(Math.abs(regularizedIncompleteBeta(x, a, b) / expected - 1)).toBeLessThan(1e-12);
  });

  it('is x itself for a = b = 1, and 0 and 1 at the ends', () => {
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 15);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('satisfies the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [x, a, b] of [[0.2, 3, 7], [0.9, 0.5, 4.5], [0.55, 12, 11]] as const) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 13);
    }
  });
});
