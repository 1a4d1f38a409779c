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
  /** Importance weight in the population (1 in a rejection round from the prior). */
  weight?: number;
  /** The round that drew it (population Monte Carlo). */
  round?: number;
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

/**
 * ABC population Monte Carlo (Beaumont, Cornuet, Marin & Robert, "Adaptive approximate Bayesian
 * computation", Biometrika 96, 2009): the next round draws near the last round's accepted particles — a
 * particle picked by weight, moved by a Gaussian kernel with twice the particles' weighted variance per
 * parameter, redrawn until inside the prior — so draws concentrate where the fit is good. Seeded per round.
 */
export function perturbParameters(priors: readonly Prior[], population: readonly Draw[], count: number, seed: number, round: number): number[][] {
  const random = seedrandom.alea(`strata-abc/${seed}/round-${round}`);
  const weights = normalise(population);
  const sigma = kernelScales(priors, population, weights);
  const gaussian = (): number => {
    // Box–Muller on the round's own stream (the kernel's random numbers never touch the simulation's).
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const out: number[][] = [];
  while (out.length < count) {
    let pick = random();
    let j = 0;
    while (j < weights.length - 1 && pick >= weights[j]!) pick -= weights[j++]!;
    const values = priors.map((p, k) => population[j]!.values[k]! + sigma[k]! * gaussian());
    if (values.every((v, k) => v >= priors[k]!.low && v <= priors[k]!.high)) out.push(values);
  }
  return out;
}

/**
 * The importance weights of a round's accepted draws: prior density (uniform: constant inside) over the
 * mixture density the round drew from, Σ_j w_j K(θ | θ_j), normalised to sum to 1.
 */
export function populationWeights(priors: readonly Prior[], accepted: readonly Draw[], previous: readonly Draw[]): number[] {
  const w = normalise(previous);
  const sigma = kernelScales(priors, previous, w);
  const raw = accepted.map((d) => {
    let mixture = 0;
    previous.forEach((q, j) => {
      let log = 0;
      priors.forEach((_, k) => {
        const z = (d.values[k]! - q.values[k]!) / sigma[k]!;
        log -= 0.5 * z * z;
      });
      mixture += w[j]! * Math.exp(log);
    });
    return 1 / mixture;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

function normalise(population: readonly Draw[]): number[] {
  const raw = population.map((d) => d.weight ?? 1);
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

/** Per parameter: √(2 × weighted variance) of the particles, at least a thousandth of the prior's width. */
function kernelScales(priors: readonly Prior[], population: readonly Draw[], weights: readonly number[]): number[] {
  return priors.map((p, k) => {
    const mean = population.reduce((a, d, j) => a + weights[j]! * d.values[k]!, 0);
    const variance = population.reduce((a, d, j) => a + weights[j]! * (d.values[k]! - mean) ** 2, 0);
    return Math.max(Math.sqrt(2 * variance), (p.high - p.low) / 1000);
  });
}

/** Kish's effective sample size of a weighted population: (Σw)² / Σw². */
export function effectiveSampleSize(weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  return (total * total) / weights.reduce((a, w) => a + w * w, 0);
}

/** The weighted p-quantile (the smallest value whose cumulative weight reaches p). */
export function weightedQuantile(values: readonly number[], weights: readonly number[], p: number): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i]!;
    if (cumulative >= p * total) return values[i]!;
  }
  return values[order[order.length - 1]!]!;
}
