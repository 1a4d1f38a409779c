import type { CompiledMeta } from '../compile/model.js';
import { CONTROL_NAMES } from '../compile/model.js';

/**
 * The per-run outcome columns. The fixed part is the same for every twin; the accountability part has one
 * column per owner (`lost.<owner>`: members compromised or disrupted) and one per control
 * (`blocked.<control>`: members a control protected from an attempt). Names are stable: docs/metrics.md.
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

export function metricCount(ownerCount: number): number {
  return FIXED_METRICS.length + ownerCount + CONTROL_NAMES.length;
}

export function metricNames(meta: Pick<CompiledMeta, 'owners'>): string[] {
  return [...FIXED_METRICS, ...meta.owners.map((o) => `lost.${o}`), ...CONTROL_NAMES.map((c) => `blocked.${c}`)];
}
