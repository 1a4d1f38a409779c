import { InvalidArgumentStatsError } from './errors.js';
import { checkInteger } from './validate.js';

/**
 * Where one metric's values lie in a flat array: `count` values starting at `offset`, `stride` apart.
 * Batches return runs × metrics as one row-major Float64Array; metric `m` of `metricCount` is the view
 * `{ offset: m, stride: metricCount }`, read in place without copying.
 */
export interface ColumnView {
  /** Index of the first value (default 0). */
  offset?: number;
  /** Distance between consecutive values (default 1). */
  stride?: number;
  /** Number of values (default: as many as fit from `offset` to the end). */
  count?: number;
}

/** A view with every field filled and checked against the array's length. */
export interface Column {
  offset: number;
  stride: number;
  count: number;
}

export function resolveColumn(values: ArrayLike<number>, view: ColumnView | undefined, where: string): Column {
  const offset = view?.offset ?? 0;
  const stride = view?.stride ?? 1;
  checkInteger(offset, 'options.offset', where, 0);
  checkInteger(stride, 'options.stride', where, 1);
  const fit = offset >= values.length ? 0 : Math.floor((values.length - offset - 1) / stride) + 1;
  const count = view?.count ?? fit;
  checkInteger(count, 'options.count', where, 0);
  if (count > fit) {
    throw new InvalidArgumentStatsError(
      `${where}: options.count ${count} with offset ${offset} and stride ${stride} runs past the end of ${values.length} values`,
    );
  }
  return { offset, stride, count };
}

/** The column's values as a fresh contiguous array (for sorting, which must not reorder the caller's data). */
export function copyColumn(values: ArrayLike<number>, column: Column): Float64Array {
  const out = new Float64Array(column.count);
  for (let i = 0, j = column.offset; i < column.count; i++, j += column.stride) out[i] = values[j]!;
  return out;
}
