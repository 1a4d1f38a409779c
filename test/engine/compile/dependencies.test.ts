import { describe, expect, it } from 'vitest';
import { siteDependencies } from '../../../engine/compile/dependencies.js';
import { compileEdges } from '../../../engine/compile/edges.js';
import { compileMembers } from '../../../engine/compile/members.js';
import { expand, node, tinyTwin } from './tiny.js';

describe('siteDependencies', () => {
  it('lists per site what its members exchange data with or sign in at outside it, by owner then index', () => {
    const twin = tinyTwin({
      owners: [
        { id: 'trust', kind: 'operator' },
        { id: 'vendor', kind: 'manufacturer' },
        { id: 'nhs', kind: 'national' },
      ],
      sites: [
        { id: 'hospital', kind: 'acute-trust' },
        { id: 'practice', kind: 'gp-practice' },
      ],
      // Members: pc 0 (hospital), local 1 (hospital), spine 2 (nhs, no site), ehr 3 (vendor, no site),
      // idp 4 (trust, no site), gp 5 (practice), gp2 6 (practice).
      nodes: [
        node('pc'),
        node('local'),
        node('spine', { site: undefined, layer: 'cloud', kind: 'national-service', owner: 'nhs' }),
        node('ehr', { site: undefined, layer: 'cloud', kind: 'ehr', owner: 'vendor' }),
        node('idp', { site: undefined, layer: 'cloud', kind: 'identity-provider' }),
        node('gp', { site: 'practice', layer: 'physical', kind: 'gp-workstation' }),
        node('gp2', { site: 'practice', layer: 'physical', kind: 'gp-workstation' }),
      ],
      edges: [
        { from: 'pc', to: 'spine', relation: 'data' },
        { from: 'pc', to: 'ehr', relation: 'data' },
        { from: 'pc', to: 'idp', relation: 'identity' },
        { from: 'pc', to: 'local', relation: 'data' }, // inside the site: no dependency
        { from: 'local', to: 'ehr', relation: 'identity' }, // already listed for the hospital
        { from: 'pc', to: 'gp', relation: 'network' }, // not data or identity
        { from: 'gp', to: 'ehr', relation: 'data' },
        { from: 'gp2', to: 'pc', relation: 'identity' }, // another site counts as outside
        { from: 'spine', to: 'gp', relation: 'data' }, // out of no site
      ],
    });
    const expanded = expand(twin);
    const { site, owner } = compileMembers(twin, expanded);
    const d = siteDependencies(twin.sites.length, site, owner, compileEdges(twin, expanded, new Float32Array(expanded.nodeCount), {}));
    expect(d.owners).toEqual([0, 1, 2]); // trust, vendor, nhs
    expect([...d.offsets]).toEqual([0, 3, 5]);
    expect([...d.nodes]).toEqual([4, 3, 2, 0, 3]); // hospital: idp (trust), ehr (vendor), spine (nhs); practice: pc (trust), ehr
    expect([...d.columns]).toEqual([0, 1, 2, 0, 1]);
  });

  it('gives no columns when no site depends on anything outside it', () => {
    const twin = tinyTwin({ nodes: [node('a'), node('b')], edges: [{ from: 'a', to: 'b', relation: 'data' }] });
    const expanded = expand(twin);
    const { site, owner } = compileMembers(twin, expanded);
    const d = siteDependencies(1, site, owner, compileEdges(twin, expanded, new Float32Array(2), {}));
    expect(d.owners).toEqual([]);
    expect([...d.offsets]).toEqual([0, 0]);
  });
});
