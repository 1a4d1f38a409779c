import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestFiles, engineVersion, VERSION } from '../../cli/version.js';

describe('the digests of the sources', () => {
  const root = `${mkdtempSync(join(tmpdir(), 'strata-digest-'))}/`;
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'engine/kernel'), { recursive: true });
  mkdirSync(join(root, 'scenarios'), { recursive: true });
  mkdirSync(join(root, 'cli'), { recursive: true });
  const write = (file: string, text: string) => writeFileSync(join(root, file), text);
  write('engine/kernel/kernel.ts', 'export const a = 1;\n');
  write('scenarios/wannacry-down.yaml', 'name: wannacry-down\n');
  write('cli/inputs.ts', 'export const b = 2;\n');
  write('README.md', 'not a source\n');

  it("leaves the built-in scenarios out of a batch's engine digest (a resume reads its stored documents), and keeps them in the cache's", () => {
    const engine = digestFiles(root, false);
    const sources = digestFiles(root, true);
    write('scenarios/wannacry-down.yaml', 'name: wannacry-down\nhorizonHours: 200\n');
    expect(digestFiles(root, false)).toBe(engine);
    expect(digestFiles(root, true)).not.toBe(sources);
    // The engine's files and the CLI's inputs are in both; other files in neither.
    write('engine/kernel/kernel.ts', 'export const a = 2;\n');
    expect(digestFiles(root, false)).not.toBe(engine);
    const now = digestFiles(root, false);
    write('cli/inputs.ts', 'export const b = 3;\n');
    expect(digestFiles(root, false)).not.toBe(now);
    const later = [digestFiles(root, false), digestFiles(root, true)];
    write('README.md', 'edited\n');
    expect([digestFiles(root, false), digestFiles(root, true)]).toEqual(later);
  });

  it("stores the package's version with twelve hex digits of the engine digest", () => {
    expect(engineVersion()).toMatch(new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\+[0-9a-f]{12}$`));
  });
});
