import type { TwinBuilder } from './builder.js';
import { RECOVERY, TAG } from './catalogue.js';
import type { NationalRefs } from './national.js';
import { PROFILES, type DeviceLine, type TrustKind } from './profiles.js';
import { shuffled, type Random } from './random.js';
import type { SensorDeployment } from './sensor.js';
import { ED_CRITICAL_SHARE, SERVICE_TEMPLATES } from './services.js';
import { addTrustDevices, addTrustServers, type TrustScope } from './trust-nodes.js';
import { planTrust, type PlannedZone } from './trust-layout.js';

/** One NHS trust, as the acute-trust and nhs-england generators both build it. */
export interface TrustSpec {
  /** Prefix of every id of this trust; also its site's and operator's id. */
  id: string;
  name: string;
  kind: TrustKind;
  region?: string;
  /** Beds (vehicles for an ambulance trust): sizes VLANs and services' demand. */
  beds: number;
  /** Connected devices (physical-layer members) the trust has in all. */
  devices: number;
  segmentation: number;
  vlanMixShare: number;
  unsupportedOsShare: number;
  smbv1UnpatchedShare: number;
  /** The PACS and laboratory information system run an end-of-life Windows Server (see clinicalServer). */
  legacyServers: boolean;
  /** How the trust runs the endpoint-security vendor's sensor; `undefined`: it does not (sensor.ts). */
  sensor: SensorDeployment | undefined;
}

/** What a trust connects to outside itself. */
export interface TrustContext {
  national: NationalRefs;
  /** The owner id of the manufacturer that supplies a device line at this trust. */
  manufacturer(line: DeviceLine): string;
  /** The vendor-api node of a manufacturer. */
  vendorApi(manufacturer: string): string;
  /** The owner id of the trust's EHR supplier (the EHR instance is hosted by it). */
  ehrSupplier: string;
  /** The pathology supplier's platform the trust's lab exchanges orders and results with. */
  pathologyPlatform?: string;
  /** The pathology network's laboratory information system, run by its supplier (pathology.ts). */
  pathologyLims?: string;
}

/**
 * Assumption: a trust's catchment is ~640 people a bed (a 780-bed acute trust serves ~500,000), applied to
 * every kind of trust, and its EHR and PACS hold a record for each.
 */
const RECORDS_PER_BED = 640;

/** A VLAN whose desktops or PACS reporting workstations are trust-managed Windows hosts. */
function hasDesktops(z: PlannedZone): boolean {
  return (z.devices['clinical-workstation'] ?? 0) > 0 || (z.devices['radiology-workstation'] ?? 0) > 0;
}

/**
 * The VLANs whose desktops run the affected sensor version: exactly round(hostShare × k) of the trust's k
 * desktop VLANs, by a shuffle of the trust's own sensor stream (none where it does not deploy). A VLAN's
 * desktops are one entry and tags apply to a whole entry, so the share is of VLANs, not of hosts.
 */
function sensorDesktopZones(sensor: SensorDeployment | undefined, zones: string[]): Set<string> {
  if (sensor === undefined) return new Set();
  return new Set(shuffled(sensor.draws, zones).slice(0, Math.round(sensor.hostShare * zones.length)));
}

export function addTrust(b: TwinBuilder, ctx: TrustContext, spec: TrustSpec, random: Random): void {
  const profile = PROFILES[spec.kind];
  const { id } = spec;
  b.owner({ id, kind: 'operator', name: spec.name });
  const site = { id, kind: profile.siteKind, name: spec.name, ...(spec.region === undefined ? {} : { region: spec.region }) };
  b.site(site);
  for (const key of profile.services) {
    const t = SERVICE_TEMPLATES[key];
    b.service({
      id: `${id}/${key}`,
      name: t.name,
      unit: t.unit,
      demandPerHour: Math.round(t.demandPerBedHour * spec.beds * 100) / 100,
      criticality: t.criticality,
      site: id,
      ...(t.diversion ? { diversion: true } : {}),
      kind: key,
      needs: (t.needs ?? []).filter((n) => (profile.services as readonly string[]).includes(n.key)).map((n) => ({ service: `${id}/${n.key}`, share: n.share })),
      workarounds: t.workarounds ?? [],
    });
  }

  const zones = planTrust({ ...spec, profile }, random);
  const zoneId = (key: string): string => `${id}/${key}`;
  for (const z of zones) {
    b.zone({ id: zoneId(z.key), name: z.name, site: id, reaches: z.reaches.map(zoneId), essential: z.essential.map(zoneId) });
  }
  const offered = new Set<string>(profile.services);
  const scope: TrustScope = {
    b,
    ctx,
    spec,
    services: (keys) => keys.filter((k) => offered.has(k)).map((k) => `${id}/${k}`),
    all: [...offered].map((k) => `${id}/${k}`),
    records: spec.beds * RECORDS_PER_BED,
    windowsHosts: [],
    workstations: [],
    tenants: new Set(),
    sensorDesktops: sensorDesktopZones(spec.sensor, zones.filter(hasDesktops).map((z) => zoneId(z.key))),
  };

  // The edge of the trust: firewall to the internet and the national network, core switch behind it.
  const firewall = b.node({ id: `${id}/firewall`, layer: 'network', kind: 'firewall', owner: id, site: id, recovery: RECOVERY.firewall, tags: [TAG.internetFacing] });
  const core = b.node({ id: `${id}/core-switch`, layer: 'network', kind: 'switch', owner: id, site: id, recovery: RECOVERY.switch });
  b.edge(ctx.national.internet, firewall, 'network', { bidirectional: true });
  b.edge(ctx.national.nationalNetwork, firewall, 'network', { bidirectional: true, note: 'N3/HSCN connection' });
  b.edge(firewall, core, 'network', { bidirectional: true });

  const ehr = b.node({
    id: `${id}/ehr`,
    name: `${spec.name} EHR (hosted)`,
    layer: 'cloud',
    kind: 'ehr',
    owner: ctx.ehrSupplier,
    services: scope.all.filter((x) => x !== `${id}/emergency`),
    criticalFor: scope.services(['emergency']).map((service) => ({ service, share: ED_CRITICAL_SHARE.ehr })),
    records: scope.records,
    controls: ['backups'],
    recovery: RECOVERY.ehr,
  });
  scope.ehr = ehr;
  b.edge(ehr, ctx.national.spine, 'data', { bidirectional: true });
  b.edgesNto1([ctx.national.gpSystemA, ctx.national.gpSystemB], ehr, 'data', { bidirectional: true, note: 'referrals, discharge summaries' });

  // Servers first: the devices' data edges point at the gateways, PACS and lab system they create.
  const total = (role: string): number => zones.filter((z) => z.role === role).length;
  const pumps = zones.some((z) => (z.devices['infusion-pump'] ?? 0) > 0);
  const ordered = [...zones.filter((z) => z.role === 'server'), ...zones.filter((z) => z.role !== 'server')];
  for (const z of ordered) {
    const sw = b.node({ id: `${zoneId(z.key)}/switch`, layer: 'network', kind: 'switch', owner: id, zone: zoneId(z.key), recovery: RECOVERY.switch });
    b.edge(z.role === 'dmz' ? firewall : core, sw, 'network', { bidirectional: true });
    if (z.role === 'server') addTrustServers(scope, zoneId(z.key), sw, { lab: total('lab') > 0, imaging: total('imaging') > 0, pumps });
    else addTrustDevices(scope, z, zoneId(z.key), sw);
  }

  // Domain admin reaches every domain-joined host; cached credentials on desktops reach the directory.
  // The hosted EHR federates sign-in with the trust's own directory (staff sign in with domain accounts;
  // smartcards for national services are not modelled), not with the national directory: assumption.
  const dc = scope.domainController;
  b.edge(dc, ehr, 'identity', { note: 'single sign-on: the EHR federates with the trust directory' });
  b.edges1toN(dc, scope.windowsHosts.filter((h) => h !== dc), 'identity', { note: 'domain administration' });
  b.edgesNto1(scope.workstations, dc, 'identity', { note: 'cached domain credentials' });
  b.edgesNto1(scope.workstations, ctx.national.identityProvider, 'identity', { note: 'staff sign-in' });
}
