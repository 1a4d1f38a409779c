import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlias, parseDocument, visit } from 'yaml';
import { loadTwinFile } from '../../engine/model/load-file.js';
import { resolveTwin } from '../../scenarios/index.js';
import { contentHash } from '../../store/hash.js';
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
    expect(strata(['twin', 'validate', json]).stdout).toMatch(/valid strata\.twin\/v1 "big" — 40,000 entries, 40,000 nodes/);
    // Onto itself (which would drop the file's comments, its sources among them): refused, the file kept.
    const before = readFileSync(source, 'utf8');
    const inPlace = strata(['twin', 'convert', source, '-o', source]);
    expect([inPlace.code, inPlace.stderr]).toEqual([2, `strata: twin convert: -o: ${source}: expected a file other than the twin file, ${source}, which it would replace\n`]);
    expect(readFileSync(source, 'utf8')).toBe(before);
  });
});

describe('twin convert keeps the twin', { timeout: 120_000 }, () => {
  const acuteTrust = contentHash(resolveTwin('acute-trust'));

  for (const format of ['graphml', 'gexf']) {
    it(`acute-trust → ${format} → YAML hashes alike (requiredFor and every other field kept)`, () => {
      const dir = tempDir();
      const graph = join(dir, `at.${format}`);
      const yaml = join(dir, 'at.yaml');
      expect(strata(['twin', 'convert', 'acute-trust', '-o', graph]).code).toBe(0);
      expect(strata(['twin', 'convert', graph, '-o', yaml]).code).toBe(0);
      const back = loadTwinFile(yaml);
      expect(back.nodes.find((n) => n.id === 'pathology/lims')!.requiredFor).toEqual(['trust/pathology', 'trust/transfusion', 'pathology/gp-tests']);
      expect(contentHash(back)).toBe(acuteTrust);
    });
  }

  it('writes YAML without anchors or aliases, so editing one list changes no other', () => {
    const yaml = join(tempDir(), 'at.yaml');
    expect(strata(['twin', 'convert', 'acute-trust', '-o', yaml]).code).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    let aliases = 0;
    visit(parseDocument(text), { Node: (_key, node) => void (isAlias(node) ? aliases++ : undefined) });
    expect(aliases).toBe(0);
    expect(text).not.toMatch(/(?:^|[\s:[{,])&[A-Za-z]\w*\s/m);
    expect(contentHash(loadTwinFile(yaml))).toBe(acuteTrust);
    // The editor's schema hint names this install's schema by a path from the file (it named an unfetchable URL).
    const hint = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)![1]!;
    expect(resolve(dirname(yaml), hint)).toBe(resolve('schemas/twin.schema.json'));
  });

  it('refuses, in one line and writing nothing, a twin whose text GraphML cannot hold', () => {
    const dir = tempDir();
    const source = join(dir, 'bell.json');
    const twin = structuredClone(resolveTwin('scenarios/twins/ward.yaml'));
    twin.nodes[3]!.name = 'bell\u0007';
    writeFileSync(source, JSON.stringify(twin));
    const out = join(dir, 'bell.graphml');
    const refused = strata(['twin', 'convert', source, '-o', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^strata: \S+bell\.graphml: nodes\[3\]\.name: expected text GraphML can hold, got U\+0007 at character 4 .*write YAML or JSON instead\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
