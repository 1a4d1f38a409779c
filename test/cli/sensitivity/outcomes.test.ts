import { describe, expect, it } from 'vitest';
import { outcomeIndices } from '../../../cli/sensitivity/outcomes.js';
import { partitioned } from '../../../cli/sensitivity/report.js';
import type { MorrisDesign } from '../../../engine/sensitivity/index.js';

/** One factor, two trajectories of one step each (0 → 2/3, then 2/3 → 0). */
const design: MorrisDesign = { factors: 1, trajectories: 2, levels: 4, delta: 2 / 3, points: Float64Array.from([0, 2 / 3, 2 / 3, 0]), changed: Int32Array.from([0, 0]) };
const ranked = (result: ReturnType<typeof outcomeIndices>) => {
  if (!result.ranked) throw new Error('not ranked');
  return result.indices[0]!;
};

describe('a sensitivity outcome\'s elementary effects', () => {
  it('compare the runs defined at both points of a step, not means over different runs', () => {
    // A time back to 90%: the lower point brings run 0 back at 10 h; the higher one brings every run back, run 0
    // no sooner, and two slow ones (50 and 60 h) that had never come back. The means say +30 h (10 → 40: more
    // staff "slower"); the runs back at both points changed by 0.
    const runs = [Float64Array.from([10, NaN, NaN]), Float64Array.from([10, 50, 60]), Float64Array.from([10, 50, 60]), Float64Array.from([10, NaN, NaN])];
    const backTo90 = outcomeIndices('service.pathology.backTo90', design, runs, design.points);
    const effect = ranked(backTo90);
    expect(effect.muStar).toBe(0);
    expect(effect.mu).toBe(0);
    // What it changed is whether runs came back at all (runs 1 and 2, at both steps): said, not "no effect".
    expect(backTo90.ranked && Array.from(backTo90.occurrence)).toEqual([4]);
    const parameter = { path: 'scenario.recovery.staff', baseline: 6, range: { low: 3, high: 12, scale: 'log' as const, integer: true }, rangeSource: 'test', reason: 'test' };
    expect(partitioned([parameter], backTo90.ranked ? backTo90.indices : [], backTo90.ranked ? backTo90.occurrence : undefined)).toMatchObject({ moved: [], whetherOnly: ['scenario.recovery.staff'], none: [] });
    // Where every run has the outcome, the step's change is the change in the points' means: +6 over a step of
    // 2/3, then −6 back, in unit coordinates 9 and 9.
    const full = [Float64Array.from([1, 2, 3]), Float64Array.from([7, 8, 9]), Float64Array.from([7, 8, 9]), Float64Array.from([1, 2, 3])];
    const both = ranked(outcomeIndices('compromised', design, full, design.points));
    expect(both.muStar).toBeCloseTo(9, 12);
    expect(both.mu).toBeCloseTo(9, 12);
    // A step with no run defined at both ends gives no effect.
    const apart = [Float64Array.from([1, NaN]), Float64Array.from([NaN, 2]), Float64Array.from([NaN, 2]), Float64Array.from([1, NaN])];
    expect(ranked(outcomeIndices('firstCrossingAt', design, apart, design.points)).effects).toBe(0);
  });
});
