import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtSince } from '../../../cli/commands/serve.js';

describe('strata serve: when the front end is built again', () => {
  it('rebuilds when any source it bundles is newer: its own, or an engine module the browser replays with', () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-serve-'));
    const viz = join(root, 'viz');
    const engine = join(root, 'engine', 'kernel');
    mkdirSync(join(viz, 'dist'), { recursive: true });
    mkdirSync(engine, { recursive: true });
    const at = (file: string, seconds: number) => (writeFileSync(file, ''), utimesSync(file, seconds, seconds));
    at(join(viz, 'main.ts'), 100);
    at(join(engine, 'kernel.ts'), 100);
    at(join(viz, 'dist', 'index.html'), 200);
    // Its own dist is not a source.
    at(join(viz, 'dist', 'later.js'), 300);
    const sources = [viz, join(root, 'engine')];
    expect(builtSince(join(viz, 'dist', 'index.html'), sources)).toBe(true);
    // A kernel change after the build: the bundle's replays would no longer be the server's runs.
    at(join(engine, 'kernel.ts'), 250);
    expect(builtSince(join(viz, 'dist', 'index.html'), sources)).toBe(false);
    expect(builtSince(join(viz, 'dist', 'index.html'), [viz])).toBe(true);
    expect(builtSince(join(viz, 'dist', 'missing.html'), [viz])).toBe(false);
  });
});
