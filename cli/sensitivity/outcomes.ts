import { elementaryEffects, type MorrisDesign, type MorrisIndices } from '../../engine/sensitivity/index.js';
import { mean, sd } from '../../engine/stats/summary.js';
import { HEADLINE } from '../format.js';

/**
 * The outcomes a sensitivity analysis ranks parameters for: the headline ones of `strata run` and
 * `compare` that measure harm (docs/metrics.md), plus when the cloud was reached, service units lost and
 * trusts infected; and SERVICE_OUTCOMES where the twin has them. A time (`…At`) is a mean over the runs where the event happened, at each point.
 */
export const SENSITIVITY_OUTCOMES = [
  'compromised',
  'disrupted',
  'reached.cloud',
  'reachedAt.cloud',
  'firstCrossingAt',
  'firstDetectedAt',
  'timeToRecovery',
  'appointmentsCancelled',
  'proceduresPostponed',
  'testsNotDone',
  'serviceUnitsLost',
  'diversionHours',
  'safetyEventsSerious',
  'patientsExposedAltered',
  'patientHoursTherapyInterrupted',
  'patientHoursUnmonitored',
  'recordsExposed',
  'trustsInfected',
  'trustsAffected',
] as const;

/** Ranked too where the twin has a pathology service (the built-in twins): its capacity a week in, and its recovery. */
export const SERVICE_OUTCOMES = ['service.pathology.day7', 'service.pathology.backTo90'] as const;

const LABELS: Record<string, string> = {
  'reachedAt.cloud': 'Time to reach the cloud (h)',
  serviceUnitsLost: 'Service units lost',
  trustsInfected: 'Trusts infected',
};

export function outcomeLabel(metric: string): string {
  return HEADLINE.find(([m]) => m === metric)?.[1] ?? LABELS[metric] ?? metric;
}

/** An outcome's runs at every design point: runs[point][run]. */
export type OutcomeRuns = Float64Array[];

export type OutcomeResult =
  /**
   * Ranked. `occurrence[i]`: the runs, over parameter i's steps, that have the outcome at one point of a step
   * only (a time that happened at one and not the other): what the effects, over the runs with it at both,
   * leave out.
   */
  | { metric: string; ranked: true; pointMeans: Float64Array; indices: MorrisIndices[]; occurrence: Int32Array }
  /** Not ranked: it never happens at any point, or it is `value` at every one (where it happens). */
  | { metric: string; ranked: false; value: number | null };

/**
 * Morris indices of one outcome from its runs at every point: each step's change is the mean of the
 * run-by-run changes y'ᵣ − yᵣ over the runs r defined at both points (the runs share their random numbers),
 * and its standard error the paired one, sd(y'ᵣ − yᵣ)/√n. Where every run has the outcome that is the change
 * in the points' means; where some do not (a time that happens in some runs only), the means are over
 * different runs, and a trial's "pathology back to 90%" rose with more staff only because more staff brought
 * slower runs back at all. An outcome the same at every point (or never defined) ranks nothing.
 */
export function outcomeIndices(metric: string, design: MorrisDesign, runs: OutcomeRuns, coordinates: Float64Array): OutcomeResult {
  const pointMeans = Float64Array.from(runs, meanOfFinite);
  const defined = pointMeans.filter(Number.isFinite);
  if (defined.length === 0) return { metric, ranked: false, value: null };
  if (defined.every((v) => v === defined[0])) return { metric, ranked: false, value: defined[0]! };
  const k = design.factors;
  const stepErrors = new Float64Array(design.trajectories * k);
  const stepRises = new Float64Array(design.trajectories * k);
  const occurrence = new Int32Array(k);
  for (let t = 0; t < design.trajectories; t++) {
    for (let j = 0; j < k; j++) {
      const [a, b] = [runs[t * (k + 1) + j]!, runs[t * (k + 1) + j + 1]!];
      for (let r = 0; r < a.length; r++) if (Number.isFinite(a[r]!) !== Number.isFinite(b[r]!)) occurrence[design.changed[t * k + j]!]!++;
      const differences = pairedDifferences(a, b);
      stepErrors[t * k + j] = sd(differences) / Math.sqrt(differences.length);
      stepRises[t * k + j] = differences.length > 0 ? mean(differences) : NaN;
    }
  }
  return { metric, ranked: true, pointMeans, indices: elementaryEffects(design, { values: pointMeans, coordinates, stepErrors, stepRises }), occurrence };
}

function meanOfFinite(values: Float64Array): number {
  return mean(values.filter(Number.isFinite));
}

/** b − a run by run, over the runs where both are defined. */
function pairedDifferences(a: Float64Array, b: Float64Array): number[] {
  const differences: number[] = [];
  for (let r = 0; r < a.length; r++) if (Number.isFinite(a[r]!) && Number.isFinite(b[r]!)) differences.push(b[r]! - a[r]!);
  return differences;
}
