import { describe, expect, it } from 'vitest';
import { outcomeUnit } from '../../../cli/sensitivity/report.js';

describe("a sensitivity outcome's time unit", () => {
  const index = (muStar: number) => ({ muStar, mu: muStar, sigma: muStar / 2 });

  it('comes from every figure its table shows, so the table and the tornado agree (a review: the tornado took μ* alone)', () => {
    // Means of 10–15 h, μ* of 30 minutes: hours, as the table shows them.
    expect(outcomeUnit({ metric: 'timeToRecovery', pointMeans: new Float64Array([600, 900]), indices: [index(30)] })).toEqual({ divisor: 60, unit: 'h' });
    // Every figure under an hour: minutes; under a minute: seconds.
    expect(outcomeUnit({ metric: 'firstCrossingAt', pointMeans: [20, null, 40], indices: [index(12)] })?.unit).toBe('min');
    expect(outcomeUnit({ metric: 'firstCrossingAt', pointMeans: [0.5, 0.6], indices: [index(0.1)] })?.unit).toBe('s');
  });

  it("gives an outcome not ranked its one value's unit, and none to a count", () => {
    expect(outcomeUnit({ metric: 'reachedAt.cloud', value: 30 })?.unit).toBe('min');
    expect(outcomeUnit({ metric: 'compromised', value: 30 })).toBeNull();
  });
});
