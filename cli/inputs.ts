import { compile } from '../engine/compile/compile.js';
import type { Compiled } from '../engine/compile/model.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../engine/model/load.js';
import type { Regime } from '../engine/model/regime.js';
import type { Scenario } from '../engine/model/scenario.js';
import type { Twin } from '../engine/model/twin.js';
import { resolveRegime, resolveScenario } from '../scenarios/index.js';
import { ValidationError } from '../engine/model/errors.js';
import { readDocument } from '../engine/model/load-file.js';
import { parseText } from '../engine/model/parse.js';
import { contentHash } from '../store/index.js';
import { applyOverride, parseOverride, type Override } from './overrides.js';

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
}

/** A calibration file's parameters as `path=value` overrides. */
export function calibrationOverrides(file: string): string[] {
  const value = parseText(readDocument(file), file) as { schema?: unknown; parameters?: Record<string, unknown> };
  if (value?.schema !== 'strata.calibration/v1' || !value.parameters || typeof value.parameters !== 'object') {
    throw new ValidationError([{ file, path: 'schema', message: `expected a strata.calibration/v1 file with parameters, got ${JSON.stringify(value?.schema ?? null)}` }]);
  }
  return Object.entries(value.parameters).map(([path, v]) => `${path}=${String(v)}`);
}

/** Resolves names and files, applies `--set` overrides, re-validates whatever changed. */
export function loadInputs(scenarioName: string, options: InputOptions, extra: Override[] = []): Inputs {
  const calibrated = options.calibration ? calibrationOverrides(options.calibration) : [];
  const overrides = [...calibrated.map(parseOverride), ...(options.set ?? []).map(parseOverride), ...extra];
  const params: Record<string, unknown> = {};
  for (const o of overrides.filter((o) => o.target === 'params')) params[o.path.join('.')] = o.value;
  let { scenario, twin } = resolveScenario(scenarioName, options.twin, params, options.twinSeed ?? 1);
  let regime = resolveRegime(options.regime ?? 'baseline');
  const twinOverrides = overrides.filter((o) => o.target === 'twin');
  if (twinOverrides.length > 0) {
    twin = twinFromValue(twinOverrides.reduce((doc, o) => applyOverride(doc, o.path, o.value, '--set'), twin), `${twin.name} (with --set)`);
  }
  const scenarioOverrides = overrides.filter((o) => o.target === 'scenario');
  if (scenarioOverrides.length > 0 || twinOverrides.length > 0) {
    scenario = scenarioFromValue(scenarioOverrides.reduce((doc, o) => applyOverride(doc, o.path, o.value, '--set'), scenario), `${scenario.name} (with --set)`, twin);
  }
  const regimeOverrides = overrides.filter((o) => o.target === 'regime');
  if (regimeOverrides.length > 0) {
    regime = regimeFromValue(regimeOverrides.reduce((doc, o) => applyOverride(doc, o.path, o.value, '--set'), regime), `${regime.name} (with --set)`);
  }
  return { twin, scenario, regime, hashes: { twinHash: contentHash(twin), scenarioHash: contentHash(scenario), regimeHash: contentHash(regime) } };
}

export function compileInputs(inputs: Inputs): Compiled {
  return compile(inputs.twin, inputs.scenario, inputs.regime);
}
