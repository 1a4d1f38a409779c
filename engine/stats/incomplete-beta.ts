import { logBeta } from './log-gamma.js';

/**
 * The regularized incomplete beta function I_x(a, b), evaluated by its continued fraction with the
 * modified Lentz method (Press, Teukolsky, Vetterling & Flannery, Numerical Recipes, 3rd ed., 2007,
 * §6.4 and §5.2). The fraction converges fast for x < (a + 1)/(a + b + 2); beyond that the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) is used. Callers pass both x and y = 1 − x, computed from their own
 * terms, because forming 1 − x here would lose the digits of a small y (the t distribution's centre).
 */

const EPSILON = 4e-16; // two ulps of 1: a tighter test can oscillate forever
const TINY = 1e-300;
const MAX_TERMS = 10_000; // enough for a, b up to ~1e7: the fraction needs O(√max(a, b)) terms

export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * continuedFraction(y, b, a)) / b;
}

function continuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m;
    // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPSILON) return h;
  }
  return h; // not converged within MAX_TERMS: only for shape parameters far beyond what the t quantile uses
}
