import type { SiteKind } from '../../engine/model/vocabulary.js';
import type { ServiceKey } from './services.js';

/** The device classes a trust's connected estate is made of. */
export const DEVICE_CLASSES = [
  'infusion-pump',
  'patient-monitor',
  'insulin-pump',
  'imaging-modality',
  'radiology-workstation',
  'lab-analyser',
  'clinical-workstation',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** Classes kept at the bedside, in care-area VLANs. */
export const CARE_CLASSES: readonly DeviceClass[] = ['infusion-pump', 'patient-monitor', 'insulin-pump', 'clinical-workstation'];

/**
 * Device lines a manufacturer supplies. Legacy lines are the unsupported-OS kit of a class, often from an
 * older supplier than the current kit. Clinical workstations are the trust's own, not a manufacturer's.
 */
export const DEVICE_LINES = [
  'infusion-pump',
  'patient-monitor',
  'insulin-pump',
  'imaging-modality',
  'imaging-modality:legacy',
  'radiology-workstation',
  'radiology-workstation:legacy',
  'lab-analyser',
  'lab-analyser:legacy',
] as const;
export type DeviceLine = (typeof DEVICE_LINES)[number];

/** A care area other than the wards: an emergency department, critical care, clinics... */
export interface CareArea {
  key: string;
  name: string;
  /** Size in bed-equivalents per bed of the trust (device density relative to a ward bed). */
  bedWeight: number;
  services: readonly ServiceKey[];
  /** Device classes found there; defaults to every care class but insulin pumps (inpatients are on wards). */
  classes?: readonly DeviceClass[];
}

/** What kind of trust this is, in the terms the trust building block needs. */
export interface TrustProfile {
  siteKind: SiteKind;
  /** Share of the trust's devices in each class; sums to 1. */
  deviceShares: Readonly<Record<DeviceClass, number>>;
  /** Relative device density per bed, used to share a national device total between trusts. */
  densityPerBed: number;
  /** Beds (or vehicles) served by one ward VLAN. */
  bedsPerWardVlan: number;
  wardLabel: 'ward' | 'station';
  /** Services the devices on ward VLANs support beyond their class's own. */
  wardServices: readonly ServiceKey[];
  careAreas: readonly CareArea[];
  services: readonly ServiceKey[];
}

const NO_DEVICES: Record<DeviceClass, number> = {
  'infusion-pump': 0,
  'patient-monitor': 0,
  'insulin-pump': 0,
  'imaging-modality': 0,
  'radiology-workstation': 0,
  'lab-analyser': 0,
  'clinical-workstation': 0,
};

/**
 * Acute device mix. No public census splits a trust's connected devices by class, so these shares are
 * assumptions: infusion pumps are the most numerous medical device on a ward (2–4 a bed), monitors about
 * two a bed, insulin pumps are few (patients' own pumps, 0.5%), imaging, PACS viewing and point-of-care
 * blood-gas analysers about 2% each, and desktops / workstations-on-wheels make up the rest.
 */
const ACUTE_SHARES: Record<DeviceClass, number> = {
  'infusion-pump': 0.35,
  'patient-monitor': 0.2,
  'insulin-pump': 0.005,
  'imaging-modality': 0.02,
  'radiology-workstation': 0.02,
  'lab-analyser': 0.02,
  'clinical-workstation': 0.385,
};

// Care areas besides wards. Assumptions: an ED's cubicles and resus bays equal ~10% of the trust's beds
// in device terms; critical care is ~4% of beds (KH03 critical-care return) at ~3× a ward bed's devices.
const ED: CareArea = { key: 'ed', name: 'Emergency department', bedWeight: 0.1, services: ['emergency'] };
const ICU: CareArea = { key: 'icu', name: 'Critical care', bedWeight: 0.12, services: [] };
const THEATRES: CareArea = { key: 'theatres', name: 'Theatres and recovery', bedWeight: 0.05, services: ['elective-surgery'] };
const OUTPATIENTS: CareArea = { key: 'outpatients', name: 'Outpatient clinics', bedWeight: 0.08, services: ['outpatients'] };

export const PROFILES = {
  acute: {
    siteKind: 'acute-trust',
    deviceShares: ACUTE_SHARES,
    densityPerBed: 10,
    // Assumption: a VLAN per floor of two 28–30-bed wards (HBN 04-01 adult in-patient ward sizes).
    bedsPerWardVlan: 60,
    wardLabel: 'ward',
    wardServices: [],
    careAreas: [ED, ICU, THEATRES, OUTPATIENTS],
    services: ['outpatients', 'emergency', 'radiology', 'pathology', 'transfusion', 'elective-surgery', 'infusion', 'diabetes'],
  },
  // Specialist trusts (cancer, cardiothoracic, orthopaedic...): acute building blocks without an ED,
  // denser in imaging and critical care. Assumption.
  specialist: {
    siteKind: 'specialist-trust',
    deviceShares: { ...ACUTE_SHARES, 'imaging-modality': 0.03, 'radiology-workstation': 0.03, 'clinical-workstation': 0.365 },
    densityPerBed: 12,
    bedsPerWardVlan: 60,
    wardLabel: 'ward',
    wardServices: [],
    careAreas: [{ ...ICU, bedWeight: 0.15 }, { ...THEATRES, bedWeight: 0.08 }, { ...OUTPATIENTS, bedWeight: 0.12 }],
    services: ['outpatients', 'radiology', 'pathology', 'transfusion', 'elective-surgery', 'infusion', 'diabetes'],
  },
  // Mental-health trusts: mostly desktops, a few observation monitors and pumps. Assumption.
  'mental-health': {
    siteKind: 'mental-health-trust',
    deviceShares: { ...NO_DEVICES, 'clinical-workstation': 0.85, 'patient-monitor': 0.12, 'infusion-pump': 0.03 },
    densityPerBed: 4,
    bedsPerWardVlan: 40,
    wardLabel: 'ward',
    wardServices: [],
    careAreas: [{ key: 'community-teams', name: 'Community teams', bedWeight: 0.5, services: ['community-contacts'], classes: ['clinical-workstation'] }],
    services: ['community-contacts', 'infusion'],
  },
  // Community trusts: community hospitals and district nursing (syringe drivers). Assumption.
  community: {
    siteKind: 'community-trust',
    deviceShares: { ...NO_DEVICES, 'clinical-workstation': 0.7, 'infusion-pump': 0.15, 'patient-monitor': 0.15 },
    densityPerBed: 6,
    bedsPerWardVlan: 40,
    wardLabel: 'ward',
    wardServices: [],
    careAreas: [{ key: 'community-clinics', name: 'Community clinics', bedWeight: 0.6, services: ['community-contacts'] }],
    services: ['community-contacts', 'infusion'],
  },
  // Ambulance trusts, sized in vehicles: monitor-defibrillators and ePR tablets on vehicles (grouped by
  // station), desks in the emergency operations centre. Assumption.
  ambulance: {
    siteKind: 'ambulance-trust',
    deviceShares: { ...NO_DEVICES, 'patient-monitor': 0.55, 'clinical-workstation': 0.45 },
    densityPerBed: 4,
    bedsPerWardVlan: 50,
    wardLabel: 'station',
    wardServices: ['ambulance-response'],
    careAreas: [{ key: 'eoc', name: 'Emergency operations centre', bedWeight: 0.15, services: ['ambulance-response'], classes: ['clinical-workstation'] }],
    services: ['ambulance-response'],
  },
} as const satisfies Record<string, TrustProfile>;
export type TrustKind = keyof typeof PROFILES;
