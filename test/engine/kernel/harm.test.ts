import { describe, expect, it } from 'vitest';
import { HARM_PROFILES, SEVERITIES, type SeverityRates } from '../../../engine/model/harm.js';
import type { ScenarioInput } from '../../../engine/model/scenario.js';
import type { TwinInput } from '../../../engine/model/twin.js';
import { packInterventions } from '../../../engine/kernel/interventions.js';
import { NODE_KINDS } from '../../../engine/model/vocabulary.js';
import { KERNELS, fast } from './both.js';
import { build, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';

/**
 * Patient harm (kernel/harm.ts) on hand-built twins with fixed delays: every patient-hour and every expected
 * harm event below is computed by hand from the default rates (engine/model/harm.ts).
 */

const recovery = { handsOnMinutes: 10 };
const MINIMED = { cve: 'CVE-2019-10964', cvss: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' };
const sum = (r: SeverityRates, from = 0) => SEVERITIES.slice(from).reduce((s, v) => s + r[v], 0);
const MONITOR = HARM_PROFILES['patient-monitor']!;
const INSULIN = HARM_PROFILES['insulin-pump']!;

/** Four monitors with half a patient each, and a server, that a faulty update breaks at minute 100. */
function monitorTwin(): TwinInput {
  return tinyTwin({
    nodes: [
      { id: 'updates', layer: 'cloud', kind: 'update-service', owner: 'vendor', recovery },
      { id: 'monitors', layer: 'physical', kind: 'patient-monitor', owner: 'vendor', site: 'hospital', count: 4, patientsAttached: 0.5, tags: ['breaks'], recovery },
      { id: 'server', layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', tags: ['breaks'], recovery },
    ],
    edges: [
      { from: 'updates', to: 'monitors', relation: 'update' },
      { from: 'updates', to: 'server', relation: 'update' },
    ],
  });
}

function update(parts: Partial<ScenarioInput> = {}): ScenarioInput {
  return tinyScenario({
    threat: { kind: 'faulty-update', source: { ids: ['updates'] }, affects: { tags: ['breaks'] }, liveMinutes: 1000, arrival: { dist: 'fixed', minutes: 100 } },
    ...parts,
  });
}

/** One insulin pump (one patient) and a server, both carrying CVE-2019-10964; a worm enters the pump at 0. */
function pumpTwin(): TwinInput {
  return tinyTwin({
    nodes: [
      { id: 'pump', layer: 'physical', kind: 'insulin-pump', owner: 'vendor', site: 'hospital', patientsAttached: 1, vulns: [MINIMED], recovery },
      { id: 'server', layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', vulns: [MINIMED], recovery },
    ],
  });
}

function worm(effect: 'alter' | 'disrupt' | 'none', entry: string, parts: Partial<ScenarioInput> = {}): ScenarioInput {
  return tinyScenario({
    threat: {
      kind: 'worm',
      entries: [{ select: { ids: [entry] } }],
      exploits: ['CVE-2019-10964'],
      spread: { dist: 'fixed', minutes: 10 },
      payload: { effect, delay: { dist: 'fixed', minutes: 30 } },
    },
    ...parts,
  });
}

describe('harm: availability', () => {
  for (const [name, kernel] of Object.entries(KERNELS)) {
    it(`${name} kernel: monitors down are patient-hours without monitoring, at the profile's rates; the server harms no one`, () => {
      const out = kernel(build(monitorTwin(), update()), 1, 0);
      // Down from 100 to the 48-hour horizon: 4 monitors × 0.5 patients × 2,780 min.
      const hours = (4 * 0.5 * (2880 - 100)) / 60;
      expect(out.patientHoursUnmonitored).toBeCloseTo(hours, 9);
      expect(out.patientHoursTherapyInterrupted).toBe(0);
      expect(out.patientsExposedAltered).toBe(0);
      for (const [i, s] of SEVERITIES.entries()) expect(out[`safety.${s}`], s).toBeCloseTo(hours * MONITOR.availability.perPatientHour[SEVERITIES[i]!], 12);
      expect(out.safetyEvents).toBeCloseTo(hours * sum(MONITOR.availability.perPatientHour), 12);
      expect(out.safetyEventsSerious).toBeCloseTo(hours * sum(MONITOR.availability.perPatientHour, 2), 12);
      expect(out['harm.kind.patient-monitor.hoursDown']).toBeCloseTo(hours, 9);
      expect(out['harm.owner.vendor.events']).toBeCloseTo(out.safetyEvents!, 12);
      // The trust owns no device attached to a patient: no harm columns for it.
      expect(out['harm.owner.trust.events']).toBeUndefined();
    });

    it(`${name} kernel: restoring ends the exposure at the hand-computed times`, () => {
      // Detected at 160, one engineer restores a monitor every 10 minutes: back at 170, 180, 190, 200.
      const out = kernel(build(monitorTwin(), update({ detection: { disrupted: { dist: 'fixed', minutes: 60 } }, recovery: { staff: 1 } })), 1, 0);
      // The server is restored first or later, by the recovery queue's order; count the monitors' minutes either way.
      const minutes = out['harm.kind.patient-monitor.hoursDown']! * 60;
      const serverFirst = 0.5 * (80 + 90 + 100 + 110);
      const monitorsFirst = 0.5 * (70 + 80 + 90 + 100);
      expect([serverFirst, monitorsFirst].some((m) => Math.abs(m - minutes) < 1e-9), `${minutes}`).toBe(true);
      expect(out.safetyEvents).toBeCloseTo((minutes / 60) * sum(MONITOR.availability.perPatientHour), 12);
    });
  }
});

describe('harm: integrity (fast kernel; the reference kernel refuses altered therapy)', () => {
  const noticed = { disrupted: { dist: 'fixed', minutes: 1e5 }, altered: { dist: 'fixed', minutes: 90 } } as const;

  it('an altered insulin pump harms at the integrity rates until noticed, then is withdrawn: therapy interrupted until restored', () => {
    // Compromised at 0, altered at 30, noticed at 120 and withdrawn (down), restored by one engineer at 130.
    const out = fast(build(pumpTwin(), worm('alter', 'pump', { detection: noticed, recovery: { staff: 1 } })), 1, 0);
    expect(out.patientsExposedAltered).toBe(1);
    expect(out.patientHoursAltered).toBeCloseTo(1.5, 12);
    expect(out.patientHoursTherapyInterrupted).toBeCloseTo(10 / 60, 12);
    expect(out.disrupted).toBe(1);
    const integrity = 1.5 * sum(INSULIN.integrity.perPatientHour);
    const availability = (10 / 60) * sum(INSULIN.availability.perPatientHour);
    expect(out.safetyEvents).toBeCloseTo(integrity + availability, 12);
    expect(out['safety.serious']).toBeCloseTo(1.5 * INSULIN.integrity.perPatientHour.serious + (10 / 60) * INSULIN.availability.perPatientHour.serious, 12);
    expect(out['harm.kind.insulin-pump.hoursAltered']).toBeCloseTo(1.5, 12);
    expect(out['harm.kind.insulin-pump.exposed']).toBe(1);
  });

  it('a clinical mitigation the regime holds catches its share of the integrity harm, not of the availability harm', () => {
    const scenario = worm('alter', 'pump', { detection: noticed, recovery: { staff: 1 } });
    const base = fast(build(pumpTwin(), scenario), 1, 0);
    const held = fast(build(pumpTwin(), scenario, tinyRegime({ closedLoopAlarms: true })), 1, 0);
    const efficacy = INSULIN.integrity.mitigatedBy.find((m) => m.control === 'closedLoopAlarms')!.efficacy;
    expect(efficacy).toBe(0.4);
    const integrity = 1.5 * sum(INSULIN.integrity.perPatientHour);
    const availability = (10 / 60) * sum(INSULIN.availability.perPatientHour);
    expect(held.safetyEvents).toBeCloseTo(integrity * (1 - efficacy) + availability, 12);
    expect(held.patientHoursAltered).toBe(base.patientHoursAltered);
    // A mitigation for other devices (pump dose limits) changes nothing here.
    expect(fast(build(pumpTwin(), scenario, tinyRegime({ doseErrorReduction: true })), 1, 0).safetyEvents).toBe(base.safetyEvents);
  });

  it('off the network an altered pump still infuses: found there, it is withdrawn; reconnected, it harms no more', () => {
    // Altered at 30, taken off the network at 60 (still altered: the pump infuses on its own), noticed at 120 and
    // withdrawn, reconnected at 200; no staff, so it stays withdrawn to the horizon.
    const mask = 1 << NODE_KINDS.indexOf('insulin-pump');
    const interventions = packInterventions([
      { atMinutes: 60, action: 'disconnect-kinds', argument: mask },
      { atMinutes: 200, action: 'reconnect-kinds', argument: mask },
    ]);
    const out = fast(build(pumpTwin(), worm('alter', 'pump', { detection: noticed })), 1, 0, { interventions });
    expect(out.patientHoursAltered).toBeCloseTo(1.5, 12);
    // Withdrawn from 120 to the horizon; the disconnection itself costs the patient nothing.
    expect(out.patientHoursTherapyInterrupted).toBeCloseTo((2880 - 120) / 60, 9);
  });

  it('a pump merely taken off the network harms no one: it keeps infusing', () => {
    const mask = 1 << NODE_KINDS.indexOf('insulin-pump');
    const interventions = packInterventions([{ atMinutes: 60, action: 'disconnect-kinds', argument: mask }]);
    const out = fast(build(pumpTwin(), worm('none', 'pump', { detection: noticed })), 1, 0, { interventions });
    expect(out.safetyEvents).toBe(0);
    expect(out.patientHoursTherapyInterrupted).toBe(0);
  });

  it('a stealthy compromise harms no one: the same pump compromised for 48 hours with no payload', () => {
    const out = fast(build(pumpTwin(), worm('none', 'pump', { detection: noticed })), 1, 0);
    expect(out.compromised).toBe(1);
    expect(out.safetyEvents).toBe(0);
    expect(out.patientsExposedAltered).toBe(0);
  });

  it('without clinicians noticing, the altered pump harms until the horizon', () => {
    const out = fast(build(pumpTwin(), worm('alter', 'pump', { detection: { disrupted: { dist: 'fixed', minutes: 1e5 } } })), 1, 0);
    expect(out.patientHoursAltered).toBeCloseTo((2880 - 30) / 60, 9);
    expect(out.safetyEvents).toBeCloseTo(((2880 - 30) / 60) * sum(INSULIN.integrity.perPatientHour), 9);
  });
});

describe('harm: the same CVE on a server and on an insulin pump', () => {
  it('the same flaw and the same disruption harm the pump\'s patient and no one through the server', () => {
    const pump = fast(build(pumpTwin(), worm('disrupt', 'pump')), 1, 0);
    const server = fast(build(pumpTwin(), worm('disrupt', 'server')), 1, 0);
    // Each is compromised at 0 and disrupted at 30 until the horizon.
    expect(pump.disrupted).toBe(1);
    expect(server.disrupted).toBe(1);
    expect(pump.patientHoursTherapyInterrupted).toBeCloseTo((2880 - 30) / 60, 9);
    expect(pump.safetyEvents).toBeCloseTo(((2880 - 30) / 60) * sum(INSULIN.availability.perPatientHour), 9);
    expect(server.safetyEvents).toBe(0);
    expect(server.patientHoursTherapyInterrupted).toBe(0);
  });
});
