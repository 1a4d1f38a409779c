import seedrandom from 'seedrandom';

/**
 * Seeded randomness for the built-in twin generators. A generator never touches Math.random: it derives
 * named streams from its seed and hands them to the building blocks, so a trust's draws depend only on
 * (seed, stream name) and not on how many draws other trusts made before it. V8 computes Math.log, exp and
 * cos in software (its fdlibm port), so derived draws are the same on every platform too.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Alea (Baagøe), via seedrandom: fast, small state, passes BigCrush; the stream name keeps draws apart. */
export function seededRandom(seed: number, stream: string): Random {
  const prng = seedrandom.alea(`${seed}/${stream}`);
  return () => prng.double();
}

/** An integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A lognormal draw with the given median (Box–Muller on two uniforms). */
export function randomLognormal(random: Random, median: number, sigma: number): number {
  const u = 1 - random(); // (0, 1], so the log is finite
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * normal);
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * Splits an integer total across weights by largest remainder (Hamilton): the parts sum to `total` exactly
 * and each is the floor or ceiling of its fair share. No randomness, ties go to the earlier weight.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) parts[order[k]!.i]!++;
  return parts;
}

/** An index drawn with probability proportional to its weight. */
export function pickWeighted(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = random() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
