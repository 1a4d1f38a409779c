import { gzipSync } from 'node:zlib';
import { decisionContext, parseDecisions } from '../engine/batch/decisions.js';
import { traceRun } from '../engine/batch/trace.js';
import type { Compiled } from '../engine/compile/model.js';
import { StrataInputError } from '../engine/model/errors.js';
import type { Regime } from '../engine/model/regime.js';
import type { Scenario } from '../engine/model/scenario.js';
import type { Twin } from '../engine/model/twin.js';
import { canonicalJson } from '../store/hash.js';
import { loadInputs, type Inputs } from '../cli/inputs.js';
import { prepareInputs, type PreparedInputs } from '../cli/model-cache.js';
import { resolveTwin } from '../scenarios/index.js';
import { AGGREGATE_MEMBERS, entryDetail, twinLayout } from './layout.js';

/**
 * The server's model thread. Resolving, validating and compiling a run's inputs takes seconds on the national
 * twin (a tenth of a second on a ward), so does tracing a run, and so does building a built-in twin for its
 * layout: they happen here, off the event loop, so the page's other requests — a batch's progress above all —
 * are answered meanwhile. The thread keeps
 * the last few compiled models; a model's arrays are SharedArrayBuffers, so one handed to the event loop (a
 * batch's, a fan chart's) is shared, not copied.
 */

/** Which built-in documents: a scenario, its twin (the scenario's own unless named) and a regime. */
export interface InputsTask {
  scenario: string;
  twin?: string;
  regime: string;
}

export interface TraceTask extends InputsTask {
  seed: number;
  run: number;
  /** The room's decisions, `ACTION[:TARGET]@MINUTES` each (engine/batch/decisions.ts). */
  decide?: string[];
}

/** What a batch or a fan chart needs of its inputs: the model, the documents' names and hashes, and the scenario and regime to store. */
export interface Model {
  compiled: Compiled;
  hashes: Inputs['hashes'];
  names: { twin: string; scenario: string; regime: string };
  scenario: Scenario;
  regime: Regime;
  /** How the model was prepared (cli/model-cache.ts): read from the compiled-model cache (`hit`), made and written to it, made. */
  cache: PreparedInputs['cache'];
}

/** The input problem in words: an error's class does not cross threads. */
export interface InputError {
  inputError: string;
}

interface Entry extends Model {
  /** The twin's canonical JSON, once a batch has asked for it (the store needs it the first time it sees the twin). */
  twinJson?: string;
}

const cache = new Map<string, Entry>();
const CACHE = 4;

const keyOf = (task: InputsTask): string => `${task.scenario}|${task.twin ?? ''}|${task.regime}`;

/** The task's inputs, loaded and checked, or their problem. */
function load(task: InputsTask): Inputs | InputError {
  try {
    return loadInputs(task.scenario, { twin: task.twin, regime: task.regime });
  } catch (error) {
    if (error instanceof StrataInputError) return { inputError: error.message };
    throw error;
  }
}

/**
 * The task's compiled model, from this thread's last few or prepared now — through the CLI's compiled-model
 * cache (cli/model-cache.ts), so that the national twin's model, once any command or server has made it, is
 * read in a fraction of a second where resolving and compiling it takes ~6 s — and the twin's JSON too when
 * `withTwin`.
 */
async function entryOf(task: InputsTask, withTwin: boolean): Promise<Entry | InputError> {
  const key = keyOf(task);
  const cached = cache.get(key);
  if (cached && (cached.twinJson !== undefined || !withTwin)) {
    // Most recently used last: the first is the one to drop.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  let entry: Entry;
  if (cached) {
    // Kept without the twin's JSON: the documents again for it, the model as it is.
    const inputs = load(task);
    if ('inputError' in inputs) return inputs;
    entry = cached;
    entry.twinJson = canonicalJson(inputs.twin);
  } else {
    let prepared: PreparedInputs;
    try {
      prepared = await prepareInputs(task.scenario, { twin: task.twin, regime: task.regime });
    } catch (error) {
      if (error instanceof StrataInputError) return { inputError: error.message };
      throw error;
    }
    const { compiled, hashes, names, scenario, regime, cache: how } = prepared;
    // Only what is kept: the prepared inputs' twinJson may hold the whole twin until it is called.
    entry = { compiled, hashes, names, scenario, regime, cache: how, ...(withTwin ? { twinJson: prepared.twinJson() } : {}) };
  }
  cache.delete(key);
  if (cache.size >= CACHE) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  return entry;
}

/** A trace as the server sends it, with the engine's version; gzipped for a client that takes it. */
export interface TraceBytesTask extends TraceTask {
  version: string;
  gzip: boolean;
}

/** A response's body as the thread made it: JSON, or that gzipped (`content-encoding`). */
export interface Bytes {
  body: Uint8Array;
  gzip: boolean;
}

/** A document kept as the bytes sent: serialised once, gzipped once when first asked so. */
interface Kept {
  json: Buffer;
  gzip?: Buffer;
}

function bytesOf(kept: Kept, gzip: boolean): Bytes {
  if (!gzip) return { body: kept.json, gzip: false };
  // Level 6 (zlib's default): 0.19 s and 3.19 MB for a national trace, against 0.08 s and 3.83 MB at level 1.
  kept.gzip ??= gzipSync(kept.json);
  return { body: kept.gzip, gzip: true };
}

/**
 * The last few traces, as the bytes the server sends: a tabletop's participants, who have no token, each ask the
 * server for the run with the room's decisions, the same run at once — traced and serialised once, and gzipped
 * once when first asked so. A national trace is 46.7 MB of JSON and 3.2 MB gzipped; handed to the event loop
 * as a document it took ~1.6 s a request to clone and serialise there, each screen's in turn.
 */
const traces = new Map<string, Kept>();
const TRACES = 4;

/** A run's trace (the pool's default task), or the input problem in words. */
export default async function trace(task: TraceBytesTask): Promise<Bytes | InputError> {
  const key = JSON.stringify([keyOf(task), task.seed, task.run, task.decide ?? [], task.version]);
  let kept = traces.get(key);
  if (!kept) {
    const entry = await entryOf(task, false);
    if ('inputError' in entry) return entry;
    const { decisions, problems } = parseDecisions(task.decide ?? [], decisionContext(entry.compiled), 'decide ');
    if (problems.length > 0) return { inputError: problems.join('; ') };
    kept = { json: Buffer.from(JSON.stringify({ ...traceRun(entry.compiled, task.seed, task.run, decisions), inputs: entry.hashes, version: task.version })) };
    if (traces.size >= TRACES) traces.delete(traces.keys().next().value!);
    traces.set(key, kept);
  }
  return bytesOf(kept, task.gzip);
}

/** A model for a fan chart (`withTwin` false) or a batch (true: with the twin's canonical JSON, for the store). */
export async function model(task: InputsTask & { withTwin: boolean }): Promise<(Model & { twinJson?: string }) | InputError> {
  const entry = await entryOf(task, task.withTwin);
  if ('inputError' in entry) return entry;
  const { twinJson, ...prepared } = entry;
  return task.withTwin ? { ...prepared, twinJson } : prepared;
}

/** The validated documents for the browser's own kernel, or how many members make the twin too large to send. */
export function documents(task: InputsTask): { twin: Twin; scenario: Scenario; regime: Regime; inputs: Inputs['hashes'] } | { members: number; name: string } | InputError {
  const inputs = load(task);
  if ('inputError' in inputs) return inputs;
  const members = inputs.twin.nodes.reduce((sum, n) => sum + n.count, 0);
  if (members > AGGREGATE_MEMBERS) return { members, name: inputs.twin.name };
  return { twin: inputs.twin, scenario: inputs.scenario, regime: inputs.regime, inputs: inputs.hashes };
}

/** Built-in twins by name, with their layouts (as the bytes sent) once asked for (three at most: the built-ins). */
const twins = new Map<string, { twin: Twin; layout?: Kept }>();

function builtinTwin(name: string): { twin: Twin; layout?: Kept } {
  let entry = twins.get(name);
  if (!entry) twins.set(name, (entry = { twin: resolveTwin(name) }));
  return entry;
}

/** A built-in twin's layout (the server has checked the name): 3.19 MB of JSON for the national twin, 0.29 MB gzipped. */
export function layout(task: { twin: string; gzip: boolean }): Bytes {
  const entry = builtinTwin(task.twin);
  return bytesOf((entry.layout ??= { json: Buffer.from(JSON.stringify(twinLayout(entry.twin))) }), task.gzip);
}

/** A node entry's details in a built-in twin, or null when it has no such entry. */
export function entry(task: { twin: string; id: string }): ReturnType<typeof entryDetail> | null {
  return entryDetail(builtinTwin(task.twin).twin, task.id) ?? null;
}
