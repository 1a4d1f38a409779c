import { writeFileSync } from 'node:fs';
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
