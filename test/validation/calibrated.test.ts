import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BatchRunner } from '../../engine/batch/batch.js';
import { quantile } from '../../engine/stats/quantile.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';

/**
 * Fails if the calibrated WannaCry scenario drifts away from the public record. At 30 runs (fixed seed)
 * the median of a target is far steadier than a single run, so it must stay inside the 90% band of single
 * runs that the calibration measured at 120 runs; and every target the calibration covered must still lie
 * within the 5–95% range of these runs. A change to the kernel, the twin or the scenario that moves the
 * outcomes by a fraction of that band fails here and must be recalibrated.
 */
const FILE = 'scenarios/calibration/wannacry-down.nhs-england.yaml';
const calibration = parse(readFileSync(FILE, 'utf8')) as {
  targets: { metric: string; target: number; fitted: boolean; p05: number; p95: number; covered: boolean }[];
};

describe('validation: wannacry-down on nhs-england under the calibrated parameters', { timeout: 240_000 }, () => {
  it('stays within the calibrated bands and keeps covering the targets it covered', async () => {
    const compiled = compileInputs(loadInputs('wannacry-down', { twin: 'nhs-england', calibration: FILE }));
    const runner = new BatchRunner({ workers: 2 });
    const result = await runner.run(compiled, { runs: 30, seed: 1 });
    await runner.close();
    const width = result.metricNames.length;
    const column = (metric: string) => Array.from({ length: result.runs }, (_, r) => result.rows[r * width + result.metricNames.indexOf(metric)]!);
    for (const t of calibration.targets) {
      const values = column(t.metric);
      const median = quantile(values, 0.5);
      expect(median, `${t.metric} median`).toBeGreaterThanOrEqual(t.p05);
      expect(median, `${t.metric} median`).toBeLessThanOrEqual(t.p95);
      if (t.covered) {
        expect(quantile(values, 0.05), `${t.metric} p05`).toBeLessThanOrEqual(t.target);
        expect(quantile(values, 0.95), `${t.metric} p95`).toBeGreaterThanOrEqual(t.target);
      }
    }
    // The model produces disruption without infection, as the NAO found (46 trusts).
    expect(quantile(column('trustsDisruptedWithoutInfection'), 0.5)).toBeGreaterThan(0);
  });
});
