import { InvalidArgumentSensitivityError } from './errors.js';

/**
 * Morris's one-at-a-time trajectories (M. D. Morris, "Factorial sampling plans for preliminary
 * computational experiments", Technometrics 33(2), 1991). Each factor lives on p levels of the unit
 * interval, {0, 1/(p−1), …, 1}. A trajectory starts at a random grid point and moves every factor once, in a
 * random order, by Δ = p / (2(p − 1)) up or down: k + 1 points, k elementary effects, one per factor. With p
 * even and the start drawn from the lower half of the levels, x and x ± Δ are both on the grid and every
 * level is visited equally often (Morris 1991, §3).
 *
 * With `candidates` > `trajectories`, that many trajectories are drawn and the `trajectories` most spread
 * out are kept (F. Campolongo, J. Cariboni & A. Saltelli, "An effective screening design for sensitivity
 * analysis of large models", Environmental Modelling & Software 22(10), 2007): the design then covers the
 * cube better for the same number of model runs. The subset maximising the sum of squared distances between
 * trajectories is found greedily, dropping the least spread-out trajectory one at a time (R. Ruano et al.,
 * "An improved sampling strategy based on trajectory design for application of the Morris method to
 * systems with many input factors", Environmental Modelling & Software 37, 2012), not by enumeration.
 */
export interface MorrisOptions {
  /** r: trajectories kept, at least 2 (σ needs two effects per factor). */
  trajectories: number;
  /** p: levels per factor, even, at least 2. */
  levels: number;
  /** Trajectories drawn before the most spread-out r are kept; 0 (default) or r: keep the first r drawn. */
  candidates?: number;
}

export interface MorrisDesign {
  factors: number;
  trajectories: number;
  levels: number;
  /** The step in unit coordinates, p / (2(p − 1)). */
  delta: number;
  /** Unit coordinates, row-major: row t·(k+1) + j is point j of trajectory t, one column per factor. */
  points: Float64Array;
  /** changed[t·k + j]: the factor that differs between points j and j + 1 of trajectory t. */
  changed: Int32Array;
}

export function morrisDesign(factors: number, options: MorrisOptions, random: () => number): MorrisDesign {
  const { trajectories, levels } = options;
  const candidates = options.candidates || trajectories;
  const fail = (message: string): never => {
    throw new InvalidArgumentSensitivityError(`morrisDesign: ${message}`);
  };
  if (!Number.isInteger(factors) || factors < 1) fail(`factors must be a positive integer, got ${factors}`);
  if (!Number.isInteger(trajectories) || trajectories < 2) fail(`options.trajectories must be an integer ≥ 2, got ${trajectories}`);
  if (!Number.isInteger(levels) || levels < 2 || levels % 2 !== 0) fail(`options.levels must be an even integer ≥ 2, got ${levels}`);
  if (!Number.isInteger(candidates) || candidates < trajectories) fail(`options.candidates must be 0 or an integer ≥ options.trajectories, got ${options.candidates}`);
  if (typeof random !== 'function') fail('random must be a function returning numbers in [0, 1)');

  const drawn = Array.from({ length: candidates }, () => trajectory(factors, levels, random));
  const kept = candidates > trajectories ? mostSpread(drawn, trajectories, factors) : drawn;
  const width = factors + 1;
  const points = new Float64Array(trajectories * width * factors);
  const changed = new Int32Array(trajectories * factors);
  kept.forEach((t, i) => {
    points.set(t.points, i * width * factors);
    changed.set(t.changed, i * factors);
  });
  return { factors, trajectories, levels, delta: levels / (2 * (levels - 1)), points, changed };
}

interface Trajectory {
  points: Float64Array;
  changed: Int32Array;
}

/** One trajectory on level indices (exact integers), scaled to [0, 1] at the end. */
function trajectory(factors: number, levels: number, random: () => number): Trajectory {
  const step = levels / 2;
  const level = new Int32Array(factors);
  const direction = new Int8Array(factors);
  for (let i = 0; i < factors; i++) {
    const base = Math.floor(random() * step);
    direction[i] = random() < 0.5 ? 1 : -1;
    level[i] = direction[i] === 1 ? base : base + step;
  }
  // Fisher–Yates: the order in which factors move.
  const changed = Int32Array.from({ length: factors }, (_, i) => i);
  for (let i = factors - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [changed[i], changed[j]] = [changed[j]!, changed[i]!];
  }
  const points = new Float64Array((factors + 1) * factors);
  for (let j = 0; j <= factors; j++) {
    if (j > 0) level[changed[j - 1]!]! += direction[changed[j - 1]!]! * step;
    for (let i = 0; i < factors; i++) points[j * factors + i] = level[i]! / (levels - 1);
  }
  return { points, changed };
}

/** Campolongo et al.'s distance: the sum over pairs of points (one from each) of their Euclidean distance. */
function distance(a: Float64Array, b: Float64Array, factors: number): number {
  let sum = 0;
  for (let p = 0; p <= factors; p++) {
    for (let q = 0; q <= factors; q++) {
      let squared = 0;
      for (let i = 0; i < factors; i++) squared += (a[p * factors + i]! - b[q * factors + i]!) ** 2;
      sum += Math.sqrt(squared);
    }
  }
  return sum;
}

/** Keeps `keep` of the trajectories, dropping the one contributing least to Σ d² until `keep` remain. */
function mostSpread(drawn: Trajectory[], keep: number, factors: number): Trajectory[] {
  const m = drawn.length;
  const squared = new Float64Array(m * m);
  const contribution = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const d2 = distance(drawn[a]!.points, drawn[b]!.points, factors) ** 2;
      squared[a * m + b] = squared[b * m + a] = d2;
      contribution[a]! += d2;
      contribution[b]! += d2;
    }
  }
  const alive = new Uint8Array(m).fill(1);
  for (let left = m; left > keep; left--) {
    let worst = -1;
    for (let a = 0; a < m; a++) if (alive[a] && (worst < 0 || contribution[a]! < contribution[worst]!)) worst = a;
    alive[worst] = 0;
    for (let a = 0; a < m; a++) contribution[a]! -= squared[a * m + worst]!;
  }
  // In the order drawn, so the design does not depend on ties in the greedy order.
  return drawn.filter((_, a) => alive[a] === 1);
}
