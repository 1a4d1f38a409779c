import { describe, expect, it } from 'vitest';
import { KERNELS } from './both.js';
import { T_COMPROMISE, TraceBuffer } from '../../../engine/kernel/trace.js';
import { build, chain, recovery, SMB, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';

/**
 * Statistical checks at fixed seeds. Tolerances are stated in standard errors of the estimate at the run
 * count used, wide enough (4 SE: a false alarm about once in 16,000 for a normal estimate) that a correct
 * kernel passes whatever the seed, narrow enough that a wrong rate or a wrong distribution fails.
 */
describe('exponential delays along a path', () => {
  it('give the Erlang arrival time: mean k·μ, variance k·μ²', () => {
    const k = 5;
    const mean = 30;
    const scenario = tinyScenario({
      horizonHours: 100,
      threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: mean }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
    });
    const compiled = build(tinyTwin(chain(Array.from({ length: k + 1 }, () => 'network' as const).map((l, i) => (i === k ? 'cloud' : l)))), scenario);
    const runs = 4000;
    const times: number[] = [];
    for (let r = 0; r < runs; r++) times.push(KERNELS.fast(compiled, 99, r)['reachedAt.cloud']!);
    const m = times.reduce((a, b) => a + b, 0) / runs;
    const v = times.reduce((a, b) => a + (b - m) ** 2, 0) / (runs - 1);
    // SE of the mean: sqrt(kμ²/runs) = 30·sqrt(5/4000) ≈ 1.06 min. SE of the variance of an Erlang(5) sample:
    // sqrt((μ4 − σ⁴)/runs) with μ4 = 3σ⁴ + 6kμ⁴ (excess kurtosis 6/k), ≈ 0.045·σ² here.
    expect(Math.abs(m - k * mean)).toBeLessThan(4 * 1.06);
    expect(Math.abs(v / (k * mean * mean) - 1)).toBeLessThan(4 * 0.045);
  });
});

describe('an independent-cascade configuration', () => {
  it('matches exact enumeration of the outbreak-size distribution', () => {
    // s → a, s → b, a → c, b → c over identity edges under least privilege: each attempt passes with
    // probability p = 0.2, independently, with fixed delays — an independent cascade.
    const p = 0.2;
    const node = (id: string) => ({ id, layer: 'cloud' as const, kind: 'identity-provider' as const, owner: 'trust', vulns: [SMB], recovery });
    const twin = tinyTwin({
      nodes: [node('n0'), node('a'), node('b'), node('c')],
      edges: [
        { from: 'n0', to: 'a', relation: 'identity' },
        { from: 'n0', to: 'b', relation: 'identity' },
        { from: 'a', to: 'c', relation: 'identity' },
        { from: 'b', to: 'c', relation: 'identity' },
      ],
    });
    const scenario = tinyScenario({
      threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], relations: ['identity'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
    });
    const compiled = build(twin, scenario, tinyRegime({ leastPrivilege: true }));
    // Exact: enumerate the 16 outcomes of the four edges' coin flips.
    const exact = [0, 0, 0, 0, 0];
    for (let mask = 0; mask < 16; mask++) {
      const open = (e: number) => (mask >> e) & 1;
      const prob = [0, 1, 2, 3].reduce((q, e) => q * (open(e) ? p : 1 - p), 1);
      const a = open(0);
      const b = open(1);
      const c = (a && open(2)) || (b && open(3)) ? 1 : 0;
      exact[1 + a + b + c]! += prob;
    }
    const runs = 20_000;
    const seen = [0, 0, 0, 0, 0];
    for (let r = 0; r < runs; r++) seen[KERNELS.fast(compiled, 3, r).compromised!]!++;
    for (let size = 1; size <= 4; size++) {
      const q = exact[size]!;
      const se = Math.sqrt((q * (1 - q)) / runs);
      expect(Math.abs(seen[size]! / runs - q), `P(size = ${size})`).toBeLessThan(4 * se + 1e-9);
    }
  });
});

describe('in-zone scanning', () => {
  it('probes the healthy reachable targets uniformly, whichever stage of the pick finds one', () => {
    // One scanner and 4 vulnerable hosts in a flat zone that also reaches a zone of 36 more, closed by
    // segmentation: 4 healthy open targets of 41 slots (the scanner's own included), so a probe's 8
    // candidates from the whole reach list all miss in ~43% of probes and the exact pick among the healthy
    // takes over. The first member the scanner compromises must be uniform over the 4.
    const twin = tinyTwin({
      zones: [
        { id: 'a', site: 'hospital', flat: true, reaches: ['b'] },
        { id: 'b', site: 'hospital', flat: true },
      ],
      nodes: [
        { id: 'n0', layer: 'network', kind: 'server', owner: 'trust', zone: 'a', vulns: [SMB], recovery },
        { id: 'near', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', zone: 'a', count: 4, vulns: [SMB], recovery },
        { id: 'far', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', zone: 'b', count: 36, vulns: [SMB], recovery },
      ],
    });
    const scenario = tinyScenario({
      horizonHours: 100,
      threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: 30 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
    });
    const compiled = build(twin, scenario, tinyRegime({ segmentation: 1 }));
    const healthy = [1, 2, 3, 4];
    // The fast kernel's trace (the reference kernel agrees with it run for run: agreement.test.ts).
    const runs = 8000;
    const first = new Map<number, number>();
    for (let r = 0; r < runs; r++) {
      const trace = new TraceBuffer();
      KERNELS.fast(compiled, 5, r, { trace });
      for (let i = 0; i < trace.length; i++) {
        if (trace.kind[i] === T_COMPROMISE && trace.from[i]! >= 0) {
          first.set(trace.node[i]!, (first.get(trace.node[i]!) ?? 0) + 1);
          break;
        }
      }
    }
    expect([...first.keys()].sort((a, b) => a - b)).toEqual(healthy);
    const e = runs / 4;
    // χ²(3) at the 0.1% upper tail ≈ 16.3.
    expect([...first.values()].reduce((a, c) => a + (c - e) ** 2 / e, 0)).toBeLessThan(16.3);
  });
});
