import { InvalidArgumentStatsError } from './errors.js';
import { quantileSorted } from './quantile.js';
import { checkInteger, checkProbability } from './validate.js';

export interface BandsOptions {
  /** Timepoints per run: the matrix is runs × timepoints, row-major (run r's row starts at r·timepoints). */
  timepoints: number;
  /** Lower band quantile (default 0.05). */
  lower?: number;
  /** Upper band quantile (default 0.95). */
  upper?: number;
}

/** Per-timepoint median and band, one entry per timepoint. */
export interface Bands {
  runs: number;
  median: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

const DEFAULTS = { lower: 0.05, upper: 0.95 };

/**
 * Median and a 5–95% band across runs of a time series, e.g. nodes disrupted per layer sampled each hour:
 * the dashboard draws the median as a line and the band as a shaded area. Quantiles are type 7 (see
 * quantile.ts) of the runs' values at each timepoint; one scratch column is reused for every timepoint,
 * so the cost is one sort of `runs` values per timepoint and no allocation beyond the three results.
 * The band is pointwise: it says where 90% of runs are at each hour, not that 90% of runs stay inside it.
 */
export function bands(matrix: ArrayLike<number>, options: BandsOptions): Bands {
  const { timepoints } = options;
  const lowerP = options.lower ?? DEFAULTS.lower;
  const upperP = options.upper ?? DEFAULTS.upper;
  checkInteger(timepoints, 'options.timepoints', 'bands', 1);
  checkProbability(lowerP, 'options.lower', 'bands');
  checkProbability(upperP, 'options.upper', 'bands');
  if (lowerP > upperP) throw new InvalidArgumentStatsError(`bands: options.lower ${lowerP} exceeds options.upper ${upperP}`);
  const runs = matrix.length / timepoints;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new InvalidArgumentStatsError(`bands: ${matrix.length} values are not a whole number (>= 1) of runs of ${timepoints} timepoints`);
  }

  const median = new Float64Array(timepoints);
  const lower = new Float64Array(timepoints);
  const upper = new Float64Array(timepoints);
  const column = new Float64Array(runs);
  for (let t = 0; t < timepoints; t++) {
    for (let r = 0, j = t; r < runs; r++, j += timepoints) column[r] = matrix[j]!;
    column.sort(); // NaN sorts last
    if (Number.isNaN(column[runs - 1])) throw new InvalidArgumentStatsError(`bands: timepoint ${t} has a NaN value`);
    median[t] = quantileSorted(column, 0.5);
    lower[t] = quantileSorted(column, lowerP);
    upper[t] = quantileSorted(column, upperP);
  }
  return { runs, median, lower, upper };
}
