import { metricRange } from '../kernel/metrics.js';
import { figureOf, isMinutes } from './headline.js';

/** A metric's unit, as --json and every export give it. */
export type Unit = 'minutes' | 'hours' | 'share' | 'count';

/**
 * A metric's unit (docs/metrics.md): `minutes` (times of events and durations to a state; tables show them in
 * hours), `hours` (patient- and service-hours, diversion), `share` (0–1: a share of runs or of capacity), else
 * `count` (members, events, patients, appointments, service units).
 */
export function unitOf(metric: string): Unit {
  if (isMinutes(metric)) return 'minutes';
  if (/hours/i.test(figureOf(metric))) return 'hours';
  return metricRange(metric)[1] === 1 ? 'share' : 'count';
}

/** Each metric's unit (unitOf), keyed by metric. */
export function unitsOf(metrics: Iterable<string>): Record<string, Unit> {
  return Object.fromEntries([...metrics].map((m) => [m, unitOf(m)]));
}
