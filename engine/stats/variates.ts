/**
 * Draws from the normal, gamma and beta distributions given a uniform source on [0, 1) (d3-random's
 * convention: the source is passed in, never taken from a global). Used by the bootstrap; kept apart so
 * each sampler can be checked against its known mean and variance.
 */

/** A source of uniform numbers in [0, 1). */
export type UniformSource = () => number;

/** N(0, 1) by Box–Muller (one of the pair; the other is dropped to keep the function stateless). */
export function standardNormal(random: UniformSource): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Gamma(shape, 1) for shape ≥ 1 by Marsaglia & Tsang ("A simple method for generating gamma variables",
 * ACM TOMS 26(3), 2000): a squeezed rejection from a cubed normal that accepts ~98% of proposals at any
 * shape, so the cost does not grow with it.
 */
export function gammaVariate(random: UniformSource, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = 1 - random(); // (0, 1], so its log is finite
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) for a, b ≥ 1 as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaVariate(random: UniformSource, a: number, b: number): number {
  const x = gammaVariate(random, a);
  return x / (x + gammaVariate(random, b));
}
