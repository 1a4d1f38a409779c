import seedrandom from 'seedrandom';

/** Seeded samples from known distributions for the statistics tests (Alea via seedrandom; never Math.random). */

export function uniforms(seed: number, n: number): Float64Array {
  const random = seedrandom.alea(`stats-test/${seed}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = random.double();
  return out;
}

/** N(mean, sd²) by Box–Muller. */
export function normals(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const u = uniforms(seed, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - u[2 * i]!)) * Math.cos(2 * Math.PI * u[2 * i + 1]!);
  }
  return out;
}

/** Exp(rate) by inversion. */
export function exponentials(seed: number, n: number, rate = 1): Float64Array {
  const u = uniforms(seed, n);
  return u.map((x) => -Math.log1p(-x) / rate);
}
