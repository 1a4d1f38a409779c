import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInputs, loadVariants } from '../../cli/inputs.js';
import { prepareGroup, prepareInputs, recipeKey, SAY_AFTER_MS } from '../../cli/model-cache.js';
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

  it('says what a slow preparation does, and nothing on a hit (a log was silent for nhs-england\'s 20–30 s)', async () => {
    const lines: string[] = [];
    const say = (line: string) => lines.push(line);
    await prepareInputs('wannacry-down', { ...options, say, sayAfterMs: 0 }); // every preparation is slow here
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^twin acute-trust read and checked in \d+\.\d s; compiling the model$/);
    expect(lines[1]).toMatch(/^model of [\d,]+ members ready in \d+\.\d s; kept in the compiled-model cache, so the next call with these inputs starts at once$/);
    lines.length = 0;
    await prepareInputs('wannacry-down', { ...options, say, sayAfterMs: 0 }); // a hit: nothing to say
    expect(lines).toEqual([]);
    await prepareInputs('wannacry-down', { ...options, set: ['params.beds=301'], say, sayAfterMs: Infinity }); // nothing slow enough
    expect(lines).toEqual([]);
    expect(SAY_AFTER_MS).toBe(3000);
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

  it('rebuilds a damaged entry instead of trusting it: truncated, or changed in place at the same size', async () => {
    const first = await prepareInputs('wannacry-down', options);
    const file = (ending: string) => join(directory, readdirSync(directory).find((f) => f.endsWith(ending))!);
    const header = () => join(directory, readdirSync(directory).find((f) => /^[0-9a-f]{64}\.json$/.test(f))!);
    truncateSync(file('.arrays'), 1000);
    const again = await prepareInputs('wannacry-down', options);
    expect(again.cache).toBe('stored');
    expect((await prepareInputs('wannacry-down', options)).cache).toBe('hit');
    // One byte changed in each file, its size kept (a model read as it was would run another twin), and the
    // twin's JSON cut short (the store would refuse its hash). Each time the entry is rebuilt, not read.
    const flip = (path: string, at: (size: number) => number) => {
      const bytes = readFileSync(path);
      const i = at(bytes.byteLength);
      bytes[i] = bytes[i]! ^ 0xff;
      writeFileSync(path, bytes);
    };
    const damage: [string, () => void][] = [
      ['an array in the middle', () => flip(file('.arrays'), (n) => n >> 1)],
      ['the last quarter of the arrays', () => flip(file('.arrays'), (n) => n - 1)],
      ['the metadata', () => flip(file('.v8'), (n) => n >> 1)],
      ["the twin's JSON", () => flip(file('.twin.json'), (n) => n >> 1)],
      ["the twin's JSON cut short", () => truncateSync(file('.twin.json'), statSync(file('.twin.json')).size >> 1)],
      // Still valid JSON: a batch would be stored with the wrong hashes (a group reads them without the files).
      ["the header's hashes", () => writeFileSync(header(), readFileSync(header(), 'utf8').replace(/"twinHash":"[0-9a-f]/, '"twinHash":"x'))],
    ];
    for (const [what, change] of damage) {
      change();
      const read = await prepareInputs('wannacry-down', options);
      expect(read.cache, what).toBe('stored');
      expect(read.twinJson(), what).toBe(first.twinJson());
      expect((await prepareInputs('wannacry-down', options)).cache, what).toBe('hit');
    }
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

  it('keeps within $STRATA_CACHE_MAX_MB: an entry larger than the limit alone is not kept, and a bad setting is ignored', async () => {
    const entries = () => readdirSync(directory).filter((f) => f.endsWith('.json') && !f.endsWith('.twin.json'));
    process.env.STRATA_CACHE_MAX_MB = '0.01'; // 10 kB: smaller than acute-trust's arrays
    expect((await prepareInputs('wannacry-down', options)).cache).toBe('skipped');
    expect(readdirSync(directory)).toEqual([]);
    process.env.STRATA_CACHE_MAX_MB = '0.5'; // larger than the arrays (0.49 MB), smaller than the entry (0.6 MB)
    const arrays = await prepareInputs('wannacry-down', options);
    expect(arrays.cache).toBe('skipped');
    expect(Object.values(arrays.compiled.model).reduce((n: number, v) => n + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0)).toBeLessThan(0.5 * 2 ** 20);
    expect(readdirSync(directory)).toEqual([]);
    // Not a number ≥ 0: the default limit (4,096 MB), so two entries stay (before, "abc" read as 0 and
    // dropped every other entry).
    for (const bad of ['abc', '-1', '']) {
      process.env.STRATA_CACHE_MAX_MB = bad;
      expect((await prepareInputs('wannacry-down', options)).cache, bad).not.toBe('skipped');
      expect((await prepareInputs('wannacry-down', { ...options, set: ['params.beds=301'] })).cache, bad).not.toBe('skipped');
      expect(entries(), bad).toHaveLength(2);
    }
  });

  it('skips a cache directory it cannot make, under /proc too (where a recursive mkdir loops for ever)', async () => {
    for (const place of ['/proc/strata-cache/x', join(directory, 'file', 'cache')]) {
      writeFileSync(join(directory, 'file'), '');
      process.env.STRATA_CACHE_DIR = place;
      const prepared = await prepareInputs('wannacry-down', options);
      expect(prepared.cache, place).toBe('skipped');
    }
  });

  it("serves a group's members (compare, sweep): nothing loaded when every member is cached, a run's entry shared", async () => {
    const regimes = ['baseline', 'segmented'];
    const variants = regimes.map((regime) => ({ regime }));
    let loads = 0;
    const load = { all: () => (loads++, loadVariants('wannacry-down', options, variants)) };
    const first = await prepareGroup('wannacry-down', options, variants, load);
    expect(loads).toBe(1); // nothing cached: every regime loaded and checked before anything runs
    const made = await Promise.all(regimes.map((_, i) => first.member(i).compile()));
    const again = await prepareGroup('wannacry-down', options, variants, load);
    expect(loads).toBe(1); // every member cached: no document loaded
    for (const [i, regime] of regimes.entries()) {
      const member = again.member(i);
      const about = await member.about();
      const inputs = await member.inputs();
      expect(about.names).toEqual({ twin: 'acute-trust', scenario: 'wannacry-down', regime });
      expect(about.hashes).toEqual(inputs.hashes);
      expect(about.title).toBe(inputs.scenario.title);
      expect('cache' in inputs && inputs.cache).toBe('hit');
      const model = (await member.compile()).model;
      const run = (m: typeof model) => [0, 1].map((r) => Array.from(runKernel(m, new KernelState(m), 5, r)));
      expect(run(model)).toEqual(run(made[i]!.model));
    }
    // A run of one regime reads the entry its comparison wrote (the same recipe).
    expect((await prepareInputs('wannacry-down', { ...options, regime: 'segmented' })).cache).toBe('hit');
    // One member missing (a new regime): every document is loaded again, the cached ones still read.
    const three = [...variants, { regime: 'charter' }];
    const mixed = await prepareGroup('wannacry-down', options, three, { all: () => (loads++, loadVariants('wannacry-down', options, three)) });
    expect(loads).toBe(2);
    expect('cache' in (await mixed.member(0).inputs())).toBe(true);
    expect('cache' in (await mixed.member(2).inputs())).toBe(false);
    // An entry found damaged when its member's turn comes is not trusted: its documents are loaded instead.
    // Changed in place (its header and size still right, so the group counts it cached until it is read).
    for (const name of readdirSync(directory).filter((f) => f.endsWith('.arrays'))) {
      const bytes = readFileSync(join(directory, name));
      const middle = bytes.byteLength >> 1;
      bytes[middle] = bytes[middle]! ^ 0xff;
      writeFileSync(join(directory, name), bytes);
    }
    const damaged = await prepareGroup('wannacry-down', options, variants, load);
    expect(loads).toBe(2); // every header good: nothing loaded up front
    const reloaded = await damaged.member(1).inputs();
    expect('cache' in reloaded).toBe(false);
    expect(loads).toBe(3);
    const model = (await damaged.member(1).compile()).model;
    const run = (m: typeof model) => [0, 1].map((r) => Array.from(runKernel(m, new KernelState(m), 5, r)));
    expect(run(model)).toEqual(run(made[1]!.model));
    // Truncated: its header's size no longer matches, so the group loads every document up front.
    for (const name of readdirSync(directory).filter((f) => f.endsWith('.arrays'))) truncateSync(join(directory, name), 1000);
    await prepareGroup('wannacry-down', options, variants, load);
    expect(loads).toBe(4);
  });

  it("keys a sweep's value, and builds a twin field's twin only for a value not cached", async () => {
    const value = (beds: number) => ({ extra: { target: 'params' as const, path: ['beds'], value: beds } });
    const variants = [value(300), value(301)];
    expect(await recipeKey('wannacry-down', options, variants[0]!.extra)).not.toBe(await recipeKey('wannacry-down', options, variants[1]!.extra));
    expect(await recipeKey('wannacry-down', options, variants[0]!.extra)).not.toBe(await recipeKey('wannacry-down', options));
    const built: number[] = [];
    const load = { one: (i: number) => (built.push(i), loadInputs('wannacry-down', { twin: 'acute-trust' }, [variants[i]!.extra])) };
    const first = await prepareGroup('wannacry-down', { twin: 'acute-trust' }, variants, load);
    expect(built).toEqual([]); // a twin field's value is built when its turn comes
    await first.member(1).compile();
    expect(built).toEqual([1]);
    const again = await prepareGroup('wannacry-down', { twin: 'acute-trust' }, variants, load);
    expect((await again.member(1).about()).names.twin).toBe('acute-trust');
    await again.member(1).compile();
    await again.member(0).compile();
    expect(built).toEqual([1, 0]); // value 1 read from the cache, value 0 built
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

  it('through the CLI: a comparison and a sweep read the entries they wrote, and print the same', () => {
    const db = join(directory, 'g.duckdb');
    const cache = join(directory, 'cache');
    const env = { STRATA_CACHE: 'on', STRATA_CACHE_DIR: cache, STRATA_CACHE_MIN_MS: '0' };
    const compare = ['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,segmented', '--runs', '6', '--json', '--db', db];
    const sweep = ['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0.2,0.8', '--runs', '6', '--json', '--db', db];
    for (const args of [compare, sweep]) {
      const first = strata(args, { env });
      expect(first.code, first.stderr).toBe(0);
      const written = () => new Map(readdirSync(cache).map((f) => [f, statSync(join(cache, f)).ino]));
      const entries = written();
      expect(entries.size).toBeGreaterThan(0);
      const second = strata(args, { env });
      expect(second.code, second.stderr).toBe(0);
      // Read, not written again: a rewrite renames a new file into place (another inode).
      expect(written()).toEqual(entries);
      const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
      const { group: _a, regimes: ra, values: va, ...restA } = a;
      const { group: _b, regimes: rb, values: vb, ...restB } = b;
      expect(restB).toEqual(restA);
      const strip = (members: { batch: string }[]) => members.map(({ batch: _, ...rest }) => rest);
      expect(strip(rb ?? vb)).toEqual(strip(ra ?? va));
      // --no-cache gives the same again, reading and writing nothing
      const off = strata([...args, '--no-cache'], { env });
      expect(off.code, off.stderr).toBe(0);
      expect(strip(JSON.parse(off.stdout).regimes ?? JSON.parse(off.stdout).values)).toEqual(strip(ra ?? va));
    }
  });

  it('through the CLI: a hit says what loading says of a calibration fitted on another twin', () => {
    const db = join(directory, 'c.duckdb');
    const env = { STRATA_CACHE: 'on', STRATA_CACHE_DIR: join(directory, 'cache'), STRATA_CACHE_MIN_MS: '0' };
    const calibration = 'scenarios/calibration/wannacry-down.nhs-england.yaml';
    const note = `strata: ${calibration} was fitted on twin nhs-england; its parameters are applied to twin ward\n`;
    for (const args of [
      ['run', 'wannacry-down', '--twin', 'ward', '--runs', '3', '--calibration', calibration, '--json', '--db', db],
      ['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,segmented', '--runs', '3', '--calibration', calibration, '--json', '--db', db],
    ]) {
      const calls = [strata(args, { env }), strata(args, { env })];
      expect(calls.map((c) => [c.code, c.stderr])).toEqual([
        [0, note],
        [0, note],
      ]);
    }
  });

  it('through the CLI: a database that is not one is refused before the inputs are prepared (nothing cached)', () => {
    const cache = join(directory, 'cache');
    const env = { STRATA_CACHE: 'on', STRATA_CACHE_DIR: cache, STRATA_CACHE_MIN_MS: '0' };
    // A directory at --db: refused by the store; before this, the model was prepared and cached first
    // (nhs-england: 8 s and a 0.35 GB entry before the one line).
    const refused = strata(['run', 'wannacry-down', '--twin', 'acute-trust', '--runs', '2', '--db', directory], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`strata: ${directory} is a directory, not a results database file`]);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });
});
