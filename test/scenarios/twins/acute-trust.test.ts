import { describe, expect, it } from 'vitest';
import { expandTwin } from '../../../engine/model/expand.js';
import { twinFromValue } from '../../../engine/model/load.js';
import type { Twin } from '../../../engine/model/twin.js';
import { ACUTE_TRUST_DEFAULTS, generateAcuteTrust } from '../../../scenarios/twins/acute-trust.js';
import { GeneratorParameterError } from '../../../scenarios/twins/params.js';
import { clinicalVlans, members, sensorAffected, withoutSensor } from './twin-stats.js';

const FILE = '<generated:acute-trust>';

function load(params: Parameters<typeof generateAcuteTrust>[0] = {}, seed = 1): Twin {
  return twinFromValue(generateAcuteTrust(params, seed), FILE);
}

describe('generateAcuteTrust', () => {
  const twin = load();

  it('is deterministic: same parameters and seed, byte-identical JSON', () => {
    expect(JSON.stringify(generateAcuteTrust({}, 7))).toBe(JSON.stringify(generateAcuteTrust({}, 7)));
    expect(JSON.stringify(generateAcuteTrust({}, 7))).not.toBe(JSON.stringify(generateAcuteTrust({}, 8)));
  });

  it('validates and records how to regenerate it', () => {
    expect(twin.generator).toEqual({ name: 'acute-trust', seed: 1, parameters: { ...ACUTE_TRUST_DEFAULTS } });
    expect(twin.sites.filter((s) => s.kind === 'acute-trust')).toHaveLength(1);
  });

  it('has beds × devicesPerBed physical devices, in a few hundred entries', () => {
    // The trust's devices; the pathology network's hub laboratory is the supplier's (pathology.ts).
    const trusts = (n: Twin['nodes'][number]): boolean => n.layer === 'physical' && !n.tags.includes('pathology-hub');
    const devices = members(twin, trusts);
    const expected = ACUTE_TRUST_DEFAULTS.beds * ACUTE_TRUST_DEFAULTS.devicesPerBed;
    expect(Math.abs(devices - expected) / expected).toBeLessThan(0.03);
    expect(twin.nodes.length).toBeLessThan(400);
    const custom = load({ beds: 400, devicesPerBed: 12 });
    expect(members(custom, trusts)).toBe(4800);
  });

  it('stays O(devices) once expanded', () => {
    const expanded = expandTwin(twin);
    expect(expanded.nodeCount).toBeLessThan(10_000);
    expect(expanded.edgeCount).toBeLessThan(12 * expanded.nodeCount);
  });

  it('puts unsupportedOsShare of imaging devices on an unsupported OS', () => {
    const imaging = members(twin, (n) => n.kind === 'imaging-modality');
    const unsupported = members(twin, (n) => n.kind === 'imaging-modality' && n.tags.includes('unsupported-os'));
    expect(unsupported / imaging).toBeCloseTo(0.83, 2);
    const half = load({ unsupportedOsShare: 0.5 });
    const share = members(half, (n) => n.kind === 'lab-analyser' && n.tags.includes('unsupported-os')) / members(half, (n) => n.kind === 'lab-analyser' && !n.tags.includes('pathology-hub'));
    expect(share).toBeCloseTo(0.5, 2);
  });

  it('mixes IoT and IT in vlanMixShare of clinical VLANs', () => {
    const vlans = clinicalVlans(twin);
    expect(vlans.length).toBeGreaterThanOrEqual(15);
    const mixed = vlans.filter((v) => v.mixed).length / vlans.length;
    expect(Math.abs(mixed - 0.72)).toBeLessThan(0.03);
    expect(clinicalVlans(load({ vlanMixShare: 0 })).every((v) => !v.mixed)).toBe(true);
    expect(clinicalVlans(load({ vlanMixShare: 1 })).every((v) => v.mixed)).toBe(true);
  });

  it('carries the tag conventions scenarios select on', () => {
    const tagged = (tag: string): number => members(twin, (n) => n.tags.includes(tag));
    for (const tag of ['windows', 'smbv1', 'unsupported-os', 'internet-facing', 'edr-sensor', 'sensor-affected', 'gp-supplier-a', 'gp-supplier-b']) {
      expect(tagged(tag), tag).toBeGreaterThan(0);
    }
    // This trust runs the sensor (sensorDeployed): ~90% of its managed Windows hosts are on the affected
    // version, and ~80% of all its Windows hosts (legacy and vendor-locked ones run no agent). Every one of
    // those runs an agent.
    expect(tagged('sensor-affected') / tagged('windows')).toBeGreaterThan(0.7);
    expect(tagged('sensor-affected') / tagged('windows')).toBeLessThan(0.9);
    expect(members(twin, (n) => n.tags.includes('sensor-affected') && !n.tags.includes('edr-sensor'))).toBe(0);
    const internetFacing = twin.nodes.filter((n) => n.tags.includes('internet-facing'));
    expect(internetFacing.length).toBeGreaterThan(0);
    expect(internetFacing.length).toBeLessThan(6);
  });

  it('sends updates to every edr-sensor host and vendor management to every manufactured device', () => {
    const updated = new Set(twin.edges.filter((e) => e.from === 'update-service' && e.relation === 'update').map((e) => e.to));
    for (const n of twin.nodes.filter((n) => n.tags.includes('edr-sensor'))) expect(updated.has(n.id), n.id).toBe(true);
    const managed = new Set(twin.edges.filter((e) => e.relation === 'management').map((e) => e.to));
    const makers = new Set(twin.owners.filter((o) => o.kind === 'manufacturer').map((o) => o.id));
    expect(makers.size).toBe(ACUTE_TRUST_DEFAULTS.suppliers);
    for (const n of twin.nodes.filter((n) => makers.has(n.owner) && n.layer === 'physical')) expect(managed.has(n.id), n.id).toBe(true);
  });

  it('carries the three CVEs with their NVD vectors', () => {
    const vulns = new Map(twin.nodes.flatMap((n) => n.vulns).map((v) => [v.cve, v.cvss]));
    expect(vulns.get('CVE-2017-0144')).toBe('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(vulns.get('CVE-2008-4250')).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(vulns.get('CVE-2019-10964')).toBe('CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const smb = twin.nodes.find((n) => n.kind === 'clinical-workstation' && n.owner === 'trust')!.vulns.find((v) => v.cve === 'CVE-2017-0144')!;
    expect(smb.share).toBe(ACUTE_TRUST_DEFAULTS.smbv1UnpatchedShare);
    expect(twin.nodes.filter((n) => n.kind === 'insulin-pump').every((n) => n.patientsAttached === 1)).toBe(true);
  });

  it('opens cross-zone flows according to segmentation', () => {
    const flat = load({ segmentation: 0 });
    // The trust's zones; the hub laboratory's network is the supplier's, flat and closed to the trust's.
    const trustZones = (t: Twin) => t.zones.filter((z) => z.site === 'trust');
    const zones = trustZones(flat).length;
    for (const z of trustZones(flat)) expect(z.reaches).toHaveLength(zones - 1);
    const strict = load({ segmentation: 1 });
    for (const z of trustZones(strict)) expect(z.reaches).toEqual(z.essential);
    const reach = (t: Twin): number => t.zones.reduce((sum, z) => sum + z.reaches.length, 0);
    const half = load({ segmentation: 0.5 });
    expect(reach(half)).toBeLessThan(reach(flat));
    expect(reach(half)).toBeGreaterThan(reach(strict));
    // With one seed, tighter segmentation only removes flows.
    const tighter = load({ segmentation: 0.8 });
    half.zones.forEach((z, i) => expect(z.reaches).toEqual(expect.arrayContaining(tighter.zones[i]!.reaches)));
  });

  it('keeps only client → server and corporate ↔ DMZ flows essential: the server VLAN is no hub', () => {
    const role = (id: string): string => id.split('/')[1]!;
    for (const z of twin.zones.filter((x) => x.site === 'trust')) {
      if (role(z.id) !== 'server') expect(z.essential, z.id).toContain('trust/server');
      for (const to of z.essential) {
        const pair = `${role(z.id)}->${role(to)}`;
        expect(role(to) === 'server' || pair === 'corporate->dmz' || pair === 'dmz->corporate', pair).toBe(true);
      }
    }
    expect(twin.zones.find((z) => z.id === 'trust/server')!.essential).toEqual([]);
  });

  it('gives the unsupported imaging, lab and radiology groups the links MedJack climbed by', () => {
    const legacy = twin.nodes.filter((n) => n.tags.includes('unsupported-os') && n.layer === 'physical');
    expect(new Set(legacy.map((n) => n.kind))).toEqual(new Set(['imaging-modality', 'radiology-workstation', 'lab-analyser']));
    const dc = 'trust/server/domain-controllers';
    const edge = (from: string, to: string, relation: string): boolean =>
      twin.edges.some((e) => e.relation === relation && ((e.from === from && e.to === to) || (e.bidirectional && e.from === to && e.to === from)));
    for (const n of legacy) {
      // A domain credential on every one; the directory administers the domain-joined radiology workstations.
      expect(edge(n.id, dc, 'identity'), n.id).toBe(true);
      expect(edge(dc, n.id, 'identity'), n.id).toBe(n.kind === 'radiology-workstation');
      // The vendor's remote service, both ways, through the trust's tenant on the vendor's platform.
      const tenant = `trust/remote-service/${n.owner}`;
      expect(edge(tenant, n.id, 'management') && edge(n.id, tenant, 'management'), n.id).toBe(true);
      expect(twin.nodes.find((x) => x.id === tenant)).toMatchObject({ layer: 'cloud', kind: 'vendor-api', owner: n.owner });
    }
    // The tenant is administered by the vendor's platform, not the other way round.
    const tenants = twin.nodes.filter((n) => n.id.startsWith('trust/remote-service/'));
    for (const t of tenants) {
      expect(edge(`vendor-api/${t.owner}`, t.id, 'management')).toBe(true);
      expect(edge(t.id, `vendor-api/${t.owner}`, 'management')).toBe(false);
    }
  });

  it('puts the PACS and lab system on an end-of-life Windows Server carrying MS08-067 when legacyServerShare ≥ ½', () => {
    const servers = (t: Twin) => t.nodes.filter((n) => n.id === 'trust/server/pacs' || n.id === 'trust/server/lab-system');
    for (const n of servers(twin)) {
      expect(n.tags, n.id).toContain('unsupported-os');
      expect(n.tags, n.id).not.toContain('sensor-affected');
      expect(n.vulns.map((v) => v.cve).sort(), n.id).toEqual(['CVE-2008-4250', 'CVE-2017-0144']);
      expect(twin.edges.some((e) => e.from === n.id && e.to === 'trust/server/domain-controllers' && e.relation === 'identity'), n.id).toBe(true);
    }
    for (const n of servers(load({ legacyServerShare: 0.49 }))) {
      expect(n.tags, n.id).toContain('sensor-affected');
      expect(n.vulns.map((v) => v.cve), n.id).toEqual(['CVE-2017-0144']);
    }
  });

  it('federates the EHR with the trust directory and leaves no credential path down from the national directory', () => {
    expect(twin.edges.some((e) => e.from === 'trust/server/domain-controllers' && e.to === 'trust/ehr' && e.relation === 'identity')).toBe(true);
    const outOfNhsmail = twin.edges.filter((e) => (e.from === 'nhsmail' || (e.bidirectional && e.to === 'nhsmail')) && (e.relation === 'identity' || e.relation === 'management'));
    expect(outOfNhsmail).toEqual([]);
  });

  it('builds small and extreme trusts that still validate', () => {
    for (const params of [{ beds: 1, devicesPerBed: 1 }, { beds: 30, suppliers: 1 }, { suppliers: 9, unsupportedOsShare: 1, smbv1UnpatchedShare: 0 }, { unsupportedOsShare: 0, vlanMixShare: 0, legacyServerShare: 0 }, { legacyServerShare: 1 }, { beds: 1, devicesPerBed: 1, sensorHostShare: 1 }, { sensorDeployed: false }]) {
      expect(() => load(params), JSON.stringify(params)).not.toThrow();
    }
  });

  it('refuses bad parameters, naming them', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ beds: 0 }, 'params.beds'],
      [{ beds: 10.5 }, 'params.beds'],
      [{ devicesPerBed: -1 }, 'params.devicesPerBed'],
      [{ suppliers: 10 }, 'params.suppliers'],
      [{ segmentation: 1.5 }, 'params.segmentation'],
      [{ unsupportedOsShare: Number.NaN }, 'params.unsupportedOsShare'],
      [{ vlanMixShare: '0.7' }, 'params.vlanMixShare'],
      [{ legacyServerShare: -0.1 }, 'params.legacyServerShare'],
      [{ sensorDeployed: 'yes' }, 'params.sensorDeployed'],
      [{ sensorHostShare: 1.5 }, 'params.sensorHostShare'],
      [{ bedz: 700 }, 'params.bedz'],
    ];
    for (const [params, path] of bad) {
      const attempt = (): unknown => generateAcuteTrust(params as never);
      expect(attempt).toThrow(GeneratorParameterError);
      try {
        attempt();
      } catch (error) {
        expect((error as GeneratorParameterError).issues[0]!.path).toBe(path);
        expect((error as Error).message).toMatch(/^acute-trust: /);
      }
    }
    expect(() => generateAcuteTrust({}, 1.5)).toThrow(GeneratorParameterError);
  });
});

describe('generateAcuteTrust: the endpoint vendor\'s sensor as deployed', () => {
  const twin = load();
  const managed = (t: Twin, layer: string) => t.nodes.filter((n) => n.owner !== 'gp-supplier-a' && n.layer === layer && n.tags.includes('windows') && n.tags.includes('edr-sensor'));
  const onSensor = (ids: { id: string }[], t: Twin) => ids.filter((n) => t.nodes.find((x) => x.id === n.id)!.tags.includes('sensor-affected'));

  it('runs the sensor by default, as the default twin of crowdstrike-update', () => {
    expect(ACUTE_TRUST_DEFAULTS.sensorDeployed).toBe(true);
    expect(twin.generator?.parameters).toMatchObject({ sensorDeployed: true, sensorHostShare: 0.9 });
  });

  it('puts every managed Windows server on it, and exactly round(sensorHostShare × k) of the k desktop VLANs', () => {
    const servers = managed(twin, 'network');
    expect(servers.map((n) => n.id)).toEqual(expect.arrayContaining(['trust/server/domain-controllers', 'trust/server/integration-engine', 'trust/server/file-servers', 'trust/dmz/web-servers']));
    for (const n of servers) expect(n.tags, n.id).toContain('sensor-affected');
    const desktops = managed(twin, 'physical');
    expect(new Set(desktops.map((n) => n.zone)).size).toBe(desktops.length); // one desktop entry a VLAN
    expect(desktops.length).toBeGreaterThan(15);
    expect(onSensor(desktops, twin)).toHaveLength(Math.round(ACUTE_TRUST_DEFAULTS.sensorHostShare * desktops.length));
    const hostShare = members(twin, (n) => desktops.includes(n) && n.tags.includes('sensor-affected')) / members(twin, (n) => desktops.includes(n));
    expect(hostShare).toBeGreaterThan(0.75);
    expect(hostShare).toBeLessThanOrEqual(1);
    // No agent, no sensor: unsupported and vendor-locked Windows, Linux servers, medical devices.
    for (const n of sensorAffected(twin)) {
      expect(n.tags, n.id).toContain('windows');
      expect(n.tags, n.id).not.toContain('unsupported-os');
    }
  });

  it('takes down the servers the EHR and imaging run through: the interface engine, directory and PACS; the hosted EHR is the supplier\'s', () => {
    const node = (t: Twin, id: string) => t.nodes.find((n) => n.id === id)!;
    // The HL7 interface engine feeds the EHR and supports every service of the trust; the directory signs
    // staff in to the EHR. Both go down with the update.
    expect(node(twin, 'trust/server/integration-engine').services).toEqual(expect.arrayContaining(['trust/radiology', 'trust/outpatients']));
    expect(twin.edges.some((e) => e.from === 'trust/server/integration-engine' && e.to === 'trust/ehr' && e.relation === 'data')).toBe(true);
    for (const id of ['trust/server/integration-engine', 'trust/server/domain-controllers']) expect(node(twin, id).tags, id).toContain('sensor-affected');
    for (const service of twin.services.filter((x) => x.site === 'trust')) {
      expect(twin.nodes.some((n) => n.services.includes(service.id) && n.tags.includes('sensor-affected')), service.id).toBe(true);
    }
    // The PACS (critical for the ED) and the lab system run the sensor on a supported Windows Server; on
    // Windows Server 2003 (legacyServerShare ≥ ½, the default) they run no agent.
    const modern = load({ legacyServerShare: 0 });
    for (const id of ['trust/server/pacs', 'trust/server/lab-system']) {
      expect(node(modern, id).tags, id).toContain('sensor-affected');
      expect(node(twin, id).tags, id).not.toContain('sensor-affected');
    }
    expect(node(modern, 'trust/server/pacs').criticalFor.map((c) => c.service)).toEqual(['trust/emergency']);
    // The EHR is hosted by its supplier, whose hosting the trust's deployment does not reach.
    expect(node(twin, 'trust/ehr')).toMatchObject({ layer: 'cloud', owner: 'ehr-supplier' });
    expect(node(twin, 'trust/ehr').tags).not.toContain('sensor-affected');
  });

  it('deploys from streams of its own: with or without the sensor, at any host share, the rest of the twin is the same', () => {
    const base = withoutSensor(generateAcuteTrust({}, 3));
    for (const params of [{ sensorDeployed: false }, { sensorHostShare: 0 }, { sensorHostShare: 0.5 }, { sensorHostShare: 1 }]) {
      expect(withoutSensor(generateAcuteTrust(params, 3)), JSON.stringify(params)).toEqual(base);
    }
  });

  it('leaves a trust that does not deploy it untouched, and covers every desktop VLAN at share 1 and none at 0', () => {
    const off = load({ sensorDeployed: false });
    // Only supplier A's GP platform (EMIS's hosted system on 19 July 2024) is left on the sensor.
    expect(sensorAffected(off).map((n) => n.id)).toEqual(['gp-system/a']);
    const all = load({ sensorHostShare: 1 });
    for (const n of managed(all, 'physical')) expect(n.tags, n.id).toContain('sensor-affected');
    const none = load({ sensorHostShare: 0 });
    expect(onSensor(managed(none, 'physical'), none)).toEqual([]);
    for (const n of managed(none, 'network')) expect(n.tags, n.id).toContain('sensor-affected');
  });
});
