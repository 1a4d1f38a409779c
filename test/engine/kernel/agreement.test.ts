import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/compile/compile.js';
import { packInterventions } from '../../../engine/kernel/interventions.js';
import { M, metricNames } from '../../../engine/kernel/metrics.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { runReference } from '../../../engine/kernel/reference.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { STATIC_KEYED } from '../../../engine/kernel/codes.js';
import { TraceBuffer } from '../../../engine/kernel/trace.js';
import { loadRegimeFile, loadScenarioFile, loadTwinFile } from '../../../engine/model/load-file.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';
import { asContagion } from './both.js';
import { build, recovery, SMB, tinyScenario, tinyTwin } from './tiny.js';

const ward = loadTwinFile('scenarios/twins/ward.yaml');
const SCENARIOS = ['wannacry-down', 'medjack-up', 'crowdstrike-update'];
const REGIMES = ['baseline', 'charter', 'segmented', 'least-privilege', 'staged-rollout', 'all-controls'];

describe('the fast kernel and the reference kernel', () => {
  // medjack-up's operators are specified by operators.test.ts on the fast kernel alone; here its threat runs
  // as a contagion over the same relations (asContagion), which both kernels model.
  it('the reference kernel refuses an operator-driven intrusion rather than run it wrongly', () => {
    const { model } = compile(ward, loadScenarioFile('scenarios/medjack-up.yaml', ward), loadRegimeFile('scenarios/regimes/baseline.yaml'));
    expect(() => runReference(model, 1, 0)).toThrow(/operator-driven/);
  });

  for (const name of SCENARIOS) {
    it(`agree exactly on every metric of ${name} on the ward, under every regime, over 40 runs`, () => {
      const scenario = asContagion(loadScenarioFile(`scenarios/${name}.yaml`, ward));
      for (const regimeName of REGIMES) {
        const { model } = compile(ward, scenario, loadRegimeFile(`scenarios/regimes/${regimeName}.yaml`));
        const state = new KernelState(model);
        for (let run = 0; run < 40; run++) {
          const fast = Array.from(runKernel(model, state, 2017, run));
          expect(fast, `${name}/${regimeName} run ${run}`).toEqual(Array.from(runReference(model, 2017, run)));
        }
      }
    });
  }

  it('agree under interventions too', () => {
    const scenario = loadScenarioFile('scenarios/wannacry-down.yaml', ward);
    const { model } = compile(ward, scenario, loadRegimeFile('scenarios/regimes/baseline.yaml'));
    const interventions = packInterventions([
      { atMinutes: 200, action: 'segment' },
      { atMinutes: 240, action: 'isolate-zone', argument: 0 },
      { atMinutes: 300, action: 'disconnect-kinds', argument: 1 << 6 },
      { atMinutes: 600, action: 'add-staff', argument: 3 },
      { atMinutes: 320, action: 'reconnect-zone', argument: 0 },
      { atMinutes: 330, action: 'unsegment' },
      { atMinutes: 340, action: 'reconnect-kinds', argument: 1 << 6 },
    ]);
    const state = new KernelState(model);
    for (let run = 0; run < 40; run++) {
      expect(Array.from(runKernel(model, state, 5, run, { interventions }))).toEqual(Array.from(runReference(model, 5, run, interventions)));
    }
  });
});

describe('timed interventions', () => {
  it('leave the history before their time identical to the plain run (same seed)', () => {
    const scenario = loadScenarioFile('scenarios/wannacry-down.yaml', ward);
    const { model } = compile(ward, scenario, loadRegimeFile('scenarios/regimes/baseline.yaml'));
    const state = new KernelState(model);
    const at = 300;
    let changed = 0;
    for (let run = 0; run < 30; run++) {
      const plain = new TraceBuffer();
      const decided = new TraceBuffer();
      runKernel(model, state, 11, run, { trace: plain });
      runKernel(model, state, 11, run, { trace: decided, interventions: packInterventions([{ atMinutes: at, action: 'segment' }, { atMinutes: at, action: 'add-staff', argument: 5 }]) });
      const before = (trace: TraceBuffer) => Array.from({ length: trace.length }, (_, i) => [trace.time[i], trace.kind[i], trace.node[i], trace.from[i]]).filter(([time]) => time! < at);
      expect(before(decided)).toEqual(before(plain));
      if (decided.length !== plain.length) changed++;
    }
    // The decisions do change what happens afterwards in some runs.
    expect(changed).toBeGreaterThan(0);
  });

  it('change nothing when there is nothing to undo: reconnecting what is connected, lifting no segmentation', () => {
    // A trial found each of these changed the run (the rescan they made drew every scanner's next probe anew):
    // 337 members blocked by isolation where no zone was ever isolated, and a disconnection that came after a
    // no-op reconnection at the same minute let four times as many hosts fall.
    // On acute-trust, where the worm scans its zones (the ward has none to scan).
    const { twin, scenario } = resolveScenario('wannacry-down', 'acute-trust');
    const { model } = compile(twin, scenario, resolveRegime('baseline'));
    expect(model.scansZones).toBe(1);
    const workstations = 1 << NODE_KINDS.indexOf('clinical-workstation');
    const state = new KernelState(model);
    const noOps = [
      { atMinutes: 190, action: 'reconnect-zone' as const, argument: 0 },
      { atMinutes: 190, action: 'unsegment' as const },
      { atMinutes: 190, action: 'reconnect-kinds' as const, argument: workstations },
    ];
    let scanned = 0;
    for (let run = 0; run < 30; run++) {
      const plain = Array.from(runKernel(model, state, 11, run));
      if (plain[M.compromised]! > 1) scanned++;
      // Every metric but `events`, which counts the decision itself (one more).
      const outcome = (row: ArrayLike<number>) => Array.from(row).map((x, i) => (i === M.events ? x - 1 : x));
      for (const decision of noOps) {
        const interventions = packInterventions([decision]);
        expect(outcome(runKernel(model, state, 11, run, { interventions })), `${decision.action}, run ${run}`).toEqual(plain);
        // The reference kernel (a second each here) on the first runs.
        if (run < 3) expect(outcome(runReference(model, 11, run, interventions)), `${decision.action} (reference), run ${run}`).toEqual(plain);
      }
      // Reconnecting first, then disconnecting at the same minute, is the disconnection alone.
      const alone = packInterventions([{ atMinutes: 190, action: 'disconnect-kinds', argument: workstations }]);
      const both = packInterventions([{ atMinutes: 190, action: 'reconnect-kinds', argument: workstations }, { atMinutes: 190, action: 'disconnect-kinds', argument: workstations }]);
      expect(outcome(runKernel(model, state, 11, run, { interventions: both })), `reconnect then disconnect, run ${run}`).toEqual(Array.from(runKernel(model, state, 11, run, { interventions: alone })));
    }
    // The worm was spreading (scanning) at minute 190 in most runs: the rescan would have had draws to change.
    expect(scanned).toBeGreaterThan(8);
  });

  it('count alike what isolations and segmentation after the first scans close (acute-trust)', () => {
    const { twin, scenario } = resolveScenario('wannacry-down', 'acute-trust');
    const { model, meta } = compile(twin, scenario, resolveRegime('baseline'));
    const state = new KernelState(model);
    const names = metricNames(meta);
    const blocked = (row: ArrayLike<number>, control: string) => row[names.indexOf(`blocked.${control}`)]!;
    // Zones 3 and 9 isolated by the room at 150 and 170, segmentation at 200: the scenario's own isolations come too.
    const interventions = packInterventions([
      { atMinutes: 150, action: 'isolate-zone', argument: 3 },
      { atMinutes: 170, action: 'isolate-zone', argument: 9 },
      { atMinutes: 200, action: 'segment' },
    ]);
    for (let run = 0; run < 2; run++) {
      const fast = Array.from(runKernel(model, state, 5, run, { interventions }));
      expect(fast, `run ${run}`).toEqual(Array.from(runReference(model, 5, run, interventions)));
      expect(blocked(fast, 'isolation')).toBeGreaterThan(0);
      expect(blocked(fast, 'segmentation')).toBeGreaterThan(0);
    }
  });
});

describe('pruning attempts that surely come too late (the node-indexed queue)', () => {
  /** A static-spread SIR-like model on a circulant graph; `ease` < 1 on some edges and patched members make some attempts unsure. */
  async function staticModel(options: { spread?: 'exponential' | 'fixed'; payload?: boolean; restore?: false; zones?: true; mixed?: true } = {}) {
    const { build, tinyRegime, tinyScenario, tinyTwin, SMB, recovery } = await import('./tiny.js');
    // Half the members run unsupported software the patch never reaches: attempts at them are sure. With
    // `zones`, the members sit in three flat subnets, a routed to b and b to c, and the worm also scans them.
    const zoneOf = (i: number) => (options.zones ? { zone: i < 14 ? 'a' : i < 27 ? 'b' : 'c' } : {});
    const zones = options.zones
      ? [
          { id: 'a', site: 'hospital', flat: true, reaches: ['b'] },
          { id: 'b', site: 'hospital', flat: true, reaches: ['c'] },
          { id: 'c', site: 'hospital', flat: true },
        ]
      : [];
    // With `mixed`, every third member is a workstation (physical) and every third a vendor API (cloud), owners
    // alternate, a quarter (sure targets all) sit at a second trust and a quarter at no site: crossings, owner losses
    // and trusts hit count.
    const layers = ['network', 'physical', 'cloud'] as const;
    const kinds = { physical: 'clinical-workstation', network: 'server', cloud: 'vendor-api' } as const;
    const mixed = (i: number) => {
      if (!options.mixed) return { layer: 'network' as const, kind: 'server' as const, owner: 'trust' };
      const layer = layers[i % 3]!;
      return { layer, kind: kinds[layer], owner: i % 2 === 0 ? 'trust' : 'vendor', ...(i % 4 === 3 ? {} : { site: i % 4 === 2 ? 'other' : 'hospital' }) };
    };
    const nodes = Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, ...mixed(i), vulns: [SMB], tags: i % 2 === 0 ? ['unsupported-os'] : [], recovery, ...zoneOf(i) }));
    // The even offset joins members of the same parity, so sure attempts come from members a sure attempt took.
    const edges = nodes.flatMap((_, i) => [1, 2, 7, 13].map((d) => ({ from: `n${i}`, to: `n${(i + d) % 40}`, relation: 'network' as const, bidirectional: true })));
    const spread = options.spread === 'fixed' ? { dist: 'fixed' as const, minutes: 2 } : { dist: 'exponential' as const, meanMinutes: 2 };
    const scenario = tinyScenario({
      threat: {
        kind: 'worm',
        // Later entries land on members that often have a sure attempt pending.
        // With zones or mixed the later entries stay in zone a and at the first trust: zone b's scanners and the
        // second trust's infections start from attempts and scans alone.
        entries: [{ select: { ids: ['n0'] } }, { select: options.zones || options.mixed ? { ids: ['n3', 'n4', 'n12'] } : { layers: ['network'] }, count: 8, atMinutes: 2, spreadMinutes: 10 }],
        exploits: ['CVE-2017-0144'],
        spread,
        payload: options.payload ? { effect: 'disrupt', delay: { dist: 'exponential', meanMinutes: 3 } } : { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
      },
      recovery: options.restore === false ? { staff: 0 } : { staff: 0, autoRestore: { dist: 'exponential', meanMinutes: 1 } },
    });
    // Members that may be patched in a run make attempts at them unsure: those stay on the event heap, beside
    // the node queue; attempts at the unsupported half are sure.
    const sites = [{ id: 'hospital', kind: 'acute-trust' as const }, { id: 'other', kind: 'acute-trust' as const }];
    const { model } = build(tinyTwin({ sites, zones, nodes, edges }), scenario, tinyRegime({ patchCoverage: 0.3, patchSupportedOnly: true }));
    expect(model.staticSpread).toBe(1);
    expect(model.zoneCount).toBe(options.zones ? 3 : 0);
    // The worm scans zones only where the twin has them.
    expect(model.scansZones).toBe(options.zones ? 1 : 0);
    expect(model.patchChance.some((x) => x > 0)).toBe(true);
    // Without a payload, restores change nothing anything reads: the kernel keeps them on the member.
    expect(model.quietRestore).toBe(options.payload ? 0 : 1);
    return model;
  }

  it('agrees exactly with the reference kernel, events included', async () => {
    // The quiet cases (all but payload) take the kernel's own loop for the node queue (serveQuiet).
    const cases = [{}, { spread: 'fixed' as const }, { payload: true }, { restore: false as const }, { zones: true as const }, { mixed: true as const }, { mixed: true as const, spread: 'fixed' as const }, { zones: true as const, mixed: true as const, spread: 'fixed' as const }, { mixed: true as const, spread: 'fixed' as const, restore: false as const }];
    for (const options of cases) {
      const model = await staticModel(options);
      const state = new KernelState(model);
      for (let run = 0; run < 100; run++) {
        expect(Array.from(runKernel(model, state, 8, run)), `${JSON.stringify(options)} run ${run}`).toEqual(Array.from(runReference(model, 8, run)));
      }
    }
  });

  it('counts a restore due exactly at the horizon, quiet or queued', async () => {
    // n0 enters at 0 and takes n1 at 5, which takes n2 at 10; n1's restore falls due at 15, the horizon: an
    // event of the run (5 events: the entry, two compromises, restores at 10 and 15). Fixed times, one run.
    const { build, tinyRegime, tinyScenario, tinyTwin, SMB, recovery } = await import('./tiny.js');
    const nodes = [0, 1, 2].map((i) => ({ id: `n${i}`, layer: 'network' as const, kind: 'server' as const, owner: 'trust', vulns: [SMB], tags: ['unsupported-os'], recovery }));
    const edges = [
      { from: 'n0', to: 'n1', relation: 'network' as const },
      { from: 'n1', to: 'n2', relation: 'network' as const },
    ];
    const scenario = tinyScenario({
      horizonHours: 0.25,
      threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'fixed', minutes: 5 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
      recovery: { staff: 0, autoRestore: { dist: 'fixed', minutes: 10 } },
    });
    const { model } = build(tinyTwin({ nodes, edges }), scenario, tinyRegime({}));
    expect([model.staticSpread, model.quietRestore, model.horizonMinutes]).toEqual([1, 1, 15]);
    const reference = Array.from(runReference(model, 1, 0));
    expect(reference[M.events]).toBe(5);
    expect(reference[M.compromised]).toBe(3);
    // Quiet (serveQuiet), with a trace (restores queued on the node queue) and on the plain event heap.
    expect(Array.from(runKernel(model, new KernelState(model), 1, 0))).toEqual(reference);
    expect(Array.from(runKernel(model, new KernelState(model), 1, 0, { trace: new TraceBuffer() }))).toEqual(reference);
    const unpruned = { ...model, staticSpread: 0, quietRestore: 0 };
    expect(Array.from(runKernel(unpruned, new KernelState(unpruned), 1, 0))).toEqual(reference);
  });

  it("fills a member's edge rows at its first draw, once a state, on a twin without edges too", async () => {
    // A static-spread worm that spreads by scanning one flat subnet alone: no edge, so no edge row.
    const { build, tinyRegime, tinyScenario, tinyTwin, SMB, recovery } = await import('./tiny.js');
    const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `n${i}`, layer: 'network' as const, kind: 'server' as const, owner: 'trust', vulns: [SMB], tags: ['unsupported-os'], recovery, zone: 'a' }));
    const scenario = tinyScenario({
      threat: { kind: 'worm', entries: [{ select: { ids: ['n0'] } }], exploits: ['CVE-2017-0144'], spread: { dist: 'exponential', meanMinutes: 2 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } },
      recovery: { staff: 0, autoRestore: { dist: 'exponential', meanMinutes: 60 } },
    });
    const twin = tinyTwin({ sites: [{ id: 'hospital', kind: 'acute-trust' as const }], zones: [{ id: 'a', site: 'hospital', flat: true }], nodes, edges: [] });
    const { model } = build(twin, scenario, tinyRegime({}));
    expect([model.staticSpread, model.quietRestore, model.scansZones, model.targets.length]).toEqual([1, 1, 1, 0]);
    const state = new KernelState(model);
    const first = Array.from(runKernel(model, state, 6, 0));
    expect(first).toEqual(Array.from(runReference(model, 6, 0)));
    expect(first[M.compromised]).toBeGreaterThan(1);
    // Marked filled are exactly the members that drew: those the run compromised.
    const keyed = (i: number) => (state.staticMembers[4 * i + 2]! & STATIC_KEYED) !== 0;
    expect(Array.from({ length: 12 }, (_, i) => keyed(i))).toEqual(Array.from({ length: 12 }, (_, i) => state.compromisedIn[i] === state.run));
    for (let run = 1; run < 20; run++) expect(Array.from(runKernel(model, state, 6, run))).toEqual(Array.from(runReference(model, 6, run)));
  });

  it("opens the zones a subnet reaches before its first scanner's first probe, quiet or queued", async () => {
    // n0 (no zone) takes n1 by a sure attempt (the node queue: serveQuiet when quiet); n1 is alone in subnet a,
    // which routes to subnet b. n1's first probe is scheduled at the rate of b's healthy targets, counted once
    // a is shielded and b opened: scheduled before that, the rate would be 0 and b never reached.
    const { build, tinyRegime, tinyScenario, tinyTwin, SMB, recovery } = await import('./tiny.js');
    const server = { layer: 'network' as const, kind: 'server' as const, owner: 'trust', vulns: [SMB], tags: ['unsupported-os'], recovery };
    const nodes = [{ id: 'n0', ...server }, { id: 'n1', ...server, zone: 'a' }, ...Array.from({ length: 6 }, (_, i) => ({ id: `b${i}`, ...server, zone: 'b' }))];
    const zones = [
      { id: 'a', site: 'hospital', flat: true, reaches: ['b'] },
      { id: 'b', site: 'hospital', flat: false },
    ];
    const scenario = tinyScenario({
      horizonHours: 24,
      threat: {
        kind: 'worm',
        entries: [{ select: { ids: ['n0'] } }],
        exploits: ['CVE-2017-0144'],
        spread: { dist: 'exponential', meanMinutes: 2 },
        routedSpread: { dist: 'exponential', meanMinutes: 30 },
        payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
      },
      recovery: { staff: 0, autoRestore: { dist: 'exponential', meanMinutes: 600 } },
    });
    const twin = tinyTwin({ sites: [{ id: 'hospital', kind: 'acute-trust' as const }], zones, nodes, edges: [{ from: 'n0', to: 'n1', relation: 'network' as const }] });
    const { model } = build(twin, scenario, tinyRegime({}));
    expect([model.staticSpread, model.quietRestore, model.scansZones]).toEqual([1, 1, 1]);
    const unpruned = { ...model, staticSpread: 0, quietRestore: 0 };
    const quiet = new KernelState(model);
    const traced = new KernelState(model);
    const heap = new KernelState(unpruned);
    let reachedB = 0;
    for (let run = 0; run < 20; run++) {
      const reference = Array.from(runReference(model, 5, run));
      expect(Array.from(runKernel(model, quiet, 5, run)), `quiet, run ${run}`).toEqual(reference);
      expect(Array.from(runKernel(model, traced, 5, run, { trace: new TraceBuffer() })), `traced, run ${run}`).toEqual(reference);
      const full = Array.from(runKernel(unpruned, heap, 5, run));
      expect(full.filter((_, i) => i !== M.events), `event heap, run ${run}`).toEqual(reference.filter((_, i) => i !== M.events));
      // Beyond n0 and n1, every member compromised is in b: reached by n1's probes alone.
      if (reference[M.compromised]! > 2) reachedB++;
    }
    // n0 takes n1 (mean 2 min) and n1 probes b at 6/30 a minute, each restoring after a mean of 600 min: a
    // run misses b only if a restore comes first, about 1.2% a run (the sum of (1/600) / (1/2 + 1/600) and
    // (1/600) / (6/30 + 1/600)), so 3 or more misses in 20 runs has probability ~0.2%; the seeds are fixed.
    expect(reachedB).toBeGreaterThanOrEqual(18);
  });

  it('gives the same trace as the unpruned event heap, ties in time included', async () => {
    // Fixed delays make ties: sure attempts (node queue) and attempts at patched members (event heap) fall due together.
    for (const options of [{ payload: true }, { spread: 'fixed' as const }]) {
      const model = await staticModel(options);
      const unpruned = { ...model, staticSpread: 0 };
      const a = new KernelState(model);
      const b = new KernelState(unpruned);
      for (let run = 0; run < 50; run++) {
        const pruned = new TraceBuffer();
        const full = new TraceBuffer();
        runKernel(model, a, 4, run, { trace: pruned });
        runKernel(unpruned, b, 4, run, { trace: full });
        const rows = (trace: TraceBuffer) => Array.from({ length: trace.length }, (_, i) => [trace.time[i], trace.kind[i], trace.node[i], trace.from[i]]);
        expect(rows(pruned)).toEqual(rows(full));
      }
    }
  });

  it('changes nothing but the count of events processed', async () => {
    const model = await staticModel();
    const unpruned = { ...model, staticSpread: 0 };
    const a = new KernelState(model);
    const b = new KernelState(unpruned);
    let fewer = 0;
    for (let run = 0; run < 200; run++) {
      const pruned = Array.from(runKernel(model, a, 3, run));
      const full = Array.from(runKernel(unpruned, b, 3, run));
      const events = M.events;
      expect(pruned.filter((_, i) => i !== events)).toEqual(full.filter((_, i) => i !== events));
      if (pruned[events]! < full[events]!) fewer++;
    }
    expect(fewer).toBeGreaterThan(0);
  });
});

describe('site-scoped and partly followed responses', () => {
  it('agree between the kernels', async () => {
    const { scenarioFromValue } = await import('../../../engine/model/load.js');
    const base = asContagion(loadScenarioFile('scenarios/medjack-up.yaml', ward));
    const scenario = scenarioFromValue(
      {
        ...base,
        detection: { compromised: { dist: 'exponential', meanMinutes: 600 }, disrupted: { dist: 'exponential', meanMinutes: 60 } },
        responses: [
          { action: 'disconnect-kind', kinds: ['lab-analyser', 'imaging-modality'], scope: 'site', delay: { dist: 'fixed', minutes: 30 } },
          { action: 'revoke-identities', scope: 'site', delay: { dist: 'exponential', meanMinutes: 120 } },
          { action: 'disconnect-kind', kinds: ['patient-monitor'], share: 0.5, delay: { dist: 'fixed', minutes: 60 } },
        ],
      },
      'variant',
      ward,
    );
    const { model } = compile(ward, scenario, loadRegimeFile('scenarios/regimes/baseline.yaml'));
    const state = new KernelState(model);
    for (let run = 0; run < 40; run++) expect(Array.from(runKernel(model, state, 8, run))).toEqual(Array.from(runReference(model, 8, run)));
  });

  it('agree when an intervention names a zone past the model, before a real isolation (it changes nothing)', () => {
    const node = (id: string, zone: string) => ({ id, layer: 'network' as const, kind: 'server' as const, owner: 'trust', zone, vulns: [SMB], recovery });
    const zones = [
      { id: 'a', site: 'hospital', flat: false },
      { id: 'b', site: 'hospital', flat: false },
    ];
    const edges = [
      { from: 'n0', to: 'n1', relation: 'network' as const },
      { from: 'n0', to: 'n2', relation: 'network' as const },
      { from: 'n2', to: 'n3', relation: 'network' as const },
    ];
    const { model, meta } = build(tinyTwin({ zones, nodes: [node('n0', 'a'), node('n1', 'a'), node('n2', 'b'), node('n3', 'b')], edges }), tinyScenario({}));
    const alone = packInterventions([{ atMinutes: 5, action: 'isolate-zone', argument: 0 }]);
    const after = packInterventions([
      { atMinutes: 1, action: 'reconnect-zone', argument: 7 },
      { atMinutes: 5, action: 'isolate-zone', argument: 0 },
    ]);
    const blocked = metricNames(meta).indexOf('blocked.isolation');
    const state = new KernelState(model);
    const expected = Array.from(runReference(model, 1, 0, after));
    expect(Array.from(runKernel(model, state, 1, 0, { interventions: after }))).toEqual(expected);
    expect(state.isolatedZones).toBe(1);
    // The isolation blocks as it does alone (the extra intervention is one more event, and nothing else).
    expect(expected[blocked]).toBeGreaterThan(0);
    expect(expected[blocked]).toBe(runReference(model, 1, 0, alone)[blocked]);
  });
});

