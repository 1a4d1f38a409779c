import { describe, expect, it } from 'vitest';
import { compileEdges } from '../../../engine/compile/edges.js';
import { DEFAULT_HALT_DELAY, compileRollout, unitOf } from '../../../engine/compile/rollout.js';
import { packDelay } from '../../../engine/compile/delay.js';
import { expand, node, tinyScenario, tinyTwin, tinyUpdate, MS08_067 } from './tiny.js';

describe('compileRollout', () => {
  // Members: cs 0, cs2 1, pcs#0..#7 2-9, extra 10, srv 11. cs updates the pcs (and only reaches srv on the
  // network); cs2 updates the pcs too and, alone, extra.
  const twin = tinyTwin({
    nodes: [
      node('cs', { layer: 'cloud', kind: 'update-service', owner: 'vendor' }),
      node('cs2', { layer: 'cloud', kind: 'update-service', owner: 'vendor' }),
      node('pcs', { layer: 'physical', kind: 'clinical-workstation', count: 8 }),
      node('extra', { vulns: [MS08_067] }),
      node('srv'),
    ],
    edges: [
      { from: 'cs', to: 'pcs', relation: 'update' },
      { from: 'cs', to: 'srv', relation: 'network' },
      { from: 'cs2', to: 'pcs', relation: 'update' },
      { from: 'cs2', to: 'extra', relation: 'update' },
    ],
  });
  const expanded = expand(twin);
  const edges = compileEdges(twin, expanded, new Float32Array(expanded.nodeCount), {});
  const update = tinyUpdate(twin, 'cs', ['pcs']).threat;
  const both = { ...update, source: { ids: ['cs', 'cs2'] } };

  it('fixes each endpoint\'s canary number by its index (pinned: changing it changes every staged result)', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => Math.round(unitOf(i) * 1e4) / 1e4)).toEqual([0.0233, 0.2346, 0.5363, 0.4673, 0.7993, 0.3855, 0.775, 0.0535, 0.4503]);
  });

  it('puts each endpoint in the first wave whose cumulative share exceeds its canary number', () => {
    const r = compileRollout(twin, expanded, both, { waves: [0.1, 0.5, 1], waveIntervalMinutes: 60, haltAfterFailures: 3 }, edges);
    // From the unit numbers above: below 0.1 → wave 0 (pcs#0, pcs#7), below 0.5 → wave 1, else wave 2.
    expect([...r.waveOffsets]).toEqual([0, 2, 6, 9]);
    expect([...r.waveEndpoints]).toEqual([2, 9, 3, 5, 7, 10, 4, 6, 8]);
    // Each endpoint offered once, by the first source in member order: extra only by cs2 (member 1).
    expect([...r.waveSources]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect([...r.wave]).toEqual([0, 0, 0, 1, 2, 1, 2, 1, 2, 0, 1, 0]);
    expect(r.waveIntervalMinutes).toBe(60);
    expect(r.haltAfterFailures).toBe(3);
    // No halt delay given: the assumed one (lognormal, median 20 minutes, sigma 0.8); a given one is kept.
    expect([...r.haltDelay]).toEqual([...packDelay(DEFAULT_HALT_DELAY)]);
    expect(DEFAULT_HALT_DELAY).toEqual({ dist: 'lognormal', medianMinutes: 20, sigma: 0.8 });
    const given = compileRollout(twin, expanded, both, { waves: [1], waveIntervalMinutes: 60, haltAfterFailures: 3, haltDelay: { dist: 'fixed', minutes: 7 } }, edges);
    expect([...given.haltDelay]).toEqual([...packDelay({ dist: 'fixed', minutes: 7 })]);
  });

  it('marks the members the update breaks', () => {
    const r = compileRollout(twin, expanded, both, undefined, edges);
    expect([...r.affected]).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('offers every endpoint at once without staged rollout, from the named sources only', () => {
    const r = compileRollout(twin, expanded, update, undefined, edges);
    expect([...r.waveOffsets]).toEqual([0, 8]);
    expect([...r.waveEndpoints]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...r.waveSources]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...r.wave].every((w) => w === 0)).toBe(true);
    expect(r.waveIntervalMinutes).toBe(0);
    expect(r.haltAfterFailures).toBe(Infinity);
    expect(r.haltDelay[1]).toBe(Infinity);
  });

  it('has no endpoints for other threats, whatever the regime', () => {
    const worm = tinyScenario(twin, { threat: { kind: 'worm', entries: [{ select: { ids: ['extra'] } }], exploits: ['CVE-2008-4250'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } } });
    const r = compileRollout(twin, expanded, worm.threat, { waves: [0.1, 1], waveIntervalMinutes: 60, haltAfterFailures: 3 }, edges);
    expect([...r.waveOffsets]).toEqual([0, 0, 0]);
    expect(r.waveEndpoints).toHaveLength(0);
    expect([...r.affected].every((x) => x === 0)).toBe(true);
  });
});
