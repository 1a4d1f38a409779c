import { describe, expect, it } from 'vitest';
import { compileMembers, indexById, selectMembers } from '../../../engine/compile/members.js';
import { expand, node, tinyTwin } from './tiny.js';

describe('compileMembers', () => {
  // Entries: a (1 member), pumps (3 members, in zone ward whose site is clinic), cloud (1 member, no site).
  const twin = tinyTwin({
    sites: [
      { id: 'hospital', kind: 'acute-trust' },
      { id: 'clinic', kind: 'community-trust' },
    ],
    zones: [
      { id: 'corporate', site: 'hospital' },
      { id: 'ward', site: 'clinic' },
      { id: 'dmz' },
    ],
    nodes: [
      node('a', { zone: 'corporate', patientsAttached: 0, records: 5_000_000 }),
      { id: 'pumps', layer: 'physical', kind: 'insulin-pump', owner: 'vendor', zone: 'ward', count: 3, patientsAttached: 1, recovery: { handsOnMinutes: 30 } },
      { id: 'cloud', layer: 'cloud', kind: 'ehr', owner: 'vendor', recovery: { handsOnMinutes: 60 } },
      node('proxy', { zone: 'dmz', site: 'clinic' }),
    ],
  });
  const members = compileMembers(twin, expand(twin));

  it('writes layer and kind as indices into LAYERS and NODE_KINDS, the same on every member of a group', () => {
    expect([...members.layer]).toEqual([1, 0, 0, 0, 2, 1]); // network, physical ×3, cloud, network
    expect([...members.kind]).toEqual([17, 1, 1, 1, 20, 17]); // server, insulin-pump ×3, ehr, server
  });

  it('places members in their zone, and in their own site, else their zone\'s, else none', () => {
    expect([...members.zone]).toEqual([0, 1, 1, 1, -1, 2]);
    expect([...members.site]).toEqual([0, 1, 1, 1, -1, 1]);
    expect([...members.owner]).toEqual([0, 1, 1, 1, 1, 0]);
  });

  it('keeps patients and records per member', () => {
    expect([...members.patients]).toEqual([0, 1, 1, 1, 0, 0]);
    expect([...members.records]).toEqual([5_000_000, 0, 0, 0, 0, 0]);
  });

  it('writes into shared memory, one element per member', () => {
    expect(members.layer.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(members.site).toHaveLength(6);
  });
});

describe('selectMembers and indexById', () => {
  it('expands the selected entries to their members in document order', () => {
    const twin = tinyTwin({ nodes: [node('a', { count: 2 }), node('b', { layer: 'cloud', kind: 'ehr' }), node('c', { count: 3 })] });
    const { entryStart } = expand(twin);
    expect(selectMembers(twin, entryStart, { kinds: ['server'] })).toEqual([0, 1, 3, 4, 5]);
    expect(selectMembers(twin, entryStart, { ids: ['b'] })).toEqual([2]);
    expect(indexById(twin.nodes)).toEqual(new Map([['a', 0], ['b', 1], ['c', 2]]));
  });
});
