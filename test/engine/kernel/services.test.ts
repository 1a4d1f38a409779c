import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../engine/model/scenario.js';
import type { TwinInput } from '../../../engine/model/twin.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { KERNELS, fast } from './both.js';
import { build, SMB, tinyScenario, tinyTwin } from './tiny.js';

/**
 * The services' capacity (kernel/services.ts) on hand-built twins with fixed delays: a faulty update breaks
 * chosen members at minute 100, so every capacity and every integral below is computed by hand.
 */

const recovery = { handsOnMinutes: 10 };
type ServiceInput = NonNullable<TwinInput['services']>[number];
const lab: ServiceInput = { id: 'lab', name: 'Pathology', unit: 'tests', demandPerHour: 60, criticality: 4 };
const clinic: ServiceInput = { id: 'clinic', name: 'Outpatients', unit: 'appointments', demandPerHour: 30, criticality: 2, needs: [{ service: 'lab', share: 0.4 }] };
const paper = { name: 'Paper requests', kind: 'manual', ceiling: 0.5, after: { dist: 'fixed', minutes: 60 }, rampMinutes: 120, source: 'test' } as const;

function labTwin(extra: Partial<TwinInput> = {}): TwinInput {
  return tinyTwin({
    services: [{ ...lab, site: 'hospital', workarounds: [paper] }, { ...clinic, site: 'hospital' }],
    nodes: [
      { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
      { id: 'lims', layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', requiredFor: ['lab'], tags: ['lims'], recovery },
      { id: 'half', layer: 'physical', kind: 'lab-analyser', owner: 'trust', site: 'hospital', count: 2, services: ['lab'], tags: ['half'], recovery },
      { id: 'rest', layer: 'physical', kind: 'lab-analyser', owner: 'trust', site: 'hospital', count: 2, services: ['lab'], recovery },
      { id: 'desks', layer: 'physical', kind: 'clinical-workstation', owner: 'trust', site: 'hospital', count: 2, services: ['clinic'], recovery },
    ],
    edges: [
      { from: 'updates', to: 'lims', relation: 'update' },
      { from: 'updates', to: 'half', relation: 'update' },
    ],
    ...extra,
  });
}

/** The update breaks the members with `tag` at minute 100; nothing is detected or restored unless said. */
function breaks(tag: string, parts: Partial<ScenarioInput> = {}): ScenarioInput {
  return tinyScenario({
    horizonHours: 48,
    threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: [tag] }, liveMinutes: 1000, arrival: { dist: 'fixed', minutes: 100 } },
    ...parts,
  });
}

/** Capacity of every service on an hourly grid over the horizon (kernel.ts serviceSeries). */
function series(twin: TwinInput, scenario: ScenarioInput): (service: string, minute: number) => number {
  const { model, meta } = build(twin, scenario);
  const points = model.horizonMinutes / 60 + 1;
  const out = new Float64Array(points * model.serviceCount);
  runKernel(model, new KernelState(model), 1, 0, { serviceSeries: out, serviceSeriesPoints: points });
  return (service, minute) => {
    expect(minute % 60).toBe(0);
    return out[(minute / 60) * model.serviceCount + meta.services.indexOf(service)]!;
  };
}

describe('services: systems, needs and ramping workarounds', () => {
  for (const [name, kernel] of Object.entries(KERNELS)) {
    describe(`${name} kernel`, () => {
      it('a required system down stops the service; its workaround ramps to its ceiling; a service that needs it loses its share', () => {
        const out = kernel(build(labTwin(), breaks('lims')), 1, 0);
        // From minute 100 the lab's own capacity is 0; paper starts at 160 and reaches 0.5 at 280:
        // lab = 0.5 · clamp((t − 160) / 120, 0, 1); outpatients = 1 − 0.4 · (1 − lab).
        // Missing lab-minutes: 60 (100–160) + 120 · 0.75 (the ramp) + (2880 − 280) · 0.5 = 1,450.
        expect(out['service.lab.lost']).toBeCloseTo((60 * 1450) / 60, 9);
        expect(out['service.clinic.lost']).toBeCloseTo((30 * 0.4 * 1450) / 60, 9);
        expect(out.testsNotDone).toBeCloseTo(1450, 9);
        expect(out.appointmentsCancelled).toBeCloseTo(290, 9);
        expect(out['service.lab.min']).toBe(0);
        expect(out['service.clinic.min']).toBeCloseTo(0.6, 12);
        expect(out['service.lab.day1']).toBeCloseTo(0.5, 12);
        expect(out['service.clinic.day1']).toBeCloseTo(0.8, 12);
        expect(out['service.lab.day7']).toBeNaN(); // beyond the 48-hour horizon
        // Below 50% from 100 until the ramp reaches 0.5 at 280: 3 hours; back at 50% 180 minutes after the loss.
        expect(out['service.lab.hoursBelow50']).toBeCloseTo(3, 6);
        expect(out['service.lab.backTo50']).toBeCloseTo(180, 6);
        expect(out['service.lab.backTo90']).toBeNaN();
        // Still below 90% at the horizon (the paper ceiling is 0.5), no longer below 50%.
        expect([out['service.lab.stillBelow50'], out['service.lab.stillBelow90']]).toEqual([0, 1]);
        expect(out['service.clinic.hoursBelow50']).toBe(0);
        // The clinic never fell below 50% (its lowest is 0.6): no time back to count, where it read 0.
        expect(out['service.clinic.backTo50']).toBeNaN();
        expect([out['service.clinic.stillBelow50'], out['service.clinic.stillBelow90']]).toEqual([0, 1]);
        expect(out.trustsDisruptedWithoutInfection).toBe(0);
      });

      it('a run with no loss is whole on day N only where an incident inside the horizon could be seen on day N', () => {
        // The update lands after the horizon: nothing is lost. Day N is 1 while N days < horizon, else NaN
        // (a 7-day horizon sees no incident's day 7, so its unaffected runs must not read as recovered).
        const quiet = (hours: number) =>
          kernel(build(labTwin(), tinyScenario({ horizonHours: hours, threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['lims'] }, liveMinutes: 1000, arrival: { dist: 'fixed', minutes: 60 * 24 * 40 } } })), 1, 0);
        const twoDays = quiet(48);
        expect(twoDays['service.lab.lost']).toBe(0);
        expect(twoDays['service.lab.day1']).toBe(1);
        expect(twoDays['service.lab.day7']).toBeNaN();
        const week = quiet(168);
        expect(week['service.lab.day1']).toBe(1);
        expect(week['service.lab.day7']).toBeNaN();
        expect(week['service.lab.day27']).toBeNaN();
        const month = quiet(24 * 30);
        expect(month['service.lab.day7']).toBe(1);
        expect(month['service.lab.day27']).toBe(1);
        // An incident at minute 0 is held to the same rule: its day 1 is seen on a horizon longer than a day
        // only (at exactly one day it is NaN, as a run with no loss is there).
        const atOnce = (hours: number) =>
          kernel(build(labTwin(), tinyScenario({ horizonHours: hours, threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['lims'] }, liveMinutes: 1000, arrival: { dist: 'fixed', minutes: 0 } } })), 1, 0);
        expect(atOnce(24)['service.lab.lost']).toBeGreaterThan(0);
        expect(atOnce(24)['service.lab.day1']).toBeNaN();
        expect(quiet(24)['service.lab.day1']).toBeNaN();
        expect(atOnce(25)['service.lab.day1']).toBe(0.5); // paper at its ceiling a day in
      });

      it('ordinary supporters add up, required ones multiply, and the estate\'s paper share combines with the workaround', () => {
        // Half the analysers down: own = 0.5; lab = 0.5 + 0.5 · w(t) with w ramping to 0.5 from 160 to 280.
        const half = kernel(build(labTwin(), breaks('half')), 1, 0);
        // Missing: 0.5 · 1,450 minutes.
        expect(half['service.lab.lost']).toBeCloseTo(725, 9);
        expect(half['service.lab.min']).toBeCloseTo(0.5, 12);
        expect(half['service.lab.day1']).toBeCloseTo(0.75, 12);
        expect(half['service.lab.hoursBelow50']).toBe(0);
        // Paper kept by the estate (0.2, at once) and the workaround are independent: 1 − 0.8 · (1 − w).
        const both = kernel(build(labTwin(), { ...breaks('lims'), clinical: { diversionBelowCapacity: 0.5, downtimeCapacity: 0.2, harm: [] } }), 1, 0);
        expect(both['service.lab.min']).toBeCloseTo(0.2, 12);
        expect(both['service.lab.day1']).toBeCloseTo(0.6, 12);
        expect(both['service.lab.lost']).toBeCloseTo(0.8 * 1450, 9);
      });
    });
  }

  it('the capacity series follows the hand-computed function hour by hour', () => {
    const at = series(labTwin(), breaks('lims'));
    const expected = (t: number): number => (t < 100 ? 1 : 0.5 * Math.min(1, Math.max(0, (t - 160) / 120)));
    for (const t of [0, 60, 120, 180, 240, 300, 1440, 2880]) {
      expect(at('lab', t)).toBeCloseTo(expected(t), 12);
      expect(at('clinic', t)).toBeCloseTo(1 - 0.4 * (1 - expected(t)), 12);
    }
  });

  it('a mutual-aid agreement (the regime) sets mutual aid up faster; manual workarounds are untouched', () => {
    const aid = { ...paper, name: 'Another laboratory', kind: 'mutual-aid' as const };
    const twin = labTwin({ services: [{ ...lab, site: 'hospital', workarounds: [aid] }, { ...clinic, site: 'hospital' }] });
    const { model } = build(twin, breaks('lims'), { schema: 'strata.regime/v1', name: 'aid', title: 'aid', controls: { mutualAidSpeedup: 2 } });
    expect([model.workaroundSpeedup[0], model.workaroundRamp[0]]).toEqual([2, 60]);
    // The set-up delay (fixed 60) is halved as it is drawn: the lab reaches 0.5 at 100 + 30 + 60.
    expect(fast(build(twin, breaks('lims'), { schema: 'strata.regime/v1', name: 'aid', title: 'aid', controls: { mutualAidSpeedup: 2 } }), 1, 0)['service.lab.backTo50']).toBeCloseTo(90, 6);
    const { model: manual } = build(labTwin(), breaks('lims'), { schema: 'strata.regime/v1', name: 'aid', title: 'aid', controls: { mutualAidSpeedup: 2 } });
    expect([manual.workaroundSpeedup[0], manual.workaroundRamp[0]]).toEqual([1, 120]);
  });

  it('refuses services that need each other in a circle', () => {
    const twin = labTwin({ services: [{ ...lab, needs: [{ service: 'clinic', share: 0.1 }] }, clinic] });
    expect(() => build(twin, breaks('lims'))).toThrow(/services\[0\]\.needs: expected services that do not need each other in a circle, got lab → clinic → lab/);
  });
});

describe('services: recovery in stages', () => {
  for (const [name, kernel] of Object.entries(KERNELS)) {
    it(`a lifted response restores capacity at the hand-computed time (${name} kernel)`, () => {
      // The LIMS breaks at 100 and is noticed at 120; the site disconnects its analysers 30 minutes later (150).
      // One member of staff restores the LIMS in 600 minutes (720); the reason gone, checks take 120 minutes
      // and the analysers are reconnected at 840: the lab is whole again then, 740 minutes after the loss.
      const twin = labTwin({ services: [{ ...lab, site: 'hospital' }, { ...clinic, site: 'hospital' }] });
      twin.nodes = twin.nodes.map((n) => (n.id === 'lims' ? { ...n, recovery: { handsOnMinutes: 600 } } : n));
      const response: NonNullable<ScenarioInput['responses']>[number] = { action: 'disconnect-kind', kinds: ['lab-analyser'], delay: { dist: 'fixed', minutes: 30 } };
      const parts = { detection: { disrupted: { dist: 'fixed', minutes: 20 } }, recovery: { staff: 1 } } as const;
      const lifted = kernel(build(twin, breaks('lims', { ...parts, responses: [{ ...response, lift: { after: { dist: 'fixed', minutes: 120 } } }] })), 1, 0);
      expect(lifted['service.lab.backTo90']).toBeCloseTo(740, 9);
      expect(lifted['service.lab.lost']).toBeCloseTo((60 * 740) / 60, 9);
      expect(lifted['service.clinic.lost']).toBeCloseTo((30 * 0.4 * 740) / 60, 9);
      // Not lifted, the analysers stay disconnected and the lab never comes back.
      const kept = kernel(build(twin, breaks('lims', { ...parts, responses: [response] })), 1, 0);
      expect(kept['service.lab.backTo50']).toBeNaN();
      expect(kept['service.lab.lost']).toBeCloseTo((60 * (2880 - 100)) / 60, 9);
    });
  }

  for (const [name, kernel] of Object.entries(KERNELS)) {
    it(`a detection during the checks calls them off; they start afresh once the reason is gone again (${name} kernel)`, () => {
      // n0 enters at 0, is found at 10 and restored at 110 (100 minutes' work); the site disconnected its
      // analysers at 15. Checks (400 minutes) would end at 510, but n1 enters at 300 and is found at 310:
      // the checks are called off; n1 is restored at 410 and new checks end at 810, when the lab is whole again.
      const twin = tinyTwin({
        services: [{ ...lab, site: 'hospital' }],
        nodes: [
          { id: 'n0', layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', vulns: [SMB], recovery: { handsOnMinutes: 100 } },
          { id: 'n1', layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', vulns: [SMB], recovery: { handsOnMinutes: 100 } },
          { id: 'analysers', layer: 'physical', kind: 'lab-analyser', owner: 'trust', site: 'hospital', count: 2, services: ['lab'], recovery },
        ],
      });
      const scenario = tinyScenario({
        horizonHours: 48,
        threat: {
          kind: 'worm',
          entries: [
            { select: { ids: ['n0'] }, atMinutes: 0 },
            { select: { ids: ['n1'] }, atMinutes: 300 },
          ],
          exploits: ['CVE-2017-0144'],
          spread: { dist: 'fixed', minutes: 10 },
          payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
        },
        detection: { compromised: { dist: 'fixed', minutes: 10 }, disrupted: { dist: 'fixed', minutes: 10 } },
        responses: [{ action: 'disconnect-kind', kinds: ['lab-analyser'], delay: { dist: 'fixed', minutes: 5 }, lift: { after: { dist: 'fixed', minutes: 400 } } }],
        recovery: { staff: 1 },
      });
      const out = kernel(build(twin, scenario), 1, 0);
      expect(out['service.lab.backTo90']).toBeCloseTo(810 - 15, 9);
      expect(out['service.lab.lost']).toBeCloseTo((60 * (810 - 15)) / 60, 9);
    });
  }

  it("a supplier's team rebuilds in its order, with its own staff and start delay", () => {
    // The supplier's LIMS (the lab needs it) and results platform (GP results need it) break at 100 and are
    // noticed at 120. The supplier's team of one starts 1,440 minutes later (1,560): LIMS first (600
    // minutes, back at 2,160), then the platform (300, back at 2,460). The trust's own staff (5) never touch them.
    const twin = tinyTwin({
      owners: [
        { id: 'trust', kind: 'operator' },
        { id: 'vendor', kind: 'manufacturer' },
        { id: 'lab-co', kind: 'supplier' },
      ],
      sites: [
        { id: 'hospital', kind: 'acute-trust' },
        { id: 'hub', kind: 'laboratory' },
      ],
      services: [
        { ...lab, site: 'hospital' },
        { id: 'gp-results', name: 'GP results', unit: 'tests', demandPerHour: 20, criticality: 3, site: 'hub' },
      ],
      nodes: [
        { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
        { id: 'lims', layer: 'network', kind: 'server', owner: 'lab-co', site: 'hub', requiredFor: ['lab'], tags: ['encrypted'], recovery: { handsOnMinutes: 600 } },
        { id: 'platform', layer: 'cloud', kind: 'supplier-platform', owner: 'lab-co', site: 'hub', requiredFor: ['gp-results'], tags: ['encrypted'], recovery: { handsOnMinutes: 300 } },
        { id: 'analysers', layer: 'physical', kind: 'lab-analyser', owner: 'trust', site: 'hospital', count: 2, services: ['lab'], recovery },
      ],
      edges: [
        { from: 'updates', to: 'lims', relation: 'update' },
        { from: 'updates', to: 'platform', relation: 'update' },
      ],
    });
    const team = (order: string[]) => ({
      name: 'rebuild',
      select: { owners: ['lab-co'] },
      staff: 1,
      startDelay: { dist: 'fixed' as const, minutes: 1440 },
      order: order.map((id) => ({ ids: [id] })),
    });
    const scenario = (order: string[]): ScenarioInput =>
      breaks('encrypted', { detection: { disrupted: { dist: 'fixed', minutes: 20 } }, recovery: { staff: 5, teams: [team(order)] } });
    const limsFirst = fast(build(twin, scenario(['lims', 'platform'])), 1, 0);
    expect(limsFirst['service.lab.backTo50']).toBeCloseTo(2160 - 100, 9);
    expect(limsFirst['service.gp-results.backTo50']).toBeCloseTo(2460 - 100, 9);
    expect(limsFirst.trustsDisruptedWithoutInfection).toBe(1);
    const platformFirst = fast(build(twin, scenario(['platform', 'lims'])), 1, 0);
    expect(platformFirst['service.gp-results.backTo90']).toBeCloseTo(1860 - 100, 9);
    expect(platformFirst['service.lab.backTo90']).toBeCloseTo(2460 - 100, 9);
  });
});
