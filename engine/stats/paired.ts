import { resolveColumn, type Column, type ColumnView } from './column.js';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from './errors.js';
import { studentTQuantile } from './student-t.js';
import { wilsonInterval } from './intervals.js';
import { checkLevel, nanError } from './validate.js';

/** An interval for the difference of means B − A. */
export interface DifferenceInterval {
  lo: number;
  hi: number;
  halfWidth: number;
  /**
   * Degrees of freedom of the t quantile: n − 1 paired, Welch–Satterthwaite unpaired; Infinity for a share's
   * score interval (normal quantile). `halfWidth` is half the width: a share's interval is not symmetric.
   */
  df: number;
}

export interface PairedComparison {
  n: number;
  meanA: number;
  meanB: number;
  /** Mean of B − A over runs (equal to meanB − meanA). */
  meanDifference: number;
  /** Sample sds of A and of B across runs (0: the metric is the same in every run of that regime). */
  sdA: number;
  sdB: number;
  /** Sample sd of the per-run differences B − A. */
  sdDifference: number;
  /** Pearson correlation of A and B across runs: what common random numbers buy. */
  correlation: number;
  /** t interval on the per-run differences: the one to report. */
  paired: DifferenceInterval;
  /** Welch's interval on the same values treated as independent samples, for contrast. */
  unpaired: DifferenceInterval;
  /** meanDifference / |meanA|: −0.3 is a 30% reduction; NaN when meanA is 0. */
  relativeChange: number;
  level: number;
}

export interface PairedOptions {
  level?: number;
  /** Where regime A's values lie in `a` (default: all of it). */
  columnA?: ColumnView;
  /** Where regime B's values lie in `b` (default: all of it). */
  columnB?: ColumnView;
  /**
   * The metric is a share of runs: 0 or 1 in every run by definition (`reached.*`, `recovered`). Its intervals
   * are then Newcombe's score intervals, which stay within ±1 (see shareIntervals) — when every value is 0 or 1.
   */
  share?: boolean;
}

const DEFAULTS = { level: 0.95 };

/**
 * Compares a metric between regimes A and B run with the same run seeds (common random numbers), so that
 * run i of A and run i of B share their randomness up to where the regimes differ. The paired interval
 * uses the variance of the differences, Var(A) + Var(B) − 2 Cov(A, B), which the shared randomness makes
 * small (Law, Simulation Modeling and Analysis, 5th ed., 2015, §10.2 and §11.2); the Welch interval
 * (B. L. Welch, Biometrika 34, 1947) ignores the pairing and shows how much wider the answer would be
 * with independent seeds. The differences get their own Welford pass rather than being derived from the
 * two variances, which would cancel catastrophically exactly when the correlation is high.
 */
export function pairedComparison(a: ArrayLike<number>, b: ArrayLike<number>, options?: PairedOptions): PairedComparison {
  const level = options?.level ?? DEFAULTS.level;
  checkLevel(level, 'pairedComparison');
  const ca = resolveColumn(a, options?.columnA, 'pairedComparison');
  const cb = resolveColumn(b, options?.columnB, 'pairedComparison');
  if (ca.count !== cb.count) throw new InvalidArgumentStatsError(`pairedComparison: A has ${ca.count} runs but B has ${cb.count}; runs must align by index`);
  const n = ca.count;
  if (n < 2) throw new InsufficientDataStatsError(`pairedComparison: needs at least 2 runs, got ${n}`);

  // Bivariate Welford (see summary.ts), A and B shifted by their first values so the running means stay
  // near 0; the differences are formed from the raw values.
  const shiftA = a[ca.offset]!;
  const shiftB = b[cb.offset]!;
  let meanA = 0, meanB = 0, meanD = 0;
  let ssA = 0, ssB = 0, ssD = 0, coAB = 0; // sums of squared deviations and of co-deviations of A and B
  // The mean difference reported is the plain sum's over n: exact for counts (whole numbers sum exactly), where
  // the running mean leaves a residue (−3.7e-18 for a count that no run changed on average).
  let sumD = 0;
  for (let i = 0, ja = ca.offset, jb = cb.offset; i < n; i++, ja += ca.stride, jb += cb.stride) {
    const rawA = a[ja]!;
    const rawB = b[jb]!;
    if (rawA !== rawA) throw nanError('pairedComparison: A', ja);
    if (rawB !== rawB) throw nanError('pairedComparison: B', jb);
    const x = rawA - shiftA;
    const y = rawB - shiftB;
    const difference = rawB - rawA;
    sumD += difference;
    const k = i + 1;
    const dx = x - meanA;
    const dy = y - meanB;
    const dd = difference - meanD;
    meanA += dx / k;
    meanB += dy / k;
    meanD += dd / k;
    ssA += dx * (x - meanA);
    ssB += dy * (y - meanB);
    ssD += dd * (difference - meanD);
    coAB += dx * (y - meanB);
  }
  meanA += shiftA;
  meanB += shiftB;
  meanD = sumD / n;
  const varA = ssA / (n - 1);
  const varB = ssB / (n - 1);
  const sdDifference = Math.sqrt(ssD / (n - 1));
  const counts = options?.share === true ? pairCounts(a, b, ca, cb) : null;
  let paired: DifferenceInterval;
  let unpaired: DifferenceInterval;
  if (counts) [paired, unpaired] = shareIntervals(counts, level);
  else {
    paired = interval(meanD, sdDifference / Math.sqrt(n), n - 1, level);
    const welchVariance = (varA + varB) / n;
    // Welch–Satterthwaite with equal n: (n − 1)(vA + vB)² / (vA² + vB²); with no spread at all, the largest df.
    const welchDf = varA + varB === 0 ? 2 * (n - 1) : ((n - 1) * (varA + varB) ** 2) / (varA * varA + varB * varB);
    unpaired = interval(meanB - meanA, Math.sqrt(welchVariance), welchDf, level);
  }
  return {
    n,
    meanA,
    meanB,
    meanDifference: meanD,
    sdA: Math.sqrt(varA),
    sdB: Math.sqrt(varB),
    sdDifference,
    correlation: coAB / Math.sqrt(ssA * ssB),
    paired,
    unpaired,
    relativeChange: meanA === 0 ? NaN : meanD / Math.abs(meanA),
    level,
  };
}

function interval(estimate: number, standardError: number, df: number, level: number): DifferenceInterval {
  const halfWidth = standardError === 0 ? 0 : studentTQuantile((1 + level) / 2, df) * standardError;
  return { lo: estimate - halfWidth, hi: estimate + halfWidth, halfWidth, df };
}

/** The runs' 2×2 table for a share: [both 1, A 1 and B 0, A 0 and B 1, both 0]; null if any value is not 0 or 1. */
function pairCounts(a: ArrayLike<number>, b: ArrayLike<number>, ca: Column, cb: Column): [number, number, number, number] | null {
  const table: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0, ja = ca.offset, jb = cb.offset; i < ca.count; i++, ja += ca.stride, jb += cb.stride) {
    const x = a[ja]!;
    const y = b[jb]!;
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) return null;
    table[x === 1 ? (y === 1 ? 0 : 1) : y === 1 ? 2 : 3]!++;
  }
  return table;
}

/**
 * The paired and unpaired intervals of a difference of shares B − A: Newcombe's square-and-add (hybrid score)
 * intervals built on the Wilson interval of each share — for paired runs with the runs' correlation φ
 * (R. G. Newcombe, "Improved confidence intervals for the difference between binomial proportions based on
 * paired data", Stat. Med. 17, 1998, method 10, φ with its continuity adjustment as in Fagerland, Lydersen &
 * Laake, Statistical Analysis of Contingency Tables, 2017, §8.5), and with φ = 0 for independent ones
 * (Newcombe, Stat. Med. 17, 1998, 873–890, method 10). The t interval on 0/1 differences can pass ±1 and
 * collapses to a point when no run differs; these stay within ±1 and do neither.
 */
function shareIntervals([both, onlyA, onlyB, neither]: [number, number, number, number], level: number): [DifferenceInterval, DifferenceInterval] {
  const n = both + onlyA + onlyB + neither;
  const inA = both + onlyA;
  const inB = both + onlyB;
  const pA = inA / n;
  const pB = inB / n;
  const wa = wilsonInterval(inA, n, level);
  const wb = wilsonInterval(inB, n, level);
  let phi = 0;
  const product = inA * (n - inA) * inB * (n - inB);
  if (product > 0) {
    const cross = both * neither - onlyA * onlyB;
    phi = cross > n / 2 ? (cross - n / 2) / Math.sqrt(product) : cross < 0 ? cross / Math.sqrt(product) : 0;
  }
  const squareAndAdd = (correlation: number): DifferenceInterval => {
    const below = Math.sqrt(Math.max(0, (pB - wb.lo) ** 2 - 2 * correlation * (pB - wb.lo) * (wa.hi - pA) + (wa.hi - pA) ** 2));
    const above = Math.sqrt(Math.max(0, (wb.hi - pB) ** 2 - 2 * correlation * (wb.hi - pB) * (pA - wa.lo) + (pA - wa.lo) ** 2));
    const lo = Math.max(-1, pB - pA - below);
    const hi = Math.min(1, pB - pA + above);
    return { lo, hi, halfWidth: (hi - lo) / 2, df: Infinity };
  };
  return [squareAndAdd(phi), squareAndAdd(0)];
}
