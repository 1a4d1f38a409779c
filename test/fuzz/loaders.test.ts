import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { calibrationOverrides, calibrationPriors } from '../../cli/inputs.js';
import { Targets } from '../../engine/calibrate/targets.js';
import { StrataInputError, ValidationError } from '../../engine/model/errors.js';
import { fromZodIssues } from '../../engine/model/issues.js';
import { readGexf, readGraphML, writeGexf, writeGraphML } from '../../engine/model/interchange.js';
import { parseRegime, parseScenario, parseTwin } from '../../engine/model/load.js';
import { parseText } from '../../engine/model/parse.js';
import { tempDir } from '../cli/cli.js';
import { BASE_REGIME_TEXT, BASE_SCENARIO_TEXT, BASE_TWIN_TEXT, baseDoc, loadBaseTwin, type Doc } from '../fixtures/model/helpers.js';

/**
 * Property-based fuzzing of every loader (issue 16) with fast-check: documents that are wholly arbitrary,
 * base documents with one field set to an arbitrary value, arbitrary text and bytes, and (for GraphML and
 * GEXF) valid files cut short or spliced. Whatever comes in, a loader returns a document or throws a
 * StrataInputError whose every issue names the file, has a string path and a one-line message — nothing
 * else — within TIME_BOUND_MS. Seeded: a failure prints the seed and the shrunk case that reproduces it.
 * The tally of what happened is printed (cases, accepted, clean errors, anything else — which fails).
 */
const SEED = 20_161_213;
const RUNS = 200;
/** Per case; the base documents load in milliseconds. */
const TIME_BOUND_MS = 2000;

type Outcome = 'accepted' | 'clean error';
const tally = new Map<string, Record<Outcome, number>>();
const directory = tempDir();
const twin = loadBaseTwin();

/** Runs one case and classifies it; anything but a clean StrataInputError fails the property. */
function check(loader: string, file: string, load: () => unknown): boolean {
  const counts = tally.get(loader) ?? { accepted: 0, 'clean error': 0 };
  tally.set(loader, counts);
  const started = performance.now();
  try {
    load();
    counts.accepted++;
  } catch (error) {
    if (!(error instanceof StrataInputError)) throw new Error(`${loader}: not a StrataInputError: ${String(error)}`);
    for (const issue of error.issues) {
      if (issue.file !== file || typeof issue.path !== 'string' || typeof issue.message !== 'string' || /[\r\n]/.test(issue.message)) {
        throw new Error(`${loader}: a malformed issue: ${JSON.stringify(issue)}`);
      }
    }
    counts['clean error']++;
  }
  const ms = performance.now() - started;
  if (ms > TIME_BOUND_MS) throw new Error(`${loader}: took ${ms.toFixed(0)} ms`);
  return true;
}

/** JSON-shaped values with the awkward corners: deep, wide, odd keys and numbers. */
const value = fc.jsonValue({ maxDepth: 4 });
const oddValue = fc.oneof(value, fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, '__proto__', 'constructor', '\u0000', 'x'.repeat(5000)));

/** A base document with one field (at any depth, possibly new) set to a value. */
function mutated(base: Doc) {
  return fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.string({ maxLength: 12 }), oddValue).map(([steps, key, v]) => {
    const doc = structuredClone(base) as Doc;
    let node = doc;
    for (const step of steps) {
      const keys = node && typeof node === 'object' ? Object.keys(node) : [];
      if (keys.length === 0) break;
      const next = node[keys[step % keys.length]!];
      if (!next || typeof next !== 'object') {
        node[keys[step % keys.length]!] = v;
        return doc;
      }
      node = next;
    }
    if (node && typeof node === 'object') node[Array.isArray(node) ? 0 : key] = v;
    return doc;
  });
}

/** A value written as YAML or JSON text (JSON cannot hold NaN: YAML's .nan then). */
const asText = (doc: unknown, json: boolean): string => {
  if (!json) return stringify(doc);
  try {
    return JSON.stringify(doc) ?? 'null';
  } catch {
    return stringify(doc);
  }
};

function documents(base: Doc) {
  return fc.tuple(fc.oneof(value.map((v) => v as Doc), mutated(base)), fc.boolean()).map(([doc, json]) => ({ text: asText(doc, json), file: json ? 'fuzz.json' : 'fuzz.yaml' }));
}

const bytes = fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }));

describe('fuzzing every loader (fast-check)', () => {
  const options = { seed: SEED, numRuns: RUNS };

  it('twins (YAML and JSON): arbitrary, mutated and raw', () => {
    fc.assert(fc.property(documents(baseDoc(BASE_TWIN_TEXT)), ({ text, file }) => check('twin', file, () => parseTwin(text, file))), options);
    fc.assert(fc.property(bytes, (raw) => check('twin', 'raw.yaml', () => parseTwin(raw, 'raw.yaml'))), options);
  });

  it('scenarios, checked against the base twin', () => {
    fc.assert(fc.property(documents(baseDoc(BASE_SCENARIO_TEXT)), ({ text, file }) => check('scenario', file, () => parseScenario(text, file, twin))), options);
    fc.assert(fc.property(bytes, (raw) => check('scenario', 'raw.yaml', () => parseScenario(raw, 'raw.yaml', twin))), options);
  });

  it('regimes', () => {
    fc.assert(fc.property(documents(baseDoc(BASE_REGIME_TEXT)), ({ text, file }) => check('regime', file, () => parseRegime(text, file))), options);
    fc.assert(fc.property(bytes, (raw) => check('regime', 'raw.yaml', () => parseRegime(raw, 'raw.yaml'))), options);
  });

  it('calibration targets', () => {
    const base = { schema: 'strata.targets/v1', scenario: 'wannacry-down', twin: 'ward', draws: 4, runsPerDraw: 2, accept: 0.5, validationRuns: 10, parameters: [{ path: 'scenario.threat.spread.medianMinutes', prior: [5, 120], why: 'x' }], targets: [{ metric: 'compromised', value: 6, source: 'x' }] };
    const loadTargets = (text: string, file: string) => {
      const result = Targets.safeParse(parseText(text, file), { reportInput: true });
      if (!result.success) throw new ValidationError(fromZodIssues(result.error.issues, file));
    };
    fc.assert(fc.property(documents(base), ({ text, file }) => check('targets', file, () => loadTargets(text, file))), options);
  });

  it('calibration files (read from disk)', () => {
    const base = { schema: 'strata.calibration/v1', parameters: { 'scenario.threat.spread.medianMinutes': 30 }, posterior: { 'scenario.threat.spread.medianMinutes': { prior: [5, 120] } } };
    let n = 0;
    fc.assert(
      fc.property(documents(base), ({ text, file }) => {
        const path = join(directory, `${n++}-${file}`);
        writeFileSync(path, text);
        return check('calibration', path, () => (calibrationOverrides(path), calibrationPriors(path)));
      }),
      options,
    );
  });

  it('GraphML and GEXF: valid files cut short or spliced, and arbitrary text', () => {
    const graphml = writeGraphML(twin);
    const gexf = writeGexf(twin);
    const cut = (xml: string) =>
      fc.tuple(fc.nat({ max: xml.length }), fc.nat({ max: xml.length }), fc.string({ maxLength: 40 })).map(([a, b, splice]) => xml.slice(0, Math.min(a, b)) + splice + xml.slice(Math.max(a, b)));
    fc.assert(fc.property(fc.oneof(cut(graphml), fc.string({ maxLength: 400 })), (text) => check('graphml', 'fuzz.graphml', () => readGraphML(text, 'fuzz.graphml'))), options);
    fc.assert(fc.property(fc.oneof(cut(gexf), fc.string({ maxLength: 400 })), (text) => check('gexf', 'fuzz.gexf', () => readGexf(text, 'fuzz.gexf'))), options);
  });

  afterAll(() => {
    const rows = [...tally].map(([loader, c]) => `${loader}: ${c.accepted + c['clean error']} cases, ${c.accepted} accepted, ${c['clean error']} clean errors, 0 other`);
    console.log(`fuzz (seed ${SEED}):\n  ${rows.join('\n  ')}`);
    // Every loader ran and the cases were not all of one kind: the generators reach both sides.
    for (const [loader, c] of tally) expect(c['clean error'], loader).toBeGreaterThan(0);
  });
});
