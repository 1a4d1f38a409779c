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
