import { describe, expect, it } from 'vitest';
import { drawEstate } from '../../../engine/kernel/estate.js';
import { RunStreams, STREAM, uniformAt } from '../../../engine/kernel/rng.js';
import { build, recovery, SMB, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';

/** A run's estate (kernel/estate.ts): the twin's shares as per-member chances, drawn per run. */
const twin = tinyTwin({
  nodes: [
    { id: 'n0', layer: 'network', kind: 'server', owner: 'trust', vulns: [SMB], recovery },
    { id: 'pcs', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', count: 1000, vulns: [{ ...SMB, share: 0.3 }], recovery },
  ],
});
const estate = (coverage: number | undefined, run: number) => {
  const { model } = build(twin, tinyScenario({}), tinyRegime(coverage === undefined ? {} : { patchCoverage: coverage }));
  const patched = new Uint8Array(model.nodeCount);
  const unexposed = new Uint8Array(model.nodeCount);
  drawEstate(model, RunStreams.keysOf(5, run), patched, unexposed, new Uint8Array(model.nodeCount));
  return { patched, unexposed };
};
const count = (xs: Uint8Array) => xs.reduce((a, b) => a + b, 0);

describe('a run\'s estate', () => {
  it('carries a flaw held by a share of a group in that share of members on average, differently each run', () => {
    const carriers = Array.from({ length: 40 }, (_, run) => 1000 - count(estate(undefined, run).unexposed.subarray(1)));
    const mean = carriers.reduce((a, b) => a + b, 0) / carriers.length;
    // Binomial(1000, 0.3): sd 14.5 a run, so the mean of 40 runs has SE 2.3; 4 SE either side of 300.
    expect(Math.abs(mean - 300)).toBeLessThan(4 * 2.3);
    expect(new Set(carriers).size).toBeGreaterThan(10);
    expect(estate(undefined, 0).unexposed[0]).toBe(0); // share 1: always carried
  });

  it('patches only carriers, and a higher coverage patches a superset of a lower one in the same run', () => {
    for (let run = 0; run < 5; run++) {
      const low = estate(0.3, run);
      const high = estate(0.6, run);
      expect(Array.from(low.unexposed)).toEqual(Array.from(high.unexposed)); // the regime does not change who carries it
      for (let i = 0; i < low.patched.length; i++) {
        if (low.patched[i] === 1) expect(high.patched[i]).toBe(1);
        if (low.unexposed[i] === 1) expect(high.patched[i]).toBe(0);
      }
      // 0.6 of ~301 carriers: sd ≈ 8.5.
      expect(Math.abs(count(high.patched) - 0.6 * (1001 - count(high.unexposed)))).toBeLessThan(4 * 8.5);
    }
  });

  it('draws what uniformAt gives each member on the estate stream (counters 0 carry, 1 patch, 2 blind), its lanes hashed once', () => {
    const threat = { kind: 'worm' as const, entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'fixed' as const, minutes: 10 }, payload: { effect: 'none' as const, delay: { dist: 'fixed' as const, minutes: 0 } }, killSwitchBlindShare: 0.4 };
    const { model } = build(twin, tinyScenario({ threat }), tinyRegime({ patchCoverage: 0.5 }));
    expect(model.killSwitchBlindShare).toBe(0.4);
    for (let run = 0; run < 3; run++) {
      const keys = RunStreams.keysOf(9, run);
      const n = model.nodeCount;
      const [patched, unexposed, blind] = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
      drawEstate(model, keys, patched, unexposed, blind);
      // The specification, one uniformAt per draw.
      for (let i = 0; i < n; i++) {
        const exploitable = model.exploitEase[i]! > 0;
        const carries = !exploitable || model.carryChance[i]! >= 1 || uniformAt(keys, STREAM.estate, i, 0) < model.carryChance[i]!;
        const patch = model.patchChance[i]!;
        expect(blind[i]).toBe(exploitable && uniformAt(keys, STREAM.estate, i, 2) < 0.4 ? 1 : 0);
        expect(unexposed[i]).toBe(carries ? 0 : 1);
        expect(patched[i]).toBe(exploitable && carries && patch > 0 && (patch >= 1 || uniformAt(keys, STREAM.estate, i, 1) < patch) ? 1 : 0);
      }
      expect(count(blind)).toBeGreaterThan(300);
      expect(count(patched)).toBeGreaterThan(100);
    }
  });
});
