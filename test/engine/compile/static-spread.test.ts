import { describe, expect, it } from 'vitest';
import { compileEdgeSpread, isQuietRestore, isStaticSpread } from '../../../engine/compile/static-spread.js';
import type { Scenario } from '../../../engine/model/scenario.js';
import { RELATIONS } from '../../../engine/model/vocabulary.js';
import { ETERNAL_BLUE, node, OPERATOR_FIELDS, tinyScenario, tinyTwin, tinyUpdate } from './tiny.js';

const twin = tinyTwin({
  nodes: [node('n0', { vulns: [ETERNAL_BLUE] }), node('cs', { layer: 'cloud', kind: 'update-service' })],
  edges: [{ from: 'cs', to: 'n0', relation: 'update' }],
});
const worm = tinyScenario(twin); // no detection within 48 h, no responses, no kill switch
const withThreat = (threat: object): Scenario => ({ ...worm, threat: { ...worm.threat, ...threat } }) as Scenario;

describe('isStaticSpread', () => {
  it('holds when nothing can close a path or stop a source', () => {
    expect(isStaticSpread(worm)).toBe(true);
  });

  it.each([
    ['a kill switch', withThreat({ killSwitchAtMinutes: 444 })],
    ['detection of compromised members', { ...worm, detection: { ...worm.detection, compromised: { dist: 'fixed', minutes: 1e5 } } }],
    ['detection of disruption within the horizon', { ...worm, detection: { disrupted: { dist: 'fixed', minutes: 48 * 60 } } }],
    ['a random detection delay', { ...worm, detection: { disrupted: { dist: 'exponential', meanMinutes: 1e9 } } }],
    ['a response', { ...worm, responses: [{ action: 'isolate-zone', delay: { dist: 'fixed', minutes: 1 }, scope: 'estate', share: 1 }] }],
    ['a faulty update', tinyUpdate(twin, 'cs', ['n0'])],
  ] as [string, Scenario][])('fails with %s', (_name, scenario) => {
    expect(isStaticSpread(scenario)).toBe(false);
  });
});

describe('compileEdgeSpread', () => {
  const code = (r: (typeof RELATIONS)[number]) => RELATIONS.indexOf(r);
  // Targets: member 0 never patched and sure to carry the flaw, member 1 patched in some runs.
  const edges = {
    targets: new Int32Array([0, 1, 0, 1, 0, 0]),
    // One edge group and one class per edge here: edge k has relation classRelation[k], ease classEase[k] and
    // passes with groupPass[k].
    edgeGroup: new Int32Array([0, 1, 2, 3, 4, 5]),
    edgeClass: new Uint8Array([0, 1, 2, 3, 4, 5]),
    classRelation: new Uint8Array([code('network'), code('network'), code('identity'), code('identity'), code('data'), code('network')]),
    classEase: new Float32Array([0.5, 0.5, 1, 1, 0.25, 0]),
    groupPass: new Float32Array([1, 1, 0.5, 1, 1, 1]),
  };
  const estate = { carryChance: new Float32Array([1, 1]), patchChance: new Float32Array([0, 0.5]) };
  const mask = (1 << code('network')) | (1 << code('identity'));

  it('is +ease for a sure attempt, −ease for one a control may stop, 0 for none', () => {
    // sure; target maybe patched; pass 0.5; credential into a maybe-patched member (no exploit needed); relation not used; ease 0.
    expect([...compileEdgeSpread(true, mask, edges, estate)]).toEqual([0.5, -0.5, -1, 1, 0, 0]);
    // A target that may not carry the flaw in a run is not sure either.
    expect(compileEdgeSpread(true, mask, edges, { carryChance: new Float32Array([0.9, 1]), patchChance: new Float32Array([0, 0]) })[0]).toBe(-0.5);
  });

  it('is empty unless the spread is static', () => {
    expect(compileEdgeSpread(false, mask, edges, estate)).toHaveLength(0);
  });
});

describe('isQuietRestore', () => {
  const quiet = new Float32Array([0, 0]);
  // Operators, not attempts, spread an intrusion (kernel/operators.ts): never static, never quiet.
  const intrusion = { ...worm, threat: { kind: 'intrusion', entries: [], exploits: [], relations: ['network'], ...OPERATOR_FIELDS, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } }, exfiltration: { recordsPerHour: 10 } } } as unknown as Scenario;

  it('holds in a static-spread worm model without payload or patients', () => {
    expect(isQuietRestore(worm, true, quiet)).toBe(true);
  });

  it('fails with dynamic spread, a disrupting payload, patients attached, or an intrusion', () => {
    expect(isQuietRestore(worm, false, quiet)).toBe(false);
    expect(isQuietRestore(withThreat({ payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 0 } } }), true, quiet)).toBe(false);
    expect(isQuietRestore(worm, true, new Float32Array([0, 1]))).toBe(false);
    expect(isStaticSpread(intrusion)).toBe(false);
    expect(isQuietRestore(intrusion, true, quiet)).toBe(false);
  });
});
