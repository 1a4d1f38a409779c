import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../engine/batch/batch.js';
import { compareBatches, summarizeBatch } from '../../../engine/batch/summarize.js';
import { compile } from '../../../engine/compile/compile.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../../engine/model/load.js';
import { recovery, SMB, tinyRegime, tinyScenario, tinyTwin } from '../kernel/tiny.js';

describe('comparing regimes with common random numbers', () => {
  it('gives a paired interval much narrower than the unpaired one for a control that blocks about half of infections', async () => {
    // A compromised hub with a network path to 60 vulnerable hosts, each attempted once before the kill
    // switch (P = 1 − e⁻¹ each). Patching half the hosts blocks about half of the infections.
    const twin = twinFromValue(
      tinyTwin({
        nodes: [
          { id: 'hub', layer: 'network', kind: 'server', owner: 'trust', vulns: [SMB], tags: ['unsupported-os'], recovery },
          { id: 'hosts', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', count: 60, vulns: [SMB], recovery },
        ],
        edges: [{ from: 'hub', to: 'hosts', relation: 'network' }],
      }),
      'hub',
    );
    const scenario = scenarioFromValue(
      tinyScenario({
        horizonHours: 24,
        threat: {
          kind: 'worm',
          entries: [{ select: { ids: ['hub'] } }],
          exploits: ['CVE-2017-0144'],
          spread: { dist: 'exponential', meanMinutes: 300 },
          payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
          killSwitchAtMinutes: 300,
        },
      }),
      'hub',
      twin,
    );
    const runs = 400;
    const baseline = await runBatch(compile(twin, scenario, regimeFromValue(tinyRegime(), 'r')), { runs, seed: 77, workers: 0 });
    const patched = await runBatch(compile(twin, scenario, regimeFromValue(tinyRegime({ patchCoverage: 0.5, patchSupportedOnly: true }), 'r')), { runs, seed: 77, workers: 0 });
    const summary = summarizeBatch(baseline);
    const after = summarizeBatch(patched);
    const ratio = after.compromised!.mean / summary.compromised!.mean;
    // Expected (1 + 30·0.632)/(1 + 60·0.632) ≈ 0.51; SE of the ratio at 400 runs is about 0.01.
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.57);
    const comparison = compareBatches(baseline, patched).compromised!;
    expect(comparison.paired.hi).toBeLessThan(0);
    // Same seeds in both regimes: the runs are positively correlated and the paired interval is tighter. Each
    // host is patched with probability 1/2, drawn per run (kernel/estate.ts), so with X the host's infection
    // (P = 0.632) and Q its patch: Var(B − A) = 60·Var(XQ) = 60(0.316 − 0.100) = 13.0, Var(A) = 60·0.632·0.368 =
    // 13.9, Var(B) = 13.0: paired over unpaired half-width √(13.0 / 26.9) = 0.69, correlation 6.98 / √(13.9·13.0)
    // = 0.52. (With the patched half fixed across runs, as before per-run estates, it was 0.58 and 0.71.)
    // Margins: about 3 standard errors at 400 runs (≈ 0.03 for the ratio, ≈ 0.04 for r).
    expect(comparison.correlation).toBeGreaterThan(0.4);
    expect(comparison.paired.halfWidth).toBeLessThan(0.8 * comparison.unpaired.halfWidth);
  });
});
