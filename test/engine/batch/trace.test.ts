import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../engine/batch/batch.js';
import { traceRun } from '../../../engine/batch/trace.js';
import { compile } from '../../../engine/compile/compile.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';

describe('the event trace of one run', () => {
  const { scenario, twin } = resolveScenario('wannacry-down', 'ward');
  const compiled = compile(twin, scenario, resolveRegime('baseline'));

  it('names nodes, orders events in time, marks layer crossings and matches the batch row of that run', async () => {
    const doc = traceRun(compiled, 42, 3);
    expect(doc.events.length).toBeGreaterThan(0);
    for (let i = 1; i < doc.events.length; i++) expect(doc.events[i]!.t).toBeGreaterThanOrEqual(doc.events[i - 1]!.t);
    const compromises = doc.events.filter((e) => e.kind === 'compromise');
    expect(compromises.length).toBe(doc.outcome.compromised);
    expect(doc.events.filter((e) => e.crossing === 'down').length).toBe(doc.outcome['crossings.down']);
    for (const e of compromises) expect(doc.nodes[e.node!]!.id).toMatch(/^[a-z0-9-]+(#\d+)?$/);
    const batch = await runBatch(compiled, { runs: 4, seed: 42, workers: 0 });
    const width = batch.metricNames.length;
    expect(batch.rows[3 * width + batch.metricNames.indexOf('compromised')]).toBe(doc.outcome.compromised);
  });

  it("shows an operator's moves as the target reached from the host, named by action, each followed by its compromise", () => {
    const medjack = resolveScenario('medjack-up', 'acute-trust');
    const doc = traceRun(compile(medjack.twin, medjack.scenario, resolveRegime('baseline')), 20170512, 0);
    const actions = doc.events.filter((e) => e.kind === 'action');
    expect(actions.length).toBeGreaterThan(0);
    for (const e of actions) expect(['discover', 'exploit', 'harvest', 'move', 'exfiltrate', 'deploy']).toContain(e.detail);
    // A move that lands is recorded at the same minute as the compromise of the same target, from the same host.
    const moves = actions.filter((e) => e.from !== null && doc.events.some((c) => c.kind === 'compromise' && c.t === e.t && c.node === e.node));
    expect(moves.length).toBeGreaterThan(0);
    for (const e of moves) expect(doc.events.find((c) => c.kind === 'compromise' && c.t === e.t && c.node === e.node)!.from).toBe(e.from);
  });

  it("names the room's decisions by action and target, and a staged rollout's halt as the halt rule's", () => {
    const zone = compiled.meta.zones.indexOf('imaging-vlan');
    expect(zone).toBeGreaterThanOrEqual(0);
    const doc = traceRun(compiled, 42, 3, [
      { atMinutes: 5, action: 'isolate-zone', argument: zone },
      { atMinutes: 6, action: 'disconnect-kinds', argument: (1 << NODE_KINDS.indexOf('infusion-pump')) | (1 << NODE_KINDS.indexOf('pacs')) },
      { atMinutes: 7, action: 'add-staff', argument: 2 },
      { atMinutes: 8, action: 'revoke-identities' },
    ]);
    expect(doc.events.filter((e) => e.kind === 'intervention').map((e) => e.detail)).toEqual(['isolate-zone imaging-vlan', 'disconnect-kinds infusion-pump, pacs', 'add-staff 2', 'revoke-identities']);
    // Which members went off the network: the kinds, estate-wide here, and at its site for the scenario's response
    // (the dashboard draws them faded; the site was not recorded, so it could not).
    const cuts = doc.events.filter((e) => e.kind === 'disconnect').map((e) => [e.detail, e.node]);
    expect(cuts[0]).toEqual(['infusion-pump, pacs disconnected', null]);
    expect(cuts).toContainEqual(['imaging-modality, lab-analyser disconnected at hospital', null]);
    const wannacry = resolveScenario('wannacry-down', 'acute-trust');
    const trust = traceRun(compile(wannacry.twin, wannacry.scenario, resolveRegime('baseline')), 20170512, 0);
    expect(trust.events.filter((e) => e.kind === 'disconnect').map((e) => [e.detail, e.node])).toEqual([['imaging-modality, lab-analyser disconnected at trust', null]]);
    const crowdstrike = resolveScenario('crowdstrike-update', 'acute-trust');
    const rollout = traceRun(compile(crowdstrike.twin, crowdstrike.scenario, resolveRegime('staged-rollout')), 20170512, 3);
    expect(rollout.events.find((e) => e.kind === 'halt-update')?.detail).toBe('estate (halt rule)');
  });

  it('never counts a member already taken as protected by a control', () => {
    // wannacry-down on acute-trust, run 0, the room isolating the corporate zone at minute 200: the first
    // scanners after it counted 113 hosts the worm already held as "blocked by isolation" (a trial).
    const wannacry = resolveScenario('wannacry-down', 'acute-trust');
    const compiledTrust = compile(wannacry.twin, wannacry.scenario, resolveRegime('baseline'));
    const doc = traceRun(compiledTrust, 20170512, 0, [{ atMinutes: 200, action: 'isolate-zone', argument: compiledTrust.meta.zones.indexOf('trust/corporate') }]);
    const takenAt = new Map<number, number>();
    for (const e of doc.events) if (e.kind === 'compromise' && !takenAt.has(e.node!)) takenAt.set(e.node!, e.t);
    const blocked = doc.events.filter((e) => e.kind === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    for (const e of blocked) expect(takenAt.get(e.node!) ?? Infinity, `${doc.nodes[e.node!]!.id} at ${e.t}`).toBeGreaterThan(e.t);
  });

  it("lists each service that lost capacity with its hourly series, consistent with the run's figures", () => {
    const supplier = resolveScenario('supplier-ransomware', 'acute-trust');
    const doc = traceRun(compile(supplier.twin, supplier.scenario, resolveRegime('baseline')), 20170512, 0);
    expect(doc.serviceStepMinutes).toBe(60);
    const pathology = doc.services.find((s) => s.kind === 'pathology')!;
    expect(pathology).toMatchObject({ id: 'trust/pathology', unit: 'tests', site: 'trust' });
    expect(pathology.capacity).toHaveLength(doc.horizonMinutes / 60 + 1);
    expect(pathology.capacity[0]).toBe(1);
    // The hourly series never dips below the run's lowest capacity, and comes within an hour's ramp of it.
    const lowest = Math.min(...pathology.capacity);
    expect(lowest).toBeGreaterThanOrEqual(doc.outcome['service.pathology.min']! - 1e-9);
    expect(lowest).toBeLessThan(doc.outcome['service.pathology.min']! + 0.05);
    // Units lost: the series' trapezoids come within a few per cent of the exact integral.
    const lost = pathology.capacity.slice(1).reduce((sum, c, h) => sum + (pathology.demandPerHour * (2 - c - pathology.capacity[h]!)) / 2, 0);
    expect(lost / doc.outcome['service.pathology.lost']!).toBeCloseTo(1, 1);
    // Outpatients need pathology results: they lose capacity though none of their own systems went down.
    expect(doc.services.map((s) => s.kind)).toEqual(expect.arrayContaining(['outpatients', 'elective-surgery', 'gp-pathology']));
  });
});
