import { describe, expect, it } from 'vitest';
import { packInterventions } from '../../../engine/kernel/interventions.js';
import { KERNELS } from './both.js';
import { delayAt, RunStreams, STREAM } from '../../../engine/kernel/rng.js';
import { build, chain, recovery, SMB, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';
import type { ScenarioInput } from '../../../engine/model/scenario.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';

/** 200 affected hosts offered a faulty update by one source, each receiving it 1 minute after its wave. */
function updateFleet(liveMinutes: number) {
  const twin = tinyTwin({
    nodes: [
      { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
      { id: 'hosts', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', site: 'hospital', count: 200, tags: ['sensor-affected'], recovery },
    ],
    edges: [{ from: 'updates', to: 'hosts', relation: 'update' }],
  });
  const scenario = tinyScenario({
    threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['sensor-affected'] }, liveMinutes, arrival: { dist: 'fixed', minutes: 1 } },
  });
  return { twin, scenario };
}

/**
 * 23 affected hosts that an update fails at minute 1 and that are found at once, each taking 20 minutes of
 * hands-on recovery under `plan` (the recovery cases below).
 */
function failedHosts(plan: ScenarioInput['recovery'], horizonHours?: number) {
  const twin = tinyTwin({
    nodes: [
      { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
      { id: 'hosts', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', site: 'hospital', count: 23, tags: ['sensor-affected'], recovery: { handsOnMinutes: 20 } },
    ],
    edges: [{ from: 'updates', to: 'hosts', relation: 'update' }],
  });
  const scenario = tinyScenario({
    threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['sensor-affected'] }, liveMinutes: 78, arrival: { dist: 'fixed', minutes: 1 } },
    detection: { disrupted: { dist: 'fixed', minutes: 0 } },
    recovery: plan,
    ...(horizonHours === undefined ? {} : { horizonHours }),
  });
  return { twin, scenario };
}

/**
 * The kernel's specification, as exact hand-computed outcomes on tiny twins with fixed delays. Every case
 * runs on the fast kernel and on the reference kernel.
 */
for (const [name, run] of Object.entries(KERNELS)) {
  describe(`kernel specification (${name})`, () => {
    it('crosses down the layers in order, one fixed hop at a time', () => {
      const out = run(build(tinyTwin(chain(['cloud', 'network', 'physical'])), tinyScenario({})), 1, 0);
      expect(out['reachedAt.cloud']).toBe(0);
      // Nothing is found within the horizon: no time to detect.
      expect(out.firstDetectedAt).toBeNaN();
      expect(out['reachedAt.network']).toBe(10);
      expect(out['reachedAt.physical']).toBe(20);
      expect(out['crossings.down']).toBe(2);
      expect(out['crossings.up']).toBe(0);
      expect(out.firstCrossingAt).toBe(10);
    });

    it('stops an attempt at a member taken off the network, or from one', () => {
      // n0 at 0; n1 (a server) at 10 unless servers are off the network by then; n2 (a workstation) at 20
      // unless n1 is off by then. Nothing else can stop an attempt here: the disconnection alone does.
      const compiled = build(tinyTwin(chain(['cloud', 'network', 'physical'])), tinyScenario({}));
      const off = (kind: 'server' | 'clinical-workstation', atMinutes: number) =>
        run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes, action: 'disconnect-kinds', argument: 1 << NODE_KINDS.indexOf(kind) }]) });
      expect(run(compiled, 1, 0).compromised).toBe(3);
      const serversOff = off('server', 5);
      expect([serversOff.compromised, serversOff['reachedAt.network']]).toEqual([1, NaN]);
      const sourceOff = off('server', 15);
      expect([sourceOff.compromised, sourceOff['reachedAt.network'], sourceOff['reachedAt.physical']]).toEqual([2, 10, NaN]);
      const targetOff = off('clinical-workstation', 15);
      expect([targetOff.compromised, targetOff['reachedAt.physical']]).toEqual([2, NaN]);
    });

    it('crosses up from a device to the cloud', () => {
      const out = run(build(tinyTwin(chain(['physical', 'network', 'cloud'])), tinyScenario({})), 1, 0);
      expect(out['crossings.up']).toBe(2);
      expect(out['reachedAt.cloud']).toBe(20);
    });

    it('breaks infections down by node kind, site kind, region and the owner of a failed outside service', () => {
      // n0 (a server at the hospital) is hit; n1 (a cloud EHR of the vendor's, outside any site) is hit through
      // the data edge; practice p1 reads the EHR and signs in at it (one owner, counted once), practice p2
      // only at the untouched identity provider.
      const server = (id: string, extra = {}) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', site: 'hospital', vulns: [SMB], recovery, ...extra });
      const twin = tinyTwin({
        sites: [
          { id: 'hospital', kind: 'acute-trust', region: 'north' },
          { id: 'p1', kind: 'gp-practice', region: 'north' },
          { id: 'p2', kind: 'gp-practice', region: 'south' },
        ],
        nodes: [
          server('n0'),
          { id: 'n1', layer: 'cloud', kind: 'ehr', owner: 'vendor', vulns: [SMB], recovery },
          { id: 'idp', layer: 'cloud', kind: 'identity-provider', owner: 'trust', recovery },
          { id: 'gp1', layer: 'physical', kind: 'gp-workstation', owner: 'trust', site: 'p1', count: 3, recovery },
          { id: 'gp2', layer: 'physical', kind: 'gp-workstation', owner: 'trust', site: 'p2', recovery },
        ],
        edges: [
          { from: 'n0', to: 'n1', relation: 'network' },
          { from: 'gp1', to: 'n1', relation: 'data' },
          { from: 'gp1', to: 'n1', relation: 'identity' },
          { from: 'gp2', to: 'idp', relation: 'identity' },
        ],
      });
      const out = run(build(twin, tinyScenario({})), 1, 0);
      expect(out['infected.server']).toBe(1);
      expect(out['infected.ehr']).toBe(1);
      expect(out['infected.gp-workstation']).toBe(0);
      expect(out['sitesInfected.acute-trust']).toBe(1);
      expect(out['sitesInfected.gp-practice']).toBe(0);
      expect(out['trustsInfected.north']).toBe(1);
      expect(out['trustsInfected.south']).toBe(0);
      expect(out['sitesCutOff.vendor']).toBe(1);
      expect(out['sitesCutOff.trust']).toBe(0);
    });

    it('stops new infections at the kill switch', () => {
      const layers = Array.from({ length: 8 }, () => 'network' as const);
      const scenario = tinyScenario({
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } }, killSwitchAtMinutes: 35 },
      });
      const out = run(build(tinyTwin(chain(layers)), scenario), 1, 0);
      // Infections at 0, 10, 20, 30; the attempt due at 40 meets the kill switch.
      expect(out.compromised).toBe(4);
      expect(out['blocked.kill-switch']).toBe(1);
    });

    it('scans its own subnet at 1/μ and the zones it routes to at 1/μr', () => {
      // One scanner alone in flat zone a, which routes to flat zone b holding one target (a cloud-layer node,
      // so reachedAt.cloud is its infection time): it falls after Exp(mean μr = 100) minutes (ease 1), whatever
      // μ (10) is. Mean over 400 runs: SE = 100/√400 = 5; 4 SE.
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: true, reaches: ['b'] },
          { id: 'b', site: 'hospital', flat: true },
        ],
        nodes: [
          { id: 'n0', layer: 'network', kind: 'server', owner: 'trust', zone: 'a', vulns: [SMB], recovery },
          { id: 'n1', layer: 'cloud', kind: 'vendor-api', owner: 'trust', zone: 'b', vulns: [SMB], recovery },
        ],
      });
      const worm = (routed: number) =>
        tinyScenario({
          threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: 10 }, routedSpread: { dist: 'exponential', meanMinutes: routed }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
        });
      const compiled = build(twin, worm(100));
      let sum = 0;
      for (let r = 0; r < 400; r++) sum += run(compiled, 3, r)['reachedAt.cloud']!;
      expect(Math.abs(sum / 400 - 100)).toBeLessThan(4 * 5);
      // With μr far beyond the 48 h horizon (5e5 minutes) n1 seldom falls: P = 1 − e^(−2880/5e5) ≈ 0.006 a run, ~2.3 in 400.
      const slow = build(twin, worm(5e5));
      let reached = 0;
      for (let r = 0; r < 400; r++) reached += run(slow, 3, r)['reached.cloud']!;
      expect(reached).toBeLessThanOrEqual(9); // Poisson(2.3): P(> 9) < 1e-4
    });

    it('counts what a later isolation or segmentation closes to a zone that has had a scanner', () => {
      // The scanner n0, alone in flat zone a, routes to zone b (5 hosts), which routes to zone c (7 hosts);
      // routed probing is far too slow to take anyone in this run (mean 5e5 minutes: a host of b falls within the
      // 48 hours with probability 1 − e^(−5 × 2880/5e5) ≈ 0.03), so n0 stays the only one compromised (asserted).
      // Its first scan, at 0, finds every way open (nothing to count). Isolating a at 5, or b (from a's side),
      // closes b to it: b's 5 healthy hosts. c was never a scanner's to reach: isolating it counts nothing.
      // The room's segmentation at 5 closes a → b the same way, counted against segmentation.
      const node = (id: string, zone: string, count = 1) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', zone, count, vulns: [SMB], recovery });
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: true, reaches: ['b'] },
          { id: 'b', site: 'hospital', flat: true, reaches: ['c'] },
          { id: 'c', site: 'hospital', flat: true },
        ],
        nodes: [node('n0', 'a'), node('hb', 'b', 5), node('hc', 'c', 7)],
      });
      const scenario = tinyScenario({
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: 10 }, routedSpread: { dist: 'exponential', meanMinutes: 5e5 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
      });
      const compiled = build(twin, scenario);
      const at5 = (action: 'isolate-zone' | 'segment', argument?: number) => run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 5, action, argument }]) });
      const plain = run(compiled, 1, 0);
      expect([plain.compromised, plain['blocked.isolation'], plain['blocked.segmentation']]).toEqual([1, 0, 0]);
      expect(at5('isolate-zone', 0)['blocked.isolation']).toBe(5);
      expect(at5('isolate-zone', 1)['blocked.isolation']).toBe(5);
      expect(at5('isolate-zone', 2)['blocked.isolation']).toBe(0);
      const segmented = at5('segment');
      expect([segmented.compromised, segmented['blocked.segmentation'], segmented['blocked.isolation']]).toEqual([1, 5, 0]);
    });

    it('the kill switch stops only newly infected hosts that can see it; blind ones are infected as before', () => {
      // The scanner enters at 0; the kill switch goes live at 0.001 minutes, before any of its 200 neighbours
      // is likely hit (expected 200 × 0.001/10 = 0.02). Then only hosts blind to it (share 0.3, drawn per run)
      // can fall, and with μ = 10 over 48 hours every one of them does: 1 + Binomial(200, 0.3), sd 6.5.
      const node = (id: string, count = 1) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', zone: 'a', count, vulns: [SMB], recovery });
      const twin = tinyTwin({ zones: [{ id: 'a', site: 'hospital', flat: true }], nodes: [node('n0'), node('hosts', 200)] });
      const scenario = tinyScenario({
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } }, killSwitchAtMinutes: 0.001, killSwitchBlindShare: 0.3 },
      });
      const compiled = build(twin, scenario);
      let total = 0;
      for (let r = 0; r < 50; r++) {
        const out = run(compiled, 11, r);
        total += out.compromised!;
        // Every host the worm did not take, the kill switch kept from the scanner: counted (it read 0 when the
        // kill switch took scan targets out of the pool without counting them).
        expect(out['blocked.kill-switch']! + out.compromised!).toBe(201);
      }
      // Mean of 50 runs: SE 6.5/√50 = 0.92; 4 SE.
      expect(Math.abs(total / 50 - 61)).toBeLessThan(4 * 0.92);
    });

    it('isolating a zone closes exactly its cross-zone network edges', () => {
      const node = (id: string, zone: string) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', zone, vulns: [SMB], recovery });
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: false },
          { id: 'b', site: 'hospital', flat: false },
        ],
        nodes: [node('n0', 'a'), node('n1', 'a'), node('n2', 'b'), node('n3', 'b')],
        edges: [
          { from: 'n0', to: 'n1', relation: 'network' },
          { from: 'n0', to: 'n2', relation: 'network' },
          { from: 'n2', to: 'n3', relation: 'network' },
        ],
      });
      const compiled = build(twin, tinyScenario({}));
      const plain = run(compiled, 1, 0);
      expect(plain.compromised).toBe(4);
      const isolated = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 5, action: 'isolate-zone', argument: 0 }]) });
      expect(isolated.compromised).toBe(2); // n0 and n1, inside zone a
      expect(isolated['blocked.isolation']).toBe(1); // n2, across the boundary
    });

    it('isolating a zone closes its cross-zone links of every relation but radio, and none inside it', () => {
      // n0 (zone a) reaches groups of 1, 2, 4, 8 and 16 members in zone b along network, data, identity,
      // management and radio edges, and 32 members in its own zone along a data edge (sizes that tell them
      // apart). Zone a is isolated at minute 5, before any 10-minute hop lands: the flows that ride the
      // network across the boundary stop (1 + 2 + 4 + 8); the radio link and the data flow inside the zone do not.
      const node = (id: string, zone: string, count = 1) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', zone, count, vulns: [SMB], recovery });
      const relations = ['network', 'data', 'identity', 'management', 'radio'] as const;
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: false },
          { id: 'b', site: 'hospital', flat: false },
        ],
        nodes: [node('n0', 'a'), ...relations.map((_, i) => node(`n${i + 1}`, 'b', 2 ** i)), node('inside', 'a', 32)],
        edges: [...relations.map((relation, i) => ({ from: 'n0', to: `n${i + 1}`, relation })), { from: 'n0', to: 'inside', relation: 'data' as const }],
      });
      const scenario = tinyScenario({
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], relations: [...relations], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
      });
      const compiled = build(twin, scenario);
      expect(run(compiled, 1, 0).compromised).toBe(64);
      const isolated = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 5, action: 'isolate-zone', argument: 0 }]) });
      expect(isolated.compromised).toBe(1 + 16 + 32);
      expect(isolated['blocked.isolation']).toBe(15);
      // Isolating zone b instead closes the same boundary from the other side.
      const other = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 5, action: 'isolate-zone', argument: 1 }]) });
      expect(other.compromised).toBe(1 + 16 + 32);
    });

    it('an isolated zone does not receive a faulty update; the others do', () => {
      // One update source in the cloud (outside every zone) offers the update to 3 hosts in zone a and 5 in
      // zone b, each arriving 1 minute after release; zone a is isolated at minute 0.5.
      const host = (id: string, zone: string, count: number) => ({ id, layer: 'physical' as const, kind: 'clinical-workstation' as const, owner: 'trust', zone, count, tags: ['sensor-affected'], recovery });
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: false },
          { id: 'b', site: 'hospital', flat: false },
        ],
        nodes: [{ id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery }, host('ha', 'a', 3), host('hb', 'b', 5)],
        edges: [
          { from: 'updates', to: 'ha', relation: 'update' },
          { from: 'updates', to: 'hb', relation: 'update' },
        ],
      });
      const scenario = tinyScenario({
        threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['sensor-affected'] }, liveMinutes: 78, arrival: { dist: 'fixed', minutes: 1 } },
      });
      const compiled = build(twin, scenario);
      expect(run(compiled, 1, 0).disrupted).toBe(8);
      const isolated = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 0.5, action: 'isolate-zone', argument: 0 }]) });
      expect(isolated.disrupted).toBe(5);
      expect(isolated['blocked.isolation']).toBe(3);
    });

    it("the room's decisions hold against the scenario's lifts, and its reconnecting a zone leaves the isolation rule armed", () => {
      // n0 (zone a) is entered at 0 and found at 1; the response isolates zone a at 6; one member of staff
      // restores n0 by 101 and the lift's checks reconnect the zone at 201. The outside host m0 (no zone) is
      // entered at 300 and attacks x (zone a) at 310; x, found at 311, has zone a isolated again at 316, before
      // its attempt at y (zone b) at 320. So the plain run takes n0, m0 and x, and isolation blocks y.
      const host = (id: string, zone?: string) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', site: 'hospital', zone, vulns: [SMB], recovery: { handsOnMinutes: 100 } });
      const twin = tinyTwin({
        zones: [
          { id: 'a', site: 'hospital', flat: false },
          { id: 'b', site: 'hospital', flat: false },
        ],
        nodes: [host('n0', 'a'), host('x', 'a'), host('y', 'b'), host('m0')],
        edges: [
          { from: 'm0', to: 'x', relation: 'network' },
          { from: 'x', to: 'y', relation: 'network' },
        ],
      });
      const scenario = tinyScenario({
        threat: {
          kind: 'worm',
          entries: [{ select: { ids: ['n0'] }, atMinutes: 0 }, { select: { ids: ['m0'] }, atMinutes: 300 }],
          exploits: ['CVE-2017-0144'],
          spread: { dist: 'fixed', minutes: 10 },
          payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
        },
        detection: { compromised: { dist: 'fixed', minutes: 1 }, disrupted: { dist: 'fixed', minutes: 1 } },
        responses: [{ action: 'isolate-zone', delay: { dist: 'fixed', minutes: 5 }, lift: { after: { dist: 'fixed', minutes: 100 } } }],
        recovery: { staff: 1 },
      });
      const compiled = build(twin, scenario);
      const plain = run(compiled, 1, 0);
      expect(plain.compromised).toBe(3);
      expect(plain['blocked.isolation']).toBe(1);
      // The run's time to detect: n0's detection at 1.
      expect(plain.firstDetectedAt).toBe(1);
      // The room isolates zone a at 0.5 and keeps it so: the lift at 201 leaves it isolated, and m0's attempt at
      // x is blocked at 310 (it was taken when the scenario's lift reopened the zone).
      const held = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 0.5, action: 'isolate-zone', argument: 0 }]) });
      expect(held.compromised).toBe(2);
      expect(held['blocked.isolation']).toBe(1);
      // The room reconnects zone a at 50, before the lift: x's detection at 311 isolates it again (the rule was
      // left switched off, and y was taken).
      const reopened = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 50, action: 'reconnect-zone', argument: 0 }]) });
      expect(reopened.compromised).toBe(3);
      expect(reopened['blocked.isolation']).toBe(1);
    });

    it('a staged rollout draws the same halt delay whatever its threshold: a higher threshold never loses fewer endpoints in a run', () => {
      // 200 endpoints in one wave, each failing an exponential time (mean 60 minutes) after release; the halt
      // comes a lognormal delay (median 20 minutes) after the threshold's failure. With that delay drawn alike
      // for every threshold, a higher threshold halts later in every run, so it loses at least as many.
      const { twin, scenario } = updateFleet(1e4);
      const spread = { ...scenario, threat: { ...scenario.threat, arrival: { dist: 'exponential', meanMinutes: 60 } } } as typeof scenario;
      const rollout = (haltAfterFailures: number) => tinyRegime({ stagedRollout: { waves: [1], waveIntervalMinutes: 30, haltAfterFailures, haltDelay: { dist: 'lognormal', medianMinutes: 20, sigma: 1 } } });
      const models = [1, 5, 50].map((h) => build(twin, spread, rollout(h)));
      for (let r = 0; r < 40; r++) {
        const [a, b, c] = models.map((compiled) => run(compiled, 3, r).disrupted!);
        expect(a).toBeLessThanOrEqual(b!);
        expect(b).toBeLessThanOrEqual(c!);
      }
    });

    it('revoking identities closes exactly the identity and management edges', () => {
      // n0 reaches groups of 1, 2, 4 and 8 members along network, identity, management and data edges (sizes
      // that tell the relations apart); revocation at minute 5, before any 10-minute hop lands, must stop
      // exactly the identity and management hops.
      const node = (id: string, count = 1) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', site: 'hospital', count, vulns: [SMB], recovery });
      const relations = ['network', 'identity', 'management', 'data'] as const;
      const twin = tinyTwin({
        nodes: [node('n0'), ...relations.map((_, i) => node(`n${i + 1}`, 2 ** i))],
        edges: relations.map((relation, i) => ({ from: 'n0', to: `n${i + 1}`, relation })),
      });
      const scenario = tinyScenario({
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], relations: [...relations], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
      });
      const compiled = build(twin, scenario);
      expect(run(compiled, 1, 0).compromised).toBe(16);
      const revoked = run(compiled, 1, 0, { interventions: packInterventions([{ atMinutes: 5, action: 'revoke-identities' }]) });
      expect(revoked.compromised).toBe(10); // n0, and the network (1) and data (8) groups
      expect(revoked['blocked.revocation']).toBe(6); // the identity (2) and management (4) groups
    });

    it('a staged rollout halts after its canary wave', () => {
      const { twin, scenario } = updateFleet(78);
      const rollout = (haltAfterFailures: number) => tinyRegime({ stagedRollout: { waves: [0.05, 1], waveIntervalMinutes: 30, haltAfterFailures, haltDelay: { dist: 'fixed', minutes: 0 } } });
      const canaries = build(twin, scenario, rollout(1)).model.waveOffsets[1]!;
      expect(canaries).toBeGreaterThan(0);
      expect(canaries).toBeLessThan(30);
      // The halt rule fires when the whole canary ring has failed; the second wave is never offered.
      const out = run(build(twin, scenario, rollout(canaries)), 1, 0);
      expect(out.disrupted).toBe(canaries);
      expect(out['blocked.staged-rollout']).toBe(200 - canaries);
      const all = run(build(twin, scenario), 1, 0);
      expect(all.disrupted).toBe(200);
    });

    it("a staged rollout's halt takes effect after its delay, and arrivals meanwhile still fail", () => {
      const { twin, scenario } = updateFleet(600);
      const rollout = (minutes: number, waves = [0.05, 1]) => tinyRegime({ stagedRollout: { waves, waveIntervalMinutes: 30, haltAfterFailures: 1, haltDelay: { dist: 'fixed', minutes } } });
      const canaries = build(twin, scenario, rollout(0)).model.waveOffsets[1]!;
      expect(canaries).toBeGreaterThan(1);
      // The canaries all arrive at minute 1 and the first to fail fires the rule. At once: the others, arriving
      // at the same minute after it, are protected.
      const now = run(build(twin, scenario, rollout(0)), 1, 0);
      expect(now.disrupted).toBe(1);
      expect(now['blocked.staged-rollout']).toBe(199);
      // 20 minutes later (minute 21): the whole canary ring has failed, the second wave (minute 30) is halted.
      const before = run(build(twin, scenario, rollout(20)), 1, 0);
      expect(before.disrupted).toBe(canaries);
      expect(before['blocked.staged-rollout']).toBe(200 - canaries);
      // 40 minutes later (minute 41): the second wave arrived at minute 31 and failed too.
      expect(run(build(twin, scenario, rollout(40)), 1, 0).disrupted).toBe(200);
      // The same 20 minutes with no canary (one wave): every endpoint fails before the halt.
      expect(run(build(twin, scenario, rollout(20, [1])), 1, 0).disrupted).toBe(200);
    });

    it("a queue's staff start once, startDelay after its first detected member: more staff finish sooner by the jobs they share", () => {
      // 23 hosts fail at minute 1 and are found at once; the queue starts after one lognormal delay D (drawn
      // once for the queue: a delay per host made the slowest host's own wait the end of recovery, whatever the
      // staff). 23 staff restore every host at 1 + D + 20 (timeToRecovery D + 20, from the failures); one restores
      // them one after another, 22 × 20 later.
      const [manyStaff, oneStaff] = [23, 1].map((staff) => {
        const { twin, scenario } = failedHosts({ staff, startDelay: { dist: 'lognormal', medianMinutes: 600, sigma: 1.5 } }, 24 * 60);
        return build(twin, scenario);
      });
      for (let r = 0; r < 20; r++) {
        const many = run(manyStaff!, 7, r);
        const one = run(oneStaff!, 7, r);
        expect(many.recovered).toBe(1);
        expect(one.recovered).toBe(1);
        expect(many.timeToRecovery!).toBeGreaterThan(20);
        expect(one.timeToRecovery! - many.timeToRecovery!).toBeCloseTo(22 * 20, 6);
      }
    });

    it('with startDelayPer: member, each member waits its own start delay from its own detection', () => {
      // The 23 hosts as above, 23 staff: each is restored at 1 + Dᵢ + 20, Dᵢ its own draw (entity: the member),
      // so the last restore is the largest of 23 draws (a manufacturer's engineer per device: medjack-up).
      const { twin, scenario } = failedHosts({ staff: 23, startDelay: { dist: 'lognormal', medianMinutes: 600, sigma: 1.5 }, startDelayPer: 'member' }, 24 * 60);
      const compiled = build(twin, scenario);
      for (let r = 0; r < 20; r++) {
        const keys = RunStreams.keysOf(7, r);
        const longest = Math.max(...Array.from({ length: 23 }, (_, i) => delayAt(compiled.model.startDelay, 0, 1, keys, STREAM.startDelay, 1 + i, 0)));
        expect(run(compiled, 7, r).timeToRecovery).toBeCloseTo(longest + 20, 6);
      }
    });

    it('k staff clear n equal jobs at the arithmetic time', () => {
      const { twin, scenario } = failedHosts({ staff: 4 });
      const out = run(build(twin, scenario), 1, 0);
      // 23 jobs, 4 at a time: ⌈23/4⌉ = 6 rounds of 20 minutes after the failures at minute 1.
      expect(out.recovered).toBe(1);
      expect(out.timeToRecovery).toBe(120);
      expect(out.peakDisrupted).toBe(23);
      expect(out.disruptedAtEnd).toBe(0);
      // Cut off after 3 rounds (minute 61) and before the 4th ends (minute 81): 23 − 12 still down.
      const cut = run(build(twin, { ...scenario, horizonHours: 70 / 60 }), 1, 0);
      expect(cut.recovered).toBe(0);
      expect(cut.disruptedAtEnd).toBe(11);
      expect(cut.disrupted).toBe(23);
    });

    it('a patch removes exactly the paths through the patched nodes', () => {
      const twin = tinyTwin({
        nodes: [
          { id: 'n0', layer: 'network', kind: 'server', owner: 'trust', vulns: [SMB], tags: ['unsupported-os'], recovery },
          { id: 'supported', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', count: 4, vulns: [SMB], recovery },
          { id: 'legacy', layer: 'physical', kind: 'imaging-modality', owner: 'vendor', count: 3, vulns: [SMB], tags: ['unsupported-os'], recovery },
        ],
        edges: [
          { from: 'n0', to: 'supported', relation: 'network' },
          { from: 'n0', to: 'legacy', relation: 'network' },
        ],
      });
      const out = run(build(twin, tinyScenario({}), tinyRegime({ patchCoverage: 1, patchSupportedOnly: true })), 1, 0);
      // The entry n0 and the legacy devices run unsupported software the patch cannot reach.
      expect(out.compromised).toBe(1 + 3);
      expect(out['blocked.patch']).toBe(4);
      expect(out['lost.vendor']).toBe(3);
    });

    it('a supplier incident at one site changes nothing at a site it does not serve, unless the escalation rule fires', () => {
      // A supplier's server at trust A is compromised and detected at 30; each trust's lab analysers support
      // its own pathology service. Site-scoped, A pulls its own analysers at 30 + 10; B, which the supplier
      // does not serve, is untouched. An estate-wide disconnect fires only once `afterSites` sites have
      // reported: with 1, B's analysers go at 30 + 5 (alert) + 10 and B is disrupted without infection; with 2,
      // only A ever reports and B is untouched again.
      const lab = (id: string, site: string) => ({ id, layer: 'physical' as const, kind: 'lab-analyser' as const, owner: site, site, count: 2, services: [`${site}/pathology`], recovery });
      const twin = tinyTwin({
        sites: [
          { id: 'a', kind: 'acute-trust' },
          { id: 'b', kind: 'acute-trust' },
        ],
        owners: [
          { id: 'a', kind: 'operator' },
          { id: 'b', kind: 'operator' },
          { id: 'supplier', kind: 'supplier' },
        ],
        services: ['a', 'b'].map((site) => ({ id: `${site}/pathology`, name: 'Pathology', unit: 'tests' as const, demandPerHour: 10, criticality: 2, site })),
        nodes: [{ id: 'n0', layer: 'network', kind: 'server', owner: 'supplier', site: 'a', vulns: [SMB], recovery }, lab('a-lab', 'a'), lab('b-lab', 'b')],
      });
      const respond = (scope: 'site' | 'estate', afterSites?: number) =>
        build(
          twin,
          tinyScenario({
            threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
            detection: { compromised: { dist: 'fixed', minutes: 30 }, disrupted: { dist: 'fixed', minutes: 1e5 } },
            responses: [{ action: 'disconnect-kind', kinds: ['lab-analyser'], scope, delay: { dist: 'fixed', minutes: 10 } }],
            ...(afterSites === undefined ? {} : { escalation: { afterSites, delay: { dist: 'fixed', minutes: 5 } } }),
          }),
        );
      const site = run(respond('site'), 1, 0);
      expect([site.trustsAffected, site.trustsInfected, site.trustsDisruptedWithoutInfection]).toEqual([1, 1, 0]);
      const alerted = run(respond('estate', 1), 1, 0);
      expect([alerted.trustsAffected, alerted.trustsDisruptedWithoutInfection]).toEqual([2, 1]);
      // B's pathology is lost from 45 to the 48 h horizon, 10/h × (2880 − 45)/60, and A's from 45 instead of 40.
      expect(alerted.serviceUnitsLost! - site.serviceUnitsLost!).toBeCloseTo((10 * (2880 - 45)) / 60 - (10 * 5) / 60, 6);
      const quiet = run(respond('estate', 2), 1, 0);
      expect([quiet.trustsAffected, quiet.serviceUnitsLost]).toEqual([1, 0]);
    });

    it('counts cancelled appointments from lost capacity over time', () => {
      const twin = tinyTwin({
        services: [{ id: 'clinic', name: 'Clinic', unit: 'appointments', demandPerHour: 12, criticality: 2, site: 'hospital' }],
        nodes: [
          { id: 'n0', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', site: 'hospital', vulns: [SMB], services: ['clinic'], recovery },
          { id: 'n1', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', site: 'hospital', services: ['clinic'], recovery },
        ],
      });
      const scenario = tinyScenario({
        horizonHours: 10,
        threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 60 } } },
      });
      const out = run(build(twin, scenario), 1, 0);
      // Half the clinic's capacity is lost from minute 60 to the 10-hour horizon: 12/h × 0.5 × 9 h.
      expect(out.appointmentsCancelled).toBeCloseTo(54, 10);
      expect(out.trustsInfected).toBe(1);
    });

    it('a member a service depends on critically takes its share of capacity, and can divert it', () => {
      // An emergency department with 8 ordinary supporters and a PACS it depends on critically (share 0.6):
      // the PACS weighs 0.6 · 8 / 0.4 = 12 of a total 20, so losing it leaves 40% of the capacity, below the
      // 50% diversion threshold; one ordinary supporter lost would cost 0.4 / 8 = 5%.
      const twin = tinyTwin({
        services: [{ id: 'ed', name: 'ED', unit: 'attendances', demandPerHour: 10, criticality: 5, site: 'hospital', diversion: true }],
        nodes: [
          { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
          { id: 'pacs', layer: 'network', kind: 'pacs', owner: 'trust', site: 'hospital', criticalFor: [{ service: 'ed', share: 0.6 }], tags: ['sensor-affected'], recovery },
          { id: 'devices', layer: 'physical', kind: 'patient-monitor', owner: 'trust', site: 'hospital', count: 8, services: ['ed'], recovery },
        ],
        edges: [{ from: 'updates', to: 'pacs', relation: 'update' }],
      });
      const scenario = tinyScenario({
        horizonHours: 10,
        threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['sensor-affected'] }, liveMinutes: 78, arrival: { dist: 'fixed', minutes: 60 } },
      });
      const out = run(build(twin, scenario), 1, 0);
      // 60% of 10 attendances an hour lost from minute 60 to the 10-hour horizon.
      expect(out.serviceUnitsLost).toBeCloseTo(10 * 0.6 * 9, 10);
      expect(out.sitesDiverting).toBe(1);
      expect(out.diversionHours).toBeCloseTo(9, 10);
      // With paper fallback for half of it, 70% stays: no diversion.
      const paper = run(build(twin, { ...scenario, clinical: { ...scenario.clinical, downtimeCapacity: 0.5 } }), 1, 0);
      expect(paper.serviceUnitsLost).toBeCloseTo(10 * 0.3 * 9, 10);
      expect(paper.sitesDiverting).toBe(0);
    });

    it('a run with no interventions equals the plain run, and an intervention leaves history before it alone', () => {
      const compiled = build(tinyTwin(chain(Array.from({ length: 6 }, () => 'network' as const))), tinyScenario({}));
      expect(run(compiled, 7, 3, { interventions: packInterventions([]) })).toEqual(run(compiled, 7, 3));
      const late = run(compiled, 7, 3, { interventions: packInterventions([{ atMinutes: 1e4, action: 'revoke-identities' }]) });
      expect(late).toEqual(run(compiled, 7, 3));
    });
  });
}
