import { describe, expect, it } from 'vitest';
import { compile, kindMask } from '../../../engine/compile/compile.js';
import { CONTROL } from '../../../engine/compile/model.js';
import { ETERNAL_BLUE, MINIMED, node, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';

/** compile() as the sequence of its steps: each step's output reaches the model, and the regime's controls change only arrays. */
describe('compile', () => {
  const twin = tinyTwin({
    owners: [
      { id: 'trust', kind: 'operator' },
      { id: 'vendor', kind: 'manufacturer' },
    ],
    sites: [{ id: 'hospital', kind: 'acute-trust', region: 'london' }],
    zones: [{ id: 'corp', site: 'hospital', reaches: ['ward'] }, { id: 'ward', site: 'hospital' }],
    services: [{ id: 'outpatients', name: 'Outpatients', unit: 'appointments', demandPerHour: 40, criticality: 3 }],
    nodes: [
      node('pcs', { zone: 'corp', count: 10, vulns: [ETERNAL_BLUE], services: ['outpatients'], recovery: { handsOnMinutes: 20 } }),
      node('pumps', { zone: 'ward', layer: 'physical', kind: 'insulin-pump', count: 2, vulns: [MINIMED], patientsAttached: 1 }),
      node('idp', { site: undefined, layer: 'cloud', kind: 'identity-provider', owner: 'vendor' }),
    ],
    edges: [
      { from: 'pcs', to: 'pumps', relation: 'radio', pattern: 'spread' },
      { from: 'pcs', to: 'idp', relation: 'identity' },
    ],
  });
  const scenario = tinyScenario(twin, {
    threat: {
      kind: 'worm',
      entries: [{ select: { ids: ['pcs'] } }],
      exploits: ['CVE-2017-0144', 'CVE-2019-10964'],
      relations: ['network', 'radio'],
      spread: { dist: 'fixed', minutes: 10 },
      payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 0 } },
    },
    recovery: { staff: 2 },
  });
  const baseline = compile(twin, scenario, tinyRegime());
  const controlled = compile(
    twin,
    scenario,
    tinyRegime({ patchCoverage: 0.5, segmentation: 1, mfa: true, backupRestoreSpeedup: 2, downtimeCapacity: 0.3, extraStaff: 1, edrCoverage: 1 }),
  );

  it('writes numbers and typed arrays over shared memory only', () => {
    for (const [name, value] of Object.entries(baseline.model)) {
      if (typeof value === 'number') continue;
      expect(ArrayBuffer.isView(value), name).toBe(true);
      expect((value as Uint8Array).buffer, name).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('counts members, edges and the twin\'s things', () => {
    const m = baseline.model;
    expect([m.nodeCount, m.edgeCount, m.zoneCount, m.siteCount, m.serviceCount, m.ownerCount]).toEqual([13, 20, 2, 1, 1, 2]);
    expect(m.edgeGroupCount).toBe(4);
  });

  it('changes only what each control stands for', () => {
    const [a, b] = [baseline.model, controlled.model];
    expect([...a.patchChance].filter(Boolean)).toHaveLength(0);
    expect([...b.patchChance].filter(Boolean)).toHaveLength(12); // every pc and pump may be patched (a per-run draw)
    expect([...a.zoneReachOpen]).toEqual([1, 1, 1]);
    expect([...b.zoneReachOpen]).toEqual([1, 0, 1]);
    const identity = [...b.edgeGroup].map((g) => [b.groupControl[g]!, b.groupPass[g]!]).filter(([c]) => c !== -1);
    expect(identity).toEqual(Array.from({ length: 10 }, () => [CONTROL.mfa, Math.fround(0.1)]));
    expect(a.handsOnMinutes[0]).toBe(20);
    expect(b.handsOnMinutes[0]).toBe(10);
    expect([a.downtimeCapacity, b.downtimeCapacity]).toEqual([0, 0.3]);
    expect([a.staffPerQueue, b.staffPerQueue]).toEqual([2, 3]);
    expect([...b.detectSpeedup].every((x) => x === 4)).toBe(true);
    expect([...b.exploitEase]).toEqual([...a.exploitEase]);
    expect([...b.targets]).toEqual([...a.targets]);
  });

  it('names things in the meta, in the arrays\' order', () => {
    expect(baseline.meta).toMatchObject({
      twin: 'tiny',
      scenario: 'tiny',
      regime: 'tiny',
      entryIds: ['pcs', 'pumps', 'idp'],
      entryCounts: [10, 2, 1],
      owners: ['trust', 'vendor'],
      sites: ['hospital'],
      siteKinds: ['acute-trust'],
      regions: ['london'],
      dependencyOwners: ['vendor'],
      zones: ['corp', 'ward'],
      services: ['outpatients'],
      serviceUnits: ['appointments'],
    });
    expect([...baseline.meta.entryStart]).toEqual([0, 10, 12, 13]);
  });

  it('is deterministic', () => {
    const again = compile(twin, scenario, tinyRegime());
    for (const [name, value] of Object.entries(baseline.model)) expect(again.model[name as keyof typeof again.model], name).toEqual(value);
  });

  it('still exports kindMask', () => {
    expect(kindMask(['infusion-pump'])).toBe(1);
  });
});
