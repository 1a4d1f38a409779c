import { resolveColumn, type ColumnView } from './column.js';
import { InvalidArgumentStatsError } from './errors.js';
import { normalQuantile } from './normal-quantile.js';
import { studentTQuantile } from './student-t.js';
import { RunningMoments } from './summary.js';
import { checkInteger, checkLevel, nanError } from './validate.js';

/** The precision of the running mean after the first `runs` values. */
export interface ConvergencePoint {
  runs: number;
  mean: number;
  /** Half-width of the t interval of the mean at `level`. */
  halfWidth: number;
  /** halfWidth / |mean|; NaN when both are 0, Infinity when only the mean is. */
  relativeHalfWidth: number;
}

export interface ConvergenceOptions extends ColumnView {
  /** Run counts to report at, ascending (default: 2, 4, 8, … and the last run). */
  checkpoints?: readonly number[];
  /** Confidence level (default 0.95). */
  level?: number;
}

export interface PrecisionOptions extends ColumnView {
  /** Never stop before this many runs (default 30). */
  minRuns?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

export interface PrecisionResult {
  /** Whether the target was met within the values given. */
  reached: boolean;
  /** The run count at which it was first met, or the number of values when it was not. */
  runs: number;
  /** The relative half-width at `runs` (0 for a sample with no spread, which never counts as reached). */
  relativeHalfWidth: number;
}

const DEFAULTS = { level: 0.95, minRuns: 30 };

function relative(halfWidth: number, mean: number): number {
  return halfWidth / Math.abs(mean);
}

/**
 * How the 95% interval of a mean narrows as runs accumulate, in one Welford pass (see summary.ts) that
 * stops at each checkpoint: the curve behind "how many runs are enough" in reports and on the dashboard.
 */
export function convergence(values: ArrayLike<number>, options?: ConvergenceOptions): ConvergencePoint[] {
  const { offset, stride, count } = resolveColumn(values, options, 'convergence');
  const level = options?.level ?? DEFAULTS.level;
  checkLevel(level, 'convergence');
  const checkpoints = options?.checkpoints ?? doublings(count);
  for (let k = 0; k < checkpoints.length; k++) {
    const runs = checkpoints[k]!;
    checkInteger(runs, `options.checkpoints[${k}]`, 'convergence', 2);
    if (runs > count || (k > 0 && runs <= checkpoints[k - 1]!)) {
      throw new InvalidArgumentStatsError(`convergence: options.checkpoints must ascend within 2..${count}, got ${runs} at [${k}]`);
    }
  }
  const out: ConvergencePoint[] = [];
  const running = new RunningMoments();
  let next = 0;
  for (let i = 0, j = offset; i < count && next < checkpoints.length; i++, j += stride) {
    const x = values[j]!;
    if (x !== x) throw nanError('convergence', j);
    running.push(x);
    const runs = running.n;
    if (runs !== checkpoints[next]) continue;
    const standardError = Math.sqrt(running.variance / runs);
    const halfWidth = standardError === 0 ? 0 : studentTQuantile((1 + level) / 2, runs - 1) * standardError;
    out.push({ runs, mean: running.mean, halfWidth, relativeHalfWidth: relative(halfWidth, running.mean) });
    next++;
  }
  return out;
}

function doublings(count: number): number[] {
  const out: number[] = [];
  for (let runs = 2; runs < count; runs *= 2) out.push(runs);
  if (count >= 2) out.push(count);
  return out;
}

/**
 * A sequential stopping rule: the first run count n ≥ minRuns at which the mean's interval half-width is
 * at most `relativeHalfWidth` × |mean|. Stopping when a random quantity first crosses a line makes the
 * interval at that point slightly optimistic (Chow & Robbins, "On the asymptotic theory of fixed-width
 * sequential confidence intervals for the mean", Ann. Math. Stat. 36, 1965); `minRuns` keeps early, lucky
 * crossings out. A sample with no spread yet never counts as precise: a rare outcome not yet seen (30
 * runs with no patient harmed) looks exactly like that, so a constant metric is reported as not reached.
 * Each n is screened with the normal quantile, which is below every t quantile, and only candidates that
 * pass it pay for the exact t.
 */
export function untilPrecision(values: ArrayLike<number>, relativeHalfWidth: number, options?: PrecisionOptions): PrecisionResult {
  const { offset, stride, count } = resolveColumn(values, options, 'untilPrecision');
  const level = options?.level ?? DEFAULTS.level;
  const minRuns = options?.minRuns ?? DEFAULTS.minRuns;
  checkLevel(level, 'untilPrecision');
  checkInteger(minRuns, 'options.minRuns', 'untilPrecision', 2);
  if (!(relativeHalfWidth > 0)) {
    throw new InvalidArgumentStatsError(`untilPrecision: relativeHalfWidth must be > 0, got ${relativeHalfWidth}`);
  }
  const z = normalQuantile((1 + level) / 2);
  const running = new RunningMoments();
  let latest = NaN;
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const x = values[j]!;
    if (x !== x) throw nanError('untilPrecision', j);
    running.push(x);
    const runs = running.n;
    if (runs < minRuns) continue;
    const mean = running.mean;
    const standardError = Math.sqrt(running.variance / runs);
    if (standardError === 0) {
      latest = relative(0, mean);
      continue;
    }
    const target = relativeHalfWidth * Math.abs(mean);
    if (z * standardError > target && runs < count) continue;
    latest = relative(studentTQuantile((1 + level) / 2, runs - 1) * standardError, mean);
    if (latest <= relativeHalfWidth) return { reached: true, runs, relativeHalfWidth: latest };
  }
  return { reached: false, runs: count, relativeHalfWidth: latest };
}
