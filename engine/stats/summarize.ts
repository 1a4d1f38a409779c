import type { ColumnView } from './column.js';
import { InsufficientDataStatsError } from './errors.js';
import { meanIntervalOf, wilsonInterval } from './intervals.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import { moments } from './summary.js';

/** One metric over a batch's runs, as the CLI prints it with `--json`. */
export interface MetricSummary {
  mean: number;
  /** Sample sd (n − 1); NaN (JSON null) for a single run. */
  sd: number;
  /**
   * 95% interval of the mean: Student t; for a share (an outcome that is 0 or 1 by definition, `share`) the
   * Wilson score interval, which stays inside [0, 1]. [NaN, NaN] (JSON nulls) for a single run.
   */
  ci95: [number, number];
  p05: number;
  p50: number;
  p95: number;
  n: number;
}

export interface SummaryOptions extends ColumnView {
  /**
   * The metric is a share of runs: 0 or 1 in every run by definition (`reached.*`, `recovered`). Only then
   * is the interval Wilson's. A count or a time that happens to be 0 or 1 in every run keeps the t interval
   * (Wilson's would put a time of 0 in every run at up to 3.8/n minutes, and a count of 0 at 3.8/n: bounds of
   * a proportion, not of the metric).
   */
  share?: boolean;
  /**
   * The values the metric can take, [low, high]: the mean's interval is cut to it. A t interval on few,
   * skewed runs can reach past a bound (a count's lower end below 0, a capacity's upper end above 1); that
   * part cannot hold the mean, so cutting it leaves the coverage as it was.
   */
  range?: readonly [number, number];
}

/**
 * Mean, sd, 95% interval of the mean and the 5th, 50th and 95th percentiles (type 7) of one metric.
 * The interval says how well the runs pin down the mean; the percentiles say how runs spread — the
 * "bad day" a trust should plan for is p95, not the upper end of ci95.
 */
export function summarizeMetric(values: ArrayLike<number>, options?: SummaryOptions): MetricSummary {
  const summary = moments(values, options);
  if (summary.n === 0) throw new InsufficientDataStatsError('summarizeMetric: no values');
  const sorted = sortedCopy(values, options, 'summarizeMetric');
  const ones = summary.n >= 2 && options?.share === true ? binaryOnes(sorted) : -1;
  const interval = summary.n < 2 ? { lo: NaN, hi: NaN } : ones >= 0 ? wilsonInterval(ones, sorted.length, 0.95) : meanIntervalOf(summary, 0.95, 'summarizeMetric');
  const range = options?.range;
  if (range) {
    // Never inside the values seen: a range that proves too narrow cuts nothing they show.
    interval.lo = Math.max(interval.lo, Math.min(range[0], sorted[0]!));
    interval.hi = Math.min(interval.hi, Math.max(range[1], sorted[sorted.length - 1]!));
  }
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

/** How many values are 1 if every value is 0 or 1, else −1. */
function binaryOnes(sorted: ArrayLike<number>): number {
  let ones = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] === 1) ones++;
    else if (sorted[i] !== 0) return -1;
  }
  return ones;
}
