import { existsSync, readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareInputs, recipeKey } from '../../cli/model-cache.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { KernelState } from '../../engine/kernel/state.js';
import { StrataInputError } from '../../engine/model/errors.js';
import { BUILTIN_TWINS } from '../../scenarios/index.js';
import { BUILTIN_TWIN_NAMES } from '../../scenarios/paths.js';
import { strata, tempDir } from './cli.js';

describe('the compiled-model cache', () => {
  const saved = { ...process.env };
  let directory: string;
  beforeEach(() => {
    directory = tempDir();
    process.env.STRATA_CACHE = 'on';
    process.env.STRATA_CACHE_DIR = directory;
    process.env.STRATA_CACHE_MIN_MS = '0'; // acute-trust prepares in well under the default second
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  const options = { twin: 'acute-trust', set: ['params.beds=300'] };

  it('gives back the model it stored: the same arrays, metadata, documents and hashes, and the same runs', async () => {
    const stored = await prepareInputs('wannacry-down', options);
    expect(stored.cache).toBe('stored');
    const hit = await prepareInputs('wannacry-down', options);
    expect(hit.cache).toBe('hit');
    const a = stored.compiled.model as unknown as Record<string, unknown>;
    const b = hit.compiled.model as unknown as Record<string, unknown>;
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const key of Object.keys(a)) {
      if (ArrayBuffer.isView(a[key])) {
        expect(b[key]!.constructor, key).toBe(a[key]!.constructor);
        expect(Array.from(b[key] as Uint8Array), key).toEqual(Array.from(a[key] as Uint8Array));
        // Shared, as compile's own arrays are: workers read one copy.
        expect((b[key] as Uint8Array).buffer, key).toBeInstanceOf(SharedArrayBuffer);
      } else expect(b[key], key).toBe(a[key]);
    }
    expect(hit.compiled.meta).toEqual(stored.compiled.meta);
    expect(hit.scenario).toEqual(stored.scenario);
    expect(hit.regime).toEqual(stored.regime);
    expect(hit.hashes).toEqual(stored.hashes);
    expect(hit.names).toEqual(stored.names);
    expect(hit.twinJson()).toBe(stored.twinJson());
    const run = (model: typeof stored.compiled.model) => {
      const state = new KernelState(model);
      return [0, 1, 2].map((i) => Array.from(runKernel(model, state, 5, i)));
    };
    expect(run(hit.compiled.model)).toEqual(run(stored.compiled.model));
  });

  it('keys on everything that decides the model', async () => {
    const base = await recipeKey('wannacry-down', options);
    expect(await recipeKey('wannacry-down', options)).toBe(base);
    expect(await recipeKey('wannacry-down', { ...options, set: ['params.beds=301'] })).not.toBe(base);
    expect(await recipeKey('wannacry-down', { ...options, regime: 'segmented' })).not.toBe(base);
    expect(await recipeKey('wannacry-down', { ...options, twinSeed: 2 })).not.toBe(base);
    expect(await recipeKey('medjack-up', options)).not.toBe(base);
    expect(await recipeKey('wannacry-down', { ...options, twin: 'ward' })).not.toBe(base);
  });

  it('has no key for a file it cannot read, so the loader reports it (one line, exit 2), not a raw ENOENT', async () => {
    expect(await recipeKey('wannacry-down', { ...options, calibration: join(directory, 'no-such.yaml') })).toBeUndefined();
    expect(await recipeKey('wannacry-down', { ...options, regime: join(directory, 'no-such-regime.yaml') })).toBeUndefined();
    expect(await recipeKey('wannacry-down', { ...options, calibration: directory })).toBeUndefined();
    const error = await prepareInputs('wannacry-down', { ...options, calibration: join(directory, 'no-such.yaml') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrataInputError);
  });

  it('rebuilds a damaged entry instead of trusting it', async () => {
    await prepareInputs('wannacry-down', options);
    const arrays = readdirSync(directory).find((f) => f.endsWith('.arrays'))!;
    truncateSync(join(directory, arrays), 1000);
    const again = await prepareInputs('wannacry-down', options);
    expect(again.cache).toBe('stored');
    expect((await prepareInputs('wannacry-down', options)).cache).toBe('hit');
  });

  it('is off when asked, and writes nothing quicker to prepare than the threshold', async () => {
    process.env.STRATA_CACHE = 'off';
    expect((await prepareInputs('wannacry-down', options)).cache).toBe('off');
    process.env.STRATA_CACHE = 'on';
    expect((await prepareInputs('wannacry-down', { ...options, cache: false })).cache).toBe('off');
    process.env.STRATA_CACHE_MIN_MS = '1e9';
    expect((await prepareInputs('wannacry-down', options)).cache).toBe('skipped');
    expect(readdirSync(directory)).toEqual([]);
  });

  it('names the same built-in twins as their loaders', () => {
    expect([...BUILTIN_TWIN_NAMES].sort()).toEqual(Object.keys(BUILTIN_TWINS).sort());
  });

  it('through the CLI: a second run reads the cache and stores and prints the same batch', () => {
    const db = join(directory, 'r.duckdb');
    const env = { STRATA_CACHE: 'on', STRATA_CACHE_DIR: join(directory, 'cache'), STRATA_CACHE_MIN_MS: '0' };
    const args = ['run', 'wannacry-down', '--twin', 'acute-trust', '--set', 'params.beds=300', '--runs', '6', '--json', '--db', db];
    const first = strata(args, { env });
    const second = strata(args, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    expect([a.timing.cache, b.timing.cache]).toEqual(['stored', 'hit']);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.inputs).toEqual(a.inputs);
    expect(existsSync(join(directory, 'cache'))).toBe(true);
    // The stored twin document is the generated one (the twin was never generated on the second call).
    const exported = strata(['results', 'show', b.batch, '--json', '--db', db], { env });
    expect(exported.code, exported.stderr).toBe(0);
  });
});
