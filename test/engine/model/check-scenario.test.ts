import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkScenario } from '../../../engine/model/check-scenario.js';
import { ValidationError } from '../../../engine/model/errors.js';
import { parseScenario, parseTwin } from '../../../engine/model/load.js';
import { selectEntries, siteOf } from '../../../engine/model/selector.js';
import { OPERATOR_FIELDS } from '../kernel/tiny.js';
import {
  BASE_SCENARIO_TEXT,
  BASE_TWIN_TEXT,
  baseDoc,
  expectWellFormed,
  loadBaseTwin,
  offForm,
  pathsOf,
  refusal,
  type Doc,
} from '../../fixtures/model/helpers.js';

/**
 * Scenarios checked against the base twin (test/fixtures/model/base-twin.yaml): a selector must name
 * what the twin has and match something, an exploited CVE must be carried by some node, a response must
 * name device kinds present. Each case breaks one thing of the valid base scenario and pins the error
 * class and path; schema errors are ValidationErrors too.
 */

interface ScenarioCase {
  name: string;
  edit: (scenario: Doc) => void;
  paths: string[];
  /** A string some issue's message must contain (the offending value). */
  mentions?: string;
}

const faultyUpdate = (extra: Record<string, unknown> = {}): Doc => ({
  kind: 'faulty-update',
  source: { ids: ['pump-cloud'] },
  affects: { kinds: ['infusion-pump'] },
  liveMinutes: 90,
  arrival: { dist: 'exponential', meanMinutes: 30 },
  ...extra,
});

const CASES: ScenarioCase[] = [
  // Against the twin.
  { name: 'selector matching nothing', edit: (s) => (s.threat.entries[0].select = { kinds: ['pacemaker'] }), paths: ['threat.entries[0].select'], mentions: 'got none for {"kinds":["pacemaker"]}' },
  // A misspelt tag matches nothing: the message names it and the nearest tag some node carries (a trial's typo).
  { name: 'selector by a tag no node carries', edit: (s) => (s.threat.entries[0].select = { tags: ['windowz'] }), paths: ['threat.entries[0].select'], mentions: 'no node carries the tag "windowz" (did you mean "windows"?)' },
  { name: 'selector whose fields match apart but not together', edit: (s) => (s.threat.entries[0].select = { zones: ['corporate'], layers: ['cloud'] }), paths: ['threat.entries[0].select'] },
  { name: 'selector naming an unknown zone', edit: (s) => (s.threat.entries[0].select = { zones: ['icu'] }), paths: ['threat.entries[0].select.zones[0]'], mentions: 'icu' },
  { name: 'unknown zone after a known one', edit: (s) => (s.threat.entries[0].select = { zones: ['corporate', 'icu'] }), paths: ['threat.entries[0].select.zones[1]'], mentions: 'icu' },
  { name: 'selector naming an unknown region', edit: (s) => (s.threat.entries[0].select = { regions: ['midlands'] }), paths: ['threat.entries[0].select.regions[0]'], mentions: 'midlands' },
  { name: 'selector by a known region matching nothing with its other fields', edit: (s) => (s.threat.entries[0].select = { regions: ['london'], kinds: ['pacemaker'] }), paths: ['threat.entries[0].select'] },
  { name: 'selector naming an unknown node id', edit: (s) => (s.threat.entries[0].select = { ids: ['workstation'] }), paths: ['threat.entries[0].select.ids[0]'], mentions: 'workstation' },
  { name: 'selector naming an unknown owner', edit: (s) => (s.threat.entries[0].select = { owners: ['nhs'] }), paths: ['threat.entries[0].select.owners[0]'], mentions: 'nhs' },
  { name: 'selector naming an unknown site', edit: (s) => (s.threat.entries[0].select = { sites: ['st-nowhere'] }), paths: ['threat.entries[0].select.sites[0]'], mentions: 'st-nowhere' },
  { name: 'exploit CVE carried by no node', edit: (s) => s.threat.exploits.push('CVE-2019-0708'), paths: ['threat.exploits[1]'], mentions: 'CVE-2019-0708' },
  { name: 'disconnect-kind without kinds', edit: (s) => delete s.responses[1].kinds, paths: ['responses[1].kinds'] },
  { name: 'disconnect-kind naming a kind the twin lacks', edit: (s) => (s.responses[1].kinds = ['pacemaker']), paths: ['responses[1].kinds[0]'], mentions: 'pacemaker' },
  { name: 'an entry with both a count and a share', edit: (s) => Object.assign(s.threat.entries[0], { count: 2, share: 0.5 }), paths: ['threat.entries[0].share'] },
  { name: 'a recovery team selecting an unknown owner', edit: (s) => (s.recovery.teams = [{ name: 'vendor', select: { owners: ['nhs'] }, staff: 2, startDelay: { dist: 'fixed', minutes: 60 } }]), paths: ['recovery.teams[0].select.owners[0]'], mentions: 'nhs' },
  { name: 'a recovery team with no staff', edit: (s) => (s.recovery.teams = [{ name: 'vendor', select: { kinds: ['ehr'] }, staff: 0, startDelay: { dist: 'fixed', minutes: 60 } }]), paths: ['recovery.teams[0].staff'] },
  { name: 'a lifted halt-update', edit: (s) => s.responses.push({ action: 'halt-update', delay: { dist: 'fixed', minutes: 5 }, lift: { after: { dist: 'fixed', minutes: 5 } } }), paths: ['responses[2].lift'] },
  { name: 'faulty update from a node with no update edges', edit: (s) => (s.threat = faultyUpdate({ source: { ids: ['ehr'] } })), paths: ['threat.source'], mentions: 'ehr' },
  { name: 'faulty update affecting nothing', edit: (s) => (s.threat = faultyUpdate({ affects: { kinds: ['insulin-pump'] } })), paths: ['threat.affects'] },
  // Monitors exist, but the pump cloud updates only the pumps: the update would fail nothing in every run.
  { name: 'faulty update reaching none of what it affects', edit: (s) => (s.threat = faultyUpdate({ affects: { kinds: ['patient-monitor'] } })), paths: ['threat.affects'], mentions: '"pumps"' },
  // A threat that starts after the horizon (72 h: 4,320 minutes) does nothing in any run (a trial wrote minutes as seconds).
  { name: 'an entry after the horizon', edit: (s) => (s.threat.entries[0].atMinutes = 4321), paths: ['threat.entries[0].atMinutes'], mentions: 'expected a minute within the run (0 to 4,320, its horizon of 72 h; later seeds nothing), got 4321' },
  { name: 'a faulty update released after the horizon', edit: (s) => (s.threat = faultyUpdate({ releaseAtMinutes: 5000 })), paths: ['threat.releaseAtMinutes'], mentions: 'later releases nothing' },
  // Optional entries may each match nothing, but not all of them: the threat would never start (a misspelt region).
  {
    name: 'every entry optional and none matching',
    edit: (s) => (s.threat.entries = [{ select: { kinds: ['pacemaker'] }, optional: true }, { select: { regions: ['midlands'] }, optional: true }]),
    paths: ['threat.entries'],
    mentions: 'got none: every entry is optional and matches nothing (the entries select the regions "midlands"; the twin\'s sites are in "london")',
  },
  // Schema.
  { name: 'empty selector {}', edit: (s) => (s.threat.entries[0].select = {}), paths: ['threat.entries[0].select'] },
  { name: 'selector with a typo field', edit: (s) => (s.threat.entries[0].select = { zone: ['corporate'] }), paths: ['threat.entries[0].select'], mentions: 'zone' },
  { name: 'selector with an empty list', edit: (s) => (s.threat.entries[0].select = { zones: [] }), paths: ['threat.entries[0].select.zones'] },
  { name: 'selector naming an unknown layer', edit: (s) => (s.threat.entries[0].select = { layers: ['clowd'] }), paths: ['threat.entries[0].select.layers[0]'], mentions: 'clowd' },
  { name: 'unknown threat kind', edit: (s) => (s.threat.kind = 'wrm'), paths: ['threat.kind'], mentions: 'wrm' },
  { name: 'threat with no kind', edit: (s) => delete s.threat.kind, paths: ['threat.kind'] },
  { name: 'an estate-wide response without an escalation rule', edit: (s) => (s.responses[1].scope = 'estate'), paths: ['responses[1].scope'], mentions: 'escalation' },
  {
    name: 'a goal-directed intrusion none of whose goals matches the twin',
    edit: (s) => ((s.threat.kind = 'intrusion'), Object.assign(s.threat, OPERATOR_FIELDS, { strategy: 'goal-directed', goals: [{ kinds: ['pacemaker'] }] }), delete s.threat.spread, delete s.threat.killSwitchAtMinutes),
    paths: ['threat.goals'],
    mentions: 'at least one goal',
  },
  { name: 'an intrusion-only field on a worm', edit: (s) => (s.threat.operators = 2), paths: ['threat'], mentions: 'for kind: worm' },
  { name: 'a worm-only field on an intrusion', edit: (s) => ((s.threat.kind = 'intrusion'), Object.assign(s.threat, OPERATOR_FIELDS), delete s.threat.spread), paths: ['threat'], mentions: 'killSwitchAtMinutes' },
  { name: 'the removed safetyEventsPerPatientHour', edit: (s) => (s.clinical = { safetyEventsPerPatientHour: 0.01 }), paths: ['clinical.safetyEventsPerPatientHour'], mentions: 'clinical.harm' },
  {
    name: 'a harm rate for a kind without a harm profile',
    edit: (s) => (s.clinical = { harm: [{ kinds: ['server'], effect: 'integrity', perPatientHour: { negligible: 0, minor: 0, serious: 0, critical: 0, catastrophic: 0 }, source: 'test' }] }),
    paths: ['clinical.harm[0].kinds[0]'],
    mentions: 'server',
  },
  { name: 'a harm rate missing a severity', edit: (s) => (s.clinical = { harm: [{ kinds: ['infusion-pump'], effect: 'integrity', perPatientHour: { negligible: 0, minor: 0, serious: 0, critical: 0 }, source: 'test' }] }), paths: ['clinical.harm[0].perPatientHour.catastrophic'] },
  { name: 'an unknown payload effect', edit: (s) => (s.threat.payload.effect = 'tamper'), paths: ['threat.payload.effect'], mentions: 'tamper' },
  { name: 'delay with a missing parameter', edit: (s) => (s.threat.spread = { dist: 'exponential' }), paths: ['threat.spread.meanMinutes'] },
  // One problem, one line: the unknown field stands for the required one not given, and says so.
  { name: 'delay with another distribution\'s parameter', edit: (s) => (s.threat.spread = { dist: 'exponential', medianMinutes: 30 }), paths: ['threat.spread'], mentions: 'got unknown field "medianMinutes" (did you mean "meanMinutes"?)' },
  { name: 'delay with an unknown distribution', edit: (s) => (s.threat.spread = { dist: 'gamma', shape: 2 }), paths: ['threat.spread.dist'], mentions: 'gamma' },
  { name: 'negative fixed delay', edit: (s) => (s.responses[0].delay.minutes = -5), paths: ['responses[0].delay.minutes'], mentions: '-5' },
  { name: 'lognormal sigma 0', edit: (s) => (s.threat.payload.delay.sigma = 0), paths: ['threat.payload.delay.sigma'] },
  { name: 'exploit that is not a CVE id', edit: (s) => (s.threat.exploits = ['EternalBlue']), paths: ['threat.exploits[0]'], mentions: 'EternalBlue' },
  { name: 'no entries', edit: (s) => (s.threat.entries = []), paths: ['threat.entries'] },
  { name: 'entry count 0', edit: (s) => (s.threat.entries[0].count = 0), paths: ['threat.entries[0].count'] },
  { name: 'unknown response action', edit: (s) => (s.responses[0].action = 'pray'), paths: ['responses[0].action'], mentions: 'pray' },
  { name: 'horizon of 0 hours', edit: (s) => (s.horizonHours = 0), paths: ['horizonHours'] },
  { name: 'horizon beyond the limit', edit: (s) => (s.horizonHours = 1e9), paths: ['horizonHours'], mentions: '1000000000' },
  { name: 'start that is not an ISO date-time', edit: (s) => (s.start = '12/05/2017'), paths: ['start'], mentions: '12/05/2017' },
  { name: 'negative staff', edit: (s) => (s.recovery.staff = -1), paths: ['recovery.staff'], mentions: '-1' },
  { name: 'diversion threshold 2', edit: (s) => (s.clinical.diversionBelowCapacity = 2), paths: ['clinical.diversionBelowCapacity'] },
  { name: 'no detection', edit: (s) => delete s.detection, paths: ['detection'] },
];

function refuseScenario(c: ScenarioCase): ValidationError {
  const scenario = baseDoc(BASE_SCENARIO_TEXT);
  c.edit(scenario);
  return refusal(() => parseScenario(stringify(scenario), 'scenario.yaml', loadBaseTwin()));
}

describe('a scenario with one thing broken, checked against the base twin', () => {
  it('the base scenario itself loads', () => {
    expect(parseScenario(BASE_SCENARIO_TEXT, 'scenario.yaml', loadBaseTwin()).threat.kind).toBe('worm');
  });

  it('a faulty update from the pump cloud loads', () => {
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    scenario.threat = faultyUpdate();
    expect(parseScenario(stringify(scenario), 'scenario.yaml', loadBaseTwin()).threat.kind).toBe('faulty-update');
  });

  it.each(CASES)('$name', (c) => {
    const refused = refuseScenario(c);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(pathsOf(refused)).toEqual([...new Set(c.paths)].sort());
    if (c.mentions !== undefined) {
      const messages = refused.issues.map((issue) => issue.message);
      expect(messages.some((m) => m.includes(c.mentions!)), `a message mentions "${c.mentions}": ${messages.join(' | ')}`).toBe(true);
    }
    expectWellFormed(refused);
  });

  it('an entry at the horizon itself, and an optional entry matching nothing beside one that matches, load', () => {
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    scenario.threat.entries[0].atMinutes = 4320;
    scenario.threat.entries.push({ select: { kinds: ['pacemaker'] }, optional: true });
    expect(parseScenario(stringify(scenario), 'scenario.yaml', loadBaseTwin()).threat.kind).toBe('worm');
  });

  it('a selector by region picks the nodes of the sites in it', () => {
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    const select = { ...scenario.threat.entries[0].select, regions: ['london'] };
    scenario.threat.entries[0].select = select;
    const twin = loadBaseTwin();
    const threat = parseScenario(stringify(scenario), 'scenario.yaml', twin).threat;
    expect(threat.kind === 'worm' && threat.entries[0]!.select.regions).toEqual(['london']);
    const without = selectEntries(twin, { ...select, regions: undefined });
    expect(without.length).toBeGreaterThan(0);
    expect(selectEntries(twin, select)).toEqual(without.filter((e) => siteOf(twin, twin.nodes[e]!) === 'st-elsewhere'));
  });

  it('three problems against the twin give three issues', () => {
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    scenario.threat.entries[0].select = { zones: ['icu'] };
    scenario.threat.exploits.push('CVE-2019-0708');
    scenario.responses[1].kinds = ['pacemaker'];
    const refused = refusal(() => parseScenario(stringify(scenario), 'scenario.yaml', loadBaseTwin()));
    expect(refused.issues).toHaveLength(3);
    expect(pathsOf(refused)).toEqual(['responses[1].kinds[0]', 'threat.entries[0].select.zones[0]', 'threat.exploits[1]']);
    expectWellFormed(refused);
  });

  it('without a twin, only the schema is checked', () => {
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    scenario.threat.entries[0].select = { zones: ['icu'] };
    scenario.threat.exploits.push('CVE-2019-0708');
    expect(parseScenario(stringify(scenario), 'scenario.yaml').threat.kind).toBe('worm');
  });

  it('checkScenario reports nothing for the base scenario', () => {
    const scenario = parseScenario(BASE_SCENARIO_TEXT, 'scenario.yaml');
    expect(checkScenario(scenario, loadBaseTwin(), 'scenario.yaml')).toEqual([]);
  });

  it('every message reads "expected ..., got ..."', () => {
    // A case that does not refuse cleanly fails its own test; here it only contributes no messages.
    const messages = CASES.flatMap((c) => {
      try {
        return refuseScenario(c).issues;
      } catch {
        return [];
      }
    });
    expect([...new Set(offForm(messages))].sort()).toEqual([]);
  });

  // Same root cause as the twin's dangling references: a Levenshtein "did you mean" against every known
  // id, 200 × 200 steps per pair.
  it('unknown ids in a selector against a twin of many long ids are reported quickly', () => {
    const twinDoc = baseDoc(BASE_TWIN_TEXT);
    const longId = (prefix: string, i: number): string => `${prefix}${String(i).padStart(199, '0')}`;
    for (let i = 0; i < 2000; i++) {
      twinDoc.nodes.push({ id: longId('n', i), layer: 'cloud', kind: 'ehr', owner: 'trust', recovery: { handsOnMinutes: 1 } });
    }
    const twin = parseTwin(stringify(twinDoc, { lineWidth: 0 }), 'twin.yaml');
    const scenario = baseDoc(BASE_SCENARIO_TEXT);
    scenario.threat.entries[0].select = { ids: Array.from({ length: 10 }, (_, i) => longId('m', i)) };
    const text = stringify(scenario, { lineWidth: 0 });
    const started = performance.now();
    const refused = refusal(() => parseScenario(text, 'scenario.yaml', twin));
    const elapsed = performance.now() - started;
    expect(refused.issues).toHaveLength(10);
    expect(elapsed).toBeLessThan(2000);
  });
});
