import { describe, expect, it } from 'vitest';
import { loadInputs, loadVariants } from '../../cli/inputs.js';
import { parseRange } from '../../cli/overrides.js';

/**
 * A comparison's regimes and a sweep's values share one twin (resolved once): each variant must hold the
 * documents `loadInputs` gives it on its own, so stored hashes, resumes and results do not depend on how the
 * inputs were built.
 */
describe('loadVariants', () => {
  const options = { twin: 'ward', set: ['controls.patchCoverage=0.4', 'scenario.clinical.downtimeCapacity=0.3'] };

  it("gives each regime the documents loadInputs gives it, the --set overrides applied to every regime", () => {
    const regimes = ['baseline', 'segmented', 'all-controls'];
    const variants = loadVariants('wannacry-down', options, regimes.map((regime) => ({ regime })));
    regimes.forEach((regime, i) => {
      const alone = loadInputs('wannacry-down', { ...options, regime });
      expect(variants[i]!.hashes).toEqual(alone.hashes);
      expect(variants[i]!.regime).toEqual(alone.regime);
      expect(variants[i]!.scenario).toEqual(alone.scenario);
    });
    // One twin object shared, not one per regime.
    expect(variants[1]!.twin).toBe(variants[0]!.twin);
  });

  it("gives each value of a scenario or regime field the documents loadInputs gives it (the swept value last)", () => {
    for (const [target, path, values] of [
      ['regime', ['controls', 'patchCoverage'], [0, 0.5, 1]],
      ['scenario', ['clinical', 'downtimeCapacity'], [0.1, 0.6]],
    ] as const) {
      const variants = loadVariants('wannacry-down', options, values.map((value) => ({ extra: { target, path: [...path], value } })));
      values.forEach((value, i) => {
        const alone = loadInputs('wannacry-down', options, [{ target, path: [...path], value }]);
        expect(variants[i]!.hashes).toEqual(alone.hashes);
      });
      expect(new Set(variants.map((v) => (target === 'regime' ? v.hashes.regimeHash : v.hashes.scenarioHash))).size).toBe(values.length);
    }
  });

  it('refuses a twin field, which cannot vary over a shared twin', () => {
    expect(() => loadVariants('wannacry-down', options, [{ extra: { target: 'params', path: ['beds'], value: 400 } }])).toThrow(/twin field/);
  });
});

describe('twin and scenario overrides together', () => {
  // Every node carrying the CVE medjack-up exploits is given another; the scenario's exploit follows it.
  const set = [6, 7, 17].map((n) => `twin.nodes.${n}.vulns.1.cve=CVE-2099-0001`).concat('twin.nodes.9.vulns.0.cve=CVE-2099-0001');

  it('checks the scenario once, after its own overrides: one may repair what a twin override broke', () => {
    expect(() => loadInputs('medjack-up', { twin: 'ward', set })).toThrow(/threat\.exploits\[0\]: expected a CVE carried by some node/);
    const repaired = loadInputs('medjack-up', { twin: 'ward', set: [...set, 'scenario.threat.exploits.0=CVE-2099-0001'] });
    expect((repaired.scenario.threat as { exploits?: string[] }).exploits?.[0]).toBe('CVE-2099-0001');
    // The same with the repair as a sweep's value.
    const [variant] = loadVariants('medjack-up', { twin: 'ward', set }, [{ extra: { target: 'scenario', path: ['threat', 'exploits', '0'], value: 'CVE-2099-0001' } }]);
    expect(variant!.hashes).toEqual(repaired.hashes);
  });
});

describe('sweep values', () => {
  it('caps a list as it caps a range, without reading past the cap', () => {
    expect(parseRange('1,2,3', '--set x')).toEqual([1, 2, 3]);
    // On/off and named controls sweep as --set reads a value (the schema checks each before any runs).
    expect(parseRange('false,true,vendor', '--set controls.mfa')).toEqual([false, true, 'vendor']);
    // An empty item is not a 0.
    for (const text of ['0.5,', ',,', ',1', '1,,2', ' ']) expect(() => parseRange(text, '--set x'), text).toThrow(/expected lo\.\.hi:step/);
    expect(() => parseRange(Array.from({ length: 1001 }, (_, i) => i).join(','), '--set x')).toThrow('--set x: expected at most 1,000 values, got more');
    expect(() => parseRange(`${'1,'.repeat(1_000_000)}1`, '--set x')).toThrow(/at most 1,000 values/);
    expect(() => parseRange('0..1:0.0001', '--set x')).toThrow('--set x: expected at most 1,000 values, got 10,001');
  });
});
