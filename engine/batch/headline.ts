/**
 * The outcomes shown first, in plain language: the CLI's tables (cli/format.ts) and the dashboard's results
 * view (viz/src/results.ts) say the same words. Every metric is in --json and `--all`. This module imports
 * nothing, so the page's bundle takes it as it is.
 */
export const HEADLINE: [metric: string, label: string][] = [
  ['compromised', 'Nodes compromised'],
  ['disrupted', 'Nodes disrupted'],
  ['reached.physical', 'Runs reaching the physical layer: devices, desks (share)'],
  ['reached.cloud', 'Runs reaching the cloud (share)'],
  ['crossings.up', 'Upward layer crossings'],
  ['crossings.down', 'Downward layer crossings'],
  ['firstCrossingAt', 'First cross-layer hop (h)'],
  ['firstDetectedAt', 'First detection (h)'],
  ['peakDisrupted', 'Most nodes down at once'],
  ['timeToRecovery', 'Time to full recovery (h)'],
  ['appointmentsCancelled', 'Appointments cancelled or postponed'],
  ['proceduresPostponed', 'Procedures postponed'],
  ['testsNotDone', 'Tests not done'],
  // A kind's figures are its worst service's (one service a kind on acute-trust; the worst trust's on nhs-england).
  ['service.pathology.day1', 'Pathology capacity, day 1 of disruption (worst)'],
  ['service.pathology.day7', 'Pathology capacity, day 7 (worst)'],
  ['service.pathology.day27', 'Pathology capacity, day 27 (worst)'],
  ['service.pathology.backTo90', 'Pathology back to 90% (h after loss)'],
  ['service.gp-pathology.backTo90', 'GP pathology back to 90% (h after loss)'],
  ['diversionHours', 'Hours on ambulance diversion'],
  // Expected harm events (docs/metrics.md "Patient harm"): serious or worse first, then all severities.
  ['safetyEventsSerious', 'Patient-safety events, serious or worse (expected)'],
  ['safetyEvents', 'Patient-safety events, all severities (expected)'],
  ['patientsExposedAltered', 'Patients exposed to altered therapy or readings'],
  ['patientHoursTherapyInterrupted', 'Patient-hours with a therapy device out of use'],
  ['patientHoursUnmonitored', 'Patient-hours without monitoring'],
  ['recordsExposed', 'Patient records exposed'],
  ['trustsAffected', 'Trusts affected'],
];

/**
 * The part of a metric's name that says what it measures: a service's or the patients' figure
 * (`service.<kind>.backTo90`, `harm.owner.<owner>.hoursDown`: the last part, since a kind's or an owner's id is
 * the twin's and may hold anything, "out-of-hours" among them), else the first (`reachedAt.cloud`, `lost.<owner>`).
 */
export function figureOf(metric: string): string {
  return /^(service|harm)\./.test(metric) ? metric.slice(metric.lastIndexOf('.') + 1) : metric.split('.', 1)[0]!;
}

/** Metrics measured in minutes (times of events, durations to a state), shown in hours. */
export function isMinutes(metric: string): boolean {
  const figure = figureOf(metric);
  return /At$/.test(figure) || figure === 'timeToRecovery' || /^backTo\d+$/.test(figure);
}

/** How a row of times is shown: minutes divided by `divisor`, said as `unit` beside the row's name. */
export interface TimeUnit {
  divisor: number;
  unit: 'h' | 'min' | 's';
}

/**
 * The unit for a row of times (in minutes) that shows `values`: hours, as every time is said, unless no value
 * in the row reaches an hour — then minutes, or seconds where none reaches a minute (a trial's first hop of
 * seconds read "0.000971 h"). One unit a row, so a mean and its interval, or two regimes, read alike.
 * Non-times (`isMinutes` false) are shown as they are.
 */
export function timeUnit(metric: string, values: readonly (number | null | undefined)[]): TimeUnit | null {
  if (!isMinutes(metric)) return null;
  const largest = Math.max(0, ...values.flatMap((x) => (x !== null && x !== undefined && Number.isFinite(x) ? [Math.abs(x)] : [])));
  // No value at all (NaN everywhere) or one of an hour or more: hours.
  if (largest === 0 || largest >= 60) return { divisor: 60, unit: 'h' };
  return largest >= 1 ? { divisor: 1, unit: 'min' } : { divisor: 1 / 60, unit: 's' };
}

/** A row's label in its time unit: the headline's "(h)" or "(h after loss)" said in minutes or seconds. */
export function unitLabel(label: string, unit: TimeUnit | null): string {
  if (!unit || unit.unit === 'h') return label;
  return label.replace(/ \(h( after loss)?\)$/, ` (${unit.unit}$1)`);
}

/** A row's label without the unit it says at its end: "Pathology back to 90%" from "… (min after loss)", "… (share)". */
export function bareLabel(label: string): string {
  return label.replace(/ \((share|h|min|s)( after loss)?\)$/, '');
}
