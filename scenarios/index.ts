import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DocumentReadError, withProblemsOf } from '../engine/model/errors.js';
import { readGexf, readGraphML } from '../engine/model/interchange.js';
import { loadRegimeFile, loadScenarioFile, loadTwinFile, readDocument } from '../engine/model/load-file.js';
import { twinFromValue } from '../engine/model/load.js';
import { decodeUtf8 } from '../engine/model/parse.js';
import type { Regime } from '../engine/model/regime.js';
import type { Scenario } from '../engine/model/scenario.js';
import type { Twin } from '../engine/model/twin.js';
import { generateAcuteTrust } from './twins/acute-trust.js';
import { generateNhsEngland } from './twins/nhs-england.js';
import { HERE, looksLikePath, regimePath, scenarioPath, unknown } from './paths.js';

export { builtinRegimes, builtinScenarios, BUILTIN_TWIN_NAMES, regimePath, scenarioPath } from './paths.js';

/**
 * The built-in twins, scenarios and regimes, by name; a name that is a path to a file loads that file.
 * An unknown name is a one-line error listing the known ones.
 */

export const BUILTIN_TWINS = {
  ward: () => loadTwinFile(resolve(HERE, 'twins/ward.yaml')),
  'acute-trust': (params: Record<string, unknown> = {}, seed = 1) => twinFromValue(generateAcuteTrust(params, seed), '<generated:acute-trust>'),
  'nhs-england': (params: Record<string, unknown> = {}, seed = 1) => twinFromValue(generateNhsEngland(params, seed), '<generated:nhs-england>'),
} as const;
export type BuiltinTwin = keyof typeof BUILTIN_TWINS;





/** A twin by built-in name or file path (YAML, JSON, GraphML or GEXF). */
export function resolveTwin(name: string, params: Record<string, unknown> = {}, seed = 1, base = process.cwd()): Twin {
  if (Object.hasOwn(BUILTIN_TWINS, name)) return BUILTIN_TWINS[name as BuiltinTwin](params, seed);
  if (looksLikePath(name) || existsSync(resolve(base, name))) {
    const file = isAbsolute(name) ? name : resolve(base, name);
    if (/\.graphml$/i.test(file)) return readGraphML(decodeUtf8(readDocument(file), file), file);
    if (/\.gexf$/i.test(file)) return readGexf(decodeUtf8(readDocument(file), file), file);
    return loadTwinFile(file);
  }
  return unknown('twin', name, Object.keys(BUILTIN_TWINS));
}



export function resolveRegime(name: string): Regime {
  return loadRegimeFile(regimePath(name));
}

/**
 * A scenario and the twin it runs on: the given twin, or the scenario's own default (a built-in name or a
 * path relative to the scenario file). The scenario is checked against that twin.
 */
export function resolveScenario(
  name: string,
  twinName?: string,
  params: Record<string, unknown> = {},
  seed = 1,
): {
  scenario: Scenario;
  twin: Twin;
  generated: boolean;
  /** The twin as messages name it: as given, or the scenario's own (a built-in's name, or its file, relative to the working directory). */
  twinGiven: string;
} {
  let file: string;
  let draft: Scenario;
  try {
    file = scenarioPath(name);
    draft = loadScenarioFile(file);
  } catch (error) {
    // A twin file given is read too, so its problems come with the scenario's (a built-in twin is generated
    // only for a run: nhs-england takes seconds).
    throw twinName === undefined || Object.hasOwn(BUILTIN_TWINS, twinName) ? error : withProblemsOf(error, () => resolveTwin(twinName, params, seed));
  }
  if (twinName !== undefined) {
    const twin = resolveTwin(twinName, params, seed);
    return { scenario: loadScenarioFile(file, twin), twin, generated: Object.hasOwn(BUILTIN_TWINS, twinName), twinGiven: twinName };
  }
  let twin: Twin;
  try {
    twin = resolveTwin(draft.twin, params, seed, dirname(file));
  } catch (error) {
    // A name the scenario gives that is no twin: said of the scenario's field, not as if typed on the command line.
    const issue = error instanceof DocumentReadError && error.issues.length === 1 ? error.issues[0]! : undefined;
    if (issue?.file === draft.twin && issue.path === '') {
      throw new DocumentReadError([{ file, path: 'twin', message: `expected a twin file (relative to this file) or one of ${Object.keys(BUILTIN_TWINS).join(', ')}, got ${JSON.stringify(draft.twin)}` }]);
    }
    if (issue?.file === resolve(dirname(file), draft.twin) && /expected an existing file/.test(issue.message)) {
      throw new DocumentReadError([{ file, path: 'twin', message: `expected an existing twin file, got none at ${issue.file}` }]);
    }
    throw error;
  }
  const generated = Object.hasOwn(BUILTIN_TWINS, draft.twin);
  // A scenario's twin file is named as a path from here (a trial's `--set twin.…` problem read "stmary (with --set)").
  const twinGiven = generated ? draft.twin : relative(process.cwd(), resolve(dirname(file), draft.twin));
  return { scenario: loadScenarioFile(file, twin), twin, generated, twinGiven };
}
