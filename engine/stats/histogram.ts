import { resolveColumn, type ColumnView } from './column.js';
import { InvalidArgumentStatsError } from './errors.js';
import { checkInteger, nanError } from './validate.js';

/** One bin: values in [x0, x1), except that the last bin also holds x1. */
export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

export interface HistogramOptions extends ColumnView {
  /** Number of equal-width bins (default: Sturges' ⌈log₂ n⌉ + 1, as d3-array's `bin`). */
  bins?: number;
  /** [lo, hi] covered by the bins (default: the smallest and largest finite value). */
  domain?: readonly [number, number];
}

/**
 * Counts values in equal-width bins, d3-array's `bin` conventions (half-open bins, the last one closed,
 * values outside the domain not counted — so a caller that needs "never reached" runs, stored as
 * Infinity, counts them itself). Edges are lo + (hi − lo)·i/bins, and a value's bin is checked against
 * the very edges reported, so a value printed as an edge is always counted in the bin that starts there.
 * With no spread (lo = hi) there is one bin holding every value equal to lo.
 */
export function histogram(values: ArrayLike<number>, options?: HistogramOptions): Bin[] {
  const { offset, stride, count } = resolveColumn(values, options, 'histogram');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const x = values[j]!;
    if (x !== x) throw nanError('histogram', j);
    if (x < lo && x > -Infinity) lo = x;
    if (x > hi && x < Infinity) hi = x;
  }
  if (options?.domain) [lo, hi] = options.domain;
  else if (lo > hi) return []; // no finite values
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    throw new InvalidArgumentStatsError(`histogram: options.domain must be finite with lo <= hi, got [${lo}, ${hi}]`);
  }
  const binCount = lo === hi ? 1 : (options?.bins ?? Math.ceil(Math.log2(Math.max(count, 1))) + 1);
  checkInteger(binCount, 'options.bins', 'histogram', 1);

  const edges = new Float64Array(binCount + 1);
  for (let k = 0; k <= binCount; k++) edges[k] = lo + ((hi - lo) * k) / binCount;
  edges[binCount] = hi;
  const counts = new Float64Array(binCount);
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const x = values[j]!;
    if (x < lo || x > hi) continue;
    let k = lo === hi ? 0 : Math.min(binCount - 1, Math.floor(((x - lo) / (hi - lo)) * binCount));
    if (x < edges[k]!) k--;
    else if (k + 1 < binCount && x >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  const out: Bin[] = [];
  for (let k = 0; k < binCount; k++) out.push({ x0: edges[k]!, x1: edges[k + 1]!, count: counts[k]! });
  return out;
}
