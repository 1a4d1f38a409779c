import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../../engine/model/json-schema.js';
import { defaultRange, markedFields, numericField } from '../../../engine/sensitivity/index.js';
import { builtinScenarios, scenarioPath } from '../../../scenarios/index.js';

const paths = (text: string) => markedFields(text).map((f) => `${f.path.join('.')}=${f.value} (${f.marker})`);

describe('markedFields: numeric fields whose comments say assumption or placeholder', () => {
  it('reads the comment at the end of the line and the block above, wherever the yaml package hangs it', () => {
    const text = [
      '# The file header mentions an assumption but marks no field.',
      'name: demo',
      'rate: 3 # assumption',
      '# Placeholder until calibrated.',
      'share: 0.2',
      'sourced: 40 # NAO HC 414 ¶2.1',
      'block:',
      '  # Assumptions, both of them (this one hangs on the map).',
      '  first: 1',
      '  second: 2 # ASSUMPTION',
      '  third: 3',
      'list:',
      '  # The first item: its first key.',
      '  - count: 4 # placeholder',
      '    atMinutes: 0',
      '  # An assumption about the second item as a whole (its first key is text).',
      '  - action: isolate',
      '    share: 0.5',
      'flat: [1, 2] # assumption, but not a number',
      'text: hello # assumption, but not a number',
    ].join('\n');
    expect(paths(text)).toEqual(['rate=3 (assumption)', 'share=0.2 (placeholder)', 'block.first=1 (assumption)', 'block.second=2 (assumption)', 'list.0.count=4 (placeholder)']);
  });

  it('takes a marked delay as its location: median, mean, scale or minutes, by dist; its shape only if marked itself', () => {
    const text = [
      'spread: { dist: lognormal, medianMinutes: 20, sigma: 1.0 } # assumption',
      '# Assumption on the median.',
      'startDelay: { dist: exponential, meanMinutes: 60 }',
      'block: # placeholder',
      '  dist: weibull',
      '  shape: 1.5',
      '  scaleMinutes: 90',
      'fixed: { dist: fixed, minutes: 5 } # assumption',
      'sourced: { dist: lognormal, medianMinutes: 78, sigma: 0.5 } # CrowdStrike PIR',
      'both:',
      '  dist: lognormal',
      '  medianMinutes: 10',
      '  sigma: 0.7 # assumption on the spread',
    ].join('\n');
    expect(paths(text)).toEqual([
      'spread.medianMinutes=20 (assumption)',
      'startDelay.meanMinutes=60 (assumption)',
      'block.scaleMinutes=90 (placeholder)',
      'fixed.minutes=5 (assumption)',
      'both.sigma=0.7 (assumption)',
    ]);
  });

  it('finds numeric fields of every seed scenario, each a number at that path in the document', () => {
    for (const name of builtinScenarios()) {
      const text = readFileSync(scenarioPath(name), 'utf8');
      const document = parse(text) as Record<string, unknown>;
      const found = markedFields(text);
      expect(found.length, name).toBeGreaterThan(0);
      for (const field of found) {
        const value = field.path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document);
        expect(value, `${name}: ${field.path.join('.')}`).toBe(field.value);
      }
    }
  });

  it('marks nothing in JSON, which has no comments', () => {
    expect(markedFields('{"rate": 3, "share": 0.2}')).toEqual([]);
  });
});

describe('numericField and defaultRange: a range the document accepts', () => {
  const schema = jsonSchema('scenario');
  const scenario = {
    threat: { kind: 'faulty-update', arrival: { dist: 'lognormal', medianMinutes: 10, sigma: 1.5 } },
    recovery: { staff: 8 },
    clinical: {
      diversionBelowCapacity: 0.5,
      downtimeCapacity: 0,
      harm: [{ kinds: ['infusion-pump'], effect: 'integrity', perPatientHour: { negligible: 0, minor: 0, serious: 0, critical: 0, catastrophic: 0 }, source: 'assumption' }],
    },
    responses: [{ action: 'disconnect-kind', share: 1 }],
  };
  const rangeOf = (path: string) => {
    const field = numericField(schema, scenario, path.split('.'));
    const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], scenario) as number;
    return field && defaultRange(value, field);
  };

  it('resolves oneOf branches (the threat kind, the delay dist) to the field and its bounds', () => {
    expect(numericField(schema, scenario, ['threat', 'arrival', 'medianMinutes'])).toMatchObject({ integer: false, exclusiveMinimum: 0 });
    expect(numericField(schema, scenario, ['recovery', 'staff'])).toMatchObject({ integer: true, minimum: 0 });
    expect(numericField(schema, scenario, ['clinical', 'downtimeCapacity'])).toMatchObject({ share: true, minimum: 0, maximum: 1 });
    expect(numericField(schema, scenario, ['clinical', 'harm', '0', 'perPatientHour', 'serious'])).toMatchObject({ share: false, minimum: 0, maximum: 1 });
    expect(numericField(schema, scenario, ['threat', 'nothing'])).toBeNull();
    expect(numericField(schema, scenario, ['threat', 'arrival', 'dist'])).toBeNull();
  });

  it('halves and doubles positive quantities on a log scale, rounds counts, keeps shares within [0, 1]', () => {
    expect(rangeOf('threat.arrival.medianMinutes')).toMatchObject({ range: { low: 5, high: 20, scale: 'log', integer: false } });
    expect(rangeOf('recovery.staff')).toMatchObject({ range: { low: 4, high: 16, scale: 'log', integer: true } });
    expect(rangeOf('clinical.diversionBelowCapacity')).toMatchObject({ range: { low: 0.25, high: 1, scale: 'linear' } });
    expect(rangeOf('clinical.downtimeCapacity')).toMatchObject({ range: { low: 0, high: 0.5, scale: 'linear' } });
    expect(rangeOf('responses.0.share')).toMatchObject({ range: { low: 0.5, high: 1, scale: 'linear' } });
    expect(rangeOf('clinical.harm.0.perPatientHour.serious')).toMatchObject({ range: null, reason: expect.stringContaining('--range') });
  });
});
