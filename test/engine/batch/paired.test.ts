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
    // Same seeds in both regimes: the runs are positively correlated and the paired interval is much tighter.
    // The unpatched half's infections cancel exactly: Var(B − A) is one half of Var(A), against Var(A) + Var(B)
    // unpaired — the paired half-width should be about 0.58 of Welch's; require well under that margin's edge.
    expect(comparison.correlation).toBeGreaterThan(0.5);
    expect(comparison.paired.halfWidth).toBeLessThan(0.7 * comparison.unpaired.halfWidth);
  });
});
