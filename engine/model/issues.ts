import type { z } from 'zod';
import { formatPath, type ModelIssue } from './errors.js';
import { hint, nearestKnown } from './check-twin.js';
import { THREAT_KINDS } from './vocabulary.js';

/**
 * zod's issues → `file: path: expected ..., got ...` lines, all of them. Given the schema, an unknown field says
 * the nearest field known there ("did you mean"); one that stands for a required field not given is one problem,
 * said once (a trial's `demandPerHr` read as a missing `demandPerHour` and an unknown field, on two lines).
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], file: string, schema?: z.ZodType): ModelIssue[] {
  const once = oncePerProblem(issues);
  if (schema === undefined) return once.flatMap((issue) => expand(issue, file));
  // A required field not given: a type, a value of a list (`layer`) or a form refused for nothing there.
  const missing = (issue: z.core.$ZodIssue) =>
    (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') && (issue as { input?: unknown }).input === undefined && !(issue.code === 'invalid_type' && issue.expected === 'never');
  const typos = new Set<z.core.$ZodIssue>();
  const named = new Map<z.core.$ZodIssue, Map<string, string>>();
  // Required fields not given, by the mapping that lacks them (one pass: a file of 10,000 typos stays linear).
  const absentIn = new Map<string, z.core.$ZodIssue[]>();
  for (const issue of once) {
    if (!missing(issue) || issue.path.length === 0) continue;
    const parent = JSON.stringify(issue.path.slice(0, -1));
    absentIn.set(parent, [...(absentIn.get(parent) ?? []), issue]);
  }
  for (const issue of once) {
    if (issue.code !== 'unrecognized_keys') continue;
    const absent = absentIn.get(JSON.stringify(issue.path)) ?? [];
    // The fields of the form the mapping is (a delay's `dist`, a threat's `kind`), never the key itself: a field
    // of another form is no typo (a worm's `operators` read "did you mean "operators"?": a review).
    const known = knownKeys(schema, issue.path, (issue as { input?: unknown }).input);
    const guesses = new Map<string, string>();
    for (const key of issue.keys) {
      const guess = nearestKnown(key, known.filter((k) => k !== key));
      if (guess === undefined) continue;
      guesses.set(key, guess);
      // The nearest field is a required one not given: one problem, said once. A nearer field that was given
      // leaves the missing one its own line (`sit` beside no `id` is `site` misspelt, and `id` still missing).
      const stands = absent.find((other) => String(other.path.at(-1)) === guess);
      if (stands) typos.add(stands);
    }
    named.set(issue, guesses);
  }
  // A required mapping not given says what goes in it (a trial's `threat.credentials: expected object, got
  // nothing` left the keys to guess).
  const fields = new Map<z.core.$ZodIssue, string>();
  for (const issue of once) {
    if (issue.code !== 'invalid_type' || issue.expected !== 'object' || !missing(issue)) continue;
    const mapping = mappingAt(schema, issue.path);
    if (mapping !== undefined) fields.set(issue, mapping);
  }
  return once.filter((issue) => !typos.has(issue)).flatMap((issue) => expand(issue, file, [], named.get(issue), fields.get(issue)));
}

type SchemaDef = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; getter?: () => z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; values?: unknown[] };
const defOf = (x: z.ZodType) => (x as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The forms `schema` takes at `path`, through optional, default, nullable, pipe and lazy wrappers, unions, lists and records. */
function formsAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  const unwrap = (x: z.ZodType): z.ZodType[] => {
    const d = defOf(x);
    if (d.innerType) return unwrap(d.innerType);
    if (d.type === 'pipe' && d.in) return unwrap(d.in);
    if (d.type === 'lazy' && d.getter) return unwrap(d.getter());
    if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
    return [x];
  };
  let at = unwrap(schema);
  for (const step of path) {
    at = at.flatMap((x) => {
      const d = defOf(x);
      if (d.type === 'object' && d.shape && typeof step === 'string' && Object.hasOwn(d.shape, step)) return unwrap(d.shape[step]!);
      if (d.type === 'array' && d.element && typeof step === 'number') return unwrap(d.element);
      if (d.type === 'record' && d.valueType) return unwrap(d.valueType);
      return [];
    });
  }
  return at;
}

/**
 * The fields a mapping of `schema` takes at `path`: of the form `input` is, where the forms are told apart by a
 * field (`dist: exponential`), else of every form; [] where the path leads to no mapping.
 */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], input?: unknown): string[] {
  const objects = formsAt(schema, path).filter((x) => defOf(x).type === 'object');
  const matching = objects.filter((x) => matches(defOf(x).shape ?? {}, input));
  return [...new Set((matching.length > 0 ? matching : objects).flatMap((x) => Object.keys(defOf(x).shape ?? {})))];
}

/** A field's one literal value (a form's tag), or undefined. */
function literalOf(field: z.ZodType | undefined): unknown {
  const d = field ? defOf(field) : undefined;
  return d?.type === 'literal' && d.values?.length === 1 ? d.values[0] : undefined;
}

/** Whether `input` is of the form `shape`: every tag field of the form (a literal) that the input gives, it gives that value. */
function matches(shape: Record<string, z.ZodType>, input: unknown): boolean {
  if (input === null || typeof input !== 'object') return false;
  const tags = Object.keys(shape).filter((key) => literalOf(shape[key]) !== undefined);
  return tags.length > 0 && tags.every((key) => !Object.hasOwn(input, key) || (input as Record<string, unknown>)[key] === literalOf(shape[key]));
}

/** Whether a field may be left out (optional, or with a default). */
function optional(field: z.ZodType): boolean {
  const optin = (field as unknown as { _zod: { optin?: string } })._zod.optin;
  return optin === 'optional' || optin === 'defaulted';
}

/**
 * What a mapping at `path` holds, said for a required one not given: its fields, or, for forms told apart by a
 * field (a delay's `dist`), each form's — "dist: fixed (minutes), exponential (meanMinutes), …". Undefined
 * where there is no mapping or too much to say on a line.
 */
export function mappingAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  const objects = formsAt(schema, path).filter((x) => defOf(x).type === 'object');
  if (objects.length === 0) return undefined;
  const shapes = objects.map((x) => defOf(x).shape ?? {});
  // Its required fields, then the optional ones as such (a review read `recovery`'s six as all required).
  const fieldsOf = (shape: Record<string, z.ZodType>, except?: string) => {
    const keys = Object.keys(shape).filter((key) => key !== except);
    const required = keys.filter((key) => !optional(shape[key]!));
    const rest = keys.filter((key) => optional(shape[key]!));
    return [required.join(', '), rest.length > 0 ? `${required.length > 0 ? 'and ' : ''}optionally ${rest.join(', ')}` : ''].filter(Boolean).join(', ');
  };
  if (shapes.length === 1) {
    const keys = Object.keys(shapes[0]!);
    return keys.length > 0 && keys.length <= 16 ? `a mapping of ${fieldsOf(shapes[0]!)}` : undefined;
  }
  // A field every form has as one literal value of its own: the forms' tag.
  const literal = (shape: Record<string, z.ZodType>, key: string) => {
    const value = literalOf(shape[key]);
    return typeof value === 'string' ? value : undefined;
  };
  const tag = Object.keys(shapes[0]!).find((key) => shapes.every((shape) => literal(shape, key) !== undefined));
  if (tag === undefined || shapes.length > 8) return undefined;
  const forms = shapes.map((shape) => {
    const rest = Object.keys(shape).filter((key) => key !== tag);
    return `${literal(shape, tag)}${rest.length > 0 ? ` (${rest.join(', ')})` : ''}`;
  });
  const either = (items: string[]) => `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
  const full = `a mapping with ${tag}: ${either(forms)}`;
  // Forms of many fields each (a threat's three, ~450 characters on one line: a review): their tags, and where to read on.
  return full.length <= 200 ? full : `a mapping with ${tag}: ${either(shapes.map((shape) => literal(shape, tag)!))}, each with its own fields (docs/model.md)`;
}

/**
 * One line per problem: zod may say one problem of a field twice — an unsafe integer is past both the
 * maximum of every integer and the field's own (`count: 1e30`), and a refinement runs on a value its type or
 * size check refused (`waves: []`, too short and not ending at 1; a selector with an unknown field, and
 * "empty"). At one path a refinement's issue is dropped beside a check's, and of two limits the tighter kept.
 */
export function oncePerProblem(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  // Issues by path, so each is compared with those at its own path only (a file of 15,000 bad items is linear).
  const byPath = new Map<string, z.core.$ZodIssue[]>();
  for (const issue of issues) {
    const key = JSON.stringify(issue.path);
    const list = byPath.get(key);
    if (list) list.push(issue);
    else byPath.set(key, [issue]);
  }
  return issues.filter((issue) => {
    const same = byPath.get(JSON.stringify(issue.path))!;
    if (same.length === 1) return true;
    const i = same.indexOf(issue);
    const others = same.filter((other) => other !== issue);
    // A refinement of the value a check refused (the same input): its complaint is that value's again. One of
    // another value placed at this path (an entry's "count and share both given", said at share) is its own.
    const input = (x: z.core.$ZodIssue) => (x as { input?: unknown }).input;
    if (issue.code === 'custom' && others.some((other) => other.code !== 'custom' && input(other) === input(issue))) return false;
    if (issue.code === 'too_big') return !others.some((o) => o.code === 'too_big' && (Number(o.maximum) < Number(issue.maximum) || (Number(o.maximum) === Number(issue.maximum) && same.indexOf(o) < i)));
    if (issue.code === 'too_small') return !others.some((o) => o.code === 'too_small' && (Number(o.minimum) > Number(issue.minimum) || (Number(o.minimum) === Number(issue.minimum) && same.indexOf(o) < i)));
    return true;
  });
}

function expand(issue: z.core.$ZodIssue, file: string, prefix: PropertyKey[] = [], guesses?: Map<string, string>, mapping?: string): ModelIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0 && !('discriminator' in issue && issue.discriminator)) {
    // Scalar alternatives (true, false or "vendor"): every one, not the first branch's "expected boolean".
    const alternatives = issue.errors.map((branch) => (branch.length === 1 && branch[0]!.path.length === 0 ? expectedOf(branch[0]!) : undefined));
    if (alternatives.every((a) => a !== undefined)) return [{ file, path: formatPath(path), message: `expected ${alternatives.join('|')}, got ${got(issue)}` }];
    // Report the branch that got furthest rather than "invalid input".
    const best = issue.errors.reduce((a, b) => (depthOf(b) > depthOf(a) ? b : a));
    return best.flatMap((inner) => expand(inner, file, path));
  }
  // One line per problem: each unknown field its own (they were listed on one line).
  if (issue.code === 'unrecognized_keys') {
    const guessed = (key: string) => (guesses?.has(key) ? ` (did you mean ${JSON.stringify(guesses.get(key))}?)` : '');
    return issue.keys.map((key) => ({ file, path: formatPath(path), message: describe({ ...issue, keys: [key] }) + guessed(key) }));
  }
  if (mapping) return [{ file, path: formatPath(path), message: `expected ${mapping}, got nothing (required)` }];
  return [{ file, path: formatPath(path), message: describe(issue) }];
}

/** What a scalar branch of a union expected (`boolean`, `vendor`), or undefined for any other refusal. */
function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.expected !== 'never') return typeName(issue.expected);
  if (issue.code === 'invalid_value') return valuesOf(issue.values);
  return undefined;
}

/** The values a field may take, as the messages say them: `a|b|3`. */
function valuesOf(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('|');
}

/** zod's name of a type, as the messages say it: `int` is an integer. */
function typeName(expected: string): string {
  return expected === 'int' ? 'integer' : expected;
}

function depthOf(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function got(issue: { input?: unknown }): string {
  const input = issue.input;
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  return String(input);
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // A field that was removed from the schema (z.never) says what replaced it.
      if (issue.expected === 'never') return issue.message;
      return issue.input === undefined ? `expected ${typeName(issue.expected)}, got nothing (required)` : `expected ${typeName(issue.expected)}, got ${got(issue)}`;
    case 'invalid_value': {
      // A misspelt kind or relation among many: the nearest one said (a trial got all 27 kinds and no pointer).
      const input = (issue as { input?: unknown }).input;
      const near = typeof input === 'string' && issue.values.length > 3 ? hint(input, issue.values.filter((v): v is string => typeof v === 'string')) : '';
      return `expected ${valuesOf(issue.values)}, got ${got(issue)}${near}`;
    }
    case 'unrecognized_keys': {
      // On a threat, say which kind the fields are unknown for: they may be another kind's (an intrusion's operators on a worm).
      const input = (issue as { input?: unknown }).input;
      const value = input !== null && typeof input === 'object' ? (input as { kind?: unknown }).kind : undefined;
      const kind = typeof value === 'string' && (THREAT_KINDS as readonly string[]).includes(value) ? ` for kind: ${value}` : '';
      return `expected only known fields${kind}, got unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${unit(issue.origin, issue.maximum)}, got ${sizeOf(issue)}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${unit(issue.origin, issue.minimum)}, got ${sizeOf(issue)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `${issue.message}, got ${got(issue)}` : `expected a ${issue.format}, got ${got(issue)}`;
    case 'invalid_union': {
      const discriminated = issue as { discriminator?: string; options?: unknown[] };
      if (discriminated.discriminator && Array.isArray(discriminated.options)) {
        const input = issue.input as Record<string, unknown> | undefined;
        const value = input && typeof input === 'object' ? input[discriminated.discriminator] : input;
        return `expected ${discriminated.options.join('|')}, got ${got({ input: value })}`;
      }
      return `expected one of the allowed forms, got ${got(issue)}`;
    }
    default:
      return issue.message;
  }
}

/** A limit's unit, singular for 1 ("at least 1 item", not "1 items": a trial). */
function unit(origin: string, limit: unknown): string {
  const one = Number(limit) === 1;
  return origin === 'array' ? (one ? ' item' : ' items') : origin === 'string' ? (one ? ' character' : ' characters') : '';
}

function sizeOf(issue: { input?: unknown; origin: string }): string {
  const input = issue.input;
  if (Array.isArray(input)) return `${input.length} ${input.length === 1 ? 'item' : 'items'}`;
  if (typeof input === 'string') return `${input.length} ${input.length === 1 ? 'character' : 'characters'}`;
  return got(issue);
}
