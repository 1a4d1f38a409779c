import { describe, expect, it } from 'vitest';
import { compileMembers } from '../../../engine/compile/members.js';
import { compileSites, regionsOf } from '../../../engine/compile/sites.js';
import { SITE_KINDS } from '../../../engine/model/vocabulary.js';
import { expand, node, tinyTwin } from './tiny.js';

describe('compileSites', () => {
  const twin = tinyTwin({
    sites: [
      { id: 'hospital', kind: 'acute-trust', region: 'south' },
      { id: 'practice', kind: 'gp-practice', region: 'north' },
      { id: 'dc', kind: 'data-centre' },
      { id: 'mh', kind: 'mental-health-trust', region: 'south' },
    ],
    // Members: a 0 (practice), b#0 b#1 1-2 (hospital), cloud 3 (none), c 4 (practice).
    nodes: [node('a', { site: 'practice' }), node('b', { count: 2 }), node('cloud', { site: undefined, layer: 'cloud', kind: 'ehr' }), node('c', { site: 'practice' })],
  });
  const expanded = expand(twin);
  const { site } = compileMembers(twin, expanded);

  it('lists the twin\'s regions in order of first appearance', () => {
    expect(regionsOf(twin)).toEqual(['south', 'north']);
  });

  it('lists each site\'s members (CSR, member order); members without a site in none', () => {
    const s = compileSites(twin, site, regionsOf(twin));
    expect([...s.siteMemberOffsets]).toEqual([0, 2, 4, 4, 4]);
    expect([...s.siteMembers]).toEqual([1, 2, 0, 4]);
  });

  it('writes each site\'s trust flag, kind and region', () => {
    const s = compileSites(twin, site, regionsOf(twin));
    expect([...s.siteIsTrust]).toEqual([1, 0, 0, 1]);
    expect([...s.siteKind]).toEqual(['acute-trust', 'gp-practice', 'data-centre', 'mental-health-trust'].map((k) => SITE_KINDS.indexOf(k as (typeof SITE_KINDS)[number])));
    expect([...s.siteRegion]).toEqual([0, 1, -1, 0]);
    expect(s.regionCount).toBe(2);
  });
});
