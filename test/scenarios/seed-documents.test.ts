import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARM_PROFILES } from '../../engine/model/harm.js';
import { LineCounter, parseDocument, visit } from 'yaml';
import { loadRegimeFile, loadScenarioFile, loadTwinFile } from '../../engine/model/load-file.js';
import { twinFromValue } from '../../engine/model/load.js';
import type { TwinInput } from '../../engine/model/twin.js';
import { generateAcuteTrust } from '../../scenarios/twins/acute-trust.js';
import { generateNhsEngland } from '../../scenarios/twins/nhs-england.js';

/**
 * The seed scenarios and control regimes as data: each one validates, each scenario's selectors match
 * nodes in every built-in twin present, and every figure in them carries a comment saying where it came
 * from (or that it is an assumption) — see docs/sources.md.
 */

const SCENARIOS = ['wannacry-down', 'medjack-up', 'crowdstrike-update', 'vendor-cloud-down'].map((name) => `scenarios/${name}.yaml`);
const REGIME_DIR = 'scenarios/regimes';
const REGIMES = readdirSync(REGIME_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(REGIME_DIR, f));

/** The generated built-in twins, at their default parameters and seed. */
const GENERATED: [string, () => TwinInput][] = [
  ['acute-trust', () => generateAcuteTrust()],
  ['nhs-england', () => generateNhsEngland()],
];

/**
 * Lines holding a number other than 0 or 1 with no comment on the line itself nor a comment line directly
 * above it. Crude on purpose: it cannot tell a source from a shrug, but it does catch a bare figure.
 */
function uncommentedFigures(text: string, file: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lines = text.split('\n');
  const bare = new Set<string>();
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'number' || node.value === 0 || node.value === 1 || !node.range) return;
      const { line } = lineCounter.linePos(node.range[0]);
      const here = lines[line - 1] ?? '';
      let above = line - 2;
      while (above >= 0 && lines[above]!.trim() === '') above--;
      const commentAbove = above >= 0 && lines[above]!.trim().startsWith('#');
      if (!/(^|\s)#/.test(here) && !commentAbove) bare.add(`${file}:${line}: ${here.trim()}`);
    },
  });
  return [...bare];
}

describe('seed control regimes', () => {
  it('are the six named in the design, mutual aid (the supplier-ransomware issue), and vendor access, gateway allow-listing and dose limits (the harm issue)', () => {
    expect(REGIMES.map((f) => basename(f, '.yaml'))).toEqual([
      'all-controls',
      'baseline',
      'charter',
      'dose-limits',
      'gateway-allowlist',
      'least-privilege',
      'mutual-aid',
      'segmented',
      'staged-rollout',
      'vendor-access',
    ]);
  });

  it.each(REGIMES)('%s validates and is named after its file', (file) => {
    const regime = loadRegimeFile(file);
    expect(regime.name).toBe(basename(file, '.yaml'));
  });

  it('leave baseline empty, so every regime is a difference from today', () => {
    expect(loadRegimeFile(join(REGIME_DIR, 'baseline.yaml')).controls).toEqual({});
  });

  it('give all-controls every control any other regime sets, at the same value (or everywhere where one sets it on vendors only)', () => {
    const all = loadRegimeFile(join(REGIME_DIR, 'all-controls.yaml')).controls as Record<string, unknown>;
    for (const file of REGIMES) {
      for (const [control, value] of Object.entries(loadRegimeFile(file).controls)) expect(all[control], `${file}: ${control}`).toEqual(value === 'vendor' ? true : value);
    }
  });
});

describe('seed scenarios', () => {
  it("vendor-cloud-down writes out the infusion pumps' default harm rates (so sensitivity varies them), unchanged", () => {
    const scenario = loadScenarioFile('scenarios/vendor-cloud-down.yaml', loadTwinFile('scenarios/twins/ward.yaml'));
    for (const r of scenario.clinical.harm) for (const kind of r.kinds) expect(r.perPatientHour, `${kind} ${r.effect}`).toEqual(HARM_PROFILES[kind]![r.effect].perPatientHour);
    expect(scenario.clinical.harm).toHaveLength(2);
  });

  const ward = loadTwinFile('scenarios/twins/ward.yaml');

  it.each(SCENARIOS)('%s validates against the ward twin and is named after its file', (file) => {
    const scenario = loadScenarioFile(file, ward);
    expect(scenario.name).toBe(basename(file, '.yaml'));
    expect(scenario.twin).toBe('acute-trust');
  });

  it.each(GENERATED)('validate against the generated %s twin', (name, generate) => {
    const twin = twinFromValue(generate(), name);
    for (const file of SCENARIOS) expect(loadScenarioFile(file, twin).name).toBe(basename(file, '.yaml'));
  });

  it('select nodes by kind and tag only, so they run on any built-in twin', () => {
    for (const file of SCENARIOS) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/^\s*(ids|zones|sites|owners):/m);
      expect(text, file).not.toMatch(/\b(ids|zones|sites|owners):\s*\[/);
    }
  });

  it('keep the timings their sources give', () => {
    const wannacry = loadScenarioFile('scenarios/wannacry-down.yaml');
    const crowdstrike = loadScenarioFile('scenarios/crowdstrike-update.yaml');
    const minutesSince = (start: string | undefined, iso: string): number => (Date.parse(iso) - Date.parse(start!)) / 60_000;
    // Kill-switch domain registered 15:08 UTC, 12 May 2017 (WHOIS creation date; MalwareTech).
    expect(wannacry.threat.kind === 'worm' && wannacry.threat.killSwitchAtMinutes).toBe(Math.floor(minutesSince(wannacry.start, '2017-05-12T15:08:04Z')));
    // Channel File 291 live 04:09–05:27 UTC, 19 July 2024 (CrowdStrike PIR).
    expect(crowdstrike.threat.kind === 'faulty-update' && crowdstrike.threat.liveMinutes).toBe(minutesSince(crowdstrike.start, '2024-07-19T05:27:00Z'));
    expect(crowdstrike.threat.kind === 'faulty-update' && crowdstrike.threat.releaseAtMinutes).toBe(0);
  });
});

describe('figures in the seed documents', () => {
  it.each([...SCENARIOS, ...REGIMES])('%s: every figure other than 0 or 1 has a comment beside or above it', (file) => {
    expect(uncommentedFigures(readFileSync(file, 'utf8'), file)).toEqual([]);
  });

  it('the check finds a bare figure and accepts a commented one', () => {
    const text = ['a: 12', 'b: 13 # NAO HC 414', '# assumption', 'c: 14', 'd: 1', 'e: [0.5, 2]'].join('\n');
    expect(uncommentedFigures(text, 'x.yaml')).toEqual(['x.yaml:1: a: 12', 'x.yaml:6: e: [0.5, 2]']);
  });

  it('docs/sources.md lists the seed figures', () => {
    const sources = readFileSync('docs/sources.md', 'utf8');
    for (const figure of ['444', '78', 'CVE-2017-0144', 'CVE-2008-4250', 'CVE-2019-10964', 'ICSMA-19-178-01', 'HC 414', '8.5 million', '97%', '83%', '72%']) {
      expect(sources).toContain(figure);
    }
  });
});
