import { describe, expect, it } from 'vitest';
import { carriesShare, expandTwin, forEachMemberEdge, memberId, memberIndex } from '../../../engine/model/expand.js';
import { twinFromValue } from '../../../engine/model/load.js';
import type { TwinInput } from '../../../engine/model/twin.js';

const recovery = { handsOnMinutes: 10 };
function twin(edges: TwinInput['edges']): TwinInput {
  return {
    schema: 'strata.twin/v1',
    name: 'tiny',
    owners: [{ id: 'o', kind: 'operator' }],
    nodes: [
      { id: 'pumps', layer: 'physical', kind: 'infusion-pump', owner: 'o', count: 4, recovery },
      { id: 'aps', layer: 'network', kind: 'wifi-ap', owner: 'o', count: 2, recovery },
      { id: 'gw', layer: 'network', kind: 'on-prem-gateway', owner: 'o', recovery },
      { id: 'mirror', layer: 'physical', kind: 'patient-monitor', owner: 'o', count: 4, recovery },
    ],
    edges,
  };
}

function pairs(input: TwinInput): string[] {
  const expanded = expandTwin(twinFromValue(input, 'tiny.yaml'));
  const out: string[] = [];
  forEachMemberEdge(expanded, (source, target) => out.push(`${memberId(expanded, source)}>${memberId(expanded, target)}`));
  expect(out).toHaveLength(expanded.edgeCount);
  return out;
}

describe('expandTwin', () => {
  it('lays members out contiguously per entry, with a sentinel', () => {
    const expanded = expandTwin(twinFromValue(twin([]), 'tiny.yaml'));
    expect(expanded.nodeCount).toBe(11);
    expect([...expanded.entryStart]).toEqual([0, 4, 6, 7, 11]);
    expect([...expanded.entryOf]).toEqual([0, 0, 0, 0, 1, 1, 2, 3, 3, 3, 3]);
    expect(memberId(expanded, 5)).toBe('aps#1');
    expect(memberId(expanded, 6)).toBe('gw');
    expect(memberIndex(expanded, 'aps#1')).toBe(5);
    expect(memberIndex(expanded, 'gw')).toBe(6);
    expect(memberIndex(expanded, 'aps#2')).toBe(-1);
    expect(memberIndex(expanded, 'aps')).toBe(-1);
    expect(memberIndex(expanded, 'nope')).toBe(-1);
  });

  it('expands all, one-to-one, spread and bidirectional patterns member by member', () => {
    expect(pairs(twin([{ from: 'pumps', to: 'gw', relation: 'data' }]))).toEqual(['pumps#0>gw', 'pumps#1>gw', 'pumps#2>gw', 'pumps#3>gw']);
    expect(pairs(twin([{ from: 'pumps', to: 'aps', relation: 'radio', pattern: 'spread' }]))).toEqual([
      'pumps#0>aps#0',
      'pumps#1>aps#0',
      'pumps#2>aps#1',
      'pumps#3>aps#1',
    ]);
    expect(pairs(twin([{ from: 'pumps', to: 'mirror', relation: 'data', pattern: 'one-to-one' }]))).toEqual([
      'pumps#0>mirror#0',
      'pumps#1>mirror#1',
      'pumps#2>mirror#2',
      'pumps#3>mirror#3',
    ]);
    expect(pairs(twin([{ from: 'aps', to: 'gw', relation: 'network', bidirectional: true }]))).toEqual(['aps#0>gw', 'gw>aps#0', 'aps#1>gw', 'gw>aps#1']);
    // A group joined to itself with "all" is a clique without self-loops.
    expect(pairs(twin([{ from: 'aps', to: 'aps', relation: 'network' }]))).toEqual(['aps#0>aps#1', 'aps#1>aps#0']);
  });

  it('is pure: the same twin gives the same arrays', () => {
    const value = twin([{ from: 'pumps', to: 'aps', relation: 'radio', pattern: 'spread', bidirectional: true }]);
    const walk = () => {
      const edges: number[][] = [];
      forEachMemberEdge(expandTwin(twinFromValue(value, 't')), (...edge) => edges.push(edge));
      return edges;
    };
    expect(walk()).toEqual(walk());
  });
});

describe('carriesShare', () => {
  it('marks floor or ceil of share × count members, spread evenly, deterministically', () => {
    for (const [share, count] of [
      [0.83, 100],
      [0.6, 7],
      [0.5, 1],
      [0.01, 1000],
      [0.999, 50],
    ] as const) {
      const carriers = Array.from({ length: count }, (_, k) => carriesShare(share, count, k, 'imaging/CVE-2017-0144'));
      const n = carriers.filter(Boolean).length;
      expect([Math.floor(share * count), Math.ceil(share * count)]).toContain(n);
      expect(carriers).toEqual(Array.from({ length: count }, (_, k) => carriesShare(share, count, k, 'imaging/CVE-2017-0144')));
    }
    expect(carriesShare(1, 3, 2, 'k')).toBe(true);
    expect(carriesShare(0, 3, 2, 'k')).toBe(false);
  });
});
