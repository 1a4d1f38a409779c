import { describe, expect, it } from 'vitest';
import { compileMembers } from '../../../engine/compile/members.js';
import { compileZones } from '../../../engine/compile/zones.js';
import { hashUnit } from '../../../engine/model/expand.js';
import { expand, indicesOf, node, tinyTwin } from './tiny.js';

describe('compileZones: reach', () => {
  const twin = tinyTwin({
    zones: [
      { id: 'corp', reaches: ['ward', 'dmz', 'lab'], essential: ['lab'] },
      { id: 'ward', flat: false, reaches: ['corp'] },
      { id: 'dmz' },
      { id: 'lab' },
    ],
    nodes: [node('a', { zone: 'corp' }), node('pumps', { zone: 'ward', count: 3 }), node('web', { zone: 'dmz' }), node('analyser', { zone: 'lab' })],
  });
  const expanded = expand(twin);
  const { zone } = compileMembers(twin, expanded);
  const none = new Float32Array(expanded.nodeCount);

  it('lists each zone\'s reach, itself first when flat; its own and essential entries are essential', () => {
    const z = compileZones(twin, expanded, zone, none, 0);
    expect([...z.zoneReachOffsets]).toEqual([0, 4, 5, 6, 7]);
    expect([...z.zoneReach]).toEqual([0, 1, 2, 3, 0, 2, 3]);
    expect([...z.zoneReachEssential]).toEqual([1, 0, 0, 1, 0, 1, 1]);
    expect([...z.zoneReachOpen]).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('segmentation 1 closes every non-essential cross-zone entry and nothing else', () => {
    expect([...compileZones(twin, expanded, zone, none, 1).zoneReachOpen]).toEqual([1, 0, 0, 1, 0, 1, 1]);
  });

  it('segmentation s closes the non-essential flows whose hash falls below s', () => {
    const z = compileZones(twin, expanded, zone, none, 0.5);
    const open = (from: string, to: string) => (hashUnit(`segment/${from}/${to}`) >= 0.5 ? 1 : 0);
    expect([...z.zoneReachOpen]).toEqual([1, open('corp', 'ward'), open('corp', 'dmz'), 1, open('ward', 'corp'), 1, 1]);
  });

  it('closes about that share of many flows, the same ones every time, more as s grows', () => {
    const spokes = Array.from({ length: 200 }, (_, i) => `z${i}`);
    const hub = tinyTwin({ zones: [{ id: 'hub', reaches: spokes }, ...spokes.map((id) => ({ id }))], nodes: [node('a', { zone: 'hub' })] });
    const e = expand(hub);
    const m = compileMembers(hub, e);
    const closedAt = (s: number) => indicesOf(compileZones(hub, e, m.zone, new Float32Array(1), s).zoneReachOpen.map((x) => 1 - x));
    const third = closedAt(0.3);
    const twoThirds = closedAt(2 / 3);
    expect(third.length / 200).toBeGreaterThan(0.2);
    expect(third.length / 200).toBeLessThan(0.4);
    expect(twoThirds.length / 200).toBeGreaterThan(0.57);
    expect(twoThirds.length / 200).toBeLessThan(0.77);
    expect(third.every((k) => twoThirds.includes(k))).toBe(true);
    expect(closedAt(0.3)).toEqual(third);
  });
});

describe('compileZones: scan targets', () => {
  it('lists each zone\'s members with an exploitable vulnerability (patched or not), in member order', () => {
    const twin = tinyTwin({ zones: [{ id: 'corp' }, { id: 'ward' }], nodes: [node('pcs', { zone: 'corp', count: 3 }), node('pumps', { zone: 'ward', count: 2 }), node('cloud', { layer: 'cloud', kind: 'ehr' })] });
    const expanded = expand(twin);
    const { zone } = compileMembers(twin, expanded);
    const z = compileZones(twin, expanded, zone, new Float32Array([0.5, 0, 1, 0.25, 0, 1]), 0);
    expect([...z.zoneTargetOffsets]).toEqual([0, 2, 3]);
    expect([...z.zoneTargets]).toEqual([0, 2, 3]); // pcs#0, pcs#2, pumps#0; the cloud member has no zone
  });
});
