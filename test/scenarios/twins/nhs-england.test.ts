import { describe, expect, it } from 'vitest';
import { expandTwin } from '../../../engine/model/expand.js';
import { twinFromValue } from '../../../engine/model/load.js';
import type { Twin, TwinNode } from '../../../engine/model/twin.js';
import { NHS_ENGLAND_DEFAULTS, generateNhsEngland } from '../../../scenarios/twins/nhs-england.js';
import { GeneratorParameterError } from '../../../scenarios/twins/params.js';
import { REGIONS } from '../../../scenarios/twins/regions.js';
import { clinicalVlans, members, orgOf, sensorAffected, withoutSensor } from './twin-stats.js';

const FILE = '<generated:nhs-england>';
const TRUST_KINDS = ['acute-trust', 'specialist-trust', 'mental-health-trust', 'community-trust', 'ambulance-trust'];

/** A small estate for the checks that do not need national scale. */
const SMALL = { devices: 60_000, acuteTrusts: 6, specialistTrusts: 2, mentalHealthTrusts: 3, communityTrusts: 2, ambulanceTrusts: 1, gpPractices: 400 };

describe('generateNhsEngland (defaults: the 2017 estate)', () => {
  // Built once: generation, validation and expansion of ~2 million members take a few seconds.
  const value = generateNhsEngland();
  const twin = twinFromValue(value, FILE);

  it('is deterministic: same parameters and seed, byte-identical JSON', () => {
    expect(JSON.stringify(generateNhsEngland())).toBe(JSON.stringify(value));
    expect(JSON.stringify(generateNhsEngland(SMALL, 3))).not.toBe(JSON.stringify(generateNhsEngland(SMALL, 4)));
  });

  it('has the NAO 236 trusts and ~7,400 GP practices, each in one of seven regions', () => {
    const trusts = twin.sites.filter((s) => TRUST_KINDS.includes(s.kind));
    expect(trusts).toHaveLength(236);
    expect(trusts.filter((s) => s.kind === 'acute-trust')).toHaveLength(NHS_ENGLAND_DEFAULTS.acuteTrusts);
    expect(twin.sites.filter((s) => s.kind === 'gp-practice')).toHaveLength(7400);
    const regions = new Set<string>(REGIONS.map((r) => r.id));
    for (const site of twin.sites) expect(regions.has(site.region ?? ''), site.id).toBe(true);
    expect(new Set(twin.sites.map((s) => s.region)).size).toBe(7);
  });

  it('splits practices 60/40 between the two GP suppliers', () => {
    const practices = twin.nodes.filter((n) => n.kind === 'gp-workstation');
    const onA = practices.filter((n) => n.tags.includes('gp-supplier-a')).length;
    expect(Math.abs(onA / practices.length - 0.6)).toBeLessThan(0.02);
    expect(practices.every((n) => n.tags.includes('gp-supplier-a') !== n.tags.includes('gp-supplier-b'))).toBe(true);
    const systems = twin.nodes.filter((n) => n.kind === 'gp-system');
    expect(systems).toHaveLength(2);
    for (const system of systems) {
      const relations = new Set(twin.edges.filter((e) => e.from === system.id || e.to === system.id).map((e) => e.relation));
      expect([...relations].sort()).toEqual(['data', 'identity', 'update']);
    }
  });

  it('describes ~2 million devices in tens of thousands of entries', () => {
    // The organisations' devices; the pathology networks' hub laboratories are their suppliers' (pathology.ts).
    expect(members(twin, (n) => n.layer === 'physical' && !n.tags.includes('pathology-hub'))).toBe(NHS_ENGLAND_DEFAULTS.devices);
    expect(twin.nodes.length).toBeLessThan(60_000);
    expect(twin.edges.length).toBeLessThan(200_000);
    const expanded = expandTwin(twin);
    expect(expanded.nodeCount).toBeGreaterThan(1_950_000);
    expect(expanded.nodeCount).toBeLessThan(2_200_000);
    expect(expanded.edgeCount).toBeLessThan(12 * expanded.nodeCount);
  });

  it('keeps the estate-wide shares of unsupported imaging and mixed VLANs', () => {
    const imaging = members(twin, (n) => n.kind === 'imaging-modality');
    const unsupported = members(twin, (n) => n.kind === 'imaging-modality' && n.tags.includes('unsupported-os'));
    expect(Math.abs(unsupported / imaging - 0.83)).toBeLessThan(0.005);
    const vlans = clinicalVlans(twin);
    expect(Math.abs(vlans.filter((v) => v.mixed).length / vlans.length - 0.72)).toBeLessThan(0.02);
  });

  it('puts exactly round(legacyServerShare × n) of the n trusts with a PACS or lab on legacy servers', () => {
    const servers = twin.nodes.filter((n) => /^[a-z-]+-\d{3}\/server\/(pacs|lab-system)$/.test(n.id));
    const trustsWith = new Set(servers.map((n) => n.id.split('/')[0]));
    const legacy = new Set(servers.filter((n) => n.tags.includes('unsupported-os')).map((n) => n.id.split('/')[0]));
    expect(legacy.size).toBe(Math.round(NHS_ENGLAND_DEFAULTS.legacyServerShare * trustsWith.size));
    // A trust's PACS and lab system are both legacy or both not.
    for (const n of servers) expect(n.tags.includes('unsupported-os'), n.id).toBe(legacy.has(n.id.split('/')[0]!));
  });

  it('relays no credential pivot through a node every trust shares', () => {
    // NHSmail and the manufacturers' platforms serve every trust: a credential path in and out of one would
    // carry one trust's intrusion to all. NHSmail has no credential edges out; a platform none in (devices'
    // remote-service credentials reach their own trust's tenant).
    const credential = twin.edges
      .filter((e) => e.relation === 'identity' || e.relation === 'management')
      .flatMap((e) => (e.bidirectional ? [[e.from, e.to], [e.to, e.from]] : [[e.from, e.to]]));
    expect(credential.filter(([from]) => from === 'nhsmail')).toEqual([]);
    expect(credential.filter(([, to]) => /^vendor-api\//.test(to!))).toEqual([]);
  });

  it('runs the endpoint vendor\'s sensor at some trusts, not all: exactly round(sensorTrustShare × 236)', () => {
    // Before, every managed Windows host of all 236 trusts was on the affected sensor: the update failed hosts
    // at 236 of 236 trusts, against five trusts' critical incidents on the record (sensor.ts).
    const trusts = new Set(twin.sites.filter((s) => TRUST_KINDS.includes(s.kind)).map((s) => s.id));
    const deploying = new Set(sensorAffected(twin).map((n) => orgOf(n.id)).filter((org) => trusts.has(org)));
    expect(deploying.size).toBe(Math.round(NHS_ENGLAND_DEFAULTS.sensorTrustShare * trusts.size));
    expect(deploying.size / trusts.size).toBeGreaterThan(0.02);
    expect(deploying.size / trusts.size).toBeLessThan(0.2);
    // A deploying trust has all its managed Windows servers on it; no other trust has any host on it.
    for (const n of twin.nodes.filter((n) => trusts.has(orgOf(n.id)) && n.layer === 'network' && n.tags.includes('windows') && n.tags.includes('edr-sensor'))) {
      expect(n.tags.includes('sensor-affected'), n.id).toBe(deploying.has(orgOf(n.id)));
    }
    // About sensorHostShare of their managed desktops, by VLAN.
    const desktops = (n: TwinNode) => deploying.has(orgOf(n.id)) && n.layer === 'physical' && n.tags.includes('edr-sensor');
    const share = members(twin, (n) => desktops(n) && n.tags.includes('sensor-affected')) / members(twin, desktops);
    expect(Math.abs(share - NHS_ENGLAND_DEFAULTS.sensorHostShare)).toBeLessThan(0.05);
  });

  it('reaches GP practices through supplier A\'s hosted platform, not their own desktops', () => {
    const node = (id: string) => twin.nodes.find((n) => n.id === id)!;
    expect(node('gp-system/a').tags).toContain('sensor-affected');
    expect(node('gp-system/b').tags).not.toContain('sensor-affected');
    expect(twin.edges.some((e) => e.from === 'update-service' && e.to === 'gp-system/a' && e.relation === 'update')).toBe(true);
    expect(twin.nodes.filter((n) => n.kind === 'gp-workstation' && n.tags.includes('sensor-affected'))).toEqual([]);
    // Every supplier A practice's desktops hold their records on the platform: the path by which they are cut off.
    const onA = new Set(twin.edges.filter((e) => e.to === 'gp-system/a' && e.relation === 'data').map((e) => e.from));
    for (const n of twin.nodes.filter((n) => n.kind === 'gp-workstation' && n.tags.includes('gp-supplier-a'))) expect(onA.has(n.id), n.id).toBe(true);
  });

  it('joins every trust and practice to the national network and NHSmail', () => {
    const onNetwork = new Set(twin.edges.filter((e) => e.from === 'national-network' && e.relation === 'network').map((e) => e.to));
    const firewalls = twin.nodes.filter((n) => n.kind === 'firewall');
    const routers = twin.nodes.filter((n) => n.kind === 'router');
    expect(firewalls).toHaveLength(236);
    expect(routers).toHaveLength(7400);
    for (const n of [...firewalls, ...routers]) expect(onNetwork.has(n.id)).toBe(true);
    const signIns = twin.edges.filter((e) => e.to === 'nhsmail' && e.relation === 'identity').length;
    expect(signIns).toBeGreaterThan(7400 + 236);
  });
});

describe('generateNhsEngland (parameters)', () => {
  it('builds a small estate that validates, scaled to its device count', () => {
    const twin: Twin = twinFromValue(generateNhsEngland(SMALL, 2), FILE);
    expect(members(twin, (n) => n.layer === 'physical' && !n.tags.includes('pathology-hub'))).toBe(SMALL.devices);
    expect(twin.sites.filter((s) => s.kind === 'gp-practice')).toHaveLength(400);
    expect(twin.generator?.parameters).toMatchObject(SMALL);
  });

  it('draws the sensor deployment from streams of its own: the shares change sensor-affected tags and nothing else', () => {
    const base = withoutSensor(generateNhsEngland(SMALL, 2));
    for (const shares of [{ sensorTrustShare: 0 }, { sensorTrustShare: 1 }, { sensorTrustShare: 0.5, sensorHostShare: 0.5 }]) {
      expect(withoutSensor(generateNhsEngland({ ...SMALL, ...shares }, 2)), JSON.stringify(shares)).toEqual(base);
    }
    // Reproducible, and a higher share deploys at a superset of the trusts of a lower one.
    const deploying = (share: number, seed = 2) => new Set(sensorAffected(generateNhsEngland({ ...SMALL, sensorTrustShare: share }, seed)).map((n) => orgOf(n.id)).filter((org) => !org.startsWith('gp-')));
    const half = deploying(0.5);
    expect(half.size).toBe(Math.round(0.5 * 14));
    expect(deploying(0.5)).toEqual(half);
    for (const trust of deploying(0.25)) expect(half.has(trust), trust).toBe(true);
    expect(deploying(0)).toEqual(new Set());
    expect(deploying(1).size).toBe(14);
  });

  it('puts the sensor on the desktops of exactly round(sensorPracticeShare × n) practices when asked, with its update channel', () => {
    const value = generateNhsEngland({ ...SMALL, sensorPracticeShare: 0.25 }, 2);
    const twin: Twin = twinFromValue(value, FILE);
    const desktops = twin.nodes.filter((n) => n.kind === 'gp-workstation' && n.tags.includes('sensor-affected'));
    expect(desktops).toHaveLength(Math.round(0.25 * SMALL.gpPractices));
    const updated = new Set(twin.edges.filter((e) => e.from === 'update-service' && e.relation === 'update').map((e) => e.to));
    for (const n of desktops) {
      expect(n.tags, n.id).toContain('edr-sensor');
      expect(updated.has(n.id), n.id).toBe(true);
    }
  });

  it('refuses bad parameters, naming them', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ devices: 0 }, 'params.devices'],
      [{ sensorTrustShare: 2 }, 'params.sensorTrustShare'],
      [{ sensorHostShare: -0.5 }, 'params.sensorHostShare'],
      [{ sensorPracticeShare: Number.NaN }, 'params.sensorPracticeShare'],
      [{ devices: 1000 }, 'params.devices'], // fewer than the practices' desktops
      [{ acuteTrusts: -1 }, 'params.acuteTrusts'],
      [{ gpSupplierAShare: 2 }, 'params.gpSupplierAShare'],
      [{ pathologyNetworks: 3 }, 'params.pathologyNetworks'],
      [{ trusts: 236 }, 'params.trusts'],
    ];
    for (const [params, path] of bad) {
      const attempt = (): unknown => generateNhsEngland(params as never);
      expect(attempt).toThrow(GeneratorParameterError);
      try {
        attempt();
      } catch (error) {
        expect((error as GeneratorParameterError).issues[0]!.path).toBe(path);
        expect((error as Error).message).toMatch(/^nhs-england: /);
      }
    }
  });
});
