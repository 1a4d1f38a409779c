import type { ServiceUnit } from '../../engine/model/vocabulary.js';

/**
 * Clinical services a trust offers, with demand per bed per hour so one table serves trusts of any size.
 * Demand is averaged over the 24 hours of a weekday, so an outage of a day loses a weekday's activity.
 * Rates are set so a 780-bed acute trust (the KH03 average, see acute-trust.ts) gets the figures quoted.
 */
export type ServiceKey =
  | 'outpatients'
  | 'emergency'
  | 'radiology'
  | 'pathology'
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
}

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
  // On the order of 2,000 outpatient appointments a weekday at a 780-bed trust (NHS Digital, Hospital
  // Outpatient Activity). Conservative: ~100 million attended appointments a year over ~135 acute trusts
  // and ~250 working days would give ~3,000 — to be calibrated.
  outpatients: { name: 'Outpatient appointments', unit: 'appointments', demandPerBedHour: 2000 / 24 / ACUTE_BEDS, criticality: 2 },
  // ~15 attendances an hour at a type 1 emergency department (NHS England, A&E Attendances and Emergency
  // Admissions: ~15 million type 1 attendances a year over ~130 trusts with one ≈ 13 an hour).
  emergency: {
    name: 'Emergency department',
    unit: 'attendances',
    demandPerBedHour: 15 / ACUTE_BEDS,
    criticality: 5,
    diversion: true,
  },
  // ~41 million imaging tests in England in 2016/17 (NHS England, Diagnostic Imaging Dataset annual
  // release 2016/17) over ~150 acute and specialist trusts ≈ 31 an hour.
  radiology: { name: 'Radiology scans', unit: 'scans', demandPerBedHour: 31 / ACUTE_BEDS, criticality: 3 },
  // ~1.12 billion pathology tests a year across 122 acute and specialist trusts' labs (NHS Improvement,
  // pathology networks strategy, 2018) ≈ 1,050 an hour per trust.
  pathology: { name: 'Pathology tests', unit: 'tests', demandPerBedHour: 1050 / ACUTE_BEDS, criticality: 4 },
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
