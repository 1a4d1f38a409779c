import { describe, expect, it } from 'vitest';
import { DocumentReadError, formatIssue, StrataInputError, ValidationError, withProblemsOf } from '../../../engine/model/errors.js';

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

describe('withProblemsOf', () => {
  const bad = (file: string) => () => {
    throw new ValidationError([{ file, path: 'x', message: 'expected a number' }]);
  };
  const first = new DocumentReadError([{ file: 'scenario.yaml', path: '', message: 'expected a scenario' }]);

  it("adds the other documents' problems, in order, and keeps the error alone when they have none", () => {
    const all = withProblemsOf(first, bad('twin.yaml'), () => 'fine', bad('regime.yaml')) as StrataInputError;
    expect(all).toBeInstanceOf(StrataInputError);
    expect(all.issues.map((i) => i.file)).toEqual(['scenario.yaml', 'twin.yaml', 'regime.yaml']);
    expect(all.message.split('\n')).toHaveLength(3);
    expect(withProblemsOf(first, () => 'fine')).toBe(first);
  });

  it('passes on anything but bad input as it is, and ignores it from the others', () => {
    const bug = new TypeError('a bug');
    expect(withProblemsOf(bug, bad('twin.yaml'))).toBe(bug);
    expect(
      withProblemsOf(first, () => {
        throw bug;
      }),
    ).toBe(first);
  });
});
