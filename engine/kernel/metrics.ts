import type { CompiledMeta, CompiledModel } from '../compile/model.js';
import { CONTROL_NAMES } from '../compile/model.js';
import { NODE_KINDS, SITE_KINDS } from '../model/vocabulary.js';

/**
 * The per-run outcome columns. The fixed part is the same for every twin; the accountability part has one
 * column per owner (`lost.<owner>`: members compromised or disrupted) and one per control
 * (`blocked.<control>`: members a control protected from an attempt); the breakdowns follow: members hit
 * per node kind (`infected.<kind>`), sites hit per site kind (`sitesInfected.<kind>`), trusts infected per
 * region (`trustsInfected.<region>`) and sites cut off from a failed outside service, per owner of the
 * service (`sitesCutOff.<owner>`). Names are stable: docs/metrics.md.
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
  'compromised',
  'disrupted',
  'peakDisrupted',
  'peakDisruptedAt',
  'recovered',
  'timeToRecovery',
  'disruptedAtEnd',
  'appointmentsCancelled',
  'serviceUnitsLost',
  'diversionHours',
  'sitesDiverting',
  'safetyEvents',
  'recordsExposed',
  'trustsAffected',
  'trustsInfected',
  'trustsDisruptedWithoutInfection',
  'events',
] as const;

export const M = Object.fromEntries(FIXED_METRICS.map((name, i) => [name, i])) as { [K in (typeof FIXED_METRICS)[number]]: number };

/** Column offsets of the accountability part. */
export function lostColumn(owner: number): number {
  return FIXED_METRICS.length + owner;
}

export function blockedColumn(ownerCount: number, control: number): number {
  return FIXED_METRICS.length + ownerCount + control;
}

/** The sizes the dynamic columns depend on. */
export type MetricShape = Pick<CompiledModel, 'ownerCount' | 'regionCount' | 'dependencyOwnerCount'>;

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

export function metricCount(shape: MetricShape): number {
  return cutOffColumn(shape) + shape.dependencyOwnerCount;
}

export function metricNames(meta: Pick<CompiledMeta, 'owners' | 'regions' | 'dependencyOwners'>): string[] {
  return [
    ...FIXED_METRICS,
    ...meta.owners.map((o) => `lost.${o}`),
    ...CONTROL_NAMES.map((c) => `blocked.${c}`),
    ...NODE_KINDS.map((k) => `infected.${k}`),
    ...SITE_KINDS.map((k) => `sitesInfected.${k}`),
    ...meta.regions.map((r) => `trustsInfected.${r}`),
    ...meta.dependencyOwners.map((o) => `sitesCutOff.${o}`),
  ];
}
