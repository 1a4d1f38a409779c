import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distIsFresh, SOURCE_DIRECTORIES, sourceFiles, STAMP } from '../../scripts/fresh.mjs';
import { tempDir } from '../cli/cli.js';

/** cli/bin.mjs runs dist/ only while it is newer than every source: an edited source is never shadowed. */
describe('whether the ahead-of-time build is fresh', () => {
  function tree() {
    const root = tempDir();
    for (const d of SOURCE_DIRECTORIES) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'cli', 'main.ts'), 'export {};\n');
    writeFileSync(join(root, 'engine', 'worker-entry.mjs'), 'export {};\n');
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    mkdirSync(join(root, 'dist', 'engine'), { recursive: true });
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), 'export {};\n');
    writeFileSync(join(root, 'dist', 'engine', 'worker-entry.mjs'), 'export {};\n');
    const past = new Date(Date.now() - 60_000);
    for (const f of ['cli/main.ts', 'engine/worker-entry.mjs']) utimesSync(join(root, f), past, past);
    writeFileSync(join(root, 'dist', STAMP), '{}\n');
    return root;
  }

  it('lists the TypeScript modules and worker entries', () => {
    expect(sourceFiles(tree())).toEqual(['cli/main.ts', 'engine/worker-entry.mjs']);
  });

  it('is fresh after a build, and stale once a source changes, a module is missing or the stamp is gone', () => {
    const root = tree();
    expect(distIsFresh(root)).toBe(true);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'cli', 'main.ts'), future, future);
    expect(distIsFresh(root)).toBe(false);

    const missing = tree();
    writeFileSync(join(missing, 'cli', 'new.ts'), 'export {};\n');
    utimesSync(join(missing, 'cli', 'new.ts'), new Date(0), new Date(0));
    expect(distIsFresh(missing)).toBe(false);

    const unbuilt = tree();
    rmSync(join(unbuilt, 'dist', STAMP));
    expect(distIsFresh(unbuilt)).toBe(false);
  });
});
