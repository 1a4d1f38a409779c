import { describe, expect, it } from 'vitest';
import { copyColumn, resolveColumn } from '../../../engine/stats/column.js';
import { InvalidArgumentStatsError } from '../../../engine/stats/errors.js';

// 4 runs × 3 metrics, row-major: metric m of run r is at r·3 + m.
const matrix = new Float64Array([1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400]);

describe('resolveColumn / copyColumn', () => {
  it('defaults to the whole array', () => {
    expect(resolveColumn(matrix, undefined, 'test')).toEqual({ offset: 0, stride: 1, count: 12 });
  });

  it('reads one metric of a runs × metrics matrix in place', () => {
    const column = resolveColumn(matrix, { offset: 1, stride: 3 }, 'test');
    expect(column).toEqual({ offset: 1, stride: 3, count: 4 });
    expect([...copyColumn(matrix, column)]).toEqual([10, 20, 30, 40]);
    expect([...copyColumn(matrix, resolveColumn(matrix, { offset: 2, stride: 3, count: 2 }, 'test'))]).toEqual([100, 200]);
  });

  it('gives an empty column past the end and rejects bad views', () => {
    expect(resolveColumn(matrix, { offset: 12 }, 'test').count).toBe(0);
    expect(() => resolveColumn(matrix, { stride: 0 }, 'test')).toThrow(InvalidArgumentStatsError);
    expect(() => resolveColumn(matrix, { offset: -1 }, 'test')).toThrow(InvalidArgumentStatsError);
    expect(() => resolveColumn(matrix, { offset: 1.5 }, 'test')).toThrow(InvalidArgumentStatsError);
    expect(() => resolveColumn(matrix, { offset: 1, stride: 3, count: 5 }, 'test')).toThrow(InvalidArgumentStatsError);
  });
});
