import { copyColumn, resolveColumn, type ColumnView } from './column.js';
import { InsufficientDataStatsError, InvalidArgumentStatsError } from './errors.js';
import { checkProbability } from './validate.js';

/**
 * Sample quantiles by Hyndman & Fan's definition 7 ("Sample quantiles in statistical packages", The
 * American Statistician 50(4), 1996): linear interpolation between order statistics at h = (n − 1)p.
 * It is R's default and numpy's "linear", so numbers printed here match what an analyst gets there.
 */

/** The p-quantile of values already sorted ascending (no checks: for callers that sorted once). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  if (lo === h) return below;
  const above = sorted[lo + 1]!;
  // Equal neighbours short-circuit so that ±Infinity ties do not become Infinity − Infinity = NaN.
  return below === above ? below : below + (h - lo) * (above - below);
}

/**
 * A sorted copy of the values (or of a column of them), for taking several quantiles from one sort.
 * Throws on NaN: it has no place in an ordering. Infinities are kept (a run that never reached a layer).
 */
export function sortedCopy(values: ArrayLike<number>, options: ColumnView | undefined, where: string): Float64Array {
  const sorted = copyColumn(values, resolveColumn(values, options, where)).sort();
  // Float64Array#sort orders NaN last, so one look at the end finds any.
  if (sorted.length > 0 && Number.isNaN(sorted[sorted.length - 1])) {
    throw new InvalidArgumentStatsError(`${where}: values contain NaN`);
  }
  return sorted;
}

/** Several quantiles from one sort of a copy, e.g. `quantiles(values, [0.05, 0.5, 0.95])`. */
export function quantiles(values: ArrayLike<number>, ps: readonly number[], options?: ColumnView): number[] {
  for (let k = 0; k < ps.length; k++) checkProbability(ps[k]!, `ps[${k}]`, 'quantiles');
  const sorted = sortedCopy(values, options, 'quantiles');
  if (sorted.length === 0) throw new InsufficientDataStatsError('quantiles: no values');
  return ps.map((p) => quantileSorted(sorted, p));
}

/** One quantile (sorts a copy; use `quantiles` for several). */
export function quantile(values: ArrayLike<number>, p: number, options?: ColumnView): number {
  return quantiles(values, [p], options)[0]!;
}
