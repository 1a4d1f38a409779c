import { compile } from '../engine/compile/compile.js';
import type { Compiled } from '../engine/compile/model.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../engine/model/load.js';
import type { Regime } from '../engine/model/regime.js';
import type { Scenario } from '../engine/model/scenario.js';
import type { Twin } from '../engine/model/twin.js';
import { resolveRegime, resolveScenario } from '../scenarios/index.js';
import { GeneratorParameterError } from '../scenarios/twins/params.js';
import { DocumentReadError, StrataInputError, ValidationError, withProblemsOf, type ModelIssue } from '../engine/model/errors.js';
import { readDocument } from '../engine/model/load-file.js';
import { parseText } from '../engine/model/parse.js';
import { CalibrationFile } from '../engine/model/calibration.js';
import { fromZodIssues } from '../engine/model/issues.js';
import { contentHash } from '../store/index.js';
import { noteTransferredCalibration } from './calibration-note.js';
import { PlacedUsageError, UsageError } from './errors.js';
import { applyOverride, MAX_OVERRIDES, parseOverride, parsePath, type Override } from './overrides.js';

export { contentHash };

/** The three validated documents a batch runs on, with their content hashes. */
export interface Inputs {
  twin: Twin;
  scenario: Scenario;
  regime: Regime;
  hashes: { twinHash: string; scenarioHash: string; regimeHash: string };
}

export interface InputOptions {
  twin?: string;
  regime?: string;
  set?: string[];
  twinSeed?: number;
  /** A strata.calibration/v1 file whose parameters are applied before `--set`. */
  calibration?: string;
  /** The option that named the regime, for messages (default `--regime`; compare's is `--regimes`). */
  regimeOption?: string;
}

/** A calibration file's document, checked field by field (engine/model/calibration.ts): every problem, one line each. */
function readCalibration(file: string): CalibrationFile {
  const value = parseText(readDocument(file), file);
  const parsed = CalibrationFile.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    // Not a calibration at all (a list, a string, another kind of document): said once, of its schema field.
    const schema = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { schema?: unknown }).schema : undefined;
    if (schema !== 'strata.calibration/v1') {
      const got = Array.isArray(value) ? 'a list' : value === null || typeof value !== 'object' ? `a ${value === null ? 'null' : typeof value} value` : schema === undefined ? 'a document with no schema field' : JSON.stringify(schema);
      throw new ValidationError([{ file, path: 'schema', message: `expected a strata.calibration/v1 file, got ${got}` }]);
    }
    throw new ValidationError(fromZodIssues(parsed.error.issues, file, CalibrationFile));
  }
  return parsed.data;
}

/** A calibration file's parameters as overrides, each said in messages as the file's `parameters.<path>`. */
export function calibrationOverrides(file: string): Override[] {
  const issues: ModelIssue[] = [];
  const overrides = Object.entries(readCalibration(file).parameters).flatMap(([path, v]) => {
    const source = `${file}: parameters.${path}`;
    try {
      return [parseOverride(`${path}=${String(v)}`, source)];
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      // The file's problem, every one at once, said of its field: not a --set the user never typed.
      issues.push({ file, path: `parameters.${path}`, message: error.message.slice(source.length + 2) });
      return [];
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return overrides;
}

/**
 * A calibration is fitted to one scenario on one twin (`strata calibrate`). Applied to another scenario its
 * parameter paths mean other things, or nothing: refused (the scenario as its document names itself, or as
 * typed: `calibrate ./my.yaml` before it wrote the document's name). Applied to another twin it may be meant,
 * so it is applied, and said (noteTransferredCalibration). A hand-written file naming neither is applied as it is.
 */
function checkCalibration(file: string, scenarioName: string, scenario: Scenario, twin: Twin): void {
  const { scenario: fitted, twin: fittedTwin } = readCalibration(file);
  if (fitted !== undefined && fitted !== scenario.name && fitted !== scenarioName) {
    throw new ValidationError([{ file, path: 'scenario', message: `expected the scenario run, "${scenario.name}", got ${JSON.stringify(fitted ?? null)} (a calibration is fitted to one scenario)` }]);
  }
  noteTransferredCalibration(file, fittedTwin, twin.name);
}

/** A calibration file's priors (`posterior.<path>.prior`, as `strata calibrate` writes them from the targets file). */
export function calibrationPriors(file: string): { path: string; low: number; high: number }[] {
  return Object.entries(readCalibration(file).posterior ?? {}).map(([path, p]) => {
    const prior = p?.prior;
    if (!Array.isArray(prior) || prior.length !== 2 || !prior.every(Number.isFinite) || prior[0] >= prior[1]) {
      throw new ValidationError([{ file, path: `posterior.${path}.prior`, message: `expected [low, high] with low < high, got ${JSON.stringify(prior ?? null)}` }]);
    }
    return { path, low: prior[0] as number, high: prior[1] as number };
  });
}

/** Resolves names and files, applies `--set` overrides, re-validates whatever changed. */
export function loadInputs(scenarioName: string, options: InputOptions, extra: Override[] = []): Inputs {
  const regime = options.regime ?? 'baseline';
  try {
    const overrides = [...givenOverrides(options), ...extra];
    return withRegime(sceneOrAllProblems(scenarioName, options, overrides, [regime]), regime, overrides);
  } catch (error) {
    throw namedBy(error, scenarioName, options, [regime]);
  }
}

/**
 * A name on the command line that is neither a file nor a built-in, said of what gave it — `--regimes:
 * expected a regime file or one of …, got "nosuch"` — not as if the name were a file.
 */
function namedBy(error: unknown, scenarioName: string, options: InputOptions, regimes: readonly string[]): unknown {
  if (!(error instanceof StrataInputError)) return error;
  const given: [what: string, name: string | undefined, option: string][] = [
    ['scenario', scenarioName, 'scenario'],
    ['twin', options.twin, '--twin'],
    ...regimes.map((name): [string, string, string] => ['regime', name, options.regimeOption ?? '--regime']),
  ];
  const issues = error.issues.map((issue) => {
    const what = issue.path === '' ? /^expected an? (\w+) file or one of .*, got neither$/.exec(issue.message)?.[1] : undefined;
    const option = what && given.find(([w, name]) => w === what && name === issue.file)?.[2];
    return option ? { ...issue, file: option, message: issue.message.replace(/, got neither$/, `, got ${JSON.stringify(issue.file)}`) } : issue;
  });
  if (issues.every((issue, i) => issue === error.issues[i])) return error;
  return sameKind(error, issues);
}

/**
 * `error` rebuilt as the same kind of error from other issues alone (a subclass's own constructor may take
 * other arguments: GeneratorParameterError's takes the generator, a path and a message).
 */
function sameKind(error: StrataInputError, issues: ModelIssue[]): StrataInputError {
  const Kind = error instanceof DocumentReadError ? DocumentReadError : error instanceof ValidationError ? ValidationError : StrataInputError;
  return new Kind(issues);
}

/**
 * A generator's refusal of its parameters (`acute-trust: params.beds: expected …`) said of what gave the
 * value: `--set params.beds: expected an integer from 1 to 100000, got -4`, or the calibration file's
 * `parameters.params.beds`. A parameter no override gave (one the generator derives) stays the generator's,
 * with the overrides that were given.
 */
function generatorParamsNamed(error: unknown, overrides: readonly Override[], calibration: string | undefined): unknown {
  if (!(error instanceof StrataInputError)) return error;
  // What set the generator's parameters, for a refusal of one no override gave (the estate's devices, which
  // the trusts and practices set must fit in) or of them all (too large a twin).
  const params = overrides.filter((o) => o.target === 'params');
  const setBy = params.length === 0 ? '' : ` (with ${params.map((o) => (o.source !== undefined && calibration !== undefined ? `${calibration} parameters.params.${o.path.join('.')}` : `--set params.${o.path.join('.')}=${JSON.stringify(o.value)}`)).join(', ')})`;
  if (!(error instanceof GeneratorParameterError)) {
    // The generated twin refused (too many members once expanded): said with the overrides that built it.
    if (setBy === '' || !error.issues.some((issue) => issue.file.startsWith('<generated:'))) return error;
    const Kind = error instanceof ValidationError ? ValidationError : StrataInputError;
    return new Kind(error.issues.map((issue) => (issue.file.startsWith('<generated:') ? { ...issue, message: issue.message + setBy } : issue)));
  }
  const issues = error.issues.map((issue): ModelIssue => {
    const key = issue.path.startsWith('params.') ? issue.path.slice('params.'.length) : undefined;
    // The last override of a parameter is the one applied (loadScene).
    const given = key === undefined ? undefined : overrides.findLast((o) => o.target === 'params' && o.path.join('.') === key);
    if (!given) return issue.path === 'seed' ? issue : { ...issue, message: issue.message + setBy };
    return given.source !== undefined && calibration !== undefined
      ? { file: calibration, path: `parameters.params.${key}`, message: issue.message }
      : { file: `--set params.${key}`, path: '', message: issue.message };
  });
  return new StrataInputError(issues);
}

/** loadScene, or its problems with those of the regimes named on the same command line (every bad document at once). */
function sceneOrAllProblems(scenarioName: string, options: InputOptions, overrides: readonly Override[], regimes: readonly string[], defer = false): Scene {
  try {
    return loadScene(scenarioName, options, overrides, defer);
  } catch (error) {
    // Every regime's problems too, its --set ones included, not only whether it resolves.
    throw withProblemsOf(error, ...regimes.map((regime) => () => regimeWithOverrides(regime, overrides)));
  }
}

/**
 * The inputs of several variants that share one twin and scenario: a comparison's regimes, or a sweep's
 * values of one scenario or regime field. The twin is resolved and hashed once (nhs-england takes seconds
 * and hundreds of MB to build); each variant's documents are the same as `loadInputs` would give it.
 */
export function loadVariants(scenarioName: string, options: InputOptions, variants: readonly { regime?: string; extra?: Override }[]): Inputs[] {
  try {
    return variantInputs(scenarioName, options, variants);
  } catch (error) {
    throw namedBy(error, scenarioName, options, variants.map(({ regime }) => regime ?? options.regime ?? 'baseline'));
  }
}

function variantInputs(scenarioName: string, options: InputOptions, variants: readonly { regime?: string; extra?: Override }[]): Inputs[] {
  const overrides = givenOverrides(options);
  // A variant's own scenario override may repair what a twin override broke: checked once, with it.
  const defer = variants.some((v) => v.extra?.target === 'scenario');
  const scene = sceneOrAllProblems(scenarioName, options, overrides, [...new Set(variants.map(({ regime }) => regime ?? options.regime ?? 'baseline'))], defer);
  const variant = ({ regime, extra }: (typeof variants)[number]): Inputs => {
    if (extra?.target === 'twin' || extra?.target === 'params') throw new Error('loadVariants: a twin field cannot vary over a shared twin');
    const all = extra ? [...overrides, extra] : overrides;
    const varied = defer ? withScenarioOverrides(scene, all.filter((o) => o.target === 'scenario')) : scene;
    return withRegime(varied, regime ?? options.regime ?? 'baseline', all);
  };
  return variants.map((v, i) => {
    try {
      return variant(v);
    } catch (error) {
      // Every bad variant at once (`--regimes baseline,nosuch,other` names both; a sweep, each bad value),
      // each problem once.
      const combined = withProblemsOf(error, ...variants.slice(i + 1).map((w) => () => variant(w)));
      throw combined instanceof StrataInputError ? new StrataInputError(uniqueIssues(combined.issues)) : combined;
    }
  });
}

/** Issues with the same file, path and message once, in their order. */
function uniqueIssues(issues: readonly ModelIssue[]): ModelIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.file, issue.path, issue.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The calibration's parameters and the `--set` options, parsed, within the count limit. */
function givenOverrides(options: InputOptions): Override[] {
  const calibrated = options.calibration ? calibrationOverrides(options.calibration) : [];
  const given = options.set ?? [];
  const count = calibrated.length + given.length;
  if (count > MAX_OVERRIDES) throw new UsageError(`--set: expected at most ${MAX_OVERRIDES.toLocaleString('en-GB')} overrides, got ${count.toLocaleString('en-GB')}`);
  const parsed = given.map((text) => parseOverride(text));
  // The same field set twice: the last would win in silence (a trial's 0.5 then 0.7 ran 0.7); said instead.
  const seen = new Map<string, string>();
  for (const [i, o] of parsed.entries()) {
    const key = `${o.target}.${o.path.join('.')}`;
    const before = seen.get(key);
    if (before !== undefined) throw new UsageError(`--set ${given[i]}: expected each field set once, got its field again (first --set ${before})`);
    seen.set(key, given[i]!);
  }
  return [...calibrated, ...parsed];
}

interface Scene {
  twin: Twin;
  /** The scenario as resolved, before scenario overrides (kept so a variant can apply its own). */
  resolved: Scenario;
  scenario: Scenario;
  twinHash: string;
  scenarioHash: string;
  /** Whether `resolved` is known valid against `twin` (false after a twin override, until checked). */
  checked: boolean;
  /** The scenario as the command named it (a built-in's name, or a file's path): what its --set problems name. */
  given: string;
}

const at = (o: Override) => o.source ?? `--set ${o.target}.${o.path.join('.')}`;

/**
 * A document with overrides applied and validated. A problem at a field a calibration file set is said of
 * that file's `parameters.<path>` (a trial read "wannacry-down (with cal.yaml): threat: … unknown field
 * "entrees"" and had to find the line); `--set` problems stay the document's, "(with --set)", at its field.
 */
function withOverrides<T>(document: unknown, overrides: readonly Override[], name: string, validate: (value: unknown, label: string) => T): T {
  const label = changed(name, overrides);
  const value = overrides.reduce((doc, o) => applyOverride(doc, o.path, o.value, at(o)), document);
  try {
    return validate(value, label);
  } catch (error) {
    throw calibratedProblems(error, overrides, label);
  }
}

/** The issues of `label` at a field a calibration override set (or under it, or its unknown key), said of the calibration file. */
function calibratedProblems(error: unknown, overrides: readonly Override[], label: string): unknown {
  if (!(error instanceof StrataInputError) || !overrides.some((o) => o.source !== undefined)) return error;
  const issues = error.issues.map((issue): ModelIssue => {
    if (issue.file !== label) return issue;
    const field = issue.path.replace(/\[(\d+)\]/g, '.$1');
    const depth = field === '' ? 0 : field.split('.').length;
    // The last override of the field is the one applied: a --set after the calibration's is the user's own.
    const given = overrides.findLast((o) => {
      const path = o.path.join('.');
      if (path === field || field.startsWith(`${path}.`)) return true;
      // An unknown key on the way: the issue is said of the mapping that holds it, naming the key (the key it
      // names, not one its "did you mean" names: a misspelt `entrees` was put on the calibrated `entries`).
      return (field === '' || path.startsWith(`${field}.`)) && unknownField(issue.message) === JSON.stringify(o.path[depth]);
    });
    if (given?.source === undefined) return issue;
    const { file, key } = calibrationSource(given.source);
    const below = field.startsWith(`${given.path.join('.')}.`) ? field.slice(given.path.join('.').length) : '';
    return { file, path: key + below, message: issue.message };
  });
  return sameKind(error, issues);
}

/** The unknown field a schema problem names, as quoted in its message ("…, got unknown field "entrees""), or undefined. */
function unknownField(message: string): string | undefined {
  return /got unknown field ("(?:[^"\\]|\\.)*")/.exec(message)?.[1];
}

/**
 * A calibrated override's source (calibrationOverrides: "FILE: parameters.KEY") as its file and its key as
 * written (`parameters.KEY`; a key may read controls.…, and a file name may hold ": ").
 */
function calibrationSource(source: string): { file: string; key: string } {
  const at = source.lastIndexOf(': parameters.');
  return { file: source.slice(0, at), key: source.slice(at + 2) };
}

/** A document with overrides applied, as messages name it: `wannacry-down (with --set)`, `(with cal.yaml and --set)`. */
function changed(name: string, overrides: readonly Override[]): string {
  const source = overrides.find((o) => o.source !== undefined)?.source;
  const calibration = source === undefined ? undefined : calibrationSource(source).file;
  const set = overrides.some((o) => o.source === undefined);
  return `${name} (with ${[calibration, set ? '--set' : undefined].filter(Boolean).join(' and ')})`;
}

/**
 * The twin and scenario with the twin, generator and scenario overrides applied and re-validated — the
 * scenario once, after its own overrides (one may repair a reference a twin override broke); `defer` leaves
 * that check to the caller, which applies more scenario overrides.
 */
function loadScene(scenarioName: string, options: InputOptions, overrides: readonly Override[], defer = false): Scene {
  const params: Record<string, unknown> = {};
  for (const o of overrides.filter((o) => o.target === 'params')) params[o.path.join('.')] = o.value;
  let resolved: ReturnType<typeof resolveScenario>;
  try {
    resolved = resolveScenario(scenarioName, options.twin, params, options.twinSeed ?? 1);
  } catch (error) {
    throw generatorParamsNamed(error, overrides, options.calibration);
  }
  const scenario = resolved.scenario;
  let twin = resolved.twin;
  if (options.calibration) checkCalibration(options.calibration, scenarioName, scenario, twin);
  // A generator's parameters mean nothing to a twin read from a file — even one whose generator block records
  // how a built-in made it (a trial's --set params.beds=-4 ran, stored and ignored): refused, not ignored.
  const unused = Object.keys(params);
  if (unused.length > 0 && (twin.generator === undefined || !resolved.generated)) {
    const why = twin.generator === undefined ? 'which has no generator' : `read from a file (its generator block says how ${twin.generator.name} made it; --twin ${twin.generator.name} generates it again with these parameters)`;
    throw new UsageError(`--set params.${unused[0]}: expected a built-in generator's twin (acute-trust, nhs-england), got twin "${twin.name}", ${why} (use twin.… paths for a file twin)`);
  }
  const twinOverrides = overrides.filter((o) => o.target === 'twin');
  if (twinOverrides.length > 0) {
    try {
      twin = withOverrides(twin, twinOverrides, options.twin ?? resolved.twinGiven, twinFromValue);
    } catch (error) {
      // The scenario's own --set problems too, in one go (a trial fixed them one document at a time): its
      // schema only, as the twin it would be checked against is the one that failed.
      const scenarioOverrides = overrides.filter((o) => o.target === 'scenario');
      throw withProblemsOf(error, () => scenarioOverrides.length > 0 && withOverrides(scenario, scenarioOverrides, scenarioName, (value, label) => scenarioFromValue(value, label)));
    }
  }
  // The scenario is validated against the twin it runs on: again, if a twin override changed the twin.
  const scene = { twin, resolved: scenario, scenario, twinHash: contentHash(twin), scenarioHash: '', checked: twinOverrides.length === 0, given: scenarioName };
  return defer ? scene : withScenarioOverrides(scene, overrides.filter((o) => o.target === 'scenario'));
}

function withScenarioOverrides(scene: Scene, overrides: readonly Override[]): Scene {
  if (overrides.length === 0 && scene.checked) return { ...scene, scenario: scene.resolved, scenarioHash: scene.scenarioHash || contentHash(scene.resolved) };
  const scenario = withOverrides(scene.resolved, overrides, scene.given, (value, label) => scenarioFromValue(value, label, scene.twin));
  return { ...scene, scenario, scenarioHash: contentHash(scenario), checked: true };
}

/** A regime resolved by name or file, with its --set overrides applied and validated. */
function regimeWithOverrides(regimeName: string, overrides: readonly Override[]) {
  const regime = resolveRegime(regimeName);
  const regimeOverrides = overrides.filter((o) => o.target === 'regime');
  if (regimeOverrides.length === 0) return regime;
  return withOverrides(regime, regimeOverrides, regimeName, (value, label) => regimeFromValue(value, label));
}

function withRegime(scene: Scene, regimeName: string, overrides: readonly Override[]): Inputs {
  const regime = regimeWithOverrides(regimeName, overrides);
  const { twin, scenario, twinHash, scenarioHash } = scene;
  return { twin, scenario, regime, hashes: { twinHash, scenarioHash, regimeHash: contentHash(regime) } };
}

/**
 * The scenario and regime with parameter values set at their `--set` paths, re-validated against the twin
 * (`where` names the command in messages and labels the documents). Only scenario and regime fields: a
 * twin parameter would need the twin regenerated and recompiled from scratch.
 */
export function withParameters(twin: Twin, scenario: Scenario, regime: Regime, paths: readonly string[], values: readonly number[], where = 'calibration'): { scenario: Scenario; regime: Regime } {
  let s: Scenario = scenario;
  let r: Regime = regime;
  paths.forEach((path, i) => {
    const { target, path: parts } = parsePath(path, where);
    if (target === 'scenario') s = applyOverride(s, parts, values[i], path);
    else if (target === 'regime') r = applyOverride(r, parts, values[i], path);
    else throw new PlacedUsageError(where, `${path}: only scenario. and regime./controls. parameters can vary`);
  });
  return { scenario: scenarioFromValue(s, where, twin), regime: regimeFromValue(r, where) };
}

export function compileInputs(inputs: Inputs): Compiled {
  return compile(inputs.twin, inputs.scenario, inputs.regime);
}
