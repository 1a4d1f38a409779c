import type { PairedComparison } from './paired.js';
import { quantileSorted } from './quantile.js';
import { ROUND_OFF } from './round-off.js';

/**
 * What the runs of a paired comparison look like, as far as pairing is concerned:
 * - `varying`: both regimes vary from run to run and so does their difference — the case pairing is for;
 * - `identical`: B equals A in every run (a metric the regime does not touch, or the same regime twice);
 * - `same-difference`: B − A is the same non-zero amount in every run;
 * - `constant`: the metric is the same in every run of each regime, with different values in the two
 *   (the difference is then also the same in every run; equal values are `identical`);
 * - `a-constant`, `b-constant`: one regime's runs all agree, the other's vary: there is nothing for the
 *   pairing to cancel, and the paired interval equals the unpaired one.
 */
export type PairingKind = 'varying' | 'identical' | 'same-difference' | 'constant' | 'a-constant' | 'b-constant';

export interface PairingGain {
  kind: PairingKind;
  /**
   * Paired over unpaired (Welch) 95% half-width on the same runs: 0.1 means pairing gave the interval of
   * 100× as many independent runs. Null when the difference is the same in every run (`identical`,
   * `same-difference`, `constant`): both intervals then say nothing the difference itself does not.
   */
  pairedOverUnpaired: number | null;
  /**
   * Pearson correlation of A and B across runs; null when either regime is constant, and over fewer than 3
   * runs (two points lie on a line: r is ±1 whatever the regimes do).
   */
  correlation: number | null;
}

/**
 * How much narrower common random numbers made a comparison's interval than independent seeds would have.
 * The half-width ratio is (t_{n−1} / t_ν) · sd(B − A) / √(sd_A² + sd_B²), ν the Welch df, where
 * sd(B − A)² = sd_A² + sd_B² − 2ρ sd_A sd_B (so √(1 − ρ) when the sds are equal). The t factor is 1 to
 * within 0.6% from 100 runs up (t_{0.975} is 1.984 at 99 df and 1.972 at 198), so the ratio is, in effect,
 * the standard-error ratio of Law (Simulation Modeling and Analysis, 5th ed., 2015, §11.2).
 */
export function pairingGain(comparison: PairedComparison): PairingGain {
  const { meanA, meanB, paired, unpaired, correlation, n } = comparison;
  // A spread or a difference in its 14th digit (values computed in another order: 30 − 1e-14 one run,
  // 30 + 1e-14 the next) is round-off: the same in every run, not an interval 1e-15 as wide as the unpaired one.
  const scale = ROUND_OFF * Math.max(Math.abs(meanA), Math.abs(meanB));
  const sdA = comparison.sdA <= scale ? 0 : comparison.sdA;
  const sdB = comparison.sdB <= scale ? 0 : comparison.sdB;
  const roundOff = Math.max(scale, ROUND_OFF * Math.max(sdA, sdB));
  const sdDifference = comparison.sdDifference <= roundOff ? 0 : comparison.sdDifference;
  const meanDifference = Math.abs(comparison.meanDifference) <= roundOff ? 0 : comparison.meanDifference;
  const kind: PairingKind =
    sdA === 0 && sdB === 0 ? (meanDifference === 0 ? 'identical' : 'constant')
    : sdA === 0 ? 'a-constant'
    : sdB === 0 ? 'b-constant'
    : sdDifference > 0 ? 'varying'
    : meanDifference === 0 ? 'identical'
    : 'same-difference';
  return {
    kind,
    // One regime constant: sd(B − A) is the other's sd and Welch's df is n − 1, so the two intervals are the
    // same: 1 exactly, not its rounding.
    pairedOverUnpaired: kind === 'a-constant' || kind === 'b-constant' ? 1 : sdDifference > 0 && unpaired.halfWidth > 0 ? paired.halfWidth / unpaired.halfWidth : null,
    correlation: sdA > 0 && sdB > 0 && n >= 3 && Number.isFinite(correlation) ? correlation : null,
  };
}

/**
 * The median half-width ratio over the comparisons whose regimes both vary (`varying`): the ones where
 * pairing has something to cancel. Null when there are none.
 */
export function medianPairingGain(gains: readonly PairingGain[]): { median: number | null; over: number } {
  const ratios = gains.filter((g) => g.kind === 'varying' && g.pairedOverUnpaired !== null).map((g) => g.pairedOverUnpaired!);
  if (ratios.length === 0) return { median: null, over: 0 };
  return { median: quantileSorted(Float64Array.from(ratios).sort(), 0.5), over: ratios.length };
}
