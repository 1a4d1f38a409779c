import { InvalidArgumentSensitivityError } from './errors.js';
import type { MorrisDesign } from './morris-design.js';
import { ROUND_OFF } from '../stats/round-off.js';

/**
 * Morris's screening measures from the outcome at every design point. The elementary effect of factor i
 * along a trajectory is (y(x') − y(x)) / (x'_i − x_i), x and x' the consecutive points that differ in i.
 * Per factor: μ, the mean effect, and σ, their standard deviation (Morris 1991), and μ*, the mean of their
 * absolute values, which effects of opposite sign cannot cancel (Campolongo, Cariboni & Saltelli 2007): μ*
 * ranks importance, σ says the effect depends on where the other factors are (interaction or curvature).
 * Coordinates are unit ones, so an effect is the change across the factor's whole range were it linear.
 */
export interface MorrisIndices {
  muStar: number;
  mu: number;
  /** Sample standard deviation (n − 1) of the effects; NaN with fewer than two. */
  sigma: number;
  /** Effects used: one per trajectory, less those where the outcome was undefined (NaN) at either end. */
  effects: number;
  /** Mean standard error of one effect, from `stepErrors`; NaN when none were given. */
  standardError: number;
}

export interface MorrisOutcome {
  /** The outcome at each design point (e.g. its mean over runs), in design order; NaN: undefined there. */
  values: ArrayLike<number>;
  /**
   * The coordinates the model actually ran at, when they differ from the design's (an integer factor rounds
   * its value); same layout as `design.points`. A step that rounding made zero gives no effect.
   */
  coordinates?: ArrayLike<number>;
  /** Per step (t·k + j), the standard error of y(x') − y(x); with coupled runs, the paired one. */
  stepErrors?: ArrayLike<number>;
  /**
   * Per step (t·k + j), the outcome's change y(x') − y(x) where the difference of the two points' values would
   * mislead: with coupled runs, the mean of the run-by-run changes over the runs that have the outcome at both
   * points (a time that happens in some runs only: the two points' means are over different runs). NaN: none.
   */
  stepRises?: ArrayLike<number>;
}

export function elementaryEffects(design: MorrisDesign, outcome: MorrisOutcome): MorrisIndices[] {
  const { factors, trajectories, changed } = design;
  const width = factors + 1;
  const coordinates = outcome.coordinates ?? design.points;
  if (outcome.values.length !== trajectories * width) {
    throw new InvalidArgumentSensitivityError(`elementaryEffects: outcome.values must have one value per design point (${trajectories * width}), got ${outcome.values.length}`);
  }
  if (coordinates.length !== design.points.length) throw new InvalidArgumentSensitivityError(`elementaryEffects: outcome.coordinates must match design.points (${design.points.length} values), got ${coordinates.length}`);
  if (outcome.stepRises && outcome.stepRises.length !== changed.length) {
    throw new InvalidArgumentSensitivityError(`elementaryEffects: outcome.stepRises must have one value per step (${changed.length}), got ${outcome.stepRises.length}`);
  }
  if (outcome.stepErrors && outcome.stepErrors.length !== changed.length) {
    throw new InvalidArgumentSensitivityError(`elementaryEffects: outcome.stepErrors must have one value per step (${changed.length}), got ${outcome.stepErrors.length}`);
  }
  const effects: number[][] = Array.from({ length: factors }, () => []);
  const errors: number[][] = Array.from({ length: factors }, () => []);
  for (let t = 0; t < trajectories; t++) {
    for (let j = 0; j < factors; j++) {
      const a = t * width + j;
      const i = changed[t * factors + j]!;
      const step = coordinates[(a + 1) * factors + i]! - coordinates[a * factors + i]!;
      const before = outcome.values[a]!;
      const after = outcome.values[a + 1]!;
      let rise = outcome.stepRises ? outcome.stepRises[t * factors + j]! : after - before;
      if (step === 0 || !Number.isFinite(rise)) continue;
      if (Math.abs(rise) <= ROUND_OFF * Math.max(Math.abs(before), Math.abs(after))) rise = 0;
      effects[i]!.push(rise / step);
      const error = outcome.stepErrors?.[t * factors + j];
      if (error !== undefined && Number.isFinite(error)) errors[i]!.push(error / Math.abs(step));
    }
  }
  return effects.map((e, i) => {
    const n = e.length;
    const mu = n ? e.reduce((s, x) => s + x, 0) / n : NaN;
    const muStar = n ? e.reduce((s, x) => s + Math.abs(x), 0) / n : NaN;
    const sigma = n > 1 ? Math.sqrt(e.reduce((s, x) => s + (x - mu) ** 2, 0) / (n - 1)) : NaN;
    const se = errors[i]!;
    return { muStar, mu, sigma, effects: n, standardError: se.length ? se.reduce((s, x) => s + x, 0) / se.length : NaN };
  });
}
