/**
 * Do Strata and the C reference simulate the same process? Two-sample tests on the outbreak size
 * distribution, each passing when the difference is within 4 standard errors.
 *
 * Why 4: a full bench makes 3 tests × 2 graphs × 5 launches = 30 of them. Under the null, |z| > 4 has
 * probability 6.3e-5 each (normal tails; the run counts are in the hundreds, so the CLT applies to the
 * means and proportions), about 0.2% for the whole bench — a failure means a real difference, not bad
 * luck. 3 SE would raise a false alarm in about 8% of full benches.
 *
 * sir_ref prints aggregates only (mean events per run, the count of major runs), so the C side's spread
 * is taken from Strata's runs: under the null both sample the same distribution.
 */
export interface OutbreakSample {
  runs: number;
  /** Mean final size (nodes ever infected). */
  meanSize: number;
  /** Sample standard deviation of the final size. */
  sdSize: number;
  /** Runs counted as major by sir_ref's rule: events > n/10, i.e. size > n/20. */
  major: number;
  meanMajorSize: number;
  sdMajorSize: number;
  meanMinorSize: number;
}

export interface ReferenceSample {
  runs: number;
  /** 2 × mean final size, as printed (rounded to an integer). */
  meanEvents: number;
  major: number;
}

export interface Test {
  difference: number;
  standardError: number;
  z: number;
  pass: boolean;
}

export const TOLERANCE_SE = 4;

function test(difference: number, standardError: number): Test {
  const z = standardError > 0 ? difference / standardError : difference === 0 ? 0 : Infinity;
  return { difference, standardError, z, pass: Math.abs(z) <= TOLERANCE_SE };
}

export function summariseSizes(sizes: Float64Array, nodes: number): OutbreakSample {
  const threshold = nodes / 20;
  let sum = 0;
  let sumSq = 0;
  let major = 0;
  let majorSum = 0;
  let majorSq = 0;
  for (const x of sizes) {
    sum += x;
    sumSq += x * x;
    if (x > threshold) {
      major++;
      majorSum += x;
      majorSq += x * x;
    }
  }
  const runs = sizes.length;
  const meanSize = sum / runs;
  const meanMajorSize = major > 0 ? majorSum / major : 0;
  return {
    runs,
    meanSize,
    sdSize: Math.sqrt(Math.max(0, (sumSq - runs * meanSize * meanSize) / Math.max(1, runs - 1))),
    major,
    meanMajorSize,
    sdMajorSize: Math.sqrt(Math.max(0, (majorSq - major * meanMajorSize * meanMajorSize) / Math.max(1, major - 1))),
    meanMinorSize: runs > major ? (sum - majorSum) / (runs - major) : 0,
  };
}

export interface Agreement {
  /** Mean final size over all runs. */
  meanSize: Test;
  /** Share of major outbreaks: a two-proportion z-test with the pooled share. */
  majorShare: Test;
  /**
   * Mean final size of major outbreaks: the sharpest check, since a major outbreak's size varies little.
   * C's is recovered from its total as (runs·meanEvents/2 − minor runs · Strata's mean minor size) / major;
   * minor outbreaks are a few nodes, so borrowing their mean moves the estimate by well under one SE. The
   * rounding of meanEvents (±0.5 per run) is added to the standard error.
   */
  meanMajorSize: Test;
  pass: boolean;
}

export function compare(strata: OutbreakSample, c: ReferenceSample): Agreement {
  const cMeanSize = c.meanEvents / 2;
  const meanSize = test(strata.meanSize - cMeanSize, strata.sdSize * Math.sqrt(1 / strata.runs + 1 / c.runs));
  const pooled = (strata.major + c.major) / (strata.runs + c.runs);
  const majorShare = test(strata.major / strata.runs - c.major / c.runs, Math.sqrt(pooled * (1 - pooled) * (1 / strata.runs + 1 / c.runs)));
  const cMajorMean = c.major > 0 ? ((c.runs * c.meanEvents) / 2 - (c.runs - c.major) * strata.meanMinorSize) / c.major : 0;
  const rounding = c.major > 0 ? (0.25 * c.runs) / c.major : 0;
  const meanMajorSize =
    strata.major > 1 && c.major > 1
      ? test(strata.meanMajorSize - cMajorMean, Math.hypot(strata.sdMajorSize * Math.sqrt(1 / strata.major + 1 / c.major), rounding))
      : test(0, 0);
  return { meanSize, majorShare, meanMajorSize, pass: meanSize.pass && majorShare.pass && meanMajorSize.pass };
}
