import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata, tempDir } from './cli.js';

describe('a document with thousands of problems', () => {
  it('prints the first 50, one line each, then counts the rest; exit 2', () => {
    const file = join(tempDir(), 'many.yaml');
    const nodes = Array.from({ length: 2000 }, () => '  - {id: a, layer: network, kind: server, owner: trust}');
    writeFileSync(file, ['schema: strata.twin/v1', 'name: many', 'owners: [{id: trust, name: T, kind: trust}]', 'nodes:', ...nodes, ''].join('\n'));
    const result = strata(['twin', 'validate', file]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines.slice(0, 50).every((l) => l.startsWith(`strata: ${file}: `))).toBe(true);
    expect(lines[50]).toMatch(/^strata: … and [\d,]+ more problems \([\d,]+ in all\)$/);
  });
});

describe('the file a problem names', () => {
  it('is relative to the working directory when the file lies under it, as a user typed it; else absolute', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'my', 'sub'), { recursive: true });
    const file = join(dir, 'my', 'bad.yaml');
    writeFileSync(file, 'schema: strata.scenario/v1\nname: bad\n');
    const db = join(dir, 'x.duckdb');
    const inside = strata(['run', 'my/bad.yaml', '--runs', '1', '--db', db], { cwd: dir });
    expect(inside.code).toBe(2);
    expect(inside.stderr.split('\n')[0]).toMatch(/^strata: my\/bad\.yaml: \w+: expected /);
    const outside = strata(['run', '../bad.yaml', '--runs', '1', '--db', db], { cwd: join(dir, 'my', 'sub') });
    expect(outside.code).toBe(2);
    expect(outside.stderr.startsWith(`strata: ${file}: `)).toBe(true);
  });
});
