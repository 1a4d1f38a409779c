import type { TwinBuilder, NodeInput } from './builder.js';
import { EMBEDDED_WINDOWS_TAGS, LEGACY_SERVER_TAGS, MANAGED_WINDOWS_TAGS, RECOVERY, TAG, eternalBlue, miniMed, ms08067, windows } from './catalogue.js';
import type { DeviceLine } from './profiles.js';
import { ED_CRITICAL_SHARE, type ServiceKey } from './services.js';
import type { TrustContext, TrustSpec } from './trust.js';
import type { PlannedZone } from './trust-layout.js';

/** What the node-writing helpers share while one trust is built. */
export interface TrustScope {
  b: TwinBuilder;
  ctx: TrustContext;
  spec: TrustSpec;
  /** Service ids of the keys this trust offers. */
  services(keys: readonly ServiceKey[]): string[];
  all: string[];
  records: number;
  ehr?: string;
  domainController?: string;
  pumpGateway?: string;
  pacs?: string;
  labSystem?: string;
  /** Domain-joined Windows entries: the domain controller administers them. */
  windowsHosts: string[];
  /** Entries staff sign in at. */
  workstations: string[];
  /** Remote-service tenants created so far (one per manufacturer with remote-service devices). */
  tenants: Set<string>;
  /** Zone ids whose desktops run the affected sensor version (empty where the trust does not deploy it). */
  sensorDesktops: ReadonlySet<string>;
}

/**
 * Assumptions: one Wi-Fi access point per ~15 clinical clients (vendors' healthcare design guides plan
 * 15–25), one BLE gateway per ~10 paired pumps; a patient is on about half of the pumps and monitors at
 * any time, and on every insulin pump (it is the patient's own).
 */
const CLIENTS_PER_AP = 15;
const PUMPS_PER_BLE_GATEWAY = 10;
const IN_USE_SHARE = 0.5;

type Kind = NodeInput['kind'];
type Layer = NodeInput['layer'];

function group(s: TrustScope, zone: string, key: string, kind: Kind, count: number, extra: Partial<NodeInput> = {}): string | undefined {
  const layer: Layer = extra.layer ?? 'physical';
  return s.b.node({ id: `${zone}/${key}`, layer, kind, owner: s.spec.id, zone, count, recovery: RECOVERY[kind], ...extra });
}

/**
 * Whether a managed Windows host runs the vendor's affected sensor version: every server of a trust that
 * deploys it, and the desktops of the VLANs it chose (sensor.ts, trust.ts). Assumption: a trust that buys
 * the sensor puts it on all its managed servers (the directory, interface engine, file, web, PACS and lab
 * servers), since their outage stops the most; coverage gaps and hosts on older versions are desktops.
 */
function onAffectedSensor(s: TrustScope, zone: string, layer: Layer): boolean {
  return s.spec.sensor !== undefined && (layer !== 'physical' || s.sensorDesktops.has(zone));
}

/**
 * A trust-managed Windows host: an endpoint agent, on the domain, SMBv1 on, MS17-010 possibly missing. Every
 * one runs an agent (`edr-sensor`) and is offered the twin's update service's content; only hosts on the
 * faulty vendor's affected sensor version break on it (`sensor-affected`), other agents ignore it. The
 * update edge is kept either way, so a deployment share changes tags and no edge.
 */
function managedWindows(s: TrustScope, zone: string, key: string, kind: Kind, count: number, extra: Partial<NodeInput> = {}): string | undefined {
  const { tags = MANAGED_WINDOWS_TAGS, ...rest } = extra;
  const id = group(s, zone, key, kind, count, {
    software: windows(true),
    vulns: [eternalBlue(s.spec.smbv1UnpatchedShare)],
    controls: ['edr'],
    tags: onAffectedSensor(s, zone, rest.layer ?? 'physical') ? [...tags, TAG.sensorAffected] : tags,
    ...rest,
  });
  if (id !== undefined) s.windowsHosts.push(id);
  s.b.edge(s.ctx.national.updateService, id, 'update', { note: 'sensor and content updates' });
  return id;
}

/**
 * Kinds whose manufacturers run a remote-service agent on the device itself (imaging consoles, PACS
 * viewing stations, laboratory analysers): an always-on tunnel to the vendor's remote-service platform for
 * diagnostics, log upload and engineers' remote sessions, holding the credentials of the trust's tenant on
 * that platform. Bedside pumps and monitors are managed through their gateway and fleet server instead.
 * Assumption on which kinds; CISA ICSMA-20-343-01 (December 2020) describes GE Healthcare imaging products
 * whose remote-service accounts used default credentials.
 */
const REMOTE_SERVICE_KINDS: readonly Kind[] = ['imaging-modality', 'radiology-workstation', 'lab-analyser'];

/**
 * The trust's tenant on a manufacturer's remote-service platform (cloud layer, the manufacturer's): the
 * vendor's engineers reach the trust's devices through it, and the devices' agents hold its credentials,
 * so the edges run both ways. A tenant is scoped to one customer, so credentials taken from one trust's
 * device reach that trust's tenant, not the vendor's whole platform: the platform (`vendor-api/<maker>`)
 * administers its tenants, one way. Assumption: the multi-tenant shape is how such platforms are sold,
 * not a published architecture of any one of them.
 */
function remoteServiceTenant(s: TrustScope, owner: string): string {
  const id = `${s.spec.id}/remote-service/${owner}`;
  if (!s.tenants.has(id)) {
    s.tenants.add(id);
    s.b.node({ id, name: `${owner} remote service, ${s.spec.name}`, layer: 'cloud', kind: 'vendor-api', owner, recovery: RECOVERY['vendor-api'] });
    s.b.edge(s.ctx.vendorApi(owner), id, 'management', { note: 'the platform administers its customer tenants' });
  }
  return id;
}

/** The vendor's remote access to a device: through the trust's tenant, both ways, where the device runs the vendor's agent. */
function vendorAccess(s: TrustScope, owner: string, id: string | undefined, kind: Kind): void {
  if (id === undefined) return;
  if (REMOTE_SERVICE_KINDS.includes(kind)) {
    s.b.edge(remoteServiceTenant(s, owner), id, 'management', { bidirectional: true, note: "vendor remote service: the device's agent holds the tenant's credentials" });
  } else {
    s.b.edge(s.ctx.vendorApi(owner), id, 'management', { note: 'vendor remote access' });
  }
}

/**
 * A manufacturer's device line: its vendor cloud manages it remotely and ships its firmware. A fleet with an
 * on-premises gateway (`via`: the infusion pumps' server) is managed through it — drug libraries and
 * configuration go cloud → gateway → pumps — not directly (the maker's device-management credential on
 * the gateway). Assumption on the architecture: the way smart-pump fleets are sold (a vendor-hosted or
 * on-premises server pushing to the pumps over the trust's network), not any one vendor's documentation.
 */
function manufactured(s: TrustScope, zone: string, key: string, kind: Kind, line: DeviceLine, count: number, extra: Partial<NodeInput> = {}, via?: string): string | undefined {
  const owner = s.ctx.manufacturer(line);
  const id = group(s, zone, key, kind, count, { owner, ...extra });
  if (via !== undefined) s.b.edge(via, id, 'management', { note: 'drug library and configuration pushed by the fleet gateway' });
  else vendorAccess(s, owner, id, kind);
  s.b.edge(s.ctx.vendorApi(owner), id, 'update', { note: 'firmware' });
  return id;
}

/**
 * A class split by operating-system support: `legacy` members run an end-of-life Windows (MS08-067 and
 * MS17-010 both open: the emergency XP patch for MS17-010 came the day after WannaCry), the rest a
 * supported one that the manufacturer's validation cycle may leave unpatched.
 *
 * `managed` classes (radiology workstations) are the trust's domain members where staff sign in, legacy
 * or not: the directory administers them and they cache domain credentials (both ways). The legacy
 * modalities and analysers are not domain members but hold a domain service account (operator sign-in
 * against the directory, exports to file shares), stored on a device nobody patches: one way, device →
 * directory. Assumption; TrapX's MEDJACK cases (2015) describe attackers moving from such devices into
 * the hospital's IT estate, not which credentials they used.
 */
function splitBySupport(s: TrustScope, zone: string, key: string, kind: Kind, count: number, managed: boolean, services: string[]): (string | undefined)[] {
  const legacyCount = Math.round(count * s.spec.unsupportedOsShare);
  const legacyLine = `${kind}:legacy` as DeviceLine;
  const legacy = manufactured(s, zone, `${key}-unsupported`, kind, legacyLine, legacyCount, {
    software: windows(false),
    vulns: [ms08067(), eternalBlue(1)],
    tags: [...EMBEDDED_WINDOWS_TAGS, TAG.unsupportedOs],
    services,
  });
  const current = managed
    ? managedWindows(s, zone, key, kind, count - legacyCount, { owner: s.ctx.manufacturer(kind as DeviceLine), services })
    : manufactured(s, zone, key, kind, kind as DeviceLine, count - legacyCount, {
        software: windows(true),
        vulns: [eternalBlue(s.spec.smbv1UnpatchedShare)],
        tags: EMBEDDED_WINDOWS_TAGS,
        services,
      });
  if (managed) {
    if (current !== undefined) {
      vendorAccess(s, s.ctx.manufacturer(kind as DeviceLine), current, kind);
      s.workstations.push(current);
    }
    if (legacy !== undefined) {
      s.windowsHosts.push(legacy);
      s.workstations.push(legacy);
    }
  } else {
    s.b.edge(legacy, s.domainController, 'identity', { note: 'domain service account stored on the device' });
  }
  return [legacy, current];
}

/** The devices of a care, desktop, imaging, lab, corporate or DMZ VLAN, joined to its switch. */
export function addTrustDevices(s: TrustScope, z: PlannedZone, zone: string, sw: string | undefined): void {
  const { b } = s;
  const n = (c: keyof PlannedZone['devices']): number => z.devices[c] ?? 0;
  const wired: (string | undefined)[] = [];
  if (z.role === 'imaging') {
    const services = s.services(['radiology']);
    const modalities = splitBySupport(s, zone, 'modalities', 'imaging-modality', n('imaging-modality'), false, services);
    const viewers = splitBySupport(s, zone, 'radiology-workstations', 'radiology-workstation', n('radiology-workstation'), true, services);
    b.edgesNto1(modalities, s.pacs, 'data', { note: 'DICOM images' });
    b.edgesNto1(viewers, s.pacs, 'data', { bidirectional: true, note: 'DICOM viewing and reports' });
    wired.push(...modalities, ...viewers);
  } else if (z.role === 'lab') {
    const analysers = splitBySupport(s, zone, 'analysers', 'lab-analyser', n('lab-analyser'), false, s.services(['pathology']));
    b.edgesNto1(analysers, s.labSystem, 'data', { note: 'results (HL7/ASTM)' });
    wired.push(...analysers);
  } else if (z.role === 'dmz') {
    const vpn = group(s, zone, 'vpn-gateway', 'vpn-gateway', 1, { layer: 'network', tags: [TAG.internetFacing] });
    // Internet-facing Windows servers with SMB exposed and unpatched: the way WannaCry came in where it did.
    // NAO HC 414 ¶2.4: managing the firewalls facing the internet would have guarded against infection.
    // Assumption: every trust has such a pair; whether the worm reaches a trust is the scenario's entry share.
    const web = managedWindows(s, zone, 'web-servers', 'server', 2, { layer: 'network', vulns: [eternalBlue(1)], tags: [...MANAGED_WINDOWS_TAGS, TAG.internetFacing] });
    b.edge(vpn, s.domainController, 'identity', { note: 'remote-access sign-in against the directory' });
    b.edge(web, s.ehr, 'data', { note: 'patient portal' });
    wired.push(vpn, web);
  } else {
    const services = (keys: ServiceKey[]): string[] => s.services([...keys, ...z.services]);
    const pumps = manufactured(
      s,
      zone,
      'infusion-pumps',
      'infusion-pump',
      'infusion-pump',
      n('infusion-pump'),
      { services: services(['infusion']), patientsAttached: IN_USE_SHARE },
      s.pumpGateway,
    );
    const monitors = manufactured(s, zone, 'monitors', 'patient-monitor', 'patient-monitor', n('patient-monitor'), {
      services: services([]),
      patientsAttached: IN_USE_SHARE,
    });
    const insulin = manufactured(s, zone, 'insulin-pumps', 'insulin-pump', 'insulin-pump', n('insulin-pump'), {
      vulns: [miniMed()],
      services: services(['diabetes']),
      patientsAttached: 1,
    });
    const desktops = managedWindows(s, zone, 'workstations', 'clinical-workstation', n('clinical-workstation'), { services: services([]) });
    if (desktops !== undefined) s.workstations.push(desktops);
    b.edge(desktops, s.ehr, 'data', { bidirectional: true, note: 'EHR client' });
    b.edge(pumps, s.pumpGateway, 'data', { bidirectional: true, note: 'drug library, infusion events' });
    b.edge(monitors, s.ehr, 'data', { note: 'vital signs (HL7)' });

    const wireless = n('infusion-pump') + n('patient-monitor');
    const aps = group(s, zone, 'wifi-aps', 'wifi-ap', Math.ceil(wireless / CLIENTS_PER_AP), { layer: 'network' });
    b.edgesNto1([pumps, monitors], aps, 'radio', { pattern: 'spread', bidirectional: true, note: 'Wi-Fi association' });
    const ble = group(s, zone, 'ble-gateways', 'ble-gateway', Math.ceil(n('insulin-pump') / PUMPS_PER_BLE_GATEWAY), { layer: 'network' });
    b.edge(insulin, ble, 'radio', { pattern: 'spread', bidirectional: true, note: 'pump radio pairing' });
    wired.push(desktops, aps, ble);
  }
  b.edgesNto1(wired, sw, 'network', { bidirectional: true });
}

/**
 * The PACS or the laboratory information system: a supplier's application on a trust server. At a trust
 * with `legacyServers` it runs an end-of-life Windows Server without MS08-067 (and MS17-010): on the
 * domain, no endpoint agent, nothing a Charter patch can reach. Otherwise a managed Windows server, on the
 * affected sensor where the trust deploys it: so a deploying trust's imaging and results go down with it.
 */
function clinicalServer(s: TrustScope, zone: string, key: string, kind: Kind, extra: Partial<NodeInput>): string | undefined {
  if (!s.spec.legacyServers) return managedWindows(s, zone, key, kind, 1, extra);
  const id = group(s, zone, key, kind, 1, {
    ...extra,
    software: windows(false, true),
    vulns: [ms08067(), eternalBlue(1)],
    controls: (extra.controls ?? []).filter((c) => c !== 'edr'),
    tags: LEGACY_SERVER_TAGS,
  });
  if (id !== undefined) s.windowsHosts.push(id);
  return id;
}

/** The data-centre VLAN: directory, interface engine, lab system, PACS, the pump gateway, file servers. */
export function addTrustServers(s: TrustScope, zone: string, sw: string | undefined, has: { lab: boolean; imaging: boolean; pumps: boolean }): void {
  const { b, ctx } = s;
  const net: Partial<NodeInput> = { layer: 'network' };
  s.domainController = managedWindows(s, zone, 'domain-controllers', 'server', 2, { ...net, controls: ['edr', 'backups'], tags: [...MANAGED_WINDOWS_TAGS, TAG.domainController] });
  // One way: the trust's directory and its administrators provision the trust's users in the national
  // directory; the national directory holds no credentials for the trust's domain (no write-back).
  // Assumption; were it two-way, one trust's compromise would reach every trust's domain through it.
  b.edge(s.domainController, ctx.national.identityProvider, 'identity', { note: 'directory synchronisation and local administrators' });
  const engine = managedWindows(s, zone, 'integration-engine', 'server', 1, { ...net, services: s.all });
  b.edge(engine, s.ehr, 'data', { bidirectional: true, note: 'HL7 interfaces' });
  b.edge(engine, s.ehr, 'identity', { note: 'interface service account' });
  if (has.lab) {
    s.labSystem = clinicalServer(s, zone, 'lab-system', 'server', { ...net, services: s.services(['pathology', 'transfusion']), controls: ['edr', 'backups'] });
    b.edge(s.labSystem, ctx.pathologyPlatform, 'data', { bidirectional: true, note: 'orders and results' });
    b.edge(s.labSystem, ctx.pathologyLims, 'data', { bidirectional: true, note: "the network's LIMS: worklists, results, blood bank" });
    b.edge(s.labSystem, ctx.pathologyPlatform, 'identity', { note: 'interface service account' });
    b.edge(s.labSystem, s.ehr, 'data', { note: 'results' });
    b.edge(s.labSystem, s.domainController, 'identity', { note: 'directory bind account for staff sign-in' });
  }
  if (has.imaging) {
    const critical = s.services(['emergency']).map((service) => ({ service, share: ED_CRITICAL_SHARE.pacs }));
    s.pacs = clinicalServer(s, zone, 'pacs', 'pacs', { ...net, services: s.services(['radiology']), criticalFor: critical, records: s.records, controls: ['edr', 'backups'] });
    b.edge(s.pacs, s.ehr, 'data', { note: 'reports and image links' });
    b.edge(s.pacs, s.domainController, 'identity', { note: 'directory bind account for staff sign-in' });
  }
  if (has.pumps) {
    const maker = ctx.manufacturer('infusion-pump');
    s.pumpGateway = group(s, zone, 'pump-gateway', 'on-prem-gateway', 1, { ...net, owner: maker, services: s.services(['infusion']) });
    const api = ctx.vendorApi(maker);
    b.tag(api, TAG.pumpFleetCloud);
    b.edge(s.pumpGateway, api, 'data', { bidirectional: true, note: 'fleet telemetry' });
    b.edge(api, s.pumpGateway, 'management', { note: 'vendor remote access' });
  }
  // Assumptions: a Windows file/application server per ~1,500 devices, a Linux one per ~3,000.
  const files = managedWindows(s, zone, 'file-servers', 'server', Math.max(2, Math.round(s.spec.devices / 1500)), { ...net, controls: ['edr', 'backups'] });
  // Linux servers run the agent too but not the Windows sensor the faulty update broke.
  const linux = group(s, zone, 'linux-servers', 'server', Math.max(1, Math.round(s.spec.devices / 3000)), { ...net, controls: ['edr'], tags: [TAG.edrSensor] });
  b.edge(ctx.national.updateService, linux, 'update', { note: 'sensor and content updates' });
  b.edgesNto1([s.domainController, engine, s.labSystem, s.pacs, s.pumpGateway, files, linux], sw, 'network', { bidirectional: true });
}
