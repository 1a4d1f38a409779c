import { describe, expect, it } from 'vitest';
import { compileClinical, downtimeCapacity } from '../../../engine/compile/clinical.js';

describe('downtimeCapacity', () => {
  it('keeps either alone exactly and combines both as independent fallbacks, 1 − (1 − a)(1 − b)', () => {
    expect(downtimeCapacity(0, 0)).toBe(0);
    expect(downtimeCapacity(0.3, 0)).toBe(0.3);
    expect(downtimeCapacity(0, 0.3)).toBe(0.3);
    expect(downtimeCapacity(0.2, 0.5)).toBeCloseTo(0.6, 15); // 1 − 0.8 × 0.5
    expect(downtimeCapacity(1, 0.5)).toBe(1);
  });
});

describe('compileClinical', () => {
  it('combines the scenario\'s and the regime\'s downtime capacity and passes the rest through', () => {
    const clinical = { diversionBelowCapacity: 0.4, downtimeCapacity: 0.1, harm: [] };
    expect(compileClinical(clinical, {})).toEqual({ downtimeCapacity: 0.1, diversionBelow: 0.4 });
    expect(compileClinical(clinical, { downtimeCapacity: 0.5 }).downtimeCapacity).toBeCloseTo(0.55, 15); // 1 − 0.9 × 0.5
  });
});
