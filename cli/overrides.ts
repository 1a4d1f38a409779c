import { PlacedUsageError } from './errors.js';

/**
 * `--set path=value` overrides on the validated documents. A path names where: `twin.…`, `scenario.…`,
 * `regime.…`, or `params.…` for a built-in twin generator's parameters; `controls.…` is short for
 * `regime.controls.…`. Lists are indexed by number (`scenario.threat.entries.0.count`, or as the messages write
 * a field's path, `scenario.threat.entries[0].count`). Values are numbers, `true`/`false`, or text. Documents
 * are re-validated afterwards by the caller.
 */
export type Target = 'twin' | 'scenario' | 'regime' | 'params';

export interface Override {
  target: Target;
  path: string[];
  value: unknown;
  /** Where it was given, when not by `--set` (a calibration file's `parameters.<path>`), for messages. */
  source?: string;
}

export function parseOverride(text: string, source?: string): Override {
  const eq = text.indexOf('=');
  const where = source ?? `--set ${text}`;
  if (eq <= 0) throw new PlacedUsageError(where, `expected path=value`);
  return { ...parsePath(text.slice(0, eq), where), value: parseValue(text.slice(eq + 1)), ...(source === undefined ? {} : { source }) };
}

export function parsePath(text: string, where: string): { target: Target; path: string[] } {
  // `entries[0]` as the problems say a path, the same as `entries.0` (a trial copied one and was refused).
  const parts = text.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new PlacedUsageError(where, `expected a dotted path such as controls.patchCoverage`);
  }
  if (parts[0] === 'controls') return { target: 'regime', path: parts };
  if (parts[0] === 'twin' || parts[0] === 'scenario' || parts[0] === 'regime' || parts[0] === 'params') {
    if (parts.length < 2) throw new PlacedUsageError(where, `expected a field after "${parts[0]}."`);
    // The scenario's twin is resolved before any --set applies: set there, it would be stored and ignored (a trial).
    if (parts[0] === 'scenario' && parts[1] === 'twin') throw new PlacedUsageError(where, `expected --twin to choose the twin the scenario runs on, got a --set of the scenario's twin field (read before --set applies)`);
    return { target: parts[0], path: parts.slice(1) };
  }
  throw new PlacedUsageError(where, `expected a path starting twin., scenario., regime., params. or controls., got "${parts[0]}"`);
}

function parseValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  // Decimal numbers only, as --runs takes digits only: Number() would read 0x1 and 0b1 as 1 (a trial).
  // Spaces around it aside, as `--runs " 7 "` reads.
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** At most this many `--set` options (and calibration parameters) in one command. */
export const MAX_OVERRIDES = 1000;

/**
 * `document` with `value` at `path` (creating mappings on the way): the mappings and lists on the path are
 * copied, the rest is shared with `document`, which is never changed (a twin's entries share equal lists,
 * frozen: engine/model/share.ts). In a list a step must be an index of an existing item (0 … length − 1):
 * not `length`, not negative, not past the end.
 */
export function applyOverride<T>(document: T, path: readonly string[], value: unknown, where: string): T {
  const copyOf = (x: object): Record<string, unknown> => (Array.isArray(x) ? [...(x as unknown[])] : { ...x }) as Record<string, unknown>;
  const copy = copyOf(document as object);
  let node: Record<string, unknown> = copy;
  const step = (list: unknown[], key: string, i: number): number => {
    // One spelling per index: `entries.00` is not a second way to name `entries.0` (a field set twice is refused).
    const index = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
    if (!(index < list.length)) {
      const at = path.slice(0, i).join('.') || 'the document';
      throw new PlacedUsageError(where, `expected a list index of "${at}" (0 to ${list.length - 1}), got "${key}"`);
    }
    return index;
  };
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (Array.isArray(node)) {
      const index = step(node, key, i);
      const next = node[index] as unknown;
      if (next === null || typeof next !== 'object') throw new PlacedUsageError(where, `"${path.slice(0, i + 1).join('.')}" is not a mapping or list`);
      node = (node as unknown as unknown[])[index] = copyOf(next);
      continue;
    }
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object') throw new PlacedUsageError(where, `"${path.slice(0, i + 1).join('.')}" is not a mapping or list`);
    else node[key] = copyOf(next);
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node[step(node, last, path.length - 1)] = value;
  else {
    // A delay given another family (`…delay.dist=fixed`) loses the old family's fields, which the new one
    // would refuse (`medianMinutes`, `sigma`); its own are set by the other overrides, in any order.
    if (last === 'dist' && typeof value === 'string' && value in DELAY_FIELDS && node.dist !== value && typeof node.dist === 'string' && node.dist in DELAY_FIELDS) {
      const kept: readonly string[] = DELAY_FIELDS[value as keyof typeof DELAY_FIELDS];
      for (const field of DELAY_FIELDS[node.dist as keyof typeof DELAY_FIELDS]) if (!kept.includes(field)) delete node[field];
    }
    node[last] = value;
  }
  return copy as T;
}

/** Each delay family's own fields (engine/model/common.ts Delay). */
export const DELAY_FIELDS: Record<'fixed' | 'exponential' | 'lognormal' | 'weibull', readonly string[]> = {
  fixed: ['minutes'],
  exponential: ['meanMinutes'],
  lognormal: ['medianMinutes', 'sigma'],
  weibull: ['shape', 'scaleMinutes'],
};

/** At most this many values in one sweep. */
export const MAX_VALUES = 1000;

/**
 * `lo..hi:step` or `a,b,c` → the values (a range inclusive of hi, within rounding), at most MAX_VALUES. A list's
 * items are read as `--set` reads a value (a number, true or false, else the text), so on/off and named
 * controls sweep too (`controls.mfa=false,true,vendor`); the schema checks each value before any runs.
 */
export function parseRange(text: string, where: string): (number | boolean | string)[] {
  const match = /^(-?[\d.e+-]+)\.\.(-?[\d.e+-]+):([\d.e+-]+)$/.exec(text);
  if (!match) {
    const items = text.split(',', MAX_VALUES + 1);
    if (items.length > MAX_VALUES) throw new PlacedUsageError(where, `expected at most ${MAX_VALUES.toLocaleString('en-GB')} values, got more`);
    // An empty item is not a value (Number('') would read it as 0).
    if (items.length > 1 && items.every((item) => item.trim() !== '')) {
      const values = items.map((item) => parseValue(item.trim()) as number | boolean | string);
      // The same value twice would be two identical batches, read as two points (`0.1,0.10`: a trial).
      const twice = values.findIndex((v, i) => values.indexOf(v) !== i);
      if (twice >= 0) throw new PlacedUsageError(where, `expected each value once, got ${JSON.stringify(items[twice]!.trim())} again (the same as ${JSON.stringify(items[values.indexOf(values[twice]!)]!.trim())})`);
      return values;
    }
    throw new PlacedUsageError(where, `expected lo..hi:step (e.g. 0..1:0.1) or a list of two or more values a,b,c, got "${text}"`);
  }
  const [lo, hi, step] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (![lo, hi, step].every(Number.isFinite) || step <= 0 || hi < lo) throw new PlacedUsageError(where, `expected lo ≤ hi and a positive step, got "${text}"`);
  const count = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (count > MAX_VALUES) throw new PlacedUsageError(where, `expected at most ${MAX_VALUES.toLocaleString('en-GB')} values, got ${count.toLocaleString('en-GB')}`);
  // Round to the step's decimals so 0.1 steps print as 0.3, not 0.30000000000000004.
  const decimals = Math.max(0, ...[step, lo].map((x) => (String(x).split('.')[1] ?? '').length));
  return Array.from({ length: count }, (_, i) => Number((lo + i * step).toFixed(decimals)));
}
