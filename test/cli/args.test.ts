import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { integer, outputPath } from '../../cli/args.js';

/** Output paths (`-o`, `--svg`): checked before any work, one-line usage errors naming the path (issue 16). */
describe('output paths, checked before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-out-'));
  it('accepts a new file or a regular file in an existing directory', () => {
    expect(outputPath(join(dir, 'new.csv'), '-o')).toBe(join(dir, 'new.csv'));
    writeFileSync(join(dir, 'old.csv'), 'x');
    expect(outputPath(join(dir, 'old.csv'), '-o')).toBe(join(dir, 'old.csv'));
  });

  it('refuses a missing directory, a directory, a symbolic link and a named pipe, naming the path', () => {
    expect(() => outputPath(join(dir, 'missing', 'x.csv'), 'results export: -o')).toThrow(/^results export: -o: .*missing\/x\.csv: expected a file in an existing directory, got no directory /);
    expect(() => outputPath(dir, '-o')).toThrow(/expected a regular file to write or replace, got a directory$/);
    symlinkSync(join(dir, 'old.csv'), join(dir, 'link.csv'));
    expect(() => outputPath(join(dir, 'link.csv'), '-o')).toThrow(/got a symbolic link$/);
    symlinkSync(join(dir, 'nowhere.csv'), join(dir, 'dangling.csv'));
    expect(() => outputPath(join(dir, 'dangling.csv'), '-o')).toThrow(/got a symbolic link$/);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(() => outputPath(join(dir, 'pipe'), '-o')).toThrow(/got a named pipe$/);
    expect(() => outputPath('/dev/null', '-o')).toThrow(/got a device$/);
  });
});

describe('integer options', () => {
  const runs = integer('--runs', 1, 1000);
  it('reads digits, within the bounds', () => {
    expect(['1', '42', ' 7 ', '1000'].map(runs)).toEqual([1, 42, 7, 1000]);
  });

  it('refuses what Number() would read as a number but is not an integer written out (blank, hex, exponent)', () => {
    for (const text of ['', ' ', '0x10', '1e3', '1.0', '1.5', 'NaN', 'Infinity', '-1', '0', '1001', '99999999999999999999']) {
      expect(() => runs(text), text).toThrow(`--runs: expected an integer from 1 to 1000, got "${text}"`);
    }
  });
});
