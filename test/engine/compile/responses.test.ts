import { describe, expect, it } from 'vitest';
import { DIST_CODE, RESPONSE_CODE } from '../../../engine/compile/model.js';
import { compileResponses, kindMask } from '../../../engine/compile/responses.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';
import { ETERNAL_BLUE, node, tinyScenario, tinyTwin } from './tiny.js';

describe('compileResponses', () => {
  it('sets one bit per NODE_KINDS index', () => {
    expect(kindMask([])).toBe(0);
    expect(kindMask(['infusion-pump'])).toBe(1 << NODE_KINDS.indexOf('infusion-pump'));
    expect(kindMask(['infusion-pump', 'insulin-pump', 'infusion-pump'])).toBe((1 << NODE_KINDS.indexOf('infusion-pump')) | (1 << NODE_KINDS.indexOf('insulin-pump')));
  });

  it('packs each response as [code, kinds, scope, share] and its delay, in the scenario\'s order', () => {
    const twin = tinyTwin({ nodes: [node('n0', { vulns: [ETERNAL_BLUE] }), node('pump', { layer: 'physical', kind: 'infusion-pump' }), node('pacs', { kind: 'pacs' })] });
    const scenario = tinyScenario(twin, {
      responses: [
        { action: 'isolate-zone', delay: { dist: 'fixed', minutes: 60 }, scope: 'site' },
        { action: 'revoke-identities', delay: { dist: 'exponential', meanMinutes: 120 } },
        { action: 'halt-update', delay: { dist: 'fixed', minutes: 5 } },
        { action: 'disconnect-kind', kinds: ['infusion-pump', 'pacs'], scope: 'estate', share: 0.6, delay: { dist: 'lognormal', medianMinutes: 90, sigma: 0.5 } },
      ],
      escalation: { afterSites: 3, delay: { dist: 'fixed', minutes: 45 } },
    });
    const r = compileResponses(scenario.responses, scenario.escalation);
    const pumpsAndPacs = (1 << NODE_KINDS.indexOf('infusion-pump')) | (1 << NODE_KINDS.indexOf('pacs'));
    // Site scope is the default: a site acts on its own detection; the estate-wide one waits for the alert.
    expect([...r.responseParams]).toEqual([0, 0, 1, 1, 1, 0, 1, 1, 2, 0, 1, 1, 3, pumpsAndPacs, 0, 0.6]);
    expect(r.escalationSites).toBe(3);
    expect([...r.escalationDelay]).toEqual([DIST_CODE.fixed, 45, 0]);
    expect(RESPONSE_CODE).toEqual({ 'isolate-zone': 0, 'revoke-identities': 1, 'halt-update': 2, 'disconnect-kind': 3 });
    expect([...r.responseDelays]).toEqual([DIST_CODE.fixed, 60, 0, DIST_CODE.exponential, 120, 0, DIST_CODE.fixed, 5, 0, DIST_CODE.lognormal, Math.log(90), 0.5]);
  });

  it('is empty without responses', () => {
    const r = compileResponses([]);
    expect(r.responseParams).toHaveLength(0);
    expect(r.responseDelays).toHaveLength(0);
    expect(r.escalationSites).toBe(Infinity); // no alert without a rule
  });
});
