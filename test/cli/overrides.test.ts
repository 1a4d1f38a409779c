import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { loadInputs, loadVariants } from '../../cli/inputs.js';
import { StrataInputError } from '../../engine/model/errors.js';
import { applyOverride, DELAY_FIELDS, MAX_OVERRIDES, parseOverride } from '../../cli/overrides.js';
import { Delay } from '../../engine/model/common.js';
import { resolveTwin } from '../../scenarios/index.js';

/** `--set` paths and values: every bad one a one-line usage error naming the option (issue 16). */
describe('--set overrides', () => {
  const doc = { threat: { entries: [{ count: 1 }, { count: 2 }] }, name: 'x' };

  it('sets an item of a list by its index, and a field of a mapping (creating mappings on the way)', () => {
    expect(applyOverride(doc, ['threat', 'entries', '1', 'count'], 5, '--set')).toEqual({ threat: { entries: [{ count: 1 }, { count: 5 }] }, name: 'x' });
    expect(applyOverride(doc, ['clinical', 'downtimeCapacity'], 0.2, '--set')).toMatchObject({ clinical: { downtimeCapacity: 0.2 } });
    expect(doc.threat.entries[1]!.count).toBe(2); // a copy
  });

  it('takes a list index as the problems write it, entries[0], the same as entries.0', () => {
    expect(parseOverride('scenario.threat.entries[0].share=0.5')).toEqual(parseOverride('scenario.threat.entries.0.share=0.5'));
    expect(parseOverride('twin.nodes[12]=x').path).toEqual(['nodes', '12']);
    // Only a whole index in brackets: anything else stays a step of its own and is refused where it is applied.
    expect(parseOverride('scenario.threat.entries[x].share=1').path).toEqual(['threat', 'entries[x]', 'share']);
  });

  it('copies only the path it changes: a list two entries share changes for one of them, the document never', () => {
    const shared = Object.freeze([Object.freeze({ share: 0.5 })]);
    const twin = { nodes: [{ vulns: shared }, { vulns: shared }] };
    const out = applyOverride(twin, ['nodes', '1', 'vulns', '0', 'share'], 0.9, '--set');
    expect(out.nodes[1]!.vulns[0]!.share).toBe(0.9);
    expect(out.nodes[0]!.vulns).toBe(shared);
    expect(shared[0]!.share).toBe(0.5);
    expect(twin.nodes[1]!.vulns).toBe(shared);
  });

  it('refuses a list step that is not an index of an existing item: length, negative, past the end, not a number', () => {
    for (const key of ['length', '-1', '2', '1e9', 'x', '0x1', '']) {
      const path = ['threat', 'entries', key, 'count'];
      expect(() => applyOverride(doc, path, 5, '--set scenario.threat.entries')).toThrow(UsageError);
      expect(() => applyOverride(doc, path, 5, '--set scenario.threat.entries')).toThrow(`expected a list index of "threat.entries" (0 to 1), got "${key}"`);
    }
    // As the last step too: a list cannot be grown or cut through --set.
    expect(() => applyOverride(doc, ['threat', 'entries', '2'], {}, '--set')).toThrow(/expected a list index/);
    expect(() => applyOverride(doc, ['threat', 'entries', 'length'], 0, '--set')).toThrow(/expected a list index/);
  });

  it('reads non-finite numbers as text, which the schema refuses', () => {
    expect(parseOverride('controls.patchCoverage=NaN').value).toBe('NaN');
    expect(parseOverride('controls.patchCoverage=Infinity').value).toBe('Infinity');
    expect(() => loadInputs('wannacry-down', { twin: 'ward', set: ['controls.patchCoverage=NaN'] })).toThrow(/controls\.patchCoverage: expected number, got "NaN"/);
  });

  it('reads decimal numbers only: hexadecimal and binary stay text, which the schema refuses (--runs takes digits only too)', () => {
    expect(parseOverride('controls.patchCoverage=0x1').value).toBe('0x1');
    expect(parseOverride('controls.patchCoverage=0b1').value).toBe('0b1');
    for (const [text, value] of [['0.5', 0.5], ['-2', -2], ['1e3', 1000], ['.5', 0.5], ['+3', 3], ['7.', 7], [' 0.5 ', 0.5]] as const) expect(parseOverride(`controls.patchCoverage=${text}`).value).toBe(value);
    expect(() => loadInputs('wannacry-down', { twin: 'ward', set: ['controls.patchCoverage=0x1'] })).toThrow(/controls\.patchCoverage: expected number, got "0x1"/);
  });

  it("refuses a --set of the scenario's twin (read before --set applies: it was stored and ignored) and an index spelled twice", () => {
    expect(() => parseOverride('scenario.twin=ward')).toThrow(/^--set scenario\.twin=ward: expected --twin to choose the twin the scenario runs on, got a --set of the scenario's twin field/);
    expect(() => applyOverride(doc, ['threat', 'entries', '00', 'count'], 5, '--set scenario.threat.entries.00.count')).toThrow('expected a list index of "threat.entries" (0 to 1), got "00"');
  });

  it("refuses a generator's parameter on a twin read from a file, and too many overrides", () => {
    expect(() => loadInputs('wannacry-down', { twin: 'ward', set: ['params.beds=400'] })).toThrow(/--set params\.beds: expected a built-in generator's twin .* got twin "ward", which has no generator/);
    // A file written by `twin convert acute-trust` keeps the generator's block, but is read, not generated: refused too.
    const converted = join(mkdtempSync(join(tmpdir(), 'strata-generated-')), 'acute.json');
    writeFileSync(converted, JSON.stringify(resolveTwin('acute-trust')));
    expect(() => loadInputs('wannacry-down', { twin: converted, set: ['params.beds=5'] })).toThrow(/--set params\.beds: expected a built-in generator's twin .* read from a file \(its generator block says how acute-trust made it; --twin acute-trust generates it again/);
    const many = Array.from({ length: MAX_OVERRIDES + 1 }, () => 'controls.patchCoverage=0.5');
    expect(() => loadInputs('wannacry-down', { twin: 'ward', set: many })).toThrow(`--set: expected at most 1,000 overrides, got 1,001`);
  });

  it("says a generator's refusal of a --set params value or name of the option, with what it expected", () => {
    // acute-trust (medjack-up's own twin); loadVariants and loadInputs name them the same (run, compare, sweep, …).
    for (const [value, got] of [['-4', '-4'], ['0', '0'], ['100000000', '100000000'], ['1.5', '1.5'], ['abc', '"abc"']] as const) {
      expect(() => loadInputs('medjack-up', { set: [`params.beds=${value}`] })).toThrow(new RegExp(`^--set params\\.beds: expected an integer from 1 to 100000, got ${got.replace('.', '\\.')}$`));
      expect(() => loadVariants('medjack-up', { set: [`params.beds=${value}`] }, [{ regime: 'baseline' }, { regime: 'segmented' }])).toThrow(/^--set params\.beds: expected an integer from 1 to 100000, got /);
    }
    expect(() => loadInputs('medjack-up', { set: ['params.nosuch=4'] })).toThrow(/^--set params\.nosuch: expected one of the acute-trust generator's parameters \(beds, devicesPerBed, .*sensorHostShare\), got "nosuch"$/);
    // The bad one of several, as the error the CLI prints one line of per problem.
    try {
      loadInputs('wannacry-down', { twin: 'nhs-england', set: ['params.devices=1000', 'params.segmentation=2'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StrataInputError);
      expect((error as StrataInputError).issues).toEqual([{ file: '--set params.segmentation', path: '', message: 'expected a share in [0, 1], got 2' }]);
    }
  });

  it('says which overrides were given beside a refusal of a parameter they did not set', () => {
    // The estate's devices (not set) must hold the practices' desktops that --set made too many.
    expect(() => loadInputs('wannacry-down', { twin: 'nhs-england', set: ['params.gpWorkstationsPerPractice=400'] })).toThrow(
      /^nhs-england: params\.devices: expected at least 2,960,405 \(the practices' 2,960,169 desktops and one device a trust\), got 2,000,000 \(with --set params\.gpWorkstationsPerPractice=400\)$/,
    );
  });

  it('refuses generator parameters that would build too large a twin, before memory runs out', () => {
    // 100,000 acute trusts ran out of memory after 85 s; the builder stops at its entry limit.
    expect(() => loadInputs('wannacry-down', { twin: 'nhs-england', set: ['params.acuteTrusts=100000'] })).toThrow(
      /^nhs-england: params: expected parameters that build at most 1,000,000 node and edge entries \(each may be a group of members\), got more: stopped after [\d,]+ nodes and [\d,]+ edges \(with --set params\.acuteTrusts=100000\)$/,
    );
  });

  it("says a generated twin's refusal with the overrides that built it", () => {
    expect(() => loadInputs('wannacry-down', { twin: 'nhs-england', set: ['params.devices=20000000'] })).toThrow(
      /^<generated:nhs-england>: nodes: expected at most 5,000,000 nodes once groups are expanded, got [\d,]+ \(with --set params\.devices=20000000\)$/m,
    );
  });

  it("says a calibration file's bad generator parameter as the file's field", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'strata-params-')), 'cal.yaml');
    writeFileSync(file, 'schema: strata.calibration/v1\nparameters:\n  params.beds: -4\n');
    expect(() => loadInputs('medjack-up', { calibration: file })).toThrow(`${file}: parameters.params.beds: expected an integer from 1 to 100000, got -4`);
  });

  it("gives a delay another family: the old family's fields go, the new one's are set in any order", () => {
    const responses = [{ action: 'isolate-zone', delay: { dist: 'lognormal', medianMinutes: 120, sigma: 0.5 } }];
    const fixed = applyOverride(applyOverride({ responses }, ['responses', '0', 'delay', 'dist'], 'fixed', 'x'), ['responses', '0', 'delay', 'minutes'], 5, 'x');
    expect(fixed.responses[0]!.delay).toEqual({ dist: 'fixed', minutes: 5 });
    const before = applyOverride(applyOverride({ responses }, ['responses', '0', 'delay', 'minutes'], 5, 'x'), ['responses', '0', 'delay', 'dist'], 'fixed', 'x');
    expect(before.responses[0]!.delay).toEqual({ dist: 'fixed', minutes: 5 });
    expect(responses[0]!.delay).toEqual({ dist: 'lognormal', medianMinutes: 120, sigma: 0.5 }); // never changed in place
    // Through loadInputs: wannacry-down's isolation delay made fixed.
    const inputs = loadInputs('wannacry-down', { twin: 'ward', set: ['scenario.responses.0.delay.dist=fixed', 'scenario.responses.0.delay.minutes=30'] });
    expect(inputs.scenario.responses[0]!.delay).toEqual({ dist: 'fixed', minutes: 30 });
    // The table of each family's fields is the schema's.
    for (const option of Delay.options) {
      const { dist, ...fields } = option.shape;
      expect([...DELAY_FIELDS[dist.value]].sort()).toEqual(Object.keys(fields).sort());
    }
  });

  it('names the whole option in a list error from loadInputs', () => {
    expect(() => loadInputs('wannacry-down', { twin: 'ward', set: ['scenario.threat.entries.length.x=1'] })).toThrow(
      /^--set scenario\.threat\.entries\.length\.x: expected a list index of "threat\.entries" \(0 to \d+\), got "length"$/,
    );
  });
});

describe('calibration files, checked field by field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-calibration-'));
  const shipped = 'scenarios/calibration/wannacry-down.nhs-england.yaml';
  const variant = (name: string, edit: (text: string) => string) => {
    const file = join(dir, name);
    writeFileSync(file, edit(readFileSync(shipped, 'utf8')));
    return file;
  };

  it('refuses an unknown field, a negative seed, a posterior that is no number, and what is no calibration at all', () => {
    // A trial's copies of the shipped file with each of these ran (exit 0).
    expect(() => loadInputs('wannacry-down', { twin: 'ward', calibration: variant('colour.yaml', (t) => t.replace('schema:', 'colour: red\nschema:')) })).toThrow(/colour\.yaml: expected only known fields, got unknown field "colour"$/);
    expect(() => loadInputs('wannacry-down', { twin: 'ward', calibration: variant('seed.yaml', (t) => t.replace('seed: 20170512', 'seed: -1')) })).toThrow(/seed\.yaml: seed: expected at least 0, got -1$/);
    expect(() => loadInputs('wannacry-down', { twin: 'ward', calibration: variant('median.yaml', (t) => t.replace('    median: 0.1174', '    median: x')) })).toThrow(/median\.yaml: posterior\["scenario\.threat\.entries\.0\.share"\]\.median: expected number, got "x"$/);
    expect(() => loadInputs('wannacry-down', { twin: 'ward', calibration: variant('list.yaml', () => '- 1\n') })).toThrow(/list\.yaml: schema: expected a strata\.calibration\/v1 file, got a list$/);
    // The shipped file itself is one.
    expect(() => loadInputs('wannacry-down', { twin: 'ward', calibration: shipped })).not.toThrow();
  });
});
