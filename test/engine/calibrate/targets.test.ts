import { describe, expect, it } from 'vitest';
import { loadTargets } from '../../../cli/commands/calibrate.js';
import { Targets, metricLabel } from '../../../engine/calibrate/targets.js';
import { fromZodIssues } from '../../../engine/model/issues.js';

const base = {
  schema: 'strata.targets/v1',
  scenario: 'wannacry-down',
  twin: 'ward',
  draws: 4,
  runsPerDraw: 2,
  accept: 0.5,
  parameters: [{ path: 'scenario.threat.spread.medianMinutes', prior: [5, 120], why: 'test' }],
  targets: [{ metric: 'compromised', value: 10, source: 'test' }],
};

describe('strata.targets/v1', () => {
  it('reads the committed targets file', () => {
    const targets = loadTargets('scenarios/targets/wannacry-down.nhs-england.yaml');
    expect(targets.parameters.length).toBeGreaterThan(0);
    expect(targets.estimate.method).toBe('refined-best');
  });

  it('defaults to the posterior median, and takes a refined best with its candidates and runs', () => {
    expect(Targets.parse(base).estimate).toEqual({ method: 'posterior-median' });
    expect(Targets.parse({ ...base, estimate: { method: 'refined-best', candidates: 3, runs: 10 } }).estimate).toEqual({ method: 'refined-best', candidates: 3, runs: 10 });
  });

  it('refuses a refined best without its sizes, an unknown method, a reversed prior and a bad path', () => {
    expect(Targets.safeParse({ ...base, estimate: { method: 'refined-best' } }).success).toBe(false);
    expect(Targets.safeParse({ ...base, estimate: { method: 'mode' } }).success).toBe(false);
    expect(Targets.safeParse({ ...base, parameters: [{ ...base.parameters[0], prior: [120, 5] }] }).success).toBe(false);
    expect(Targets.safeParse({ ...base, parameters: [{ ...base.parameters[0], path: 'twin.nodes' }] }).success).toBe(false);
  });

  it('refuses a parameter named twice, no target fitted and a record below zero, each said of its field (a trial ran the fit on each)', () => {
    const problems = (doc: unknown) => {
      const r = Targets.safeParse(doc, { reportInput: true });
      return r.success ? [] : fromZodIssues(r.error.issues, 't.yaml').map((i) => `${i.path}: ${i.message}`);
    };
    expect(problems({ ...base, parameters: [base.parameters[0], base.parameters[0]] })).toEqual(['parameters: expected each path once, got "scenario.threat.spread.medianMinutes" twice']);
    expect(problems({ ...base, targets: [{ ...base.targets[0], fit: false }] })).toEqual(['targets: expected at least one target with fit: true (the others are only reported)']);
    expect(problems({ ...base, targets: [{ ...base.targets[0], value: -34 }] })).toEqual(['targets[0].value: expected at least 0, got -34']);
  });

  it('labels a sum of metrics', () => {
    expect(metricLabel(['a', 'b'])).toBe('a + b');
    expect(metricLabel('a')).toBe('a');
  });
});
