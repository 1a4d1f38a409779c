import type { Delay } from '../model/common.js';
import { DIST_CODE, type PackedDelay } from './model.js';
import { shared } from './shared.js';

/** Packs a Delay as [dist, a, b] (see model.ts); `undefined` packs as "never" (fixed +Infinity). */
export function packDelay(delay: Delay | undefined): PackedDelay {
  const out = shared(Float64Array, 3);
  if (!delay) {
    out[0] = DIST_CODE.fixed;
    out[1] = Infinity;
    return out;
  }
  switch (delay.dist) {
    case 'fixed':
      out.set([DIST_CODE.fixed, delay.minutes, 0]);
      break;
    case 'exponential':
      out.set([DIST_CODE.exponential, delay.meanMinutes, 0]);
      break;
    case 'lognormal':
      out.set([DIST_CODE.lognormal, Math.log(delay.medianMinutes), delay.sigma]);
      break;
    case 'weibull':
      out.set([DIST_CODE.weibull, delay.shape, delay.scaleMinutes]);
      break;
  }
  return out;
}

/** The mean of a delay distribution, in minutes. */
export function delayMean(delay: Delay): number {
  switch (delay.dist) {
    case 'fixed':
      return delay.minutes;
    case 'exponential':
      return delay.meanMinutes;
    case 'lognormal':
      return delay.medianMinutes * Math.exp((delay.sigma * delay.sigma) / 2);
    case 'weibull':
      return delay.scaleMinutes * gamma(1 + 1 / delay.shape);
  }
}

/** Γ(x) for x > 0 by the Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1). */
function gamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}
