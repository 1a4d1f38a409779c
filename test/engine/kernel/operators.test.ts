import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../engine/model/scenario.js';
import { OPERATOR_ACTIONS } from '../../../engine/model/scenario.js';
import { packInterventions } from '../../../engine/kernel/interventions.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { TRACE_KINDS, TraceBuffer } from '../../../engine/kernel/trace.js';
import { build, OPERATOR_FIELDS, recovery, tinyScenario, tinyTwin } from './tiny.js';
import { fast } from './both.js';

/**
 * Operator-driven intrusions (kernel/operators.ts) on a hand-built twin with fixed action times (tiny.ts
 * OPERATOR_FIELDS: discover 10, exploit 30, harvest 20, move 5, deploy 60 minutes), every credential
 * harvested for sure and no alerts unless a test says so, and a cold soft-min (temperatureMinutes 0.001) so
 * goal-directed choices are the best-scored ones. Every time below is computed by hand.
 *
 *   dev (lab analyser, the foothold) --identity--> dc (directory) --management--> ws (workstation) --identity--> ehr (goal)
 *                                                  dc --management--> printer (leads nowhere)
 */
const node = (id: string, layer: 'physical' | 'network' | 'cloud', kind: string, extra: object = {}) => ({ id, layer, kind, owner: 'trust', site: 'hospital', recovery, ...extra });
const twin = tinyTwin({
  nodes: [
    node('dev', 'physical', 'lab-analyser'),
    node('dc', 'network', 'server', { tags: ['domain-controller'] }),
    node('ws', 'physical', 'clinical-workstation'),
    node('printer', 'network', 'server'),
    node('ehr', 'cloud', 'ehr', { site: undefined, records: 1000 }),
  ] as never,
  edges: [
    { from: 'dev', to: 'dc', relation: 'identity' },
    { from: 'dc', to: 'ws', relation: 'management' },
    { from: 'dc', to: 'printer', relation: 'management' },
    { from: 'ws', to: 'ehr', relation: 'identity' },
  ],
});
const INDEX = { dev: 0, dc: 1, ws: 2, printer: 3, ehr: 4 };

function intrusion(threat: Partial<Extract<ScenarioInput['threat'], { kind: 'intrusion' }>> = {}, parts: Partial<ScenarioInput> = {}): ScenarioInput {
  return tinyScenario({
    threat: {
      kind: 'intrusion',
      entries: [{ select: { ids: ['dev'] } }],
      relations: ['identity', 'management'],
      ...OPERATOR_FIELDS,
      strategy: 'goal-directed',
      goals: [{ kinds: ['ehr'] }],
      // A cold soft-min: the best-scored option every time (staying put scores worse than any step closer).
      temperatureMinutes: 0.001,
      payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
      exfiltration: { recordsPerHour: 100 },
      ...threat,
    },
    ...parts,
  });
}

/** One traced run: each member's compromise time, the actions in order, and the metrics. */
function traced(scenario: ScenarioInput, interventions?: Float64Array) {
  const compiled = build(twin, scenario);
  const trace = new TraceBuffer();
  const state = new KernelState(compiled.model);
  runKernel(compiled.model, state, 1, 0, { trace, interventions });
  const compromisedAt: Record<string, number> = {};
  const actions: string[] = [];
  const detectedAt: Record<string, number> = {};
  const name = (i: number) => Object.keys(INDEX).find((k) => INDEX[k as keyof typeof INDEX] === i)!;
  for (let e = 0; e < trace.length; e++) {
    const kind = TRACE_KINDS[trace.kind[e]!];
    const at = trace.time[e]!;
    if (kind === 'compromise') compromisedAt[name(trace.node[e]!)] = at;
    if (kind === 'detect') detectedAt[name(trace.node[e]!)] = at;
    if (kind === 'action') actions.push(`${at} ${OPERATOR_ACTIONS[trace.detail[e]!]} ${name(trace.node[e]!) ?? '-'}${trace.from[e]! >= 0 ? `>${name(trace.from[e]!)}` : ''}`);
  }
  return { compromisedAt, actions, detectedAt, metrics: fast(compiled, 1, 0, { interventions }) };
}

describe('an operator-driven intrusion', () => {
  it('follows the hand-computed path: harvest, discover, move with the credential, one action at a time', () => {
    const { compromisedAt, actions, metrics } = traced(intrusion());
    // dev: harvest 0–20 (service account), discover 20–30, move to dc 30–35; dc: harvest 35–55 (domain
    // admin), discover 55–65 (dc→ws and dc→printer; the printer leads to no goal), move to ws 65–70; ws:
    // harvest 70–90, discover 90–100, move to the EHR 100–105. The goal is held: no more moves. The EHR:
    // discover 105–115, then 1,000 records at 100 an hour, 115–715.
    expect(compromisedAt).toEqual({ dev: 0, dc: 35, ws: 70, ehr: 105 });
    expect(actions).toEqual(['20 harvest dev', '30 discover dev', '35 move dev>dc', '55 harvest dc', '65 discover dc', '70 move dc>ws', '90 harvest ws', '100 discover ws', '105 move ws>ehr', '115 discover ehr', '715 exfiltrate ehr']);
    expect(metrics.compromised).toBe(4);
    expect(metrics['reachedAt.cloud']).toBe(105);
    expect(metrics.recordsExposed).toBe(1000);
  });

  it('opportunistic operators take every host they find, breadth-first', () => {
    const { compromisedAt } = traced(intrusion({ strategy: 'opportunistic', goals: undefined }));
    // As above to the dc's discovery at 65; then its routes in discovery order — ws (65–70) and the printer,
    // while the ws and the printer each still wait for a harvest and a discovery in turn.
    expect(compromisedAt.printer).toBeGreaterThan(65);
    expect(Object.keys(compromisedAt).sort()).toEqual(['dc', 'dev', 'ehr', 'printer', 'ws']);
  });

  it('two operators work in parallel: the EHR falls at 75 instead of 105', () => {
    const { compromisedAt } = traced(intrusion({ operators: 2 }));
    // op0 harvests dev 0–20 while op1 discovers it 0–10 (then waits for the credential); op0 moves to dc
    // 20–25; op1 harvests dc 25–45 while op0 discovers it 25–35; op1 moves to ws 45–50; op0 harvests ws 50–70
    // while op1 discovers it 50–60; op0 moves to the EHR 70–75.
    expect(compromisedAt).toEqual({ dev: 0, dc: 25, ws: 50, ehr: 75 });
  });

  it('cannot move without the credential: a failed harvest leaves it on its foothold', () => {
    const { compromisedAt, metrics } = traced(intrusion({ credentials: { ...OPERATOR_FIELDS.credentials, service: 0 } }));
    expect(compromisedAt).toEqual({ dev: 0 });
    expect(metrics.recordsExposed).toBe(0);
  });

  it('a credential revoked before the move lands stops it, counted against revocation', () => {
    const { compromisedAt, metrics } = traced(intrusion(), packInterventions([{ atMinutes: 32, action: 'revoke-identities' }]));
    expect(compromisedAt).toEqual({ dev: 0 });
    expect(metrics['blocked.revocation']).toBe(1);
  });

  it("a site's revocation closes credential routes out of the site too: the hosted EHR stays covered", () => {
    // dev is detected at 101 (background detection, fixed), its site revokes identities at 102: the move
    // from ws (at the hospital) to the hosted EHR (no site), due at 105, is stopped.
    const scenario = intrusion(
      {},
      {
        detection: { compromised: { dist: 'fixed', minutes: 101 }, disrupted: { dist: 'fixed', minutes: 1e5 } },
        responses: [{ action: 'revoke-identities', delay: { dist: 'fixed', minutes: 1 } }],
      },
    );
    const { compromisedAt, metrics } = traced(scenario);
    expect(compromisedAt).toEqual({ dev: 0, dc: 35, ws: 70 });
    expect(metrics['blocked.revocation']).toBe(1);
  });

  it('deploys the payload through the management plane to every host its credentials administer', () => {
    const { compromisedAt, metrics } = traced(intrusion({ payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 1000 } } }));
    // The payload falls due at 1,000 (from the foothold at 0) and takes 60: every host held is disrupted,
    // and the printer, administered by the dc whose domain credential is held, is pushed it at 1,060.
    expect(compromisedAt.printer).toBe(1060);
    expect(metrics.compromised).toBe(5);
    expect(metrics.disrupted).toBe(5);
    expect(metrics.peakDisruptedAt).toBe(1060);
  });

  it('a held host off the network when the payload lands takes it once it is back, still held', () => {
    // As above, with the workstation (held since 70) disconnected 900–1,500: at 1,060 it is out of reach, and
    // it is disrupted when it comes back at 1,500 (before, it stayed compromised and never encrypted).
    const ws = 1 << NODE_KINDS.indexOf('clinical-workstation');
    const { metrics } = traced(
      intrusion({ payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 1000 } } }),
      packInterventions([
        { atMinutes: 900, action: 'disconnect-kinds', argument: ws },
        { atMinutes: 1500, action: 'reconnect-kinds', argument: ws },
      ]),
    );
    expect(metrics.disrupted).toBe(5);
    expect(metrics.peakDisruptedAt).toBe(1500);
    // Never reconnected, it is never encrypted.
    const kept = traced(intrusion({ payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 1000 } } }), packInterventions([{ atMinutes: 900, action: 'disconnect-kinds', argument: ws }]));
    expect(kept.metrics.disrupted).toBe(4);
  });

  it('ends recovery at the last restore of a disrupted host: a host taken after the payload and cleaned weeks later does not count', () => {
    const scenario = intrusion(
      { payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 40 } } },
      { detection: { compromised: { dist: 'fixed', minutes: 2000 }, disrupted: { dist: 'fixed', minutes: 600 } }, recovery: { staff: 2 } },
    );
    const { compromisedAt, detectedAt } = traced(scenario);
    // The deploy (due at 40, after the dc's harvest, 55–115) disrupts dev, dc, ws and the printer at 115; the
    // EHR, taken at 170, after it, is never disrupted. Detected at 715, the four are restored two at a time
    // (10 minutes each) by 735; the EHR's compromise is found at 2,170 and it is cleaned at 2,180.
    expect(compromisedAt.ehr).toBe(170);
    expect(detectedAt.ehr).toBe(2170);
    // (The reference kernel does not model operators; it counts recovery the same way, agreement.test.ts.)
    const metrics = fast(build(twin, scenario), 1, 0);
    expect(metrics.disrupted).toBe(4);
    expect(metrics.recovered).toBe(1);
    expect(metrics.timeToRecovery).toBe(735 - 115); // not 2,180 − 115
  });

  it('a pushed payload lands after its arrival delay, and a revocation before it lands stops it', () => {
    const late = intrusion({ payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 1000 }, arrival: { dist: 'fixed', minutes: 30 } } });
    // Deployed at 1,060; the push through the dc's management link lands 30 minutes later.
    expect(traced(late).compromisedAt.printer).toBe(1090);
    // Every identity revoked at 1,070, between the push and its landing: the printer never gets it.
    const revoked = traced(late, packInterventions([{ atMinutes: 1070, action: 'revoke-identities', argument: -1 }]));
    expect(revoked.compromisedAt.printer).toBeUndefined();
    expect(revoked.metrics['blocked.revocation']).toBeGreaterThanOrEqual(1);
  });

  it('an alert detects its host after triage, and detection races the operators', () => {
    const alerts = { chance: { ...OPERATOR_FIELDS.alerts.chance, harvest: 1 }, triage: { dist: 'fixed' as const, minutes: 60 } };
    const { detectedAt } = traced(intrusion({ alerts }));
    // Harvests end at 20 (dev), 55 (dc), 90 (ws): each alerts, detected 60 minutes later.
    expect(detectedAt).toEqual({ dev: 80, dc: 115, ws: 150 });
  });

  it('counts a catchment\'s patients once: two holders of the same patients expose their records once', () => {
    const two = tinyTwin({
      nodes: [node('dev', 'physical', 'lab-analyser'), node('pacs', 'network', 'pacs', { records: 1000 }), node('lab', 'network', 'server', { records: 1000 })] as never,
      edges: [
        { from: 'dev', to: 'pacs', relation: 'identity' },
        { from: 'dev', to: 'lab', relation: 'identity' },
      ],
    });
    const scenario = intrusion({ strategy: 'opportunistic', goals: undefined, exfiltration: { recordsPerHour: 1000 } });
    const compiled = build(two, scenario);
    const metrics = fast(compiled, 1, 0);
    expect(metrics.compromised).toBe(3);
    expect(metrics.recordsExposed).toBe(1000); // not 2,000: both hold the hospital's patients
  });
});

describe('an intrusion against an isolated zone', () => {
  // dev (zone a) holds an account on the PACS (zone b, 1,000 records): harvest 0–20, discover 20–30, move
  // 30–35; the PACS: discover 35–45, then its 1,000 records at 100 an hour in one chunk, 45–645.
  const zoned = tinyTwin({
    zones: [
      { id: 'a', site: 'hospital', flat: false },
      { id: 'b', site: 'hospital', flat: false },
    ],
    nodes: [node('dev', 'physical', 'lab-analyser', { zone: 'a' }), node('pacs', 'network', 'pacs', { zone: 'b', records: 1000 })] as never,
    edges: [{ from: 'dev', to: 'pacs', relation: 'identity' }],
  });
  const scenario = intrusion({ relations: ['identity'], strategy: 'opportunistic', goals: undefined });
  const zoneB = 1;
  function zonedRun(interventions: Float64Array) {
    const compiled = build(zoned, scenario);
    const trace = new TraceBuffer();
    runKernel(compiled.model, new KernelState(compiled.model), 1, 0, { trace, interventions });
    const actions: string[] = [];
    for (let e = 0; e < trace.length; e++) if (TRACE_KINDS[trace.kind[e]!] === 'action') actions.push(`${trace.time[e]} ${OPERATOR_ACTIONS[trace.detail[e]!]}`);
    return { actions, metrics: fast(compiled, 1, 0, { interventions }) };
  }

  it('cannot move across the boundary on a credential route: isolation closes every flow that rides the network', () => {
    const { metrics } = zonedRun(packInterventions([{ atMinutes: 32, action: 'isolate-zone', argument: zoneB }]));
    expect(metrics.compromised).toBe(1);
    expect(metrics['blocked.isolation']).toBe(1);
  });

  it('sends no records out of an isolated zone, and sends them once the zone is reconnected', () => {
    // Isolated at 100, mid-chunk: the chunk ending at 645 is cut and counts nothing; the operator waits. Reconnected
    // at 1,000: the records go out 1,000–1,600.
    const held = zonedRun(packInterventions([{ atMinutes: 100, action: 'isolate-zone', argument: zoneB }]));
    expect(held.actions).toEqual(['20 harvest', '30 discover', '35 move', '45 discover', '645 exfiltrate']);
    expect(held.metrics.recordsExposed).toBe(0);
    const reopened = zonedRun(
      packInterventions([
        { atMinutes: 100, action: 'isolate-zone', argument: zoneB },
        { atMinutes: 1000, action: 'reconnect-zone', argument: zoneB },
      ]),
    );
    expect(reopened.actions).toEqual(['20 harvest', '30 discover', '35 move', '45 discover', '645 exfiltrate', '1600 exfiltrate']);
    expect(reopened.metrics.recordsExposed).toBe(1000);
    // Never isolated: the one chunk, 45–645.
    expect(zonedRun(new Float64Array(0)).metrics.recordsExposed).toBe(1000);
  });
});

describe('an operator that stays put', () => {
  // A vendor cloud (the foothold) manages a gateway that manages a pump (the goal). Moving on scores better than
  // staying by discover + harvest (30 minutes); at τ = 60 the operator stays put about 38% of the time.
  const chainTwin = tinyTwin({
    nodes: [
      { id: 'api', layer: 'cloud', kind: 'vendor-api', owner: 'vendor', recovery },
      { id: 'gateway', layer: 'network', kind: 'on-prem-gateway', owner: 'vendor', site: 'hospital', recovery },
      { id: 'pump', layer: 'physical', kind: 'infusion-pump', owner: 'vendor', site: 'hospital', patientsAttached: 1, recovery },
    ],
    edges: [
      { from: 'api', to: 'gateway', relation: 'management' },
      { from: 'gateway', to: 'pump', relation: 'management' },
    ],
  });
  const scenario = tinyScenario({
    threat: {
      kind: 'intrusion',
      entries: [{ select: { ids: ['api'] } }],
      relations: ['management'],
      ...OPERATOR_FIELDS,
      strategy: 'goal-directed',
      goals: [{ kinds: ['infusion-pump'] }],
      temperatureMinutes: 60,
      payload: { effect: 'alter', delay: { dist: 'fixed', minutes: 1440 } },
    },
  });

  it('reconsiders after lying low instead of idling until the payload: the pump is reached in every run', () => {
    const compiled = build(chainTwin, scenario);
    for (let run = 0; run < 100; run++) expect(fast(compiled, 1, run).patientsExposedAltered, `run ${run}`).toBe(1);
  });
});

