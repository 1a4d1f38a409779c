import { describe, expect, it } from 'vitest';
import { layerCrossings, layerReachability, summarizeTwin, twinToGraph } from '../../../engine/model/graph.js';
import { loadTwinFile } from '../../../engine/model/load-file.js';
import { twinFromValue } from '../../../engine/model/load.js';

const recovery = { handsOnMinutes: 10 };

describe('the twin as a graphology graph', () => {
  const chain = twinFromValue(
    {
      schema: 'strata.twin/v1',
      name: 'chain',
      owners: [{ id: 'o', kind: 'operator' }],
      nodes: [
        { id: 'cloud', layer: 'cloud', kind: 'update-service', owner: 'o', recovery },
        { id: 'gw', layer: 'network', kind: 'on-prem-gateway', owner: 'o', recovery },
        { id: 'pumps', layer: 'physical', kind: 'infusion-pump', owner: 'o', count: 5, recovery },
        { id: 'island', layer: 'physical', kind: 'pacemaker', owner: 'o', recovery },
      ],
      edges: [
        { from: 'cloud', to: 'gw', relation: 'update' },
        { from: 'gw', to: 'pumps', relation: 'management' },
      ],
    },
    'chain.yaml',
  );

  it('keeps groups as one graph node with their count', () => {
    const graph = twinToGraph(chain);
    expect(graph.order).toBe(4);
    expect(graph.size).toBe(2);
    expect(graph.getNodeAttribute('pumps', 'count')).toBe(5);
  });

  it('finds which layers reach which, and in how many hops, following edge direction', () => {
    const reach = layerReachability(twinToGraph(chain));
    expect(reach.cloud).toEqual({ physical: 2, network: 1, cloud: null });
    expect(reach.network).toEqual({ physical: 1, network: null, cloud: null });
    expect(reach.physical).toEqual({ physical: null, network: null, cloud: null });
  });

  it('follows a bidirectional edge both ways', () => {
    const both = twinFromValue(
      {
        schema: 'strata.twin/v1',
        name: 'both',
        owners: [{ id: 'o', kind: 'operator' }],
        nodes: [
          { id: 'pump', layer: 'physical', kind: 'infusion-pump', owner: 'o', recovery },
          { id: 'switch', layer: 'network', kind: 'on-prem-gateway', owner: 'o', recovery },
          { id: 'cloud', layer: 'cloud', kind: 'update-service', owner: 'o', recovery },
        ],
        edges: [
          { from: 'pump', to: 'switch', relation: 'network', bidirectional: true },
          { from: 'switch', to: 'cloud', relation: 'network', bidirectional: true },
        ],
      },
      'both.yaml',
    );
    const reach = layerReachability(twinToGraph(both));
    expect(reach.physical).toEqual({ physical: null, network: 1, cloud: 2 });
    expect(reach.network).toEqual({ physical: 1, network: null, cloud: 1 });
    expect(reach.cloud).toEqual({ physical: 2, network: 1, cloud: null });
  });

  it('gives each layer its fewest hops to the others, as a search from every node would', () => {
    // A random graph (fixed seed) with some bidirectional edges, against the plain definition: the least,
    // over the layer's nodes, of the hops from that node alone.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const layers = ['physical', 'network', 'cloud'] as const;
    const n = 120;
    // No edge between the physical and cloud layers, so those two reach each other in two hops or more.
    const layerOf = Array.from({ length: n }, () => layers[Math.floor(random() * 3)]!);
    const edges = Array.from({ length: 160 }, () => [Math.floor(random() * n), Math.floor(random() * n), random() < 0.3] as const).filter(
      ([a, b]) => a !== b && Math.abs(layers.indexOf(layerOf[a]!) - layers.indexOf(layerOf[b]!)) < 2,
    );
    const twin = twinFromValue(
      {
        schema: 'strata.twin/v1',
        name: 'random',
        owners: [{ id: 'o', kind: 'operator' }],
        nodes: layerOf.map((layer, i) => ({ id: `n${i}`, layer, kind: { physical: 'infusion-pump', network: 'on-prem-gateway', cloud: 'update-service' }[layer], owner: 'o', recovery })),
        edges: edges.map(([a, b, both]) => ({ from: `n${a}`, to: `n${b}`, relation: 'network', ...(both ? { bidirectional: true } : {}) })),
      },
      'random.yaml',
    );
    const next = Array.from({ length: n }, () => [] as number[]);
    for (const [a, b, both] of edges) {
      next[a]!.push(b);
      if (both) next[b]!.push(a);
    }
    const hopsFrom = (source: number) => {
      const depth = new Array<number>(n).fill(-1);
      depth[source] = 0;
      for (const queue = [source]; queue.length > 0; ) {
        const u = queue.shift()!;
        for (const v of next[u]!) {
          if (depth[v] !== -1) continue;
          depth[v] = depth[u]! + 1;
          queue.push(v);
        }
      }
      return depth;
    };
    const expected = Object.fromEntries(layers.map((from) => [from, Object.fromEntries(layers.map((to) => [to, null as number | null]))]));
    for (let s = 0; s < n; s++) {
      hopsFrom(s).forEach((d, t) => {
        const [from, to] = [layerOf[s]!, layerOf[t]!];
        if (d > 0 && from !== to && (expected[from]![to] === null || d < expected[from]![to]!)) expected[from]![to] = d;
      });
    }
    const reach = layerReachability(twinToGraph(twin));
    expect(reach).toEqual(expected);
    expect(Object.values(reach).flatMap((r) => Object.values(r)).filter((d) => d !== null && d > 1).length).toBeGreaterThan(0);
  });

  it('counts up- and down-crossing edges', () => {
    expect(layerCrossings(chain)).toEqual({ up: 0, down: 2, within: 0 });
  });

  it('summarizes the ward per layer, kind, zone and owner, counting group members', () => {
    const ward = loadTwinFile('scenarios/twins/ward.yaml');
    const summary = summarizeTwin(ward);
    expect(summary.entries).toBe(ward.nodes.length);
    expect(summary.nodes).toBe(ward.nodes.reduce((s, n) => s + n.count, 0));
    expect(Object.values(summary.byLayer).reduce((a, b) => a + b, 0)).toBe(summary.nodes);
    expect(summary.byKind['infusion-pump']).toBe(24);
    const reach = layerReachability(twinToGraph(ward));
    // The ward is cross-layer in both directions: devices reach the cloud and the cloud reaches devices.
    expect(reach.physical.cloud).not.toBeNull();
    expect(reach.cloud.physical).not.toBeNull();
  });
});
