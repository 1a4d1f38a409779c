import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata, tempDir } from './cli.js';

/** `twin convert` writes nothing Strata could not read back: each format's read limit (docs/cli.md). */
describe('twin convert and the read limits', { timeout: 60_000 }, () => {
  it('refuses a YAML output over 4 MiB, naming the limit and JSON, and writes the same twin as JSON', () => {
    const dir = tempDir();
    const nodes = Array.from({ length: 40_000 }, (_, i) => ({ id: `server-${i}`, layer: 'network', kind: 'server', owner: 'o', recovery: { handsOnMinutes: 60, mode: 'remote' } }));
    const source = join(dir, 'big.json');
    writeFileSync(source, JSON.stringify({ schema: 'strata.twin/v1', name: 'big', owners: [{ id: 'o', kind: 'operator', name: 'O' }], zones: [], nodes, edges: [] }));
    const yaml = join(dir, 'big.yaml');
    const refused = strata(['twin', 'convert', source, '-o', yaml]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^strata: twin convert: -o \S+big\.yaml: expected a YAML document of at most 4 MiB, got [\d,]+ bytes \(.*write large twins as JSON, up to 64 MiB\)\n$/);
    expect(existsSync(yaml)).toBe(false);
    const json = join(dir, 'copy.json');
    expect(strata(['twin', 'convert', source, '-o', json]).code).toBe(0);
    expect(strata(['twin', 'validate', json]).stdout).toMatch(/valid strata\.twin\/v1 "big" — 40000 entries, 40000 nodes/);
  });
});
