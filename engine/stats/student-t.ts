import { InvalidArgumentStatsError } from './errors.js';
import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { logBeta } from './log-gamma.js';
import { normalQuantile } from './normal-quantile.js';
import { checkProbability } from './validate.js';

/**
 * Student's t distribution with `df` > 0 degrees of freedom (not necessarily an integer: Welch's interval
 * has fractional df). The tail is the regularized incomplete beta, P(T > t) = ½ I_{df/(df+t²)}(df/2, ½)
 * (Abramowitz & Stegun 26.7.1). The quantile starts from Hill's approximation (G. W. Hill,
 * "Algorithm 396: Student's t-quantiles", CACM 13(10), 1970) and is refined by a safeguarded Newton
 * iteration on the log of that tail, to about 1e-13 relative; df = 1 and 2 have closed forms, and beyond
 * ASYMPTOTIC_DF the Cornish–Fisher expansion (A&S 26.7.5) is exact to double precision.
 */

const ASYMPTOTIC_DF = 1e4; // where the four-term series is within 1e-15 of the exact quantile for p ≥ 1e-12
const MAX_ITERATIONS = 60;
const TOLERANCE = 1e-14;

/** P(T > t). Accurate in the upper tail, where 1 − cdf would cancel. */
export function studentTUpperTail(t: number, df: number): number {
  checkDf(df, 'studentTUpperTail');
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1;
  const t2 = t * t;
  const half = 0.5 * regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)); // P(T > |t|)
  return t > 0 ? half : 1 - half;
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  return studentTUpperTail(-t, df);
}

/** The t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p, 'p', 'studentTQuantile');
  checkDf(df, 'studentTQuantile');
  if (p === 0.5) return 0;
  const upper = upperQuantile(Math.min(p, 1 - p), df);
  return p < 0.5 ? -upper : upper;
}

function checkDf(df: number, where: string): void {
  if (!(df > 0)) throw new InvalidArgumentStatsError(`${where}: df must be > 0, got ${df}`);
}

/** The t > 0 with P(T > t) = q, for q in [0, ½). */
function upperQuantile(q: number, df: number): number {
  if (q === 0) return Infinity;
  if (df === 1) return 1 / Math.tan(Math.PI * q); // Cauchy: q = ½ − atan(t)/π
  if (df === 2) return (1 - 2 * q) / Math.sqrt(2 * q * (1 - q)); // q = ½ − t / (2√(2 + t²))
  const z = -normalQuantile(q);
  if (df > ASYMPTOTIC_DF) return cornishFisher(z, df);
  return refine(q, df, hillStart(2 * q, df, z));
}

/** A&S 26.7.5: t as a series in 1/df around the normal quantile z. */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/** Hill's Algorithm 396 for a two-sided tail probability `twoSided`; `z` is the matching normal quantile. */
function hillStart(twoSided: number, df: number, z: number): number {
  const a = 1 / (df - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * a) / b - 98) * a - 16;
  c = c * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * df;
  let y = Math.pow(d * twoSided, 2 / df);
  if (y > 0.05 + a) {
    // Asymptotic inverse expansion about the normal (Hill's z is the lower-tail deviate, hence −z).
    const x = -z;
    if (df < 5) c += 0.3 * (df - 4.5) * (x + 0.6);
    c += (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b;
    y = (((((0.4 * x * x + 6.3) * x * x + 36) * x * x + 94.5) / c - x * x - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y = ((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) * ((df + 1) / (df + 2)) + 1 / y;
  }
  const t = Math.sqrt(df * y);
  return Number.isFinite(t) && t > 0 ? t : 1;
}

/**
 * Newton on ln P(T > t) − ln q in ln t, kept inside a bracket that it falls back to bisecting (Numerical
 * Recipes' rtsafe). In logs a power-law tail (small df) is a straight line, so a start that is off by
 * orders of magnitude still lands in a step or two; near the root it converges quadratically as usual.
 */
function refine(q: number, df: number, start: number): number {
  const logNorm = -logBeta(df / 2, 0.5) - 0.5 * Math.log(df); // density(0) = 1 / (√df B(df/2, ½))
  const logQ = Math.log(q);
  let lo = 0;
  let hi = Infinity;
  let t = start;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const tail = studentTUpperTail(t, df); // decreasing in t
    if (tail === q) return t;
    if (tail > q) lo = t;
    else hi = t;
    const density = Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
    let next = t * Math.exp(((Math.log(tail) - logQ) * tail) / (density * t));
    if (!(next > lo && next < hi)) next = hi === Infinity ? 16 * t : lo === 0 ? hi / 16 : Math.sqrt(lo * hi);
    if (Math.abs(next - t) <= TOLERANCE * next) return next;
    t = next;
  }
  return t;
}
