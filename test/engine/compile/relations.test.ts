import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/compile/compile.js';
import { RELATION_EASE } from '../../../engine/compile/ease.js';
import { easeOf, needsExploit, relationOf } from '../../../engine/compile/model.js';
import { RELATIONS, type Relation } from '../../../engine/model/vocabulary.js';
import { ETERNAL_BLUE, node, OPERATOR_FIELDS, tinyRegime, tinyScenario, tinyTwin, tinyUpdate } from './tiny.js';

/**
 * Compile must read relations by name through RELATIONS (engine/model/vocabulary.ts), never by a literal
 * index: every expectation here is written by relation name, so reordering RELATIONS fails these tests if
 * any step of compile assumed the old order.
 */

/** `from` at the hospital, `to` (an EternalBlue target, ease 0.44/0.77) off site, one `relation` edge between them. */
function oneEdge(relation: Relation) {
  const twin = tinyTwin({
    nodes: [node('from', { vulns: [ETERNAL_BLUE] }), node('to', { site: undefined, layer: 'cloud', kind: 'ehr', owner: 'vendor', vulns: [ETERNAL_BLUE] })],
    edges: [{ from: 'from', to: 'to', relation }],
  });
  return { twin, model: compile(twin, tinyScenario(twin, { threat: { kind: 'intrusion', entries: [{ select: { ids: ['from'] } }], exploits: ['CVE-2017-0144'], relations: [relation], ...OPERATOR_FIELDS, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } } }), tinyRegime({ mfa: true })).model };
}

const TARGET_EASE = Math.fround(0.44 / 0.77);

describe('relation codes follow RELATIONS', () => {
  it('gives a data flow RELATION_EASE.data times the target\'s ease', () => {
    const { model } = oneEdge('data');
    expect(relationOf(model, 0)).toBe(RELATIONS.indexOf('data'));
    expect(easeOf(model, 0)).toBe(Math.fround(RELATION_EASE.data * TARGET_EASE));
    expect(needsExploit(relationOf(model, 0))).toBe(true);
  });

  it.each(RELATIONS.map((r) => [r]))('%s: its code, ease, exploit, controls, traversal mask and site dependency', (relation) => {
    const { model } = oneEdge(relation);
    const credential = relation === 'identity' || relation === 'management';
    const exploitFree = credential || relation === 'update';
    expect(relationOf(model, 0)).toBe(RELATIONS.indexOf(relation));
    expect(easeOf(model, 0)).toBe(Math.fround(RELATION_EASE[relation] * (exploitFree ? 1 : TARGET_EASE)));
    expect(needsExploit(relationOf(model, 0))).toBe(!exploitFree);
    expect(model.groupPass[model.edgeGroup[0]!]).toBe(credential ? Math.fround(0.1) : 1); // the regime has MFA
    expect(model.relationMask).toBe(1 << RELATIONS.indexOf(relation));
    // A site depends on what its members exchange data with or sign in at outside it.
    expect([...model.siteDependencies]).toEqual(relation === 'data' || relation === 'identity' ? [1] : []);
  });

  it('offers a faulty update along update edges only', () => {
    for (const relation of RELATIONS) {
      // pc (index 1) is offered the update; other (index 2) only when joined by an update edge too.
      const twin = tinyTwin({
        nodes: [node('vendor-cloud', { layer: 'cloud', kind: 'update-service' }), node('pc'), node('other')],
        edges: [
          { from: 'vendor-cloud', to: 'pc', relation: 'update' },
          { from: 'vendor-cloud', to: 'other', relation },
        ],
      });
      const model = compile(twin, tinyUpdate(twin, 'vendor-cloud', ['pc', 'other']), tinyRegime()).model;
      expect([...model.waveEndpoints]).toEqual(relation === 'update' ? [1, 2] : [1]);
      expect(model.relationMask).toBe(1 << RELATIONS.indexOf('update'));
    }
  });
});
