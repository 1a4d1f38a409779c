import type { CompiledMeta, CompiledModel } from '../compile/model.js';
import { CONTROL_NAMES } from '../compile/model.js';
import { HARM_KINDS } from '../compile/harm.js';
import { NODE_KINDS, SITE_KINDS } from '../model/vocabulary.js';

/**
 * The per-run outcome columns. The fixed part is the same for every twin; the accountability part has one
 * column per owner (`lost.<owner>`: members compromised or disrupted) and one per control
 * (`blocked.<control>`: members a control protected from an attempt); the breakdowns follow: members hit
 * per node kind (`infected.<kind>`), sites hit per site kind (`sitesInfected.<kind>`), trusts infected per
 * region (`trustsInfected.<region>`) and sites cut off from a failed outside service, per owner of the
 * service (`sitesCutOff.<owner>`), then per service kind the figures of its worst service
 * (`service.<kind>.<figure>`), and the patients' harm per harm kind and per owner (`harm.kind.<kind>.<figure>`,
 * `harm.owner.<owner>.<figure>`). Names are stable: docs/metrics.md.
 * Times are minutes from the scenario's start; NaN means "never".
 */
export const FIXED_METRICS = [
  'compromised.physical',
  'compromised.network',
  'compromised.cloud',
  'disrupted.physical',
  'disrupted.network',
  'disrupted.cloud',
  'reached.physical',
  'reached.network',
  'reached.cloud',
  'reachedAt.physical',
  'reachedAt.network',
  'reachedAt.cloud',
  'crossings.up',
  'crossings.down',
  'firstCrossingAt',
  'firstDetectedAt',
  'compromised',
  'disrupted',
  'peakDisrupted',
  'peakDisruptedAt',
  'recovered',
  'timeToRecovery',
  'disruptedAtEnd',
  'appointmentsCancelled',
  'proceduresPostponed',
  'testsNotDone',
  'serviceUnitsLost',
  'diversionHours',
  'sitesDiverting',
  'safetyEvents',
  'safetyEventsSerious',
  'safety.negligible',
  'safety.minor',
  'safety.serious',
  'safety.critical',
  'safety.catastrophic',
  'patientsExposedAltered',
  'patientHoursAltered',
  'patientHoursTherapyInterrupted',
  'patientHoursUnmonitored',
  'recordsExposed',
  'trustsAffected',
  'trustsInfected',
  'trustsDisruptedWithoutInfection',
  'events',
] as const;

/** The metrics that are 0 or 1 in every run by definition: their means are shares of runs (docs/metrics.md). */
export const SHARE_METRICS: ReadonlySet<string> = new Set(['reached.physical', 'reached.network', 'reached.cloud', 'recovered']);

/** Whether a metric is 0 or 1 in every run: SHARE_METRICS and each service kind's `stillBelow50|90`. */
export function isShareMetric(name: string): boolean {
  return SHARE_METRICS.has(name) || /^service\..+\.stillBelow\d+$/.test(name);
}

/**
 * The values a metric can take: every metric is a count, a time, an amount or a share, so none is below 0;
 * a share of runs and a service's capacity (`service.<kind>.day1|day7|day27|min`, a fraction of normal) are
 * at most 1. A mean's interval is cut to this range (engine/stats/summarize.ts: the part outside it cannot
 * hold the mean).
 */
export function metricRange(name: string): readonly [number, number] {
  return isShareMetric(name) || /^service\..+\.(day1|day7|day27|min)$/.test(name) ? UNIT_RANGE : NON_NEGATIVE;
}
const UNIT_RANGE = [0, 1] as const;
const NON_NEGATIVE = [0, Infinity] as const;

export const M = Object.fromEntries(FIXED_METRICS.map((name, i) => [name, i])) as { [K in (typeof FIXED_METRICS)[number]]: number };

/** Column offsets of the accountability part. */
export function lostColumn(owner: number): number {
  return FIXED_METRICS.length + owner;
}

export function blockedColumn(ownerCount: number, control: number): number {
  return FIXED_METRICS.length + ownerCount + control;
}

/** The sizes the dynamic columns depend on. */
export type MetricShape = Pick<CompiledModel, 'ownerCount' | 'regionCount' | 'dependencyOwnerCount' | 'serviceKindCount' | 'harmOwnerCount'>;

/**
 * Per service kind, the figures of its worst service (kernel/services.ts): units lost (summed over the
 * kind's services), capacity at day 1, 7 and 27 of the disruption (after the run's first loss of any
 * service's capacity) and at its lowest, hours below 50%, minutes from the first loss until back at 50% and
 * 90% for good (NaN when a service of the kind is still below at the horizon, and when none fell below: there
 * is no time to count), and whether one is still below 50% and 90% at the horizon (1 or 0: a share of runs).
 */
export const SERVICE_FIGURES = ['lost', 'day1', 'day7', 'day27', 'min', 'hoursBelow50', 'backTo50', 'backTo90', 'stillBelow50', 'stillBelow90'] as const;
export const SF = Object.fromEntries(SERVICE_FIGURES.map((name, i) => [name, i])) as { [K in (typeof SERVICE_FIGURES)[number]]: number };
/** The sample times of `day1`, `day7`, `day27`: minutes after the run's first loss of service capacity. */
export const SERVICE_SAMPLE_MINUTES = [1440, 7 * 1440, 27 * 1440] as const;

/** First column of `infected.<node kind>`, in NODE_KINDS order. */
export function infectedKindColumn(shape: MetricShape): number {
  return FIXED_METRICS.length + shape.ownerCount + CONTROL_NAMES.length;
}

/** First column of `sitesInfected.<site kind>`, in SITE_KINDS order. */
export function sitesInfectedColumn(shape: MetricShape): number {
  return infectedKindColumn(shape) + NODE_KINDS.length;
}

/** First column of `trustsInfected.<region>`, in CompiledMeta.regions order. */
export function regionColumn(shape: MetricShape): number {
  return sitesInfectedColumn(shape) + SITE_KINDS.length;
}

/** First column of `sitesCutOff.<owner>`, in CompiledMeta.dependencyOwners order. */
export function cutOffColumn(shape: MetricShape): number {
  return regionColumn(shape) + shape.regionCount;
}

/** Column of figure f (SERVICE_FIGURES) of service kind k: `service.<kind>.<figure>`. */
export function serviceColumn(shape: MetricShape, kind: number, figure: number): number {
  return cutOffColumn(shape) + shape.dependencyOwnerCount + kind * SERVICE_FIGURES.length + figure;
}

/**
 * The harm figures per harm kind (`harm.kind.<kind>.<figure>`, compile/harm.ts HARM_KINDS) and per owner
 * (`harm.owner.<owner>.<figure>`): expected safety events, those serious or worse, patients exposed to
 * altered therapy or readings, patient-hours with the device down, patient-hours with it altered. The owner
 * columns are for the owners of devices that can harm a patient only (CompiledMeta.harmOwners).
 */
export const HARM_FIGURES = ['events', 'serious', 'exposed', 'hoursDown', 'hoursAltered'] as const;

export function harmColumn(shape: MetricShape, kind: number, figure: number): number {
  return serviceColumn(shape, shape.serviceKindCount, 0) + kind * HARM_FIGURES.length + figure;
}

export function ownerHarmColumn(shape: MetricShape, owner: number, figure: number): number {
  return harmColumn(shape, HARM_KINDS.length, 0) + owner * HARM_FIGURES.length + figure;
}

export function metricCount(shape: MetricShape): number {
  return ownerHarmColumn(shape, shape.harmOwnerCount, 0);
}

export function metricNames(meta: Pick<CompiledMeta, 'owners' | 'regions' | 'dependencyOwners' | 'serviceKinds' | 'harmOwners'>): string[] {
  return [
    ...FIXED_METRICS,
    ...meta.owners.map((o) => `lost.${o}`),
    ...CONTROL_NAMES.map((c) => `blocked.${c}`),
    ...NODE_KINDS.map((k) => `infected.${k}`),
    ...SITE_KINDS.map((k) => `sitesInfected.${k}`),
    ...meta.regions.map((r) => `trustsInfected.${r}`),
    ...meta.dependencyOwners.map((o) => `sitesCutOff.${o}`),
    ...meta.serviceKinds.flatMap((k) => SERVICE_FIGURES.map((f) => `service.${k}.${f}`)),
    ...HARM_KINDS.flatMap((k) => HARM_FIGURES.map((f) => `harm.kind.${k}.${f}`)),
    ...meta.harmOwners.flatMap((o) => HARM_FIGURES.map((f) => `harm.owner.${o}.${f}`)),
  ];
}
