import { pairedComparison, type PairedComparison } from '../stats/paired.js';
import { summarizeMetric, type MetricSummary } from '../stats/summarize.js';
import { isShareMetric, metricRange } from '../kernel/metrics.js';
import type { BatchResult } from './batch.js';

/**
 * Batch results → per-metric summaries. Metrics that are times of events ("reachedAt.cloud") are NaN in
 * runs where the event never happened; they are summarised over the runs where it did, and `n` says how
 * many that was (the share is the matching `reached.*` metric's mean).
 */
export type BatchSummary = Record<string, MetricSummary | null>;

function finiteColumn(result: BatchResult, metric: number): number[] {
  const width = result.metricNames.length;
  const values: number[] = [];
  for (let run = 0; run < result.runs; run++) {
    if (result.completed[run] !== 1) continue;
    const value = result.rows[run * width + metric]!;
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

export function summarizeBatch(result: BatchResult): BatchSummary {
  const out: BatchSummary = {};
  result.metricNames.forEach((name, m) => {
    const values = finiteColumn(result, m);
    out[name] = values.length > 0 ? summarizeMetric(values, { share: isShareMetric(name), range: metricRange(name) }) : null;
  });
  return out;
}

/**
 * Paired differences B − A per metric, over the runs finished in both with a finite value in both. Both
 * batches must use the same seed and run indices: then run i drew the same random numbers in each regime
 * (common random numbers), and the paired interval is far narrower than the unpaired one.
 */
export function compareBatches(a: BatchResult, b: BatchResult): Record<string, PairedComparison | null> {
  if (a.runStart !== b.runStart || a.runs !== b.runs) throw new TypeError('compareBatches: the two batches must cover the same run indices');
  const out: Record<string, PairedComparison | null> = {};
  for (const name of a.metricNames) {
    if (!b.metricNames.includes(name)) continue;
    const [xs, ys] = pairedValues(a, b, name);
    out[name] = xs.length >= 2 ? pairedComparison(xs, ys, { share: isShareMetric(name) }) : null;
  }
  return out;
}

/** A metric's values in the runs both batches finished with a finite value in each, in run order. */
export function pairedValues(a: BatchResult, b: BatchResult, name: string): [number[], number[]] {
  const widthA = a.metricNames.length;
  const widthB = b.metricNames.length;
  const ma = a.metricNames.indexOf(name);
  const mb = b.metricNames.indexOf(name);
  const xs: number[] = [];
  const ys: number[] = [];
  if (ma < 0 || mb < 0) return [xs, ys];
  for (let run = 0; run < a.runs; run++) {
    if (a.completed[run] !== 1 || b.completed[run] !== 1) continue;
    const x = a.rows[run * widthA + ma]!;
    const y = b.rows[run * widthB + mb]!;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  return [xs, ys];
}

/** A stored batch's runs (the store's `readRuns`) as a complete BatchResult, for summaries and comparisons. */
export function storedResult(stored: { runs: number[]; metricNames: string[]; rows: Float64Array }): BatchResult {
  return {
    runStart: stored.runs[0] ?? 0,
    runs: stored.runs.length,
    metricNames: stored.metricNames,
    rows: stored.rows,
    seriesPoints: 0,
    series: new Float64Array(0),
    completed: new Uint8Array(stored.runs.length).fill(1),
    complete: true,
    elapsedMs: 0,
  };
}
