import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { Compiled, CompiledModel } from '../engine/compile/model.js';
import { documentBytes } from '../engine/model/vocabulary.js';
import type { Regime } from '../engine/model/regime.js';
import type { Scenario } from '../engine/model/scenario.js';
import { BUILTIN_TWIN_NAMES, regimePath, scenarioPath } from '../scenarios/paths.js';
import { collectGarbage } from '../engine/batch/collect.js';
import { canonicalJson } from '../store/hash.js';
import type { InputOptions, Inputs } from './inputs.js';
import type { Override } from './overrides.js';
import { envNumber } from './args.js';
import { noteTransferredCalibration } from './calibration-note.js';
import { sourceDigest, VERSION } from './version.js';

/**
 * The compiled-model cache (issue 15). Generating, validating and compiling the national twin takes ~10 s
 * and 2 GB; the compiled model itself is ~0.5 GB of typed arrays that a file read brings back in a fraction
 * of a second. An entry is keyed by the *recipe* — the scenario, twin and regime files' bytes (or a built-in
 * generator's name), `--set`, the calibration file's bytes, the twin seed, Strata's version and a digest of
 * every source file that generates, validates or compiles (engine/, scenarios/, the CLI's input handling) —
 * because the inputs' content hash needs the twin generated first, which is the work the cache saves. An
 * entry holds the model's arrays (one file read into one SharedArrayBuffer, so workers share it as before),
 * the compiled metadata, the validated scenario and regime, the twin's canonical JSON for the results store,
 * and the three content hashes.
 *
 * Only models whose preparation took at least `CACHE_MIN_MS` (`$STRATA_CACHE_MIN_MS`) are written (a ward
 * compiles in milliseconds);
 * the cache keeps at most `$STRATA_CACHE_MAX_MB` (default 4,096 MB), dropping the least recently used entries;
 * an entry larger than that alone is not kept (its arrays larger: not written). A setting that is not a
 * number ≥ 0 is ignored.
 * `$STRATA_CACHE_DIR` places it (default `$XDG_CACHE_HOME/strata` or `~/.cache/strata`); `$STRATA_CACHE=off`
 * or `--no-cache` turns it off. A damaged or truncated entry is ignored and rebuilt, never trusted: its
 * format, its key, its arrays' byte count and the CRC-32 of each of its files (the arrays by quarters, as
 * they are read) are checked on reading. CRC-32 (zlib's, ~4 GB/s here) rather than SHA-256 (~1.5 GB/s): the
 * check is against damage (a disk, a copy, a stray write), not an adversary, who could as well write the
 * sources the cache is keyed on; SHA-256 put ~200 ms on every read of the national model.
 *
 * A hit loads neither the schemas nor the twin generators (they are imported on a miss only), and the
 * arrays are read while the caller opens the results store (`prepareInputs` is asynchronous).
 */
export const CACHE_MIN_MS = 1000;
export const CACHE_MAX_MB = 4096;

/** The least preparation time worth caching: CACHE_MIN_MS, or `$STRATA_CACHE_MIN_MS` (0 caches everything). */
function cacheMinMs(): number {
  return envNumber('STRATA_CACHE_MIN_MS') ?? CACHE_MIN_MS;
}

/** The cache's size limit in bytes: `$STRATA_CACHE_MAX_MB`, or CACHE_MAX_MB. */
function cacheMaxBytes(): number {
  return (envNumber('STRATA_CACHE_MAX_MB') ?? CACHE_MAX_MB) * 2 ** 20;
}

/**
 * 4: the header names the scenario's title, so a group whose members are all cached reads no document
 * (3 had no title; 2 had no CRC-32 of its files: an entry damaged in place was read as it was).
 */
const FORMAT = 4;

/** What a batch needs of its inputs: the compiled model, names and documents for the store, the hashes. */
export interface PreparedInputs {
  compiled: Compiled;
  names: { twin: string; scenario: string; regime: string };
  scenario: Scenario;
  regime: Regime;
  hashes: Inputs['hashes'];
  /** The twin's canonical JSON (as contentHash hashes it), read when asked: the store needs it only once. */
  twinJson: () => string;
  /** hit: read from the cache; stored: prepared and written to it; skipped: prepared, too quick to cache; off. */
  cache: 'hit' | 'stored' | 'skipped' | 'off';
  /** Time spent preparing (resolving, validating, compiling, or reading the cache), ms. */
  prepareMs: number;
}

export interface CacheOptions extends InputOptions {
  /** commander's --no-cache: false turns the cache off. */
  cache?: boolean;
  /**
   * Told, a line each, what a slow preparation is doing (`sayAfterMs` or more: nhs-england's 10–30 s without
   * the cache), so a terminal or a log is not silent before the batch's own progress begins.
   */
  say?: (line: string) => void;
  /** How long a step takes before `say` hears of it; SAY_AFTER_MS unless given. */
  sayAfterMs?: number;
}

/** Three seconds: past any built-in twin but the national one, even on a loaded machine (acute-trust: ~0.5 s). */
export const SAY_AFTER_MS = 3000;

export function cacheDirectory(): string | undefined {
  const setting = process.env.STRATA_CACHE?.toLowerCase();
  if (setting === 'off' || setting === '0' || setting === 'false') return undefined;
  if (process.env.STRATA_CACHE_DIR) return resolve(process.env.STRATA_CACHE_DIR);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'strata');
}

/**
 * Loads, validates and compiles a scenario's inputs, or reads them from the cache when the recipe matches.
 * Without a hit, `ready` (the results store opening, say) is awaited first: preparing blocks the thread for
 * seconds on a large twin, and if `ready` fails, that failure is the one to report, at once.
 */
export async function prepareInputs(scenarioName: string, options: CacheOptions, ready?: Promise<unknown>): Promise<PreparedInputs> {
  let started = performance.now();
  const directory = options.cache === false ? undefined : cacheDirectory();
  const key = directory ? await recipeKey(scenarioName, options) : undefined;
  if (directory && key) {
    const hit = await readEntry(directory, key);
    if (hit) {
      await noteCalibration(options, hit.names.twin);
      return { ...hit, cache: 'hit', prepareMs: performance.now() - started };
    }
  }
  // The wait is not preparation (prepareMs decides what is worth caching).
  const waited = performance.now();
  await ready;
  started += performance.now() - waited;
  const { compileInputs, loadInputs } = await import('./inputs.js');
  const inputs = loadInputs(scenarioName, options);
  const loadMs = performance.now() - started;
  const sayAfterMs = options.sayAfterMs ?? SAY_AFTER_MS;
  if (loadMs >= sayAfterMs) options.say?.(loadedLine(inputs.twin.name, loadMs));
  // Building a large twin leaves its garbage (~250 MB on nhs-england): collected before the model is made
  // beside it. A small one (under a second, as the cache's own threshold) is not worth a collection.
  if (loadMs >= cacheMinMs()) collectGarbage();
  const compiled = compileInputs(inputs);
  const prepareMs = performance.now() - started;
  // The twin's JSON made once, for the cache and the store alike.
  const prepared: PreparedInputs = { ...preparedOf(inputs, compiled, once(() => canonicalJson(inputs.twin))), cache: directory ? 'skipped' : 'off', prepareMs };
  if (directory && key) prepared.cache = keep(directory, key, prepared, prepareMs);
  if (prepareMs >= sayAfterMs) {
    const kept = prepared.cache === 'stored' ? '; kept in the compiled-model cache, so the next call with these inputs starts at once' : '';
    options.say?.(`${readyLine(compiled.model.nodeCount, prepareMs)}${kept}`);
  }
  return prepared;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** What a slow preparation says once its twin is read (also `run --resume`'s, of the stored one). */
export function loadedLine(twin: string, ms: number): string {
  return `twin ${twin} read and checked in ${seconds(ms)}; compiling the model`;
}

/** What a slow preparation says once its model is compiled. */
export function readyLine(members: number, ms: number): string {
  return `model of ${members.toLocaleString('en-GB')} members ready in ${seconds(ms)}`;
}

/** Prepared inputs from loaded ones and their model (the cache's fields left to the caller). */
function preparedOf(inputs: Inputs, compiled: Compiled, twinJson: () => string): Omit<PreparedInputs, 'cache' | 'prepareMs'> {
  return { compiled, names: namesOf(inputs), scenario: inputs.scenario, regime: inputs.regime, hashes: inputs.hashes, twinJson };
}

/** The names a batch stores for its documents. */
function namesOf(inputs: Inputs): PreparedInputs['names'] {
  return { twin: inputs.twin.name, scenario: inputs.scenario.name, regime: inputs.regime.name };
}

/**
 * Writes an entry for inputs whose preparation took `prepareMs`, if that is long enough to be worth it:
 * stored, or skipped (too quick, larger than the cache, or a cache that cannot be written — a read-only home,
 * a full disk — which costs the next call time, not this one).
 */
function keep(directory: string, key: string, prepared: Omit<PreparedInputs, 'cache' | 'prepareMs'>, prepareMs: number): 'stored' | 'skipped' {
  if (prepareMs < cacheMinMs()) return 'skipped';
  try {
    return writeEntry(directory, key, prepared) ? 'stored' : 'skipped';
  } catch {
    return 'skipped';
  }
}

/** What a group's members vary over one scenario: the regime, or one scenario or regime field (`extra`). */
export interface Variant {
  regime?: string;
  extra?: Override;
}

/** What a group member is known by without its model: the names, title and content hashes its batch stores. */
export interface MemberAbout {
  names: PreparedInputs['names'];
  title: string;
  hashes: Inputs['hashes'];
}

/**
 * One member's inputs, each step done when first asked (and kept): what it is known by (a cache entry's
 * header, or its documents loaded), its documents for the store (the whole entry read, or the loaded
 * documents) and its compiled model (the entry's, or compiled now and cached when that took CACHE_MIN_MS).
 */
export interface MemberInputs {
  about(): Promise<MemberAbout>;
  inputs(): Promise<Inputs | PreparedInputs>;
  compile(): Promise<Compiled>;
}

/**
 * The compiled-model cache for a group (a comparison's regimes, a sweep's values): each member's recipe is
 * keyed as `prepareInputs` keys a run's, so a comparison reads the entries its regimes' runs wrote and the
 * other way round. When every member has an entry, no document is loaded at all (nhs-england's twin takes
 * seconds and hundreds of MB to build); otherwise `load.all` (members sharing one twin) loads and checks
 * every member's documents before anything runs, so a bad regime fails at once as without the cache, and
 * `load.one(i)` loads a member's own (a twin field's value: its twin built when its turn comes).
 * `member(i)` makes member i's steps afresh: a caller that lets it go lets go of its model.
 */
export async function prepareGroup(
  scenarioName: string,
  options: CacheOptions,
  variants: readonly Variant[],
  load: { all?: () => Inputs[]; one?: (i: number) => Inputs },
): Promise<{ member: (i: number) => MemberInputs }> {
  const directory = options.cache === false ? undefined : cacheDirectory();
  const keys = await Promise.all(variants.map((v) => (directory ? recipeKey(scenarioName, { ...options, regime: v.regime ?? options.regime }, v.extra) : undefined)));
  const headers = keys.map((key) => (directory && key ? readHeader(directory, key) : undefined));
  for (const header of headers) if (header) await noteCalibration(options, header.names.twin);
  let all: Inputs[] | undefined;
  let allMs = 0;
  const loadAll = (): Inputs[] => {
    if (!all) {
      const started = performance.now();
      all = load.all!();
      allMs = performance.now() - started;
    }
    return all;
  };
  if (load.all && headers.some((h) => !h)) loadAll();
  const member = (i: number): MemberInputs => {
    let loaded: { inputs: Inputs; ms: number } | undefined;
    // This member's documents loaded (the shared load's time counted in each member's: each entry saves it).
    const fresh = () => {
      if (!loaded) {
        const started = performance.now();
        const inputs = load.all ? loadAll()[i]! : load.one!(i);
        loaded = { inputs, ms: performance.now() - started + allMs };
      }
      return loaded;
    };
    const header = headers[i];
    let documents: Promise<Inputs | PreparedInputs> | undefined;
    const inputs = () =>
      (documents ??= (async () => {
        const hit = header ? await readEntry(directory!, keys[i]!) : undefined;
        // An entry found damaged when read is rebuilt, as prepareInputs does.
        return hit ? { ...hit, cache: 'hit' as const, prepareMs: 0 } : fresh().inputs;
      })());
    let compiled: Promise<Compiled> | undefined;
    const compile = () =>
      (compiled ??= (async () => {
        const d = await inputs();
        if ('compiled' in d) return d.compiled;
        const { compileInputs } = await import('./inputs.js');
        const { ms } = fresh();
        const started = performance.now();
        const model = compileInputs(d);
        const key = keys[i];
        // The twin's JSON not kept: the store has already taken it, and nhs-england's is 42 MB.
        if (directory && key) keep(directory, key, preparedOf(d, model, () => canonicalJson(d.twin)), ms + performance.now() - started);
        return model;
      })());
    const about = async (): Promise<MemberAbout> => {
      if (header) return { names: header.names, title: header.title, hashes: header.hashes };
      const { inputs: d } = fresh();
      return { names: namesOf(d), title: d.scenario.title, hashes: d.hashes };
    };
    return { about, inputs, compile };
  };
  return { member };
}

/**
 * What loading says of a calibration fitted on another twin (cli/inputs.ts), said on a hit too, which loads
 * nothing. The file was read and checked when the entry was made (its bytes are in the key).
 */
async function noteCalibration(options: InputOptions, twin: string): Promise<void> {
  if (!options.calibration) return;
  try {
    const { parse } = await import('yaml');
    const fitted = (parse(new TextDecoder().decode(readDocument(options.calibration))) as { twin?: unknown } | null)?.twin;
    noteTransferredCalibration(options.calibration, fitted, twin);
  } catch {
    // unreadable since: nothing to add (the key could not have been made from it)
  }
}

/** The recipe's key: everything that decides the compiled model, read without generating the twin. */
export async function recipeKey(scenarioName: string, options: InputOptions, extra?: Override): Promise<string | undefined> {
  // A file the key cannot read (missing, a directory, a device, too large) means no key: the loaders then
  // report the problem in their own words, one line and exit 2.
  try {
    return await key(scenarioName, options, extra);
  } catch {
    return undefined;
  }
}

async function key(scenarioName: string, options: InputOptions, extra: Override | undefined): Promise<string | undefined> {
  const hash = createHash('sha256');
  const part = (label: string, value: string | Uint8Array) => {
    hash.update(`${label}\0${value.length}\0`);
    hash.update(value);
  };
  part('format', String(FORMAT));
  part('version', VERSION);
  part('sources', sourceDigest());
  const scenarioFile = scenarioPath(scenarioName);
  part('scenario', readDocument(scenarioFile));
  // The twin: a built-in generator's name, or a file's bytes (the scenario's own default is named in it).
  const twin = options.twin ?? (await scenarioTwin(scenarioFile));
  if (typeof twin !== 'string') return undefined; // a scenario naming no twin: the loader reports it
  if ((BUILTIN_TWIN_NAMES as readonly string[]).includes(twin)) part('twin', `builtin:${twin}`);
  else {
    const file = resolve(options.twin ? process.cwd() : dirname(scenarioFile), twin);
    if (!existsSync(file)) return undefined;
    part('twin', readDocument(file));
  }
  part('regime', readDocument(regimePath(options.regime ?? 'baseline')));
  part('set', JSON.stringify(options.set ?? []));
  // A sweep's value of a scenario or regime field, applied after --set.
  part('extra', extra ? JSON.stringify(extra) : '');
  part('calibration', options.calibration ? readDocument(options.calibration) : '');
  part('twinSeed', String(options.twinSeed ?? 1));
  return hash.digest('hex');
}

/**
 * A file's bytes for the key, with the loader's bounds (a regular file, within its format's documentBytes) but
 * without loading the loaders (and their schemas): anything else throws, and there is no key.
 */
function readDocument(file: string): Uint8Array {
  const stat = statSync(file);
  if (!stat.isFile() || stat.size > documentBytes(file).bytes) throw new Error(`${file}: not a document the key reads`);
  return readFileSync(file);
}

/** The `twin` a scenario file names (its default), read without validating the scenario. */
async function scenarioTwin(file: string): Promise<unknown> {
  const { parse } = await import('yaml');
  try {
    return (parse(new TextDecoder().decode(readDocument(file))) as { twin?: unknown } | null)?.twin;
  } catch {
    return undefined;
  }
}

interface EntryHeader {
  format: number;
  key: string;
  /** Byte length of the arrays file. */
  bytes: number;
  /** Where each of the model's typed arrays lies in the arrays file (its numbers are in the .v8 file). */
  arrays: { name: string; type: string; offset: number; length: number }[];
  names: PreparedInputs['names'];
  /** The scenario's title (what compare and sweep print above their tables). */
  title: string;
  hashes: PreparedInputs['hashes'];
  /**
   * CRC-32 of the arrays file's quarters (ARRAY_PARTS), of the .v8 file, of the twin's JSON file, and of the
   * header's names, title and hashes (what a group reads of a cached member without its files: aboutDigest).
   */
  digests: { arrays: number[]; rest: number; twin: number; about: number };
}

/** The arrays file is read, and its digests taken, in this many parts at once (one per thread of libuv's pool). */
const ARRAY_PARTS = 4;

/** The byte ranges [from, to) of the arrays file's parts. */
function arrayParts(bytes: number): [number, number][] {
  const part = Math.ceil(bytes / ARRAY_PARTS);
  return Array.from({ length: ARRAY_PARTS }, (_, q) => [Math.min(bytes, q * part), Math.min(bytes, (q + 1) * part)]);
}

/** The CRC-32 of each range of a file, read in 64 MB pieces (the arrays file is ~0.3 GB on nhs-england). */
function fileDigests(file: string, ranges: readonly [number, number][]): number[] {
  const fd = openSync(file, 'r');
  try {
    const piece = Buffer.allocUnsafe(64 << 20);
    return ranges.map(([from, to]) => {
      let crc = 0;
      for (let at = from; at < to; ) {
        const read = readSync(fd, piece, 0, Math.min(piece.byteLength, to - at), at);
        if (read === 0) throw new Error(`model cache: ${file} ended at ${at} of ${to} bytes`);
        crc = crc32(piece.subarray(0, read), crc);
        at += read;
      }
      return crc;
    });
  } finally {
    closeSync(fd);
  }
}

const TYPES = { Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array } as const;
type TypeName = keyof typeof TYPES;

function files(directory: string, key: string) {
  const base = join(directory, key);
  return { header: `${base}.json`, arrays: `${base}.arrays`, rest: `${base}.v8`, twin: `${base}.twin.json` };
}

/** Writes an entry and makes room for it; false if it is larger than the cache may hold (then nothing is kept). */
function writeEntry(directory: string, key: string, prepared: Omit<PreparedInputs, 'cache' | 'prepareMs'>): boolean {
  const model = prepared.compiled.model as unknown as Record<string, unknown>;
  let arrayBytes = 0;
  for (const value of Object.values(model)) if (ArrayBuffer.isView(value)) arrayBytes += value.byteLength;
  if (arrayBytes > cacheMaxBytes()) return false;
  makeDirectory(directory);
  const numbers: Record<string, number> = {};
  const arrays: EntryHeader['arrays'] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(model)) {
    if (typeof value === 'number') numbers[name] = value;
    else if (ArrayBuffer.isView(value) && value.constructor.name in TYPES) {
      const array = value as unknown as { length: number; byteLength: number; BYTES_PER_ELEMENT: number };
      arrays.push({ name, type: value.constructor.name, offset, length: array.length });
      offset += Math.ceil(array.byteLength / 8) * 8; // 8-byte aligned, so every view over one buffer is valid
    } else throw new TypeError(`model cache: model.${name} is neither a number nor a typed array`);
  }
  const target = files(directory, key);
  const temporary = (file: string) => `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary(target.arrays), 'w');
    try {
      for (const a of arrays) {
        const view = model[a.name] as Uint8Array;
        const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at, a.offset + at);
      }
      // The file's length is the last array's padded end, even if that array's padding was never written.
      ftruncateSync(fd, offset);
    } finally {
      closeSync(fd);
    }
    // v8's serialisation, not JSON: the model's numbers include Infinity (no limit) and the metadata typed arrays.
    const rest = serialize({ numbers, meta: prepared.compiled.meta, scenario: prepared.scenario, regime: prepared.regime });
    writeWhole(temporary(target.rest), rest);
    const twin = Buffer.from(prepared.twinJson());
    writeWhole(temporary(target.twin), twin);
    // The arrays' digests from the file as written (its padding included), the others from the bytes written.
    const about = { names: prepared.names, title: prepared.scenario.title, hashes: prepared.hashes };
    const digests = { arrays: fileDigests(temporary(target.arrays), arrayParts(offset)), rest: crc32(rest), twin: crc32(twin), about: aboutDigest(about) };
    const header: EntryHeader = { format: FORMAT, key, bytes: offset, arrays, ...about, digests };
    writeWhole(temporary(target.header), JSON.stringify(header));
    // The header last: an entry without one is never read, whatever a kill left behind.
    renameSync(temporary(target.arrays), target.arrays);
    renameSync(temporary(target.rest), target.rest);
    renameSync(temporary(target.twin), target.twin);
    renameSync(temporary(target.header), target.header);
  } catch (error) {
    // A full disk part way: no half-written files left behind (a kill's are swept by evict).
    for (const file of Object.values(target)) rmSync(temporary(file), { force: true });
    throw error;
  }
  return evict(directory, key);
}

/**
 * mkdir -p, a level at a time: Node 20's recursive mkdirSync loops for ever under /proc (ENOENT on a path
 * whose parent exists, retried), so a cache directory there would hang the run.
 */
function makeDirectory(directory: string): void {
  const missing: string[] = [];
  for (let at = directory; !existsSync(at); at = dirname(at)) {
    if (dirname(at) === at) break;
    missing.push(at);
  }
  for (const at of missing.reverse()) {
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another strata made it meanwhile
    }
  }
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function writeWhole(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let at = 0;
    while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
  } finally {
    closeSync(fd);
  }
}

/** The CRC-32 of what the header says of the entry's inputs (names, title, content hashes). */
function aboutDigest(about: Pick<EntryHeader, 'names' | 'title' | 'hashes'>): number {
  return crc32(canonicalJson({ names: about.names, title: about.title, hashes: about.hashes }));
}

/**
 * An entry's header, if it has one of this format for this key, arrays of its size and the digest of what it
 * says of the inputs (the other files' digests are checked as they are read: readEntry).
 */
function readHeader(directory: string, key: string): EntryHeader | undefined {
  const target = files(directory, key);
  try {
    if (!existsSync(target.header)) return undefined;
    const header = JSON.parse(readFileSync(target.header, 'utf8')) as EntryHeader;
    if (header.format !== FORMAT || header.key !== key || statSync(target.arrays).size !== header.bytes) return undefined;
    if (header.digests?.about !== aboutDigest(header)) return undefined;
    return header;
  } catch {
    return undefined;
  }
}

async function readEntry(directory: string, key: string): Promise<Omit<PreparedInputs, 'cache' | 'prepareMs'> | undefined> {
  const target = files(directory, key);
  try {
    const header = readHeader(directory, key);
    if (!header) return undefined;
    const { digests } = header;
    if (!Array.isArray(digests?.arrays) || digests.arrays.length !== ARRAY_PARTS) return undefined;
    const buffer = new SharedArrayBuffer(Math.max(8, header.bytes));
    // Read off the main thread while the caller opens the store: four quarters at once, one per thread of
    // libuv's pool (measured 0.6× the time of one sequential read of the national model here); each quarter's
    // CRC is taken as it lands, while the others are still being read. The twin's JSON is checked
    // meanwhile too (it is read as a string only if the store lacks it).
    const file = await open(target.arrays, 'r');
    let whole: boolean[];
    try {
      const bytes = new Uint8Array(buffer);
      const part = async ([from, to]: [number, number], q: number): Promise<boolean> => {
        for (let at = from; at < to; ) {
          const { bytesRead } = await file.read(bytes, at, Math.min(to - at, 64 << 20), at);
          if (bytesRead === 0) return false;
          at += bytesRead;
        }
        return crc32(bytes.subarray(from, to)) === digests.arrays[q];
      };
      whole = await Promise.all([...arrayParts(header.bytes).map(part), streamDigest(target.twin).then((d) => d === digests.twin)]);
    } finally {
      await file.close();
    }
    if (whole.includes(false)) return undefined;
    const restBytes = readFileSync(target.rest);
    if (crc32(restBytes) !== digests.rest) return undefined;
    const rest = deserialize(restBytes) as { numbers: Record<string, number>; meta: Compiled['meta']; scenario: Scenario; regime: Regime };
    const model: Record<string, unknown> = { ...rest.numbers };
    for (const a of header.arrays) {
      if (!(a.type in TYPES)) return undefined;
      const Type = TYPES[a.type as TypeName] as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => unknown;
      model[a.name] = new Type(buffer, a.offset, a.length);
    }
    const twinJson = once(() => readFileSync(target.twin, 'utf8'));
    const now = new Date();
    utimesSync(target.header, now, now); // recently used
    return { compiled: { model: model as unknown as CompiledModel, meta: rest.meta }, names: header.names, scenario: rest.scenario, regime: rest.regime, hashes: header.hashes, twinJson };
  } catch {
    return undefined; // unreadable: prepared afresh and written again
  }
}

/** A file's CRC-32, streamed (nothing of it kept); undefined if it cannot be read. */
async function streamDigest(file: string): Promise<number | undefined> {
  try {
    let crc = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: 8 << 20 })) crc = crc32(chunk as Buffer, crc);
    return crc;
  } catch {
    return undefined;
  }
}

/**
 * Drops the least recently used entries until the cache fits its size limit, `keep` (the entry just written)
 * last: returns false if `keep` alone is over the limit and was dropped too.
 */
function evict(directory: string, keep: string): boolean {
  const limit = cacheMaxBytes();
  // Temporary files a killed writer left behind, an hour or more old (a writer still at work is younger).
  for (const name of readdirSync(directory)) {
    if (!name.endsWith('.tmp')) continue;
    const file = join(directory, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
  const entries = readdirSync(directory)
    .filter((name) => /^[0-9a-f]{64}\.json$/.test(name))
    .map((name) => {
      const key = name.slice(0, 64);
      const f = files(directory, key);
      const size = [f.header, f.arrays, f.rest, f.twin].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
      return { key, size, used: statSync(f.header).mtimeMs };
    })
    .sort((a, b) => a.used - b.used);
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  const drop = (e: (typeof entries)[number]) => {
    for (const file of Object.values(files(directory, e.key))) rmSync(file, { force: true });
    total -= e.size;
  };
  for (const e of entries) {
    if (total <= limit) break;
    if (e.key !== keep) drop(e);
  }
  const kept = entries.find((e) => e.key === keep);
  if (!kept || total <= limit) return kept !== undefined;
  drop(kept);
  return false;
}
