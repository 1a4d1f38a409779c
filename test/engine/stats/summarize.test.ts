import { describe, expect, it } from 'vitest';
import { InsufficientDataStatsError } from '../../../engine/stats/errors.js';
import { summarizeMetric } from '../../../engine/stats/summarize.js';
import { meanInterval } from '../../../engine/stats/intervals.js';
import { exponentials } from './draws.js';

describe('summarizeMetric', () => {
  it('matches numpy/scipy on a small sample and has the CLI\'s shape', () => {
    const summary = summarizeMetric([4.0, 8.5, 1.25, 6.0, 3.5, 9.75, 2.0, 5.5, 7.0, 0.5, 12.0]);
    expect(Object.keys(summary)).toEqual(['mean', 'sd', 'ci95', 'p05', 'p50', 'p95', 'n']);
    expect(summary.n).toBe(11);
    expect(summary.mean).toBeCloseTo(5.454545454545454, 14);
    expect(summary.sd).toBeCloseTo(3.6517430458244555, 13);
    expect(summary.ci95[0]).toBeCloseTo(3.001271095162683, 12);
    expect(summary.ci95[1]).toBeCloseTo(7.907819813928225, 12);
    expect([summary.p05, summary.p50, summary.p95]).toEqual([0.875, 5.5, 10.875]);
  });

  it('summarizes Exp(1) within sampling error', () => {
    // n = 10,000: SE of the mean 0.01, of the sd ≈ 0.014, of the median (ln 2) 1/√n = 0.01, of the 95th
    // percentile (ln 20 = 2.996) √(0.95·0.05)/(0.05·√n) = 0.044. Tolerances are 4 SE.
    const summary = summarizeMetric(exponentials(71, 10_000));
    expect(Math.abs(summary.mean - 1)).toBeLessThan(0.04);
    expect(Math.abs(summary.sd - 1)).toBeLessThan(0.056);
    expect(Math.abs(summary.p50 - Math.LN2)).toBeLessThan(0.04);
    expect(Math.abs(summary.p95 - Math.log(20))).toBeLessThan(0.175);
    expect(summary.ci95[0]).toBeLessThan(summary.mean);
    expect(summary.ci95[1] - summary.ci95[0]).toBeCloseTo(2 * 1.9602 * (summary.sd / 100), 3);
  });

  it('prints nulls rather than failing for a single run, and needs one', () => {
    const single = summarizeMetric([3]);
    expect(JSON.parse(JSON.stringify(single))).toEqual({ mean: 3, sd: null, ci95: [null, null], p05: 3, p50: 3, p95: 3, n: 1 });
    expect(() => summarizeMetric([])).toThrow(InsufficientDataStatsError);
  });

  it('reads a column in place', () => {
    const matrix = new Float64Array([1, 100, 2, 200, 3, 300]);
    expect(summarizeMetric(matrix, { offset: 1, stride: 2 })).toMatchObject({ n: 3, mean: 200, p50: 200 });
  });
});

describe('summarizeMetric on a share of runs (every value 0 or 1)', () => {
  it('gives the Wilson interval, inside [0, 1], where the t interval would leave it', async () => {
    const { meanInterval, wilsonInterval } = await import('../../../engine/stats/intervals.js');
    const values = [...Array<number>(48).fill(1), 0, 0];
    const t = meanInterval(values);
    expect(t.hi).toBeGreaterThan(1); // what the issue saw: 0.904–1.016 on 50 runs
    const summary = summarizeMetric(values, { share: true });
    const wilson = wilsonInterval(48, 50, 0.95);
    expect(summary.ci95).toEqual([wilson.lo, wilson.hi]);
    expect(summary.ci95[0]).toBeGreaterThanOrEqual(0);
    expect(summary.ci95[1]).toBeLessThanOrEqual(1);
    expect(summarizeMetric([1, 1, 1], { share: true }).ci95[1]).toBe(1);
    expect(summarizeMetric([0, 0, 0], { share: true }).ci95).toEqual([0, wilsonInterval(0, 3, 0.95).hi]);
  });

  it('keeps the t interval for a count or a time that is 0 or 1 in every run', async () => {
    const { meanInterval } = await import('../../../engine/stats/intervals.js');
    // A time of 0 minutes in every run is known to be 0: no proportion's bounds (0 – 3.8/n) in minutes.
    expect(summarizeMetric([0, 0, 0, 0])).toMatchObject({ mean: 0, ci95: [0, 0] });
    const counts = [...Array<number>(48).fill(1), 0, 0];
    const t = meanInterval(counts);
    expect(summarizeMetric(counts).ci95).toEqual([t.lo, t.hi]);
    // A share given values other than 0 and 1 keeps the t interval too.
    expect(summarizeMetric([0, 1, 2], { share: true }).ci95).toEqual([meanInterval([0, 1, 2]).lo, meanInterval([0, 1, 2]).hi]);
  });
});

describe('summarizeMetric with the metric\'s range', () => {
  it('cuts the t interval where it reaches past a bound the values cannot cross, and nowhere else', () => {
    // Twenty runs of a count, one large: the t interval's lower end falls below 0.
    const counts = [...Array<number>(19).fill(0), 500];
    const t = meanInterval(counts);
    expect(t.lo).toBeLessThan(0);
    expect(summarizeMetric(counts, { range: [0, Infinity] }).ci95).toEqual([0, t.hi]);
    // A capacity near 1: the upper end above 1 is cut to 1.
    const capacity = [...Array<number>(18).fill(1), 0.3, 0.2];
    const c = meanInterval(capacity);
    expect(c.hi).toBeGreaterThan(1);
    expect(summarizeMetric(capacity, { range: [0, 1] }).ci95).toEqual([c.lo, 1]);
    // An interval inside the range is as it was; a range the values pass cuts nothing they show.
    const inside = [3, 4, 5, 6, 7];
    expect(summarizeMetric(inside, { range: [0, Infinity] }).ci95).toEqual(summarizeMetric(inside).ci95);
    const past = [0.5, 1.5, 1.5, 1.5];
    expect(summarizeMetric(past, { range: [0, 1] }).ci95[1]).toBe(Math.min(meanInterval(past).hi, 1.5));
  });
});

describe('summarizeBatch', () => {
  it('cuts each metric\'s interval to its range: counts and times at 0, capacities at 1', async () => {
    const { summarizeBatch } = await import('../../../engine/batch/summarize.js');
    const names = ['compromised', 'timeToRecovery', 'service.pathology.day27', 'service.pathology.lost'];
    const runs = 20;
    const rows = new Float64Array(runs * names.length);
    for (let r = 0; r < runs; r++) rows.set(r < 19 ? [0, 0, 1, 0] : [500, 90, 0.1, 0.9], r * names.length);
    const summary = summarizeBatch({ metricNames: names, runs, runStart: 0, rows, completed: new Uint8Array(runs).fill(1) } as never);
    expect(summary.compromised!.ci95[0]).toBe(0);
    expect(summary.timeToRecovery!.ci95[0]).toBe(0);
    expect(summary['service.pathology.day27']!.ci95[1]).toBe(1);
    // A service's units lost is a count, not a capacity: no upper bound.
    expect(summary['service.pathology.lost']!.ci95[0]).toBe(0);
    expect(summary['service.pathology.lost']!.ci95[1]).toBeGreaterThan(0.1);
  });


  it('takes Wilson intervals for the shares of runs only', async () => {
    const { summarizeBatch } = await import('../../../engine/batch/summarize.js');
    const { SHARE_METRICS } = await import('../../../engine/kernel/metrics.js');
    const names = ['reached.network', 'recordsExposed', 'recovered', 'timeToRecovery'];
    const runs = 20;
    // Every run 0 in every column: the shares get Wilson's upper bound, the count and the time none.
    const result = { metricNames: names, runs, runStart: 0, rows: new Float64Array(runs * names.length), completed: new Uint8Array(runs).fill(1) };
    const summary = summarizeBatch(result as never);
    for (const name of names) expect(summary[name]!.ci95[1] > 0, name).toBe(SHARE_METRICS.has(name));
  });
});
