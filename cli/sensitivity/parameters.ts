import { existsSync, readFileSync } from 'node:fs';
import { jsonSchema } from '../../engine/model/json-schema.js';
import { checkRange, defaultRange, delayLocation, fieldSchema, markedFields, numericField, type NumericField, type ParameterRange } from '../../engine/sensitivity/index.js';
import { UsageError } from '../errors.js';
import { calibrationPriors, type Inputs } from '../inputs.js';
import { parsePath } from '../overrides.js';

/**
 * The parameters of a sensitivity analysis and their ranges (docs/sensitivity.md "Which parameters" and
 * "Ranges"): the scenario's numeric fields its comments mark as assumptions or placeholders, and those with
 * priors in its calibration file — or exactly the `--param` paths. Ranges: `--range`, else the prior, else
 * the default rule. Paths are `--set` paths (`scenario.threat.spread.medianMinutes`, `controls.patchCoverage`).
 */
export interface SensitivityParameter {
  path: string;
  /** Its value in the scenario or regime as run without the analysis (null: unset, a prior gives its range). */
  baseline: number | null;
  range: ParameterRange;
  /** Where the range comes from: `--range`, `prior (<file>)`, or the default rule applied. */
  rangeSource: string;
  /** Why it is uncertain: the comment that marked it, a prior, or `--param`. */
  reason: string;
}

/** A marked field left fixed, and why. */
export interface FixedParameter {
  path: string;
  reason: string;
}

export interface ParameterOptions {
  /** `--param` paths: when given, the analysis varies these and nothing else. */
  param: readonly string[];
  /** `--range path=low:high`. */
  range: readonly string[];
  /** `--set path=value`: a field so fixed is not varied. */
  set?: readonly string[];
  /** The scenario's file, whose comments mark its uncertain fields (none if missing or JSON). */
  scenarioFile: string;
  /** A strata.calibration/v1 file whose priors give ranges; skipped if it does not exist. */
  priorsFile?: string;
}

/**
 * The observation window: varying it changes what is measured, not how the system behaves, so a marked
 * horizon is left fixed (a `--param` may still name it).
 */
const WINDOW = new Set(['scenario.horizonHours']);

interface Candidate {
  path: string;
  reason: string;
  prior?: { low: number; high: number; file: string };
  /** Named by --param: a problem with it is an error, not a note. */
  named: boolean;
}

export function sensitivityParameters(inputs: Inputs, options: ParameterOptions): { parameters: SensitivityParameter[]; fixed: FixedParameter[] } {
  const priors = options.priorsFile && existsSync(options.priorsFile) ? calibrationPriors(options.priorsFile).map((p) => ({ ...p, path: canonical(p.path, options.priorsFile!), file: options.priorsFile! })) : [];
  const setPaths = new Set((options.set ?? []).map((text) => canonical(text.slice(0, text.indexOf('=')), `--set ${text}`)));
  const ranges = new Map(options.range.map(parseRangeFlag));
  let candidates: Candidate[];
  if (options.param.length > 0) {
    candidates = options.param.map((path) => ({ path: normalise(inputs, path, '--param'), reason: '--param', named: true }));
  } else {
    const text = existsSync(options.scenarioFile) ? readFileSync(options.scenarioFile, 'utf8') : '';
    candidates = markedFields(text).map((f) => ({ path: `scenario.${f.path.join('.')}`, reason: `${f.marker}: "${f.comment}"`, named: false }));
    for (const p of priors) if (!candidates.some((c) => c.path === p.path)) candidates.push({ path: p.path, reason: `prior in ${p.file}`, named: false });
  }
  for (const c of candidates) c.prior ??= priors.find((p) => p.path === c.path);
  const seen = new Set<string>();
  candidates = candidates.filter((c) => !seen.has(c.path) && seen.add(c.path));
  const rangePaths = [...ranges.keys()].map((path) => [path, normalise(inputs, path, '--range')] as const);
  for (const [given, path] of rangePaths) {
    if (!candidates.some((c) => c.path === path)) throw new UsageError(`sensitivity: --range ${given}: expected a parameter of this analysis (${options.param.length ? 'add it with --param' : 'it is neither marked nor given a prior; name it with --param'})`);
  }

  const parameters: SensitivityParameter[] = [];
  const fixed: FixedParameter[] = [];
  for (const c of candidates) {
    if (setPaths.has(c.path)) {
      if (c.named) throw new UsageError(`sensitivity: --param ${c.path}: it is also fixed by --set; drop one of the two (a field the documents leave unset is screened with --param and --range alone)`);
      fixed.push({ path: c.path, reason: 'fixed by --set' });
      continue;
    }
    const where = `sensitivity: ${c.named ? '--param' : c.reason.startsWith('prior') ? `${c.prior!.file}:` : `${options.scenarioFile}:`} ${c.path}`;
    const given = rangePaths.find(([, path]) => path === c.path);
    // A field the documents leave unset (a control the baseline does not name) is screened over its --range;
    // before, it needed a regime file written for it (a trial).
    const { field, baseline } = lookup(inputs, c.path, where, (!c.named && c.prior !== undefined) || given !== undefined);
    let range: ParameterRange;
    let rangeSource: string;
    if (given) {
      range = { ...ranges.get(given[0])!, integer: field.integer };
      rangeSource = '--range';
      checkBounds(range, field, `sensitivity: --range ${given[0]}`);
    } else if (c.prior) {
      range = { low: c.prior.low, high: c.prior.high, scale: 'linear', integer: field.integer };
      rangeSource = `prior (${c.prior.file})`;
      checkBounds(range, field, `${c.prior.file}: posterior.${c.path}.prior`);
    } else if (WINDOW.has(c.path) && !c.named) {
      fixed.push({ path: c.path, reason: 'the observation window: varying it changes what is measured, not the system (name it with --param to vary it)' });
      continue;
    } else {
      const rule = defaultRange(baseline!, field);
      if (!rule.range) {
        if (c.named) throw new UsageError(`sensitivity: --param ${c.path}: ${rule.reason}`);
        fixed.push({ path: c.path, reason: rule.reason });
        continue;
      }
      range = rule.range;
      rangeSource = rule.rule;
    }
    parameters.push({ path: c.path, baseline, range, rangeSource, reason: c.reason });
  }
  return { parameters, fixed };
}

/** One spelling per field, so paths from flags and files compare: `regime.controls.x` is `controls.x`. */
function canonical(path: string, where: string): string {
  const { target, path: parts } = parsePath(path, `sensitivity: ${where}`);
  return target === 'regime' && parts[0] === 'controls' ? parts.join('.') : `${target}.${parts.join('.')}`;
}

/** A path in `--set` form, checked to name a scenario or regime field; a delay stands for its location. */
function normalise(inputs: Inputs, path: string, flag: string): string {
  const { target, path: parts } = parsePath(path, `sensitivity: ${flag} ${path}`);
  if (target !== 'scenario' && target !== 'regime') throw new UsageError(`sensitivity: ${flag} ${path}: expected a scenario. or regime./controls. field (a twin's are not varied)`);
  const location = delayLocation(valueAt(target === 'scenario' ? inputs.scenario : inputs.regime, parts));
  const field = canonical(path, flag);
  return location ? `${field}.${location}` : field;
}

/** The field's schema and its value as run; an unknown or non-numeric field is a usage error starting `where`. */
function lookup(inputs: Inputs, path: string, where: string, unsetAllowed: boolean): { field: NumericField; baseline: number | null } {
  const { target, path: parts } = parsePath(path, where);
  const document = target === 'scenario' ? inputs.scenario : inputs.regime;
  const field = numericField(jsonSchema(target === 'scenario' ? 'scenario' : 'regime'), document, parts);
  const value = valueAt(document, parts);
  const name = target === 'scenario' ? `scenario ${inputs.scenario.name}` : `regime ${inputs.regime.name}`;
  if (!field) {
    // A field of another kind is said as one (a trial's controls.doseErrorReduction, a true/false control, read
    // "no such field"): a regime holds it or not, which compare or a sweep of its values screens.
    const kind = fieldSchema(jsonSchema(target === 'scenario' ? 'scenario' : 'regime'), document, parts)?.type;
    const what = typeof kind === 'string' ? `a ${kind === 'boolean' ? 'true/false' : kind} field` : '';
    const screen = kind === 'boolean' ? ` (compare regimes with and without it, or strata sweep with --set ${path}=true,false)` : '';
    const got = value !== undefined ? `${describe(value)}${what ? `, ${what}` : ''}${screen}` : what ? `${what}, not set in it${screen}` : 'no such field';
    throw new UsageError(`${where}: expected a numeric field of the ${name}, got ${got}`);
  }
  if (typeof value !== 'number') {
    if (value === undefined && unsetAllowed) return { field, baseline: null };
    throw new UsageError(`${where}: expected a number in the ${name}, got ${value === undefined ? 'nothing (the field is not set: give its --range to screen it)' : describe(value)}`);
  }
  return { field, baseline: value };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function valueAt(document: unknown, parts: readonly string[]): unknown {
  return parts.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), document);
}

/** `path=low:high` → a linear range (a log one only comes from the default rule). */
function parseRangeFlag(text: string): [string, Omit<ParameterRange, 'integer'>] {
  const match = /^([^=]+)=([^:]+):(.+)$/.exec(text);
  const [low, high] = match ? [Number(match[2]), Number(match[3])] : [NaN, NaN];
  if (!match || !Number.isFinite(low) || !Number.isFinite(high) || low >= high) {
    throw new UsageError(`sensitivity: --range ${text}: expected path=low:high with low < high, e.g. scenario.recovery.staff=2:12`);
  }
  return [match[1]!, { low, high, scale: 'linear' }];
}

function checkBounds(range: ParameterRange, field: NumericField, where: string): void {
  const below = (field.minimum !== undefined && range.low < field.minimum) || (field.exclusiveMinimum !== undefined && range.low <= field.exclusiveMinimum);
  const above = (field.maximum !== undefined && range.high > field.maximum) || (field.exclusiveMaximum !== undefined && range.high >= field.exclusiveMaximum);
  if (below || above) {
    const lo = field.minimum !== undefined ? `[${field.minimum}` : field.exclusiveMinimum !== undefined ? `(${field.exclusiveMinimum}` : '(-∞';
    const hi = field.maximum !== undefined ? `${field.maximum}]` : field.exclusiveMaximum !== undefined ? `${field.exclusiveMaximum})` : '∞)';
    throw new UsageError(`${where}: expected a range within the field's bounds ${lo}, ${hi}, got ${range.low}:${range.high}`);
  }
  try {
    checkRange(range, where);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
