import { describe, expect, it } from 'vitest';
import { delayMean, packDelay } from '../../../engine/compile/delay.js';
import { DIST_CODE } from '../../../engine/compile/model.js';

describe('packDelay', () => {
  it('packs each distribution as [dist, a, b], and no delay as never', () => {
    expect([...packDelay({ dist: 'fixed', minutes: 30 })]).toEqual([DIST_CODE.fixed, 30, 0]);
    expect([...packDelay({ dist: 'exponential', meanMinutes: 60 })]).toEqual([DIST_CODE.exponential, 60, 0]);
    expect([...packDelay({ dist: 'lognormal', medianMinutes: Math.E, sigma: 0.5 })]).toEqual([DIST_CODE.lognormal, 1, 0.5]);
    expect([...packDelay({ dist: 'weibull', shape: 1.5, scaleMinutes: 600 })]).toEqual([DIST_CODE.weibull, 1.5, 600]);
    expect([...packDelay(undefined)]).toEqual([DIST_CODE.fixed, Infinity, 0]);
  });
});

describe('delayMean', () => {
  it('is each distribution\'s mean', () => {
    expect(delayMean({ dist: 'fixed', minutes: 30 })).toBe(30);
    expect(delayMean({ dist: 'exponential', meanMinutes: 60 })).toBe(60);
    expect(delayMean({ dist: 'lognormal', medianMinutes: 100, sigma: 1 })).toBeCloseTo(100 * Math.exp(0.5), 10);
    // Weibull mean = scale × Γ(1 + 1/shape): shape 1 is exponential (Γ(2) = 1); shape 2, Γ(1.5) = √π / 2.
    expect(delayMean({ dist: 'weibull', shape: 1, scaleMinutes: 600 })).toBeCloseTo(600, 9);
    expect(delayMean({ dist: 'weibull', shape: 2, scaleMinutes: 600 })).toBeCloseTo((600 * Math.sqrt(Math.PI)) / 2, 9);
    // shape 0.5: Γ(3) = 2
    expect(delayMean({ dist: 'weibull', shape: 0.5, scaleMinutes: 10 })).toBeCloseTo(20, 9);
  });
});
