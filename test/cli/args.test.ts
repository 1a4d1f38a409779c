import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, dbFlag, groupFlags, integer, MAX_REPEATS, outputPath, shellWord, takeBadValues, writeOutput } from '../../cli/args.js';

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

  it('refuses the results database or an input as the output, by path or by a link to it, and a units file that cannot be written', () => {
    const db = join(dir, 'results.duckdb');
    writeFileSync(db, 'x');
    const kept = [{ file: db, as: 'results database' }];
    expect(() => outputPath(db, 'results export: -o', kept)).toThrow(`results export: -o: ${db}: expected a file other than the results database, ${db}, which it would replace`);
    // The same file by another path, or through a hard link.
    expect(() => outputPath(join(dir, '.', 'results.duckdb'), '-o', kept)).toThrow(/expected a file other than the results database/);
    linkSync(db, join(dir, 'hard.csv'));
    expect(() => outputPath(join(dir, 'hard.csv'), '-o', kept)).toThrow(/expected a file other than the results database/);
    // A CSV whose units file would land on the database.
    expect(() => outputPath(join(dir, 'results.duckdb'.replace('.duckdb', '.csv')), '-o', [{ file: join(dir, 'results.csv-metadata.json'), as: 'results database' }], [join(dir, 'results.csv-metadata.json')])).toThrow(
      /expected a file other than the results database, .*results\.csv-metadata\.json, which its results\.csv-metadata\.json would replace$/,
    );
    mkdirSync(join(dir, 'd.csv-metadata.json'));
    expect(() => outputPath(join(dir, 'd.csv'), '-o', [], [join(dir, 'd.csv-metadata.json')])).toThrow(/expected a regular file to write or replace for its d\.csv-metadata\.json, got a directory at /);
    expect(outputPath(join(dir, 'other.csv'), '-o', kept, [join(dir, 'other.csv-metadata.json')])).toBe(join(dir, 'other.csv'));
  });

  it('refuses a directory that exists but takes no new file, and a name too long, before any work', () => {
    expect(() => outputPath('/proc/x.csv', 'results export: -o')).toThrow(/^results export: -o: \/proc\/x\.csv: expected a file this process can create, got E\w+ creating one in \/proc$/);
    expect(() => outputPath(join(dir, `${'x'.repeat(300)}.csv`), '-o')).toThrow(/got ENAMETOOLONG creating one in/);
    // The probe leaves nothing behind.
    expect(outputPath(join(dir, 'fine.csv'), '-o')).toBe(join(dir, 'fine.csv'));
    expect(readdirSync(dir).filter((f) => f.includes('strata-probe'))).toEqual([]);
  });
});

/** calibrate -o, twin convert -o and sensitivity --svg write through a temporary file and a rename (issue 16). */
describe('writing an output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-write-'));
  it('replaces a regular file whole and leaves no temporary file', () => {
    const file = join(dir, 'calibration.yaml');
    writeFileSync(file, 'old contents, longer than the new\n');
    const before = statSync(file).ino;
    writeOutput(file, 'new\n', 'calibrate: -o');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    // Renamed over, not written in place: a new inode, so a reader of the old file never sees a mix.
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['calibration.yaml']);
  });

  it('fails with one line naming the file, and removes its temporary file, when the write cannot finish', () => {
    // The target turned into a directory after the check: the rename fails, the old directory stays.
    mkdirSync(join(dir, 'now-a-directory'));
    expect(() => writeOutput(join(dir, 'now-a-directory'), 'x', 'twin convert: -o')).toThrow(/^twin convert: -o: .*now-a-directory: expected to write the file, got E\w+ writing it$/);
    expect(readdirSync(dir).filter((f) => f.includes('.strata-'))).toEqual([]);
  });
});

describe('integer options', () => {
  const runs = integer('--runs', 1, 1000);
  it('reads digits, within the bounds', () => {
    expect(['1', '42', ' 7 ', '1000'].map(runs)).toEqual([1, 42, 7, 1000]);
  });

  it('refuses what Number() would read as a number but is not an integer written out (blank, hex, exponent)', () => {
    // Each refusal is noted, not thrown, so a command line's every bad value is reported (cli/main.ts).
    takeBadValues();
    for (const text of ['', ' ', '0x10', '1e3', '1.0', '1.5', 'NaN', 'Infinity', '-1', '0', '1001', '99999999999999999999']) {
      expect(runs(text), text).toBeNaN();
      expect(takeBadValues(), text).toEqual([`--runs: expected an integer from 1 to 1000, got "${text}"`]);
    }
  });

  it('notes one bad value per flag, its last, in the order the flags came', () => {
    takeBadValues();
    const workers = integer('--workers', 0, 8);
    runs('x');
    workers('-1');
    runs('y');
    expect(runs('5')).toBe(5);
    expect(takeBadValues()).toEqual(['--runs: expected an integer from 1 to 1000, got "y"', '--workers: expected an integer from 0 to 8, got "-1"']);
    expect(takeBadValues()).toEqual([]);
  });
});

describe('repeatable options', () => {
  it('collect in place, at most MAX_REPEATS times, in linear time', () => {
    const started = performance.now();
    let list: string[] = [];
    for (let i = 0; i < MAX_REPEATS; i++) list = collect(`controls.x=${i}`, list);
    expect(list).toHaveLength(MAX_REPEATS);
    expect(() => collect('one more', list)).toThrow('expected at most 1,000 of this option');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('dbFlag', () => {
  it('names a database given with --db in a printed command line, quoted for a shell where needed', () => {
    expect(dbFlag(undefined)).toBe('');
    expect(dbFlag('/tmp/t5.duckdb')).toBe(' --db /tmp/t5.duckdb');
    expect(dbFlag("my results/it's.duckdb")).toBe(` --db 'my results/it'\\''s.duckdb'`);
  });
});

describe("a group's resume hint, pasted into a shell", () => {
  it('carries the options that decide its batches, each word quoted where a shell would split it', () => {
    expect(groupFlags({ twin: 'my twin.yaml', runs: 200, seed: 9, calibration: 'cal.yaml', set: ['controls.mfa=vendor', "scenario.title=it's"] })).toBe(
      ` --twin 'my twin.yaml' --runs 200 --seed 9 --calibration cal.yaml --set controls.mfa=vendor --set 'scenario.title=it'\\''s'`,
    );
    expect(shellWord('baseline,/tmp/my charter.yaml')).toBe("'baseline,/tmp/my charter.yaml'");
    expect(shellWord('isolate-zone:trust/lab@100')).toBe('isolate-zone:trust/lab@100');
  });
});

describe('typedWithResume', () => {
  it('gives the command as typed with --resume GROUP in place of any given, quoted for the shell', async () => {
    const { typedWithResume } = await import('../../cli/args.js');
    expect(typedWithResume('abc123', ['sweep', 'wannacry-down', '--set', 'controls.patchCoverage=0,0.5', '--db', 'my db.duckdb'])).toBe(
      "strata sweep wannacry-down --set controls.patchCoverage=0,0.5 --db 'my db.duckdb' --resume abc123",
    );
    expect(typedWithResume('abc123', ['sweep', 's.yaml', '--resume', 'old', '--runs', '5'])).toBe('strata sweep s.yaml --runs 5 --resume abc123');
    expect(typedWithResume('abc123', ['sweep', 's.yaml', '--resume=old'])).toBe('strata sweep s.yaml --resume abc123');
    // By default, the arguments main() was given, not the host process's (the fuzz tests call main() in-process).
    const { setTypedArguments } = await import('../../cli/args.js');
    setTypedArguments(['sensitivity', 'x.yaml', '--runs', '5']);
    expect(typedWithResume('g1')).toBe('strata sensitivity x.yaml --runs 5 --resume g1');
  });
});
