import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/errors.js';
import { loadInputs } from '../../../cli/inputs.js';
import { sensitivityParameters } from '../../../cli/sensitivity/parameters.js';
import { scenarioPath } from '../../../scenarios/index.js';
import { tempDir } from '../cli.js';

const inputs = loadInputs('crowdstrike-update', { twin: 'ward' });
const scenarioFile = scenarioPath('crowdstrike-update');
const dir = tempDir();

function priors(posterior: Record<string, { prior: unknown }>): string {
  const file = join(dir, `priors-${Object.keys(posterior).length}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify({ schema: 'strata.calibration/v1', parameters: {}, posterior }));
  return file;
}

describe('sensitivityParameters', () => {
  it('adds the fields with calibration priors to the marked ones, ranged uniformly over the prior', () => {
    const file = priors({ 'scenario.recovery.staff': { prior: [2, 20] }, 'controls.patchCoverage': { prior: [0, 0.9] } });
    const { parameters } = sensitivityParameters(inputs, { param: [], range: [], scenarioFile, priorsFile: file });
    const byPath = new Map(parameters.map((p) => [p.path, p]));
    // Marked in the file and given a prior: the prior wins over the default rule.
    expect(byPath.get('scenario.recovery.staff')).toMatchObject({ range: { low: 2, high: 20, scale: 'linear', integer: true }, rangeSource: `prior (${file})` });
    // Not marked, but with a prior: a regime field, varied through the same paths as --set.
    expect(byPath.get('controls.patchCoverage')).toMatchObject({ range: { low: 0, high: 0.9, scale: 'linear' }, reason: `prior in ${file}` });
    expect(byPath.get('scenario.threat.arrival.medianMinutes')).toMatchObject({ baseline: 10, range: { low: 5, high: 20, scale: 'log' } });
  });

  it('varies exactly the --param fields, and ignores a priors file that does not exist', () => {
    const { parameters, fixed } = sensitivityParameters(inputs, { param: ['scenario.threat.liveMinutes', 'scenario.recovery.autoRestore'], range: [], scenarioFile, priorsFile: join(dir, 'none.yaml') });
    expect(parameters.map((p) => [p.path, p.baseline, p.reason])).toEqual([
      ['scenario.threat.liveMinutes', 78, '--param'],
      ['scenario.recovery.autoRestore.medianMinutes', 10080, '--param'],
    ]);
    expect(fixed).toEqual([]);
  });

  it('screens a field the documents leave unset over its --range, and without one says to give it', () => {
    // The baseline regime names no patch coverage: a trial could not screen it without writing a regime file.
    const { parameters } = sensitivityParameters(inputs, { param: ['regime.controls.patchCoverage'], range: ['regime.controls.patchCoverage=0:1'], scenarioFile });
    expect(parameters).toEqual([expect.objectContaining({ path: 'controls.patchCoverage', baseline: null, range: expect.objectContaining({ low: 0, high: 1 }), rangeSource: '--range' })]);
    expect(() => sensitivityParameters(inputs, { param: ['regime.controls.patchCoverage'], range: [], scenarioFile })).toThrow(/got nothing \(the field is not set: give its --range to screen it\)$/);
  });

  it('leaves a field fixed by --set out, saying so, and refuses one both fixed and named', () => {
    const { parameters, fixed } = sensitivityParameters(inputs, { param: [], range: [], set: ['scenario.recovery.staff=12'], scenarioFile });
    expect(parameters.map((p) => p.path)).not.toContain('scenario.recovery.staff');
    expect(fixed).toContainEqual({ path: 'scenario.recovery.staff', reason: 'fixed by --set' });
    expect(() => sensitivityParameters(inputs, { param: ['regime.controls.patchCoverage'], range: [], set: ['controls.patchCoverage=0.5'], scenarioFile })).toThrow(/controls\.patchCoverage: it is also fixed by --set/);
  });

  it('refuses a prior outside its field, a --range for a field not in the analysis, and a twin field', () => {
    const file = priors({ 'scenario.clinical.downtimeCapacity': { prior: [0, 1.5] } });
    expect(() => sensitivityParameters(inputs, { param: [], range: [], scenarioFile, priorsFile: file })).toThrow(/posterior\.scenario\.clinical\.downtimeCapacity\.prior: expected a range within the field's bounds \[0, 1\]/);
    expect(() => sensitivityParameters(inputs, { param: ['scenario.recovery.staff'], range: ['scenario.threat.liveMinutes=10:100'], scenarioFile })).toThrow(UsageError);
    expect(() => sensitivityParameters(inputs, { param: ['twin.nodes.0.count'], range: [], scenarioFile })).toThrow(/a twin's are not varied/);
    expect(() => sensitivityParameters(inputs, { param: ['scenario.threat.kind'], range: [], scenarioFile })).toThrow(/scenario\.threat\.kind: expected a numeric field of the scenario crowdstrike-update, got "faulty-update", a string field$/);
    const outside = { param: ['scenario.clinical.diversionBelowCapacity'], range: ['scenario.clinical.diversionBelowCapacity=0:2'], scenarioFile };
    expect(() => sensitivityParameters(inputs, outside)).toThrow(/--range scenario\.clinical\.diversionBelowCapacity: expected a range within the field's bounds \[0, 1\], got 0:2$/);
  });
});
