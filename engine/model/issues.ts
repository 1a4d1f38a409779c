import type { z } from 'zod';
import { formatPath, type ModelIssue } from './errors.js';
import { THREAT_KINDS } from './vocabulary.js';

/** zod's issues → `file: path: expected ..., got ...` lines, all of them. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], file: string): ModelIssue[] {
  return oncePerProblem(issues).flatMap((issue) => expand(issue, file));
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

function expand(issue: z.core.$ZodIssue, file: string, prefix: PropertyKey[] = []): ModelIssue[] {
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
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 1) return issue.keys.map((key) => ({ file, path: formatPath(path), message: describe({ ...issue, keys: [key] }) }));
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
    case 'invalid_value':
      return `expected ${valuesOf(issue.values)}, got ${got(issue)}`;
    case 'unrecognized_keys': {
      // On a threat, say which kind the fields are unknown for: they may be another kind's (an intrusion's operators on a worm).
      const input = (issue as { input?: unknown }).input;
      const value = input !== null && typeof input === 'object' ? (input as { kind?: unknown }).kind : undefined;
      const kind = typeof value === 'string' && (THREAT_KINDS as readonly string[]).includes(value) ? ` for kind: ${value}` : '';
      return `expected only known fields${kind}, got unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${unit(issue.origin)}, got ${sizeOf(issue)}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${unit(issue.origin)}, got ${sizeOf(issue)}`;
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

function unit(origin: string): string {
  return origin === 'array' ? ' items' : origin === 'string' ? ' characters' : '';
}

function sizeOf(issue: { input?: unknown; origin: string }): string {
  const input = issue.input;
  if (Array.isArray(input)) return `${input.length} items`;
  if (typeof input === 'string') return `${input.length} characters`;
  return got(issue);
}
