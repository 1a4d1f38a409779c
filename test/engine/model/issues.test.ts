import { describe, expect, it } from 'vitest';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../../engine/model/load.js';
import { StrataInputError } from '../../../engine/model/errors.js';
import { resolveRegime, resolveScenario, resolveTwin } from '../../../scenarios/index.js';

/** zod's issues as the CLI says them: one line per problem (engine/model/issues.ts), from a trial's cases. */
const lines = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof StrataInputError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
};

describe('one line per problem', () => {
  it('keeps a problem of another value said at the same field (an entry\'s count and share both given, beside share past 1)', () => {
    const scenario = structuredClone(resolveScenario('wannacry-down').scenario) as unknown as { threat: { entries: Record<string, unknown>[] } };
    Object.assign(scenario.threat.entries[0]!, { count: 2, share: 1.5 });
    const said = lines(() => scenarioFromValue(scenario, 's.yaml'));
    expect(said.filter((l) => l.startsWith('threat.entries[0].share'))).toHaveLength(2);
  });

  const ward = structuredClone(resolveTwin('ward'));

  it('says an unsafe count once, by the field\'s own limit (it was said twice: the safe integers\' and the field\'s)', () => {
    const twin = structuredClone(ward);
    twin.nodes[0]!.count = 1e30;
    expect(lines(() => twinFromValue(twin, 't.json'))).toEqual(['nodes[0].count: expected at most 5000000, got 1e+30']);
  });

  it('gives each unknown field its own line (they were listed on one)', () => {
    const twin = structuredClone(ward) as unknown as { nodes: Record<string, unknown>[] } & Record<string, unknown>;
    Object.assign(twin.nodes[0]!, { colour: 'red', size: 3 });
    expect(lines(() => twinFromValue(twin, 't.json'))).toEqual(['nodes[0]: expected only known fields, got unknown field "colour"', 'nodes[0]: expected only known fields, got unknown field "size" (did you mean "site"?)']);
  });

  it('says a misspelt field as one problem with the field meant, optional or required (a trial: two lines, no pointer)', () => {
    const twin = structuredClone(ward) as unknown as { nodes: Record<string, unknown>[]; services: Record<string, unknown>[] } & Record<string, unknown>;
    // Required: the missing demandPerHour is the same problem, not a line of its own.
    const service = twin.services[0]!;
    service.demandPerHr = service.demandPerHour;
    delete service.demandPerHour;
    // Optional, inside a list: the fields known there.
    Object.assign(twin.nodes[0]!, { critcalFor: [] });
    expect(lines(() => twinFromValue(twin, 't.json')).sort()).toEqual([
      'nodes[0]: expected only known fields, got unknown field "critcalFor" (did you mean "criticalFor"?)',
      'services[0]: expected only known fields, got unknown field "demandPerHr" (did you mean "demandPerHour"?)',
    ]);
  });

  it('says what a required mapping not given holds: its fields, or each form of a delay (a trial guessed the keys)', () => {
    const scenario = structuredClone(resolveScenario('wannacry-down', 'ward').scenario) as unknown as { detection: Record<string, unknown>; threat: Record<string, unknown> };
    const worm = scenario.threat;
    delete worm.spread;
    expect(lines(() => scenarioFromValue(scenario, 's.yaml'))).toEqual([
      'threat.spread: expected a mapping with dist: fixed (minutes), exponential (meanMinutes), lognormal (medianMinutes, sigma) or weibull (shape, scaleMinutes), got nothing (required)',
    ]);
    const intrusion = structuredClone(resolveScenario('medjack-up', 'ward').scenario) as unknown as { threat: Record<string, unknown> };
    delete intrusion.threat.credentials;
    expect(lines(() => scenarioFromValue(intrusion, 's.yaml'))).toEqual(['threat.credentials: expected a mapping of local-admin, domain, service, vendor, got nothing (required)']);
  });

  it("suggests only the fields of the form the mapping is, never the field itself, and keeps a missing field a nearer one was meant beside (a review)", () => {
    const scenario = () => structuredClone(resolveScenario('wannacry-down', 'ward').scenario) as unknown as { threat: Record<string, unknown>; recovery?: unknown };
    const fixed = scenario();
    fixed.threat.spread = { dist: 'fixed', meanMinutes: 30 };
    expect(lines(() => scenarioFromValue(fixed, 's.yaml'))).toEqual(['threat.spread.minutes: expected number, got nothing (required)', 'threat.spread: expected only known fields, got unknown field "meanMinutes"']);
    // Another kind's field is no typo: it was "did you mean "operators"?".
    const worm = scenario();
    worm.threat.operators = 2;
    expect(lines(() => scenarioFromValue(worm, 's.yaml'))).toEqual(['threat: expected only known fields for kind: worm, got unknown field "operators"']);
    // `sit` is `site` misspelt: the node's missing id stays said.
    const twin = structuredClone(ward) as unknown as { nodes: Record<string, unknown>[] };
    delete twin.nodes[0]!.id;
    twin.nodes[0]!.sit = 'x';
    expect(lines(() => twinFromValue(twin, 't.json'))).toEqual(['nodes[0].id: expected string, got nothing (required)', 'nodes[0]: expected only known fields, got unknown field "sit" (did you mean "site"?)']);
    // A required mapping's optional fields are said as such; a threat's forms by their kinds alone.
    const bare = scenario();
    delete bare.recovery;
    expect(lines(() => scenarioFromValue(bare, 's.yaml'))).toEqual(['recovery: expected a mapping of staff, and optionally perSite, startDelay, startDelayPer, autoRestore, teams, got nothing (required)']);
  });

  it('points a misspelt value of a long list to the nearest', () => {
    const twin = structuredClone(ward);
    (twin.nodes[0] as { kind: string }).kind = 'patient-moniter';
    expect(lines(() => twinFromValue(twin, 't.json'))[0]).toMatch(/^nodes\[0\]\.kind: expected infusion-pump\|.*, got "patient-moniter" \(did you mean "patient-monitor"\?\)$/);
  });

  it('drops a refinement\'s complaint about a value a check refused at the same field (waves: [] was too short and did not end at 1)', () => {
    const regime = structuredClone(resolveRegime('staged-rollout')) as unknown as { controls: { stagedRollout: { waves: number[] } } };
    regime.controls.stagedRollout.waves = [];
    expect(lines(() => regimeFromValue(regime, 'r.yaml'))).toEqual(['controls.stagedRollout.waves: expected at least 1 item, got 0 items']);
  });
});
