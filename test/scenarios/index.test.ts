import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentReadError } from '../../engine/model/errors.js';
import { builtinRegimes, builtinScenarios, resolveRegime, resolveScenario, resolveTwin } from '../../scenarios/index.js';

describe('built-ins by name', () => {
  it('lists the five seed scenarios and ten regimes', () => {
    expect(builtinScenarios()).toEqual(['crowdstrike-update', 'medjack-up', 'supplier-ransomware', 'vendor-cloud-down', 'wannacry-down']);
    expect(builtinRegimes()).toEqual(['all-controls', 'baseline', 'charter', 'dose-limits', 'gateway-allowlist', 'least-privilege', 'mutual-aid', 'segmented', 'staged-rollout', 'vendor-access']);
  });

  it('resolves a scenario with its default twin, or with another', () => {
    const { scenario, twin } = resolveScenario('crowdstrike-update');
    expect(scenario.name).toBe('crowdstrike-update');
    expect(twin.name).toBe('acute-trust');
    expect(resolveScenario('wannacry-down', 'ward').twin.name).toBe('ward');
    expect(resolveScenario('wannacry-down', 'scenarios/twins/ward.yaml').twin.name).toBe('ward');
    expect(resolveRegime('charter').name).toBe('charter');
  });

  it('refuses an unknown name with a line that lists the known ones', () => {
    expect(() => resolveScenario('wannacry')).toThrow(DocumentReadError);
    expect(() => resolveScenario('wannacry')).toThrow(/crowdstrike-update, medjack-up, supplier-ransomware, vendor-cloud-down, wannacry-down/);
    expect(() => resolveTwin('hospital')).toThrow(/ward, acute-trust, nhs-england/);
    expect(() => resolveRegime('strict')).toThrow(/baseline/);
  });

  it('names the scenario file and its twin field when the twin it names is no twin, or no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-scenario-twin-'));
    try {
      const text = readFileSync('scenarios/wannacry-down.yaml', 'utf8');
      const named = join(dir, 'named.yaml');
      writeFileSync(named, text.replace(/^twin: .*$/m, 'twin: nosuch-twin'));
      expect(() => resolveScenario(named)).toThrow(`${named}: twin: expected a twin file (relative to this file) or one of ward, acute-trust, nhs-england, got "nosuch-twin"`);
      const missing = join(dir, 'missing.yaml');
      writeFileSync(missing, text.replace(/^twin: .*$/m, 'twin: ./nope.yaml'));
      expect(() => resolveScenario(missing)).toThrow(`${missing}: twin: expected an existing twin file, got none at ${join(dir, 'nope.yaml')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
