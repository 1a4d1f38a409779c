import type { TwinInput } from '../../engine/model/twin.js';
import type { ServiceUnit } from '../../engine/model/vocabulary.js';

/**
 * Clinical services a trust offers, with demand per bed per hour so one table serves trusts of any size.
 * Demand is an annual total spread over every hour of the year (÷ 8,760): the engine has no weekdays, so an
 * outage of a day loses an average day's activity, weekends included (a review found elective work counted
 * per weekday on all seven days, 1.4× the week's). Rates are set so a 780-bed acute trust (the KH03 average,
 * see acute-trust.ts) gets the figures quoted.
 */
export type ServiceKey =
  | 'outpatients'
  | 'emergency'
  | 'radiology'
  | 'pathology'
  | 'transfusion'
  | 'elective-surgery'
  | 'infusion'
  | 'diabetes'
  | 'community-contacts'
  | 'ambulance-response';

export interface ServiceTemplate {
  name: string;
  unit: ServiceUnit;
  demandPerBedHour: number;
  /** 1 (can wait) to 5 (life-critical): orders the recovery queue. */
  criticality: number;
  diversion?: boolean;
  /** Other services of the same trust it needs, and the share of its work that needs each (twin `needs`). */
  needs?: { key: ServiceKey; share: number }[];
  workarounds?: Workaround[];
}

export type Workaround = NonNullable<NonNullable<TwinInput['services']>[number]['workarounds']>[number];

/**
 * What a laboratory that has lost its laboratory information system falls back on (docs/sources.md
 * "Services"). Manual working: analysers run with tests programmed by hand and results printed and phoned
 * through; emergency protocols were live within hours in published hospital cyberattacks (Al Haddad et
 * al., Ann Biol Clin 2025) and results ran 62% slower in EHR downtime (Larsen et al., Appl Clin Inform
 * 2019). Mutual aid: other laboratories take a share of the work once couriers, request and result routes
 * are set up; a US laboratory outsourced ~61% of its surgical and cytology cases over a 25-day outage
 * (Stowman et al., Am J Clin Pathol 2022) — an upper bound, since NHS laboratories run close to capacity.
 */
export const LAB_WORKAROUNDS: Workaround[] = [
  {
    name: 'Manual requesting and reporting (paper forms, phoned results)',
    kind: 'manual',
    ceiling: 0.35,
    after: { dist: 'lognormal', medianMinutes: 360, sigma: 0.8 },
    rampMinutes: 2880,
    source: 'assumption: set-up median 6 h (2–24 h), full 2 days later, 35% of normal throughput (urgent and inpatient work first); anchored on Al Haddad 2025 and Larsen 2019',
  },
  {
    name: 'Mutual aid: other laboratories take samples',
    kind: 'mutual-aid',
    ceiling: 0.25,
    after: { dist: 'lognormal', medianMinutes: 4320, sigma: 0.5 },
    rampMinutes: 10080,
    source: 'assumption: set-up median 3 days (σ 0.5), full a week later, a quarter of the lost work (no figure on laboratories\' spare capacity; Stowman 2022 outsourced ~61%)',
  },
];

const ACUTE_BEDS = 780;

/**
 * Share of an emergency department's capacity lost while a shared system it depends on is down (the twin's
 * `criticalFor`), before any paper fallback. Assumption: no public figure. The NAO records five hospitals
 * diverting ambulances in WannaCry (HC 414) without saying which systems' loss made them divert; imaging
 * (read through the PACS) and the patient record are the shared systems an ED cannot replace device by
 * device. The two together leave a fifth of the capacity to the department's own devices and desktops.
 */
export const ED_CRITICAL_SHARE = { pacs: 0.5, ehr: 0.3 } as const;

export const SERVICE_TEMPLATES: Record<ServiceKey, ServiceTemplate> = {
  // ~2,000 outpatient appointments a day at a 780-bed trust, averaged over the year: ~100 million attended
  // appointments a year (NHS Digital, Hospital Outpatient Activity) over ~135 acute trusts ≈ 2,030 a day
  // (≈ 3,000 a working day over ~250 working days).
  // A quarter of appointments cannot go ahead without a current pathology result (assumption: oncology,
  // haematology, renal, rheumatology monitoring and diabetes clinics; the "70% of decisions" claim has no
  // published evidence behind it (Hallworth, Clin Biochem Rev 2011) and is not used).
  outpatients: { name: 'Outpatient appointments', unit: 'appointments', demandPerBedHour: 2000 / 24 / ACUTE_BEDS, criticality: 2, needs: [{ key: 'pathology', share: 0.25 }] },
  // ~13 attendances an hour at a type 1 emergency department (NHS England, A&E Attendances and Emergency
  // Admissions: ~15 million type 1 attendances a year over ~130 trusts with one; it read 15 before a review).
  emergency: {
    name: 'Emergency department',
    unit: 'attendances',
    demandPerBedHour: 15_000_000 / 130 / 8760 / ACUTE_BEDS,
    criticality: 5,
    diversion: true,
    // Assumption: 0.4 of type 1 attendances have blood tests (38–43% have no investigation at all, HES A&E
    // 2010/11 and 2012/13; 62% in an Australian ED, Osman et al., BMC Health Serv Res 2024). Imaging and
    // records are the PACS's and EHR's `criticalFor` shares (ED_CRITICAL_SHARE).
    needs: [{ key: 'pathology', share: 0.4 }],
  },
  // ~41 million imaging tests in England in 2016/17 (NHS England, Diagnostic Imaging Dataset annual
  // release 2016/17) over ~150 acute and specialist trusts ≈ 31 an hour.
  radiology: { name: 'Radiology scans', unit: 'scans', demandPerBedHour: 31 / ACUTE_BEDS, criticality: 3 },
  // ~1.12 billion pathology tests a year across 122 acute and specialist trusts' labs (NHS Improvement,
  // pathology networks strategy, 2018) ≈ 1,050 an hour per trust.
  pathology: { name: 'Pathology tests', unit: 'tests', demandPerBedHour: 1050 / ACUTE_BEDS, criticality: 4, workarounds: LAB_WORKAROUNDS },
  // ~1.6 million red-cell units a year in England and North Wales (Tinegate et al., Transfusion 2016: 46,111
  // units in two weeks were 73% of NHSBT's issues) over ~140 trusts ≈ 1.3 an hour at a trust.
  transfusion: {
    name: 'Blood transfusion',
    unit: 'transfusions',
    demandPerBedHour: 1.3 / ACUTE_BEDS,
    criticality: 5,
    workarounds: [
      {
        name: 'Manual group and crossmatch, emergency group O units',
        kind: 'manual',
        ceiling: 0.5,
        after: { dist: 'lognormal', medianMinutes: 120, sigma: 0.8 },
        rampMinutes: 1440,
        source: 'assumption: blood banks keep paper procedures and emergency O units; set-up median 2 h, half the work a day later',
      },
    ],
  },
  // ~7.5 million elective admissions a year over ~132 trusts, ~60% of them operations (derived from HES
  // admitted patient care totals; to be checked against NHS Digital APC tables): ~34,000 procedures a year,
  // ~93 a day averaged over the year (~135 a working day, the figure used on all seven days before a review). Pre-operative bloods for half (NICE NG45, 2016: FBC and kidney function for major
  // surgery and ASA 3–4) and a valid group and save for 0.3 (assumption: 96–100% of elective surgical
  // patients get one (Hall et al., Transfus Med Hemother 2013), but most day cases go ahead without).
  'elective-surgery': {
    name: 'Elective procedures',
    unit: 'procedures',
    demandPerBedHour: ((7_500_000 / 132) * 0.6) / 8760 / ACUTE_BEDS,
    criticality: 3,
    needs: [
      { key: 'pathology', share: 0.5 },
      { key: 'transfusion', share: 0.3 },
    ],
  },
  // Assumption: ~90% of inpatients receive IV therapy (commonly cited by infusion-nursing bodies) and about
  // two infusions are started a patient a day at 90% bed occupancy (KH03): 0.9 × 0.9 × 2 / 24 a bed-hour.
  infusion: { name: 'Infusion therapy', unit: 'infusions', demandPerBedHour: (0.9 * 0.9 * 2) / 24, criticality: 5 },
  // ~18% of inpatients have diabetes (National Diabetes Inpatient Audit, 2017) at 90% occupancy: inpatients
  // with diabetes under care, spread over the day.
  diabetes: { name: 'Diabetes care', unit: 'patients', demandPerBedHour: (0.9 * 0.18) / 24, criticality: 4 },
  // Assumption: community and mental-health trusts' clinic and home-visit contacts, ~3 a bed a day
  // (Mental Health Services Data Set and Community Services Data Set publish contacts, not per bed).
  'community-contacts': { name: 'Community contacts', unit: 'appointments', demandPerBedHour: 3 / 24, criticality: 2 },
  // Ambulance trusts are sized in vehicles, not beds. Order of magnitude: ~9 million incidents a year over
  // 10 trusts (NHS England, Ambulance Quality Indicators; to be checked) ≈ 100 an hour for ~450 vehicles.
  'ambulance-response': { name: 'Ambulance response', unit: 'patients', demandPerBedHour: 100 / 450, criticality: 5 },
};
