import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../engine/model/errors.js';

describe('formatIssue', () => {
  it('names the file and field on one line', () => {
    expect(formatIssue({ file: 'twin.yaml', path: 'nodes[0].count', message: 'expected number' })).toBe('twin.yaml: nodes[0].count: expected number');
    expect(formatIssue({ file: 'twin.yaml', path: '', message: 'a\nb' })).toBe('twin.yaml: a\\nb');
  });

  it('quotes a name that would not show: empty, blank at either end, or holding control characters', () => {
    for (const file of ['', ' ', ' x', 'x ', 'a\tb', 'a\u0000b', 'a\nb']) {
      const line = formatIssue({ file, path: '', message: 'expected a scenario' });
      expect(line).toBe(`${JSON.stringify(file)}: expected a scenario`);
      expect(line).not.toMatch(/\n/);
    }
    expect(formatIssue({ file: 'my twin.yaml', path: '', message: 'm' })).toBe('my twin.yaml: m');
  });
});
