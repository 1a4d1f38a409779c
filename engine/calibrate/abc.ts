import seedrandom from 'seedrandom';

/**
 * Approximate Bayesian computation by rejection (Pritchard et al., "Population growth of human Y
 * chromosomes", Mol. Biol. Evol. 16, 1999; Beaumont, Zhang & Balding, Genetics 162, 2002): draw parameters
 * from uniform priors, simulate, keep the draws whose summaries land closest to the targets. Pure: the
 * simulation is passed in, randomness comes from a seed.
 */
export interface Prior {
  path: string;
  low: number;
  high: number;
}

export interface Draw {
  values: number[];
  /** The simulated summary (median over runs) per target. */
  summaries: number[];
  distance: number;
}

/** Draws from uniform priors with a seeded generator: draw i is the same whatever else changes. */
export function drawParameters(priors: readonly Prior[], count: number, seed: number): number[][] {
  const random = seedrandom.alea(`strata-abc/${seed}`);
  return Array.from({ length: count }, () => priors.map((p) => p.low + random() * (p.high - p.low)));
}

/**
 * Root-mean-square relative error over the fitted targets: each target weighs the same whatever its
 * scale (34 trusts and 19,500 appointments). A target marked at-least counts only a shortfall.
 */
export function distance(summaries: readonly number[], targets: readonly number[], fitted: readonly boolean[], atLeast: readonly boolean[] = []): number {
  let sum = 0;
  let n = 0;
  summaries.forEach((s, i) => {
    if (!fitted[i]) return;
    const scale = Math.abs(targets[i]!) > 0 ? Math.abs(targets[i]!) : 1;
    // A lower bound ("at least") is missed only from below.
    const miss = atLeast[i] ? Math.min(0, s - targets[i]!) : s - targets[i]!;
    sum += (miss / scale) ** 2;
    n++;
  });
  return Math.sqrt(sum / Math.max(n, 1));
}

/** The accepted share of draws, closest first. */
export function accept(draws: readonly Draw[], share: number): Draw[] {
  const kept = Math.max(1, Math.round(draws.length * share));
  return [...draws].sort((a, b) => a.distance - b.distance).slice(0, kept);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
