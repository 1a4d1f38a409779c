import type { NodeKind } from './vocabulary.js';

/**
 * The unit of harm (docs/metrics.md "Patient harm"). A device attached to patients harms them in one of two
 * ways, and the harm is counted per patient-hour of each:
 *
 * - **availability** — the device is down or taken out of use (disrupted, disconnected, withdrawn): therapy is
 *   interrupted and falls back to manual, or monitoring is lost and deterioration is found later;
 * - **integrity** — the device runs but does the wrong thing: a dose or a setting altered, alarms suppressed,
 *   readings falsified (a payload with `effect: alter`), until it is found and taken out of use.
 *
 * Each path has expected harm events per attached patient per hour in five severity classes, in the spirit
 * of ISO 14971:2019 and IEC 61508 (negligible: inconvenience; minor: temporary harm, no intervention beyond
 * monitoring; serious: harm needing intervention or a longer stay; critical: permanent impairment or
 * life-threatening; catastrophic: death). Clinical mitigations a regime can hold catch a share of a path's harm.
 * A device kind without a profile harms no one directly (its clinical cost is the services it supports).
 *
 * Every rate is an ASSUMPTION: no published study gives harm per patient-hour of a device attacked or down.
 * Each names the published figures it was reasoned from (docs/sources.md "Patient harm"); the scenario's
 * `clinical.harm` replaces any of them, and `strata sensitivity` varies them.
 */

export const SEVERITIES = ['negligible', 'minor', 'serious', 'critical', 'catastrophic'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Severity classes from this index up are "serious or worse" (the headline figure). */
export const SERIOUS = SEVERITIES.indexOf('serious');

export const HARM_EFFECTS = ['availability', 'integrity'] as const;
export type HarmEffect = (typeof HARM_EFFECTS)[number];

/** Clinical mitigations a regime can hold (regime.ts `controls`). */
export const CLINICAL_MITIGATIONS = ['doseErrorReduction', 'independentDoubleCheck', 'closedLoopAlarms'] as const;
export type ClinicalMitigation = (typeof CLINICAL_MITIGATIONS)[number];

export type SeverityRates = Readonly<Record<Severity, number>>;

export interface HarmPath {
  /** What happens to the patient. */
  readonly what: string;
  /** Expected harm events per attached patient per hour of the effect, by severity. */
  readonly perPatientHour: SeverityRates;
  readonly source: string;
  /** Mitigations that catch a share (`efficacy`) of this path's harm before it reaches the patient. */
  readonly mitigatedBy: readonly { readonly control: ClinicalMitigation; readonly efficacy: number; readonly source: string }[];
}

export interface HarmProfile {
  /** therapy: the device delivers treatment; monitoring: it watches the patient. */
  readonly role: 'therapy' | 'monitoring';
  /** The clinical context, as the CVSS-in-context table prints it. */
  readonly context: string;
  readonly availability: HarmPath;
  readonly integrity: HarmPath;
}

const rates = (negligible: number, minor: number, serious: number, critical: number, catastrophic: number): SeverityRates => ({ negligible, minor, serious, critical, catastrophic });

/**
 * The default profiles. Reasoning behind the numbers (all assumptions, docs/sources.md "Patient harm"):
 * - an attacker's alteration is deliberate, unlike the programming errors the studies count, so integrity
 *   rates are set so that an hour of altered high-alert therapy harms about one patient in 30 at serious or
 *   worse — higher than the ~1% of observed infusion errors judged harmful (Schnock et al., BMJ Qual Saf
 *   2017), because the alteration is chosen to harm;
 * - losing a pump falls back to a spare or to manual administration: delays, rarely harm;
 * - losing a monitor removes the early warning of deterioration: continuous surveillance cut rescue events
 *   from 3.4 to 1.2 per 1,000 discharges (Taenzer et al., Anesthesiology 2010), i.e. about two in three
 *   deteriorations it watches for are found late without it;
 * - suppressed alarms or falsified readings are worse than a blank screen: staff are falsely reassured.
 */
export const HARM_PROFILES: Readonly<Partial<Record<NodeKind, HarmProfile>>> = {
  'infusion-pump': {
    role: 'therapy',
    context: 'bedside infusion of drugs and fluids, many of them high-alert (opioids, insulin, heparin, inotropes)',
    availability: {
      what: 'therapy interrupted: a spare pump or manual (gravity) infusion, doses delayed',
      perPatientHour: rates(0.01, 0.002, 0.0005, 0.0001, 0.00001),
      source: 'assumption: a pump out of use delays doses; harm rare (no published per-hour figure)',
      mitigatedBy: [],
    },
    integrity: {
      what: 'dose or rate altered: over- or under-infusion of a high-alert drug',
      perPatientHour: rates(0.05, 0.03, 0.02, 0.01, 0.003),
      source: 'assumption: ~1 in 30 patients harmed serious-or-worse per hour of deliberate alteration; observed programming errors: 60% of infusions, ~1% harmful (Schnock et al., BMJ Qual Saf 2017)',
      mitigatedBy: [
        { control: 'doseErrorReduction', efficacy: 0.5, source: 'assumption: hard limits in the drug library stop a gross rate change, not one within limits or a library altered with it' },
        { control: 'independentDoubleCheck', efficacy: 0.3, source: 'assumption: a second nurse checks the pump against the prescription at set-up and handover only' },
        { control: 'closedLoopAlarms', efficacy: 0.2, source: 'assumption: capnography-linked pause catches opioid over-infusion on the PCA pumps that have it' },
      ],
    },
  },
  'insulin-pump': {
    role: 'therapy',
    context: 'body-worn insulin delivery, the patient’s own, around the clock',
    availability: {
      what: 'insulin delivery stopped: injections instead; hyperglycaemia, ketoacidosis if unnoticed',
      perPatientHour: rates(0.02, 0.005, 0.001, 0.0002, 0.00001),
      source: 'assumption: a stopped pump is usually noticed at the next glucose check',
      mitigatedBy: [],
    },
    integrity: {
      what: 'bolus or basal rate altered (CVE-2019-10964): severe hypoglycaemia',
      perPatientHour: rates(0.05, 0.05, 0.05, 0.02, 0.005),
      source: 'assumption: an unauthorised bolus is a direct path to severe hypoglycaemia (CISA ICSMA-19-178-01: "change settings and control insulin delivery")',
      mitigatedBy: [
        { control: 'closedLoopAlarms', efficacy: 0.4, source: 'assumption: a CGM low-glucose alarm or suspend; threshold suspend cut nocturnal hypoglycaemia by ~38% (Bergenstal et al., NEJM 2013, ASPIRE)' },
        { control: 'independentDoubleCheck', efficacy: 0.1, source: 'assumption: a body-worn pump is rarely checked by a second person' },
      ],
    },
  },
  pacemaker: {
    role: 'therapy',
    context: 'implanted pacing, the patient depends on it',
    availability: {
      what: 'telemetry and reprogramming lost: the implant keeps pacing',
      perPatientHour: rates(0.001, 0.0001, 0, 0, 0),
      source: 'assumption: the implant paces on without its programmer or home monitor',
      mitigatedBy: [],
    },
    integrity: {
      what: 'pacing altered or battery drained (CVE-2017-12712 class)',
      perPatientHour: rates(0.02, 0.02, 0.02, 0.01, 0.005),
      source: 'assumption: FDA safety communication on St. Jude Medical RF-enabled implants (August 2017) names pacing changes and battery depletion',
      mitigatedBy: [],
    },
  },
  'glucose-sensor': {
    role: 'monitoring',
    context: 'continuous glucose readings that dosing decisions rest on',
    availability: {
      what: 'readings lost: finger-prick checks instead',
      perPatientHour: rates(0.01, 0.001, 0.0001, 0, 0),
      source: 'assumption: finger-prick testing replaces the sensor',
      mitigatedBy: [],
    },
    integrity: {
      what: 'readings falsified: insulin dosed on false values',
      perPatientHour: rates(0.03, 0.02, 0.01, 0.004, 0.001),
      source: 'assumption: a false high reading leads to an insulin dose the patient did not need',
      mitigatedBy: [{ control: 'independentDoubleCheck', efficacy: 0.3, source: 'assumption: a finger-prick check before a dose on a surprising reading' }],
    },
  },
  'patient-monitor': {
    role: 'monitoring',
    context: 'bedside vital-signs monitoring and alarms',
    availability: {
      what: 'monitoring lost: deterioration found later, at intermittent observations',
      perPatientHour: rates(0.005, 0.001, 0.0003, 0.0001, 0.00003),
      source: 'assumption from Taenzer et al., Anesthesiology 2010 (rescue events 3.4 → 1.2 per 1,000 discharges with continuous surveillance)',
      mitigatedBy: [],
    },
    integrity: {
      what: 'alarms suppressed or vital signs falsified: deterioration missed, staff falsely reassured',
      perPatientHour: rates(0.01, 0.003, 0.001, 0.0004, 0.0001),
      source: 'assumption: about three times the loss of monitoring (false reassurance delays the intermittent checks too)',
      mitigatedBy: [{ control: 'closedLoopAlarms', efficacy: 0.3, source: 'assumption: a second, independent alarm path (central station, pager) still fires' }],
    },
  },
};

/** The kinds with a harm profile, in NODE_KINDS order (the `harm.<kind>.*` columns). */
export function harmKinds(kinds: readonly NodeKind[]): NodeKind[] {
  return kinds.filter((kind) => HARM_PROFILES[kind] !== undefined);
}

/** Expected events per patient-hour summed over severity classes from `from` up. */
export function rateFrom(r: SeverityRates, from = 0): number {
  let total = 0;
  for (let i = from; i < SEVERITIES.length; i++) total += r[SEVERITIES[i]!];
  return total;
}
