import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKind } from '../../engine/file-kind.js';

describe('fileKind', () => {
  it('names each kind of path as the errors that refuse it say it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-kind-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'x: 1\n');
    symlinkSync(file, join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(fileKind(statSync(file))).toBe('a regular file');
    expect(fileKind(statSync(dir))).toBe('a directory');
    expect(fileKind(lstatSync(join(dir, 'link')))).toBe('a symbolic link');
    expect(fileKind(statSync(join(dir, 'pipe')))).toBe('a named pipe');
    expect(fileKind(statSync('/dev/null'))).toBe('a device');
  });
});
