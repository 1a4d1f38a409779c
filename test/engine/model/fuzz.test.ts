import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { StrataInputError } from '../../../engine/model/errors.js';
import { parseRegime, parseScenario, parseTwin } from '../../../engine/model/load.js';
import {
  BASE_REGIME_TEXT,
  BASE_SCENARIO_TEXT,
  BASE_TWIN_TEXT,
  baseDoc,
  describeThrown,
  expectPrototypesClean,
  loadBaseTwin,
  prototypeSnapshot,
  type Doc,
} from '../../fixtures/model/helpers.js';

/**
 * Seeded mutation fuzzing of the loaders. Each base document (test/fixtures/model) is broken at random —
 * bytes flipped, cut short, lines deleted, duplicated, swapped or re-indented, values swapped for values
 * of other types, keys added or removed — and loaded. Whatever happens, the loader either returns a
 * document or throws a StrataInputError whose every issue names the file, has a string path and a
 * one-line message; it never throws anything else, never takes long, never touches Object.prototype.
 * The seed is fixed, so a failure names a case that reproduces.
 */

const SEED = 'strata/loader-fuzz/1';
const FILE = 'fuzz.yaml';
/** Per document; the base twin loads in a few milliseconds. */
const TIME_BOUND_MS = 1000;

type Rng = () => number;

interface Mutant {
  family: string;
  index: number;
  /** What was done, enough to reproduce by hand. */
  note: string;
  content: string | Uint8Array;
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

/** Values of every JSON type and the awkward corners of each. */
const VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1, 2.5, -0.5, 1e12, 1e308, -1e-300, Number.NaN, Number.POSITIVE_INFINITY,
  '', 'x', 'clowd', 'pumps', 'CVE-2017-0144', 'a\nb', ' ', '__proto__', 'x'.repeat(20_000), '🏥', '\u0000',
  [], [null], [1, 'a', {}], {}, { id: 'x' }, { dist: 'fixed' }, [[[[[]]]]],
];
/** Keys worth adding to a mapping: reserved ones, typos, real fields in the wrong place, odd characters. */
const KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'laeyr', 'count', 'id', 'schema', 'x\ny', '', 'nodes', '<<'];

function lines(text: string): string[] {
  return text.split('\n');
}

/** Every mapping and list inside a value, with the value itself first. */
function containers(value: unknown, out: (Doc[] | Record<string, unknown>)[] = []): (Doc[] | Record<string, unknown>)[] {
  if (Array.isArray(value)) {
    out.push(value);
    for (const item of value) containers(item, out);
  } else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) containers(item, out);
  }
  return out;
}

/** Every string inside a value, with the container and key holding it. */
function strings(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push([value, i]);
      else strings(item, out);
    });
  }
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') out.push([value as Record<string, unknown>, key]);
      else strings(item, out);
    }
  }
  return out;
}

/** Pieces that mean something to the field parsers: CVSS metrics of every version, purl and CVE parts. */
const SEGMENTS: readonly string[] = ['Au:N', 'AT:N', 'C:C', 'AV:X', 'PR:', '', 'CVSS:2.0', 'CVSS:4.0', 'S:C', 'E:X', 'VC:H', 'pkg:', '@', '#', '%zz', 'CVE-'];
const CHARACTERS: readonly string[] = ['/', ':', '#', '@', '%', '\n', ' ', '-', '.', 'x', '0', '\u00e9'];

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Byte- and line-level mutations of a document's text, and value-level ones of its parsed form. */
const FAMILIES: Record<string, (rng: Rng, text: string) => { note: string; content: string | Uint8Array }> = {
  'flip bytes': (rng, text) => {
    const bytes = new TextEncoder().encode(text);
    const flips = 1 + int(rng, 4);
    const notes: string[] = [];
    for (let i = 0; i < flips; i++) {
      const at = int(rng, bytes.length);
      const to = int(rng, 256);
      notes.push(`byte ${at}: ${bytes[at]} → ${to}`);
      bytes[at] = to;
    }
    return { note: notes.join(', '), content: bytes };
  },
  truncate: (rng, text) => {
    const bytes = new TextEncoder().encode(text);
    const at = int(rng, bytes.length);
    return { note: `cut at byte ${at}`, content: bytes.slice(0, at) };
  },
  'delete a line': (rng, text) => {
    const all = lines(text);
    const at = int(rng, all.length);
    return { note: `deleted line ${at + 1}: ${all[at]}`, content: all.filter((_, i) => i !== at).join('\n') };
  },
  'duplicate a line': (rng, text) => {
    const all = lines(text);
    const at = int(rng, all.length);
    all.splice(at, 0, all[at]!);
    return { note: `duplicated line ${at + 1}: ${all[at]}`, content: all.join('\n') };
  },
  'swap two lines': (rng, text) => {
    const all = lines(text);
    const a = int(rng, all.length);
    const b = int(rng, all.length);
    [all[a], all[b]] = [all[b]!, all[a]!];
    return { note: `swapped lines ${a + 1} and ${b + 1}`, content: all.join('\n') };
  },
  're-indent a line': (rng, text) => {
    const all = lines(text);
    const at = int(rng, all.length);
    const shift = pick(rng, [-4, -2, -1, 1, 2, 4]);
    all[at] = shift > 0 ? ' '.repeat(shift) + all[at]! : all[at]!.slice(-shift);
    return { note: `line ${at + 1} indented by ${shift}`, content: all.join('\n') };
  },
  'swap a value': (rng, text) => {
    const doc = baseDoc(text);
    const target = pick(rng, containers(doc));
    const value = structuredClone(pick(rng, VALUES));
    if (Array.isArray(target)) {
      const at = int(rng, target.length + 1);
      target[at] = value;
      return { note: `[${at}] of a list := ${JSON.stringify(value)?.slice(0, 60)}`, content: stringify(doc) };
    }
    const keys = Object.keys(target);
    const key = keys.length > 0 ? pick(rng, keys) : 'x';
    target[key] = value;
    return { note: `.${key} := ${JSON.stringify(value)?.slice(0, 60)}`, content: stringify(doc) };
  },
  'edit a string': (rng, text) => {
    const doc = baseDoc(text);
    const [holder, key] = pick(rng, strings(doc));
    const before = (holder as Record<string | number, string>)[key]!;
    let after: string;
    if (before.includes('/') && rng() < 0.6) {
      const parts = before.split('/');
      parts[int(rng, parts.length)] = pick(rng, SEGMENTS);
      after = parts.join('/');
    } else {
      const at = int(rng, before.length + 1);
      after = rng() < 0.5 ? before.slice(0, at) + pick(rng, CHARACTERS) + before.slice(at) : before.slice(0, at) + before.slice(at + 1);
    }
    (holder as Record<string | number, string>)[key] = after;
    return { note: `${JSON.stringify(before).slice(0, 60)} → ${JSON.stringify(after).slice(0, 60)}`, content: stringify(doc) };
  },
  'add a key': (rng, text) => {
    const doc = baseDoc(text);
    const mappings = containers(doc).filter((c): c is Record<string, unknown> => !Array.isArray(c));
    const target = pick(rng, mappings);
    const key = pick(rng, KEYS);
    const value = structuredClone(pick(rng, VALUES));
    setOwn(target, key, value);
    return { note: `added ${JSON.stringify(key)}: ${JSON.stringify(value)?.slice(0, 60)}`, content: stringify(doc) };
  },
  'remove a key': (rng, text) => {
    const doc = baseDoc(text);
    const mappings = containers(doc).filter((c): c is Record<string, unknown> => !Array.isArray(c) && Object.keys(c).length > 0);
    const target = pick(rng, mappings);
    const key = pick(rng, Object.keys(target));
    delete target[key];
    return { note: `removed ${JSON.stringify(key)}`, content: stringify(doc) };
  },
};

/** `count` mutants of `text`, spread evenly over the families, all drawn from one seeded generator. */
function mutants(text: string, count: number, seed: string): Mutant[] {
  const rng = seedrandom(seed);
  const families = Object.entries(FAMILIES);
  return Array.from({ length: count }, (_, index) => {
    const [family, mutate] = families[index % families.length]!;
    return { family, index, ...mutate(rng, text) };
  });
}

interface Outcome {
  loaded: number;
  refused: number;
  /** Broken promises: other error classes, malformed issues, slow loads. */
  failures: string[];
}

function fuzz(load: (content: string | Uint8Array) => unknown, cases: readonly Mutant[]): Outcome {
  const outcome: Outcome = { loaded: 0, refused: 0, failures: [] };
  for (const mutant of cases) {
    const where = `#${mutant.index} ${mutant.family} (${mutant.note.slice(0, 120)})`;
    const started = performance.now();
    try {
      load(mutant.content);
      outcome.loaded++;
    } catch (error) {
      if (!(error instanceof StrataInputError)) {
        outcome.failures.push(`${where}: threw ${describeThrown(error)}`);
        continue;
      }
      outcome.refused++;
      const bad = error.issues.find(
        (issue) => issue.file !== FILE || typeof issue.path !== 'string' || typeof issue.message !== 'string' || issue.message === '' || /[\r\n]/.test(issue.message),
      );
      if (error.issues.length === 0) outcome.failures.push(`${where}: a StrataInputError with no issues`);
      else if (bad) outcome.failures.push(`${where}: malformed issue ${JSON.stringify(bad).slice(0, 200)}`);
    }
    const elapsed = performance.now() - started;
    if (elapsed > TIME_BOUND_MS) outcome.failures.push(`${where}: took ${Math.round(elapsed)} ms`);
  }
  return outcome;
}

describe('the loaders under seeded random mutation', () => {
  const prototypesBefore = prototypeSnapshot();

  it('mutations are reproducible from the seed', () => {
    const first = mutants(BASE_TWIN_TEXT, 40, SEED).map((m) => m.note);
    const second = mutants(BASE_TWIN_TEXT, 40, SEED).map((m) => m.note);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(30);
  });

  it('500 mutants of the base twin: each loads or is refused cleanly', () => {
    const outcome = fuzz((content) => parseTwin(content, FILE), mutants(BASE_TWIN_TEXT, 500, `${SEED}/twin`));
    expect(outcome.failures.slice(0, 15)).toEqual([]);
    expect(outcome.loaded + outcome.refused).toBe(500);
    expect(outcome.refused).toBeGreaterThan(250);
  });

  it('200 mutants of the base scenario, checked against the base twin', () => {
    const twin = loadBaseTwin();
    const outcome = fuzz((content) => parseScenario(content, FILE, twin), mutants(BASE_SCENARIO_TEXT, 200, `${SEED}/scenario`));
    expect(outcome.failures.slice(0, 15)).toEqual([]);
    expect(outcome.refused).toBeGreaterThan(100);
  });

  it('100 mutants of the base regime', () => {
    const outcome = fuzz((content) => parseRegime(content, FILE), mutants(BASE_REGIME_TEXT, 100, `${SEED}/regime`));
    expect(outcome.failures.slice(0, 15)).toEqual([]);
    expect(outcome.refused).toBeGreaterThan(30);
  });

  it('Object.prototype and Array.prototype are untouched afterwards', () => {
    expectPrototypesClean(prototypesBefore);
  });
});
