import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputPath } from '../../cli/args.js';

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
