import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DocumentReadError, ValidationError, type ModelIssue, type StrataInputError } from '../../../engine/model/errors.js';
import { parseRegime, parseTwin, twinFromValue } from '../../../engine/model/load.js';
import { loadRegimeFile, loadTwinFile } from '../../../engine/model/load-file.js';
import { LIMITS } from '../../../engine/model/vocabulary.js';
import { resolveTwin } from '../../../scenarios/index.js';
import {
  BASE_REGIME_TEXT,
  BASE_TWIN_TEXT,
  baseDoc,
  expectPrototypesClean,
  expectWellFormed,
  offForm,
  pathsOf,
  prototypeSnapshot,
  refusal,
  type Doc,
} from '../../fixtures/model/helpers.js';

/**
 * The loader's hostile-input suite: every broken document is refused with the right error class and the
 * right field path — never a crash, a hang or a polluted prototype. Cases are mostly one-field mutations
 * of the valid base documents in test/fixtures/model; the rest are raw bytes written to a temporary
 * directory and read through load-file.ts. Wording is not pinned, except that a message names the
 * offending value where one exists.
 */

type ErrorClass = typeof DocumentReadError | typeof ValidationError;

interface Case {
  name: string;
  /** Default ValidationError. */
  error?: ErrorClass;
  /** Every distinct path reported, in any order. */
  paths: string[];
  /** A string some issue's message must contain (the offending value). */
  mentions?: string | RegExp;
}

interface MutationCase extends Case {
  edit: (doc: Doc) => void;
}

const prototypesBefore = prototypeSnapshot();

function expectCase(refused: StrataInputError, expected: Omit<Case, 'name'>): void {
  expect(refused).toBeInstanceOf(expected.error ?? ValidationError);
  expect(pathsOf(refused)).toEqual([...new Set(expected.paths)].sort());
  if (expected.mentions !== undefined) {
    const mentions = expected.mentions;
    const messages = refused.issues.map((issue) => issue.message);
    expect(messages.some((m) => (typeof mentions === 'string' ? m.includes(mentions) : mentions.test(m))), `a message mentions ${String(mentions)}: ${messages.join(' | ')}`).toBe(true);
  }
  expectWellFormed(refused);
}

const node = (id: string, extra: Record<string, unknown> = {}): Doc => ({
  id,
  layer: 'cloud',
  kind: 'supplier-platform',
  owner: 'ehr-supplier',
  recovery: { handsOnMinutes: 60 },
  ...extra,
});

// Base twin node entries: 0 pumps (40), 1 monitors (12), 2 ct, 3 workstations (30), 4 core-switch,
// 5 pump-gateway, 6 pump-cloud, 7 ehr. Edges: 0 workstations<->core-switch, 1 workstations->workstations,
// 2 pumps->pump-gateway, 3 pump-gateway->pump-cloud, 4 pump-cloud->pumps (spread), 5 ct->core-switch,
// 6 workstations->ehr, 7 monitors->workstations. Zones: 0 clinical, 1 imaging, 2 corporate.
const TWIN_CASES: MutationCase[] = [
  // Wrong types and values.
  { name: 'layer "clowd"', edit: (t) => (t.nodes[3].layer = 'clowd'), paths: ['nodes[3].layer'], mentions: 'clowd' },
  { name: 'layer given as a number', edit: (t) => (t.nodes[3].layer = 7), paths: ['nodes[3].layer'], mentions: '7' },
  { name: 'unknown node kind', edit: (t) => (t.nodes[0].kind = 'infusion-pmp'), paths: ['nodes[0].kind'], mentions: 'infusion-pmp' },
  // One problem, one line: the misspelt field stands for the required one not given (it was said twice).
  { name: 'unknown field (typo "laeyr")', edit: (t) => renameKey(t.nodes[3], 'layer', 'laeyr'), paths: ['nodes[3]'], mentions: 'got unknown field "laeyr" (did you mean "layer"?)' },
  { name: 'unknown top-level field', edit: (t) => (t.nodez = []), paths: [''], mentions: 'nodez' },
  { name: 'count of 10^12', edit: (t) => (t.nodes[0].count = 1e12), paths: ['nodes[0].count'], mentions: '1000000000000' },
  { name: 'count 0', edit: (t) => (t.nodes[0].count = 0), paths: ['nodes[0].count'], mentions: '0' },
  { name: 'count -3', edit: (t) => (t.nodes[0].count = -3), paths: ['nodes[0].count'], mentions: '-3' },
  { name: 'count 2.5', edit: (t) => (t.nodes[0].count = 2.5), paths: ['nodes[0].count'], mentions: '2.5' },
  { name: 'count as a string', edit: (t) => (t.nodes[0].count = '40'), paths: ['nodes[0].count'], mentions: '"40"' },
  { name: 'missing required recovery', edit: (t) => delete t.nodes[4].recovery, paths: ['nodes[4].recovery'] },
  { name: 'hands-on minutes 0', edit: (t) => (t.nodes[4].recovery.handsOnMinutes = 0), paths: ['nodes[4].recovery.handsOnMinutes'] },
  { name: 'patients attached beyond the limit', edit: (t) => (t.nodes[0].patientsAttached = 5000), paths: ['nodes[0].patientsAttached'], mentions: '5000' },
  { name: 'unknown node control', edit: (t) => t.nodes[3].controls.push('firewall'), paths: ['nodes[3].controls[1]'], mentions: 'firewall' },
  { name: 'node entry that is a string', edit: (t) => (t.nodes[1] = 'monitors'), paths: ['nodes[1]'], mentions: 'monitors' },
  { name: 'owners as a mapping', edit: (t) => (t.owners = { trust: 'operator' }), paths: ['owners'] },
  { name: 'no nodes at all', edit: (t) => (t.nodes = []), paths: ['nodes'] },
  { name: 'edges: null', edit: (t) => (t.edges = null), paths: ['edges'], mentions: 'null' },
  { name: 'name as a list', edit: (t) => (t.name = ['base', 'ward']), paths: ['name'] },
  { name: 'title beyond 10,000 characters', edit: (t) => (t.title = 'x'.repeat(10_001)), paths: ['title'] },
  { name: 'id with a space', edit: (t) => (t.nodes[4].id = 'core switch'), paths: ['nodes[4].id'], mentions: 'core switch' },
  { name: 'id with the reserved #', edit: (t) => (t.nodes[0].id = 'pumps#1'), paths: ['nodes[0].id'], mentions: 'pumps#1' },
  { name: 'unknown edge relation', edit: (t) => (t.edges[0].relation = 'wifi'), paths: ['edges[0].relation'], mentions: 'wifi' },
  { name: 'unknown edge pattern', edit: (t) => (t.edges[0].pattern = 'mesh'), paths: ['edges[0].pattern'], mentions: 'mesh' },
  { name: 'negative demandPerHour', edit: (t) => (t.services[0].demandPerHour = -5), paths: ['services[0].demandPerHour'], mentions: '-5' },
  { name: 'criticality 9', edit: (t) => (t.services[0].criticality = 9), paths: ['services[0].criticality'], mentions: '9' },
  { name: 'criticality 2.5', edit: (t) => (t.services[1].criticality = 2.5), paths: ['services[1].criticality'], mentions: '2.5' },
  { name: 'unknown service unit', edit: (t) => (t.services[1].unit = 'beds'), paths: ['services[1].unit'], mentions: 'beds' },
  { name: 'vulnerability share 1.5', edit: (t) => (t.nodes[0].vulns[0].share = 1.5), paths: ['nodes[0].vulns[0].share'], mentions: '1.5' },
  { name: 'vulnerability with an empty source', edit: (t) => (t.nodes[2].vulns[0].source = ''), paths: ['nodes[2].vulns[0].source'] },
  // CVSS, CVE, purl, CPE.
  { name: 'CVSS garbage', edit: (t) => (t.nodes[2].vulns[0].cvss = 'high'), paths: ['nodes[2].vulns[0].cvss'], mentions: 'high' },
  { name: 'CVSS 3.1 missing base metrics', edit: (t) => (t.nodes[2].vulns[0].cvss = 'CVSS:3.1/AV:N/AC:H/PR:N'), paths: ['nodes[2].vulns[0].cvss'], mentions: 'CVSS:3.1/AV:N/AC:H/PR:N' },
  { name: 'CVSS unknown metric value', edit: (t) => (t.nodes[2].vulns[0].cvss = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:Q'), paths: ['nodes[2].vulns[0].cvss'], mentions: 'A:Q' },
  { name: 'CVSS:2.0 prefix', edit: (t) => (t.nodes[2].vulns[0].cvss = 'CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C'), paths: ['nodes[2].vulns[0].cvss'], mentions: 'CVSS:2.0' },
  { name: 'CVSS 4.0 missing subsequent-system metrics', edit: (t) => (t.nodes[0].vulns[0].cvss = 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H'), paths: ['nodes[0].vulns[0].cvss'] },
  { name: 'CVSS v2 metrics behind a CVSS:3.1 prefix', edit: (t) => (t.nodes[2].vulns[0].cvss = 'CVSS:3.1/AV:N/AC:L/Au:N/C:C/I:C/A:C'), paths: ['nodes[2].vulns[0].cvss'] },
  { name: 'CVSS 3.1 metrics behind a CVSS:4.0 prefix', edit: (t) => (t.nodes[2].vulns[0].cvss = 'CVSS:4.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'), paths: ['nodes[2].vulns[0].cvss'] },
  { name: 'CVSS as a number', edit: (t) => (t.nodes[2].vulns[0].cvss = 8.1), paths: ['nodes[2].vulns[0].cvss'], mentions: '8.1' },
  { name: 'bad CVE id', edit: (t) => (t.nodes[2].vulns[0].cve = 'CVE-17-144'), paths: ['nodes[2].vulns[0].cve'], mentions: 'CVE-17-144' },
  { name: 'bad purl', edit: (t) => (t.nodes[2].software[0].purl = 'microsoft windows 7'), paths: ['nodes[2].software[0].purl'] },
  { name: 'bad CPE', edit: (t) => (t.nodes[2].software[0].cpe = 'cpe:/o:microsoft:windows_7'), paths: ['nodes[2].software[0].cpe'], mentions: 'cpe:/o:microsoft:windows_7' },
  // Dangling references.
  { name: 'edge to a missing node', edit: (t) => (t.edges[2].to = 'pump-gatewy'), paths: ['edges[2].to'], mentions: 'pump-gatewy' },
  { name: 'edge from a missing node', edit: (t) => (t.edges[5].from = 'mri'), paths: ['edges[5].from'], mentions: 'mri' },
  { name: 'unknown owner', edit: (t) => (t.nodes[1].owner = 'trusst'), paths: ['nodes[1].owner'], mentions: 'trusst' },
  { name: 'unknown zone on a node', edit: (t) => (t.nodes[1].zone = 'icu'), paths: ['nodes[1].zone'], mentions: 'icu' },
  // The misspelt service, and the service the node was meant to support, left with none.
  { name: 'unknown service on a node', edit: (t) => (t.nodes[0].services = ['infusion']), paths: ['nodes[0].services[0]', 'services[0]'], mentions: 'infusion' },
  { name: 'unknown site on a node', edit: (t) => (t.nodes[6].site = 'aws-eu'), paths: ['nodes[6].site'], mentions: 'aws-eu' },
  { name: 'unknown site on a zone', edit: (t) => (t.zones[0].site = 'st-elsewere'), paths: ['zones[0].site'], mentions: 'st-elsewere' },
  { name: 'unknown site on a service', edit: (t) => (t.services[0].site = 'north'), paths: ['services[0].site'], mentions: 'north' },
  // A kind on a layer it cannot sit on (issue 16): a PACS is not a device at the patient, a pump not a cloud.
  { name: 'a PACS on the physical layer', edit: (t) => (t.nodes[0].kind = 'pacs'), paths: ['nodes[0].layer'], mentions: 'network or cloud' },
  { name: 'an infusion pump in the cloud', edit: (t) => (t.nodes[0].layer = 'cloud'), paths: ['nodes[0].layer'], mentions: 'physical' },
  // Services that need others, and hard dependencies (issue 12).
  { name: 'a service needing an unknown service', edit: (t) => (t.services[0].needs = [{ service: 'bloods', share: 0.3 }]), paths: ['services[0].needs[0].service'], mentions: 'bloods' },
  { name: 'a service needing itself', edit: (t) => (t.services[0].needs = [{ service: 'infusions', share: 0.3 }]), paths: ['services[0].needs[0].service'], mentions: 'infusions' },
  {
    name: 'services needing each other in a circle',
    edit: (t) => {
      t.services[0].needs = [{ service: 'scans', share: 0.3 }];
      t.services[1].needs = [{ service: 'infusions', share: 0.3 }];
    },
    paths: ['services[0].needs'],
    mentions: 'infusions → scans → infusions',
  },
  // A service nothing can take down reads full capacity in every run: a typo in a node's `services` hid one (a trial).
  { name: 'a service no node supports and that needs none', edit: (t) => t.services.push({ id: 'radiology', name: 'Radiology', unit: 'scans', demandPerHour: 5, criticality: 3 }), paths: ['services[3]'], mentions: 'radiology' },
  { name: 'a need share of 0', edit: (t) => (t.services[0].needs = [{ service: 'scans', share: 0 }]), paths: ['services[0].needs[0].share'] },
  { name: 'a workaround ceiling above 1', edit: (t) => (t.services[0].workarounds = [{ name: 'paper', kind: 'manual', ceiling: 1.5, after: { dist: 'fixed', minutes: 60 }, rampMinutes: 0, source: 'test' }]), paths: ['services[0].workarounds[0].ceiling'], mentions: '1.5' },
  { name: 'an unknown workaround kind', edit: (t) => (t.services[0].workarounds = [{ name: 'paper', kind: 'prayer', ceiling: 0.5, after: { dist: 'fixed', minutes: 60 }, rampMinutes: 0, source: 'test' }]), paths: ['services[0].workarounds[0].kind'], mentions: 'prayer' },
  { name: 'required for an unknown service', edit: (t) => (t.nodes[0].requiredFor = ['bloods']), paths: ['nodes[0].requiredFor[0]'], mentions: 'bloods' },
  { name: 'required for a service it also supports', edit: (t) => (t.nodes[0].requiredFor = ['infusions']), paths: ['nodes[0].requiredFor[0]'], mentions: 'infusions' },
  { name: 'zone reaching an unknown zone', edit: (t) => (t.zones[0].reaches = ['corprate']), paths: ['zones[0].reaches[0]'], mentions: 'corprate' },
  { name: 'zone reaching itself', edit: (t) => (t.zones[0].reaches = ['clinical']), paths: ['zones[0].reaches[0]'] },
  { name: 'essential flow not among reaches', edit: (t) => (t.zones[1].essential = ['clinical']), paths: ['zones[1].essential[0]'], mentions: 'clinical' },
  { name: 'vulnerability in an unknown component', edit: (t) => (t.nodes[2].vulns[0].component = 'linux'), paths: ['nodes[2].vulns[0].component'], mentions: 'linux' },
  // One line per issue even when the document's own text holds a line break.
  { name: 'unknown component whose name holds a line break', edit: (t) => (t.nodes[2].vulns[0].component = 'win\ndows'), paths: ['nodes[2].vulns[0].component'] },
  { name: 'unknown field whose name holds a line break', edit: (t) => (t.nodes[3]['la\nyer'] = 'cloud'), paths: ['nodes[3]'] },
  // Duplicates.
  { name: 'duplicate node ids', edit: (t) => t.nodes.push(node('core-switch')), paths: ['nodes[8].id'], mentions: 'core-switch' },
  { name: 'duplicate zone ids', edit: (t) => t.zones.push({ id: 'imaging' }), paths: ['zones[3].id'], mentions: 'imaging' },
  { name: 'duplicate owner ids', edit: (t) => t.owners.push({ id: 'trust', kind: 'supplier' }), paths: ['owners[3].id'], mentions: 'trust' },
  { name: 'the same CVE twice on a node', edit: (t) => t.nodes[2].vulns.push({ ...t.nodes[2].vulns[0] }), paths: ['nodes[2].vulns[1].cve'], mentions: 'CVE-2017-0144' },
  // Group rules and limits.
  { name: 'one-to-one between groups of unequal size', edit: (t) => (t.edges[4].pattern = 'one-to-one'), paths: ['edges[4].pattern'] },
  { name: 'self-loop on a single node', edit: (t) => t.edges.push({ from: 'ct', to: 'ct', relation: 'network' }), paths: ['edges[8].to'], mentions: 'ct' },
  { name: 'one-to-one from a group to itself', edit: (t) => (t.edges[1].pattern = 'one-to-one'), paths: ['edges[1].pattern'] },
  {
    name: 'groups beyond the expanded-node limit',
    edit: (t) => t.nodes.push(...[0, 1, 2, 3, 4, 5].map((i) => node(`big-${i}`, { count: LIMITS.groupCount }))),
    paths: ['nodes'],
  },
  { name: 'group count beyond the per-group limit', edit: (t) => (t.nodes[3].count = LIMITS.groupCount + 1), paths: ['nodes[3].count'] },
];

describe('a twin with one thing broken', () => {
  it('the base twin itself loads', () => {
    expect(parseTwin(stringify(baseDoc(BASE_TWIN_TEXT)), 'twin.yaml').nodes).toHaveLength(8);
  });

  it.each(TWIN_CASES)('$name', (c) => expectCase(refuseTwin(c), c));

  it('an "all" edge between two huge groups is refused quickly, before anything is expanded', () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    // A quarter of the member limit each: the two fit as nodes, not as an "all" edge between them.
    const quarter = LIMITS.expandedNodes / 4;
    twin.nodes.push(node('big-a', { count: quarter }), node('big-b', { count: quarter }));
    twin.edges.push({ from: 'big-a', to: 'big-b', relation: 'data' });
    const started = performance.now();
    const refused = refusal(() => parseTwin(stringify(twin), 'twin.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expectCase(refused, { paths: ['edges[8]', 'edges'], mentions: (quarter ** 2).toLocaleString('en-GB') });
  });
});

describe('every problem of a document is reported at once', () => {
  it('three schema errors give three issues', () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    twin.nodes[3].layer = 'clowd';
    twin.services[0].criticality = 9;
    twin.edges[0].relation = 'wifi';
    const refused = refusal(() => parseTwin(stringify(twin), 'twin.yaml'));
    expect(refused.issues).toHaveLength(3);
    expectCase(refused, { paths: ['nodes[3].layer', 'services[0].criticality', 'edges[0].relation'] });
  });

  it("a long list of bad entries stops early: fifty lines, not a million issues", () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    const count = 200_000;
    twin.nodes = twin.nodes.concat(Array.from({ length: count }, (_, i) => ({ id: `bad-${i}`, layer: 'cloud', kind: 'supplier-platform', owner: 'ehr-supplier' })));
    const started = performance.now();
    const refused = refusal(() => twinFromValue(twin, 'twin.json'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(refused.issues).toHaveLength(50);
    expect(refused.issues.slice(0, 49).map((i) => i.path)).toEqual(Array.from({ length: 49 }, (_, k) => `nodes[${8 + k}].recovery`));
    expect(refused.issues[49]).toMatchObject({ path: 'nodes', message: `expected fewer problems, got 50 or more in the first entries; stopped at nodes[57] of ${(count + 8).toLocaleString('en-GB')} entries; the rest of the document is not checked` });
    // A few bad entries among many are all reported, by the whole document's validation.
    const sparse = baseDoc(BASE_TWIN_TEXT);
    sparse.nodes = sparse.nodes.concat(Array.from({ length: 20_000 }, (_, i) => node(`ok-${i}`, i % 5000 === 0 ? { recovery: undefined } : {})));
    const few = refusal(() => twinFromValue(JSON.parse(JSON.stringify(sparse)), 'twin.json'));
    expect(few.issues.map((i) => i.path)).toEqual([8, 5008, 10008, 15008].map((k) => `nodes[${k}].recovery`));
  });

  it("the twin's own rules stop at fifty problems too: 100,000 entries with one id or a wrong owner", () => {
    for (const entry of [() => node('same'), (i: number) => node(`n-${i}`, { owner: 'nobody' })]) {
      const twin = baseDoc(BASE_TWIN_TEXT);
      twin.nodes = twin.nodes.concat(Array.from({ length: 100_000 }, (_, i) => entry(i)));
      const started = performance.now();
      const refused = refusal(() => twinFromValue(twin, 'twin.json'));
      expect(performance.now() - started).toBeLessThan(3000);
      expect(refused.issues).toHaveLength(50);
      expect(refused.issues[49]).toMatchObject({ path: '', message: 'expected fewer problems, got 50 or more; the rest of the twin is not checked' });
    }
  });

  it("schema errors do not hide dangling references: both in one pass, but not references to an entry the schema refused", () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    twin.nodes[3].layer = 'clowd';
    twin.nodes[1].owner = 'trusst';
    twin.edges[2].to = 'nowhere';
    const refused = refusal(() => parseTwin(stringify(twin), 'twin.yaml'));
    expect(refused.issues.map((i) => i.path)).toEqual(['nodes[3].layer', 'nodes[1].owner', 'edges[2].to']);
    expect(refused.issues[1]!.message).toMatch(/^expected the id of one of the twin's owners, got "trusst" \(did you mean/);
    // An id the schema refused (a space in it) still names its node: edges to it are not called dangling,
    // and neither is anything that names a list the schema refused as a whole.
    const spaced = baseDoc(BASE_TWIN_TEXT);
    const id = spaced.nodes[4].id as string;
    spaced.nodes[4].id = `${id} x`;
    for (const edge of spaced.edges) for (const end of ['from', 'to'] as const) if (edge[end] === id) edge[end] = `${id} x`;
    spaced.edges[2].to = 'nowhere';
    // (the schema refuses the space where an edge names the node too)
    const paths = refusal(() => parseTwin(stringify(spaced), 'twin.yaml')).issues.map((i) => i.path);
    expect(paths[0]).toBe('nodes[4].id');
    expect(paths).not.toContain('edges[2].to');
    const owners = baseDoc(BASE_TWIN_TEXT);
    owners.owners = {};
    owners.nodes[1].owner = 'trusst';
    expect(refusal(() => parseTwin(stringify(owners), 'twin.yaml')).issues.map((i) => i.path)).toEqual(['owners']);
  });

  it('three dangling references give three issues', () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    twin.nodes[1].owner = 'trusst';
    twin.edges[2].to = 'nowhere';
    twin.zones[0].reaches = ['corprate'];
    const refused = refusal(() => parseTwin(stringify(twin), 'twin.yaml'));
    expect(refused.issues).toHaveLength(3);
    expectCase(refused, { paths: ['nodes[1].owner', 'edges[2].to', 'zones[0].reaches[0]'] });
  });

  it('three reserved keys give three issues', () => {
    const text = `${BASE_TWIN_TEXT}\n__proto__: { polluted: 1 }\nx-a: { constructor: 1 }\nx-b: [{ prototype: 1 }]\n`;
    const refused = refusal(() => parseTwin(text, 'twin.yaml'));
    expect(refused.issues).toHaveLength(3);
    expectCase(refused, { error: DocumentReadError, paths: ['__proto__', 'x-a.constructor', 'x-b[0].prototype'] });
  });

  it('three regime errors give three issues', () => {
    const regime = baseDoc(BASE_REGIME_TEXT);
    regime.controls.patchCoverage = 1.5;
    regime.controls.stagedRollout.haltAfterFailures = 0;
    regime.accountability.monitoring = 'nobody';
    const refused = refusal(() => parseRegime(stringify(regime), 'regime.yaml'));
    expect(refused.issues).toHaveLength(3);
    expectCase(refused, { paths: ['controls.patchCoverage', 'controls.stagedRollout.haltAfterFailures', 'accountability.monitoring'] });
  });
});

const REGIME_CASES: MutationCase[] = [
  { name: 'patchCoverage 1.5', edit: (r) => (r.controls.patchCoverage = 1.5), paths: ['controls.patchCoverage'], mentions: '1.5' },
  { name: 'negative segmentation', edit: (r) => (r.controls.segmentation = -0.1), paths: ['controls.segmentation'], mentions: '-0.1' },
  // Alone it changes nothing: a trial's regime of it ran as the baseline, in silence.
  { name: 'patchSupportedOnly without patchCoverage', edit: (r) => delete r.controls.patchCoverage, paths: ['controls.patchSupportedOnly'], mentions: 'patchCoverage' },
  { name: 'staged waves not increasing', edit: (r) => (r.controls.stagedRollout.waves = [0.1, 0.05, 1]), paths: ['controls.stagedRollout.waves'] },
  { name: 'staged waves repeating a share', edit: (r) => (r.controls.stagedRollout.waves = [0.5, 0.5, 1]), paths: ['controls.stagedRollout.waves'] },
  { name: 'staged waves not ending at 1', edit: (r) => (r.controls.stagedRollout.waves = [0.1, 0.5]), paths: ['controls.stagedRollout.waves'] },
  { name: 'no staged waves', edit: (r) => (r.controls.stagedRollout.waves = []), paths: ['controls.stagedRollout.waves'] },
  { name: 'a wave beyond 1', edit: (r) => (r.controls.stagedRollout.waves = [0.1, 1.5]), paths: ['controls.stagedRollout.waves', 'controls.stagedRollout.waves[1]'] },
  { name: 'unknown control name', edit: (r) => (r.controls.firewallz = true), paths: ['controls'], mentions: 'firewallz' },
  { name: 'speed-up below 1', edit: (r) => (r.controls.edrDetectionSpeedup = 0.5), paths: ['controls.edrDetectionSpeedup'], mentions: '0.5' },
  { name: 'unknown accountable party', edit: (r) => (r.accountability.patching = 'nobody'), paths: ['accountability.patching'], mentions: 'nobody' },
  { name: 'no controls', edit: (r) => delete r.controls, paths: ['controls'] },
  // Every allowed form is named, not the first branch's "expected boolean".
  { name: 'mfa as a string', edit: (r) => (r.controls.mfa = 'yes'), paths: ['controls.mfa'], mentions: 'expected boolean|vendor, got "yes"' },
  { name: 'extra staff not whole', edit: (r) => (r.controls.extraStaff = 2.5), paths: ['controls.extraStaff'], mentions: 'expected integer, got 2.5' },
];

describe('a regime with one thing broken', () => {
  it('the base regime itself loads', () => {
    expect(parseRegime(BASE_REGIME_TEXT, 'regime.yaml').controls.stagedRollout?.waves).toEqual([0.01, 0.1, 1]);
  });

  it.each(REGIME_CASES)('$name', (c) => expectCase(refuseRegime(c), c));
});

/** A raw file: text or bytes written as-is, then read through load-file.ts. */
interface FileCase extends Case {
  content: string | Uint8Array;
  /** The file name inside the temporary directory; default twin.yaml. */
  file?: string;
  /** For paths too long to spell out (nesting limits): the reported path starts with this. */
  pathPrefix?: string;
  /** Upper bound on the time to refuse, in milliseconds. */
  withinMs?: number;
}

/** The base twin's text with `from` replaced by `to`; fails loudly if the fixture no longer has `from`. */
function edited(from: string, to: string): string {
  if (!BASE_TWIN_TEXT.includes(from)) throw new Error(`base-twin.yaml no longer contains ${JSON.stringify(from)}`);
  return BASE_TWIN_TEXT.replace(from, to);
}

/** The classic alias bomb: 9 levels of 9 aliases, 9^9 (≈ 387 million) strings once expanded. */
function billionLaughs(): string {
  const lines = ['schema: strata.twin/v1', 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level <= 9; level++) {
    lines.push(`lol${level}: &lol${level} [${Array.from({ length: 9 }, () => `*lol${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const baseJson = (): Doc => JSON.parse(JSON.stringify(baseDoc(BASE_TWIN_TEXT)));

const FILE_CASES: FileCase[] = [
  { name: 'an empty file', content: '', error: DocumentReadError, paths: [''] },
  { name: 'a whitespace-only file', content: ' \n\t\n   \n', error: DocumentReadError, paths: [''] },
  { name: 'a byte-order mark and nothing else', content: '\uFEFF', error: DocumentReadError, paths: [''] },
  { name: 'invalid UTF-8 bytes', content: Uint8Array.from([0xff, 0xfe, 0x80]), error: DocumentReadError, paths: [''] },
  {
    name: 'an invalid UTF-8 sequence inside a valid twin',
    content: Buffer.concat([Buffer.from(BASE_TWIN_TEXT.slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(BASE_TWIN_TEXT.slice(200))]),
    error: DocumentReadError,
    paths: [''],
  },
  {
    name: 'a UTF-16 file (as some editors save)',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE_TWIN_TEXT, 'utf16le')]),
    error: DocumentReadError,
    paths: [''],
  },
  { name: 'a YAML syntax error', content: edited('title: Base ward for loader tests', 'title: [Base ward'), error: DocumentReadError, paths: [''], mentions: /line \d+/ },
  { name: 'a tab-indented YAML block', content: edited('    layer: physical\n    kind: infusion-pump', '    layer: physical\n\tkind: infusion-pump'), error: DocumentReadError, paths: [''], mentions: /line \d+/ },
  { name: 'duplicate YAML keys', content: edited('title: Base ward', 'name: again\ntitle: Base ward'), error: DocumentReadError, paths: [''], mentions: /line \d+/ },
  { name: 'two documents in one file', content: `${BASE_TWIN_TEXT}---\nname: other\n`, error: DocumentReadError, paths: [''] },
  { name: 'a JSON syntax error', content: '{"schema": "strata.twin/v1", "name": "x",}', file: 'twin.json', error: DocumentReadError, paths: [''] },
  { name: 'YAML in a .json file', content: BASE_TWIN_TEXT, file: 'twin.json', error: DocumentReadError, paths: [''] },
  { name: 'a list at top level', content: '- schema: strata.twin/v1\n- name: x\n', paths: [''] },
  { name: 'a scalar at top level', content: 'strata.twin/v1\n', paths: [''], mentions: 'strata.twin/v1' },
  { name: 'a number at top level', content: '42\n', paths: [''], mentions: '42' },
  { name: 'null at top level', content: '~\n', paths: [''] },
  { name: 'a comment-only file', content: '# a twin will go here\n', paths: [''] },
  { name: 'a scenario where a twin is expected', content: edited('schema: strata.twin/v1', 'schema: strata.scenario/v1'), paths: ['schema'], mentions: 'strata.scenario/v1' },
  { name: 'a future schema version', content: edited('schema: strata.twin/v1', 'schema: strata.twin/v2'), paths: ['schema'], mentions: 'strata.twin/v2' },
  { name: 'no schema field', content: edited('schema: strata.twin/v1\n', ''), paths: ['schema'] },
  { name: 'billion laughs (alias bomb)', content: billionLaughs(), error: DocumentReadError, paths: [''], withinMs: 2000 },
  { name: '200 levels of nested lists', content: `${BASE_TWIN_TEXT}description: ${nested(200)}\n`, error: DocumentReadError, paths: [], pathPrefix: 'description[0][0]' },
  { name: '100,000 levels of nested flow lists', content: `description: ${nested(100_000)}\n`, error: DocumentReadError, paths: [], withinMs: 5000 },
  { name: '100,000 levels of nested JSON arrays', content: `{"description": ${nested(100_000)}}`, file: 'twin.json', error: DocumentReadError, paths: [], pathPrefix: 'description[0]' },
  {
    name: '5,000 levels of nested block lists',
    content: `description:\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`,
    error: DocumentReadError,
    paths: [],
    withinMs: 5000,
  },
  { name: '__proto__ at top level', content: `${BASE_TWIN_TEXT}__proto__: { polluted: yes }\n`, error: DocumentReadError, paths: ['__proto__'] },
  { name: '__proto__ inside a node', content: edited('  - id: pumps\n', '  - id: pumps\n    __proto__: { polluted: yes }\n'), error: DocumentReadError, paths: ['nodes[0].__proto__'] },
  {
    name: '__proto__ inside a node of a JSON twin',
    content: JSON.stringify(baseJson()).replace('"id":"monitors"', '"__proto__":{"polluted":true},"id":"monitors"'),
    file: 'twin.json',
    error: DocumentReadError,
    paths: ['nodes[1].__proto__'],
  },
  {
    name: '__proto__ smuggled in through a YAML 1.1 merge key',
    content: `%YAML 1.1\n---\n${edited('  - id: pumps\n', '  - id: pumps\n    <<: { __proto__: { polluted: yes } }\n')}`,
    error: DocumentReadError,
    paths: ['nodes[0].__proto__'],
  },
  { name: 'constructor key inside a node', content: edited('  - id: ct\n', '  - id: ct\n    constructor: { prototype: { polluted: yes } }\n'), error: DocumentReadError, paths: ['nodes[2].constructor'] },
  { name: 'prototype key in a service', content: edited('  - { id: scans,', '  - { prototype: 1, id: scans,'), error: DocumentReadError, paths: ['services[1].prototype'] },
  { name: 'NaN via .nan', content: edited('demandPerHour: 30', 'demandPerHour: .nan'), error: DocumentReadError, paths: ['services[0].demandPerHour'], mentions: 'NaN' },
  { name: 'Infinity via .inf', content: edited('count: 40', 'count: .inf'), error: DocumentReadError, paths: ['nodes[0].count'], mentions: 'Infinity' },
  { name: '-Infinity via -.inf', content: edited('handsOnMinutes: 45', 'handsOnMinutes: -.inf'), error: DocumentReadError, paths: ['nodes[0].recovery.handsOnMinutes'] },
  { name: 'a number that overflows to Infinity', content: edited('count: 12', `count: 1${'0'.repeat(400)}`), error: DocumentReadError, paths: ['nodes[1].count'] },
  { name: 'a binary scalar (!!binary)', content: edited('title: Base ward for loader tests', 'title: !!binary aGVsbG8='), error: DocumentReadError, paths: ['title'] },
  { name: 'a set (!!set)', content: edited('tags: [windows]', 'tags: !!set { windows }'), error: DocumentReadError, paths: ['nodes[3].tags'] },
  { name: 'a YAML 1.1 timestamp', content: `%YAML 1.1\n---\n${edited('title: Base ward for loader tests', 'title: 2017-05-12')}`, error: DocumentReadError, paths: ['title'] },
  { name: 'a count of 10^12 in JSON', content: JSON.stringify({ ...baseJson(), nodes: [{ ...baseJson().nodes[0], count: 1e12 }, ...baseJson().nodes.slice(1)] }), file: 'twin.json', paths: ['nodes[0].count'], mentions: '1000000000000' },
];

describe('a twin file with broken bytes or structure', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-broken-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(FILE_CASES)('$name', (c) => {
    const started = performance.now();
    const refused = refuseFile(c, dir);
    expect(performance.now() - started).toBeLessThan(c.withinMs ?? 2000);
    expect(refused.issues.every((issue) => issue.file === join(dir, c.file ?? 'twin.yaml'))).toBe(true);
    if (c.pathPrefix === undefined && c.paths.length > 0) expectCase(refused, c);
    else {
      expect(refused).toBeInstanceOf(c.error ?? ValidationError);
      if (c.pathPrefix !== undefined) expect(refused.issues[0]!.path.startsWith(c.pathPrefix), refused.issues[0]!.path.slice(0, 80)).toBe(true);
      expectWellFormed(refused);
    }
    expectPrototypesClean(prototypesBefore);
  });

  it('a byte-order-marked YAML twin loads', () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, `\uFEFF${BASE_TWIN_TEXT}`);
    expect(loadTwinFile(file).name).toBe('base-ward');
  });

  it('a byte-order-marked JSON twin loads', () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(baseJson())}`);
    expect(loadTwinFile(file).name).toBe('base-ward');
  });

  it('a directory instead of a file', () => {
    const file = join(dir, 'twin-dir.yaml');
    mkdirSync(file);
    expectCase(refusal(() => loadTwinFile(file)), { error: DocumentReadError, paths: [''] });
  });

  it('a missing file', () => {
    expectCase(refusal(() => loadTwinFile(join(dir, 'absent.yaml'))), { error: DocumentReadError, paths: [''] });
  });

  it('a symbolic link loop', () => {
    const a = join(dir, 'loop-a.yaml');
    const b = join(dir, 'loop-b.yaml');
    symlinkSync(b, a);
    symlinkSync(a, b);
    expectCase(refusal(() => loadTwinFile(a)), { error: DocumentReadError, paths: [''] });
  });

  it('an endless device (/dev/zero) is refused without reading it', () => {
    const started = performance.now();
    expectCase(refusal(() => loadTwinFile('/dev/zero')), { error: DocumentReadError, paths: [''] });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a named pipe is refused without blocking on it', () => {
    const fifo = join(dir, 'twin.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here: nothing to test
    expectCase(refusal(() => loadTwinFile(fifo)), { error: DocumentReadError, paths: [''] });
  });

  it("a file beyond its format's size limit is refused from its size, without reading it", () => {
    for (const [name, limit, format] of [
      ['huge.yaml', LIMITS.yamlBytes, 'YAML document of at most 4 MiB'],
      ['huge.json', LIMITS.jsonBytes, 'JSON document of at most 64 MiB'],
      ['huge.graphml', LIMITS.xmlBytes, 'XML document of at most 8 MiB'],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, '');
      truncateSync(file, limit + 1); // sparse: costs no disk
      const started = performance.now();
      const load = name.endsWith('.graphml') ? () => resolveTwin(file) : () => loadTwinFile(file);
      expectCase(refusal(load), { error: DocumentReadError, paths: [''], mentions: `${format}, got ${(limit + 1).toLocaleString('en-GB')} bytes` });
      expect(performance.now() - started).toBeLessThan(1000);
      // Exactly at the limit is not refused for its size (it is refused for what it holds: zeros).
      truncateSync(file, limit);
      expect(() => load()).not.toThrow(/at most/);
    }
  });

  it('a document given as text is held to the same limits', () => {
    expectCase(refusal(() => parseTwin('#'.repeat(LIMITS.yamlBytes + 1), 'big.yaml')), { error: DocumentReadError, paths: [''], mentions: 'YAML document of at most 4 MiB' });
  });

  it('a regime file that is a directory', () => {
    const file = join(dir, 'regime-dir.yaml');
    mkdirSync(file);
    expectCase(refusal(() => loadRegimeFile(file)), { error: DocumentReadError, paths: [''] });
  });
});

describe('resource exhaustion', () => {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-exhaust-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // Under the alias-count cap (999 aliases of one anchor), but each alias is a 5,000-item list: 5 million
  // values from a 60 kB file. Loaded in a child process with a 256 MB heap so an out-of-memory crash
  // fails this test instead of killing the test worker.
  it('a wide anchor aliased 999 times is refused in bounded memory and time', () => {
    const wide = Array.from({ length: 5000 }, () => '0').join(',');
    const nodes = Array.from({ length: 999 }, (_, i) => `  - { id: n${i}, layer: cloud, kind: ehr, owner: o, recovery: { handsOnMinutes: 1 }, tags: *wide }`);
    const file = join(dir, 'wide.yaml');
    writeFileSync(file, `schema: strata.twin/v1\nname: wide\nowners: [{ id: o, kind: operator, name: &wide [${wide}] }]\nnodes:\n${nodes.join('\n')}\n`);
    const loader = pathToFileURL(join(repo, 'engine/model/load-file.ts')).href;
    const script = [
      `const { loadTwinFile } = await import(${JSON.stringify(loader)});`,
      `try { loadTwinFile(${JSON.stringify(file)}); console.log(JSON.stringify({ loaded: true })); }`,
      `catch (e) { console.log(JSON.stringify({ name: e.name, issues: e.issues?.length, paths: e.issues?.slice(0, 3).map((i) => i.path) })); }`,
    ].join('\n');
    const started = performance.now();
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', tsx, '--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const elapsed = performance.now() - started;
    expect({ status: child.status, signal: child.signal, stderr: child.stderr.split('\n').slice(0, 3).join('\n') }).toMatchObject({ status: 0, signal: null });
    const outcome = JSON.parse(child.stdout.trim().split('\n').pop()!) as { name?: string; issues?: number };
    expect(outcome.name).toBe('DocumentReadError');
    expect(elapsed).toBeLessThan(15_000);
  });

  // `hint()` runs a full Levenshtein distance from every unknown id to every known one (up to 5,000):
  // with 200-character ids that is 40,000 steps per pair. 2,000 nodes and 10 dangling edges make a
  // 450 kB document.
  it('dangling references among many long ids are reported quickly', () => {
    const twin = baseDoc(BASE_TWIN_TEXT);
    const longId = (prefix: string, i: number): string => `${prefix}${String(i).padStart(199, '0')}`;
    for (let i = 0; i < 2000; i++) twin.nodes.push(node(longId('n', i)));
    for (let i = 0; i < 10; i++) twin.edges.push({ from: 'ehr', to: longId('m', i), relation: 'data' });
    const text = stringify(twin, { lineWidth: 0 });
    const started = performance.now();
    const refused = refusal(() => parseTwin(text, 'twin.yaml'));
    const elapsed = performance.now() - started;
    expectCase(refused, { paths: Array.from({ length: 10 }, (_, i) => `edges[${8 + i}].to`) });
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('after all of the above', () => {
  it('Object.prototype and Array.prototype are untouched', () => {
    expectPrototypesClean(prototypesBefore);
  });

  it('every message reads "expected ..., got ..."', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-form-'));
    try {
      // A case that does not refuse cleanly fails its own test; here it only contributes no messages.
      const issuesOf = (refuse: () => StrataInputError): readonly ModelIssue[] => {
        try {
          return refuse().issues;
        } catch {
          return [];
        }
      };
      const issues: ModelIssue[] = [
        ...TWIN_CASES.flatMap((c) => issuesOf(() => refuseTwin(c))),
        ...REGIME_CASES.flatMap((c) => issuesOf(() => refuseRegime(c))),
        ...FILE_CASES.flatMap((c) => issuesOf(() => refuseFile(c, dir))),
        ...issuesOf(() => refusal(() => loadTwinFile(dir))),
        ...issuesOf(() => refusal(() => loadTwinFile(join(dir, 'absent.yaml')))),
        ...issuesOf(() => refusal(() => loadTwinFile('/dev/zero'))),
      ];
      expect(issues.length).toBeGreaterThan(100);
      expect([...new Set(offForm(issues))].sort()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function refuseTwin(c: MutationCase): StrataInputError {
  const twin = baseDoc(BASE_TWIN_TEXT);
  c.edit(twin);
  return refusal(() => parseTwin(stringify(twin), 'twin.yaml'));
}

function refuseRegime(c: MutationCase): StrataInputError {
  const regime = baseDoc(BASE_REGIME_TEXT);
  c.edit(regime);
  return refusal(() => parseRegime(stringify(regime), 'regime.yaml'));
}

function refuseFile(c: FileCase, dir: string): StrataInputError {
  const file = join(dir, c.file ?? 'twin.yaml');
  writeFileSync(file, c.content);
  return refusal(() => loadTwinFile(file));
}

function renameKey(target: Record<string, unknown>, from: string, to: string): void {
  target[to] = target[from];
  delete target[from];
}
