import type { ColumnView } from './column.js';
import { InsufficientDataStatsError } from './errors.js';
import { meanIntervalOf } from './intervals.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { moments } from './summary.js';

/** One metric over a batch's runs, as the CLI prints it with `--json`. */
export interface MetricSummary {
  mean: number;
  /** Sample sd (n − 1); NaN (JSON null) for a single run. */
  sd: number;
  /** Student t 95% interval of the mean; [NaN, NaN] (JSON nulls) for a single run. */
  ci95: [number, number];
  p05: number;
  p50: number;
  p95: number;
  n: number;
}

/**
 * Mean, sd, 95% interval of the mean and the 5th, 50th and 95th percentiles (type 7) of one metric.
 * The interval says how well the runs pin down the mean; the percentiles say how runs spread — the
 * "bad day" a trust should plan for is p95, not the upper end of ci95.
 */
export function summarizeMetric(values: ArrayLike<number>, options?: ColumnView): MetricSummary {
  const summary = moments(values, options);
  if (summary.n === 0) throw new InsufficientDataStatsError('summarizeMetric: no values');
  const sorted = sortedCopy(values, options, 'summarizeMetric');
  const interval = summary.n >= 2 ? meanIntervalOf(summary, 0.95, 'summarizeMetric') : { lo: NaN, hi: NaN };
  return {
    mean: summary.mean,
    sd: Math.sqrt(summary.variance),
    ci95: [interval.lo, interval.hi],
    p05: quantileSorted(sorted, 0.05),
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    n: summary.n,
  };
}
