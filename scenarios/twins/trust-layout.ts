import { CARE_CLASSES, DEVICE_CLASSES, type DeviceClass, type TrustProfile } from './profiles.js';
import { apportion, shuffled, type Random } from './random.js';
import type { ServiceKey } from './services.js';

/**
 * A trust's network plan as numbers: which VLANs it has, how many devices of each class sit in each, and
 * which VLANs reach which. Kept apart from the node-writing code so the shares can be read and tested.
 */
export type ZoneRole = 'care' | 'desktops' | 'imaging' | 'lab' | 'server' | 'corporate' | 'dmz';

export interface PlannedZone {
  key: string;
  name: string;
  role: ZoneRole;
  isWard: boolean;
  services: readonly ServiceKey[];
  /** Devices of each class in this zone (classes absent are 0). */
  devices: Partial<Record<DeviceClass, number>>;
  reaches: string[];
  essential: string[];
}

export interface LayoutInput {
  profile: TrustProfile;
  beds: number;
  devices: number;
  vlanMixShare: number;
  segmentation: number;
}

/**
 * Assumption: ~15% of a trust's desktops are in offices (booking, finance, HR) on the corporate VLAN rather
 * than in care areas. Unit 42's "72% of VLANs mix IoT and IT" is about care-area VLANs.
 */
const CORPORATE_DESKTOP_SHARE = 0.15;
/** Classes that make a VLAN a clinical (IoT) VLAN: devices at the patient, not desktops. */
const IOT_CLASSES: readonly DeviceClass[] = ['infusion-pump', 'patient-monitor', 'insulin-pump'];

export function planTrust(input: LayoutInput, random: Random): PlannedZone[] {
  const { profile, beds } = input;
  const counts = apportion(input.devices, DEVICE_CLASSES.map((c) => profile.deviceShares[c]));
  const countOf = (c: DeviceClass): number => counts[DEVICE_CLASSES.indexOf(c)]!;

  const zone = (key: string, name: string, role: ZoneRole, services: readonly ServiceKey[] = [], isWard = false): PlannedZone => ({
    key, name, role, isWard, services, devices: {}, reaches: [], essential: [],
  });
  const wardCount = Math.max(1, Math.ceil(beds / profile.bedsPerWardVlan));
  const wardBeds = apportion(beds, new Array<number>(wardCount).fill(1));
  const care: { zone: PlannedZone; weight: number; classes: readonly DeviceClass[] }[] = [];
  const label = profile.wardLabel;
  for (let w = 0; w < wardCount; w++) {
    const key = `${label}-${String(w + 1).padStart(2, '0')}`;
    care.push({ zone: zone(key, `${label === 'ward' ? 'Ward block' : 'Station'} ${w + 1}`, 'care', profile.wardServices, true), weight: wardBeds[w]!, classes: CARE_CLASSES });
  }
  for (const area of profile.careAreas) {
    const classes = area.classes ?? CARE_CLASSES.filter((c) => c !== 'insulin-pump');
    care.push({ zone: zone(area.key, area.name, 'care', area.services), weight: area.bedWeight * beds, classes });
  }
  const corporate = zone('corporate', 'Corporate and admin', 'corporate');

  // Deal each care class over the care zones that hold it, in proportion to their size.
  for (const cls of CARE_CLASSES) {
    let total = countOf(cls);
    if (cls === 'clinical-workstation') {
      const office = Math.round(total * CORPORATE_DESKTOP_SHARE);
      corporate.devices[cls] = office;
      total -= office;
    }
    const holders = care.filter((c) => c.classes.includes(cls));
    const parts = apportion(total, holders.map((c) => c.weight));
    holders.forEach((c, i) => (c.zone.devices[cls] = parts[i]!));
  }

  // Mixed VLANs: a share of the clinical VLANs keep their desktops; the rest get a desktop VLAN of their own.
  const zones: PlannedZone[] = care.map((c) => c.zone);
  const clinical = zones.filter((z) => IOT_CLASSES.some((c) => (z.devices[c] ?? 0) > 0) && (z.devices['clinical-workstation'] ?? 0) > 0);
  const mixed = new Set(shuffled(random, clinical).slice(0, Math.round(input.vlanMixShare * clinical.length)));
  for (const z of clinical) {
    if (mixed.has(z)) continue;
    const desktops = zone(`${z.key}-desktops`, `${z.name} desktops`, 'desktops', z.services);
    desktops.devices['clinical-workstation'] = z.devices['clinical-workstation'];
    z.devices['clinical-workstation'] = 0;
    zones.push(desktops);
  }
  const imaging = zone('imaging', 'Imaging', 'imaging', ['radiology']);
  imaging.devices['imaging-modality'] = countOf('imaging-modality');
  imaging.devices['radiology-workstation'] = countOf('radiology-workstation');
  const lab = zone('lab', 'Pathology laboratory', 'lab', ['pathology']);
  lab.devices['lab-analyser'] = countOf('lab-analyser');
  if (countOf('imaging-modality') + countOf('radiology-workstation') > 0) zones.push(imaging);
  if (countOf('lab-analyser') > 0) zones.push(lab);
  zones.push(zone('server', 'Data centre servers', 'server'), corporate, zone('dmz', 'DMZ', 'dmz'));

  connect(zones, input.segmentation, random);
  return zones;
}

/**
 * Flows that segmentation keeps. A zone's `reaches` are the zones its hosts *open* connections to; replies
 * travel on the client's connection and need no reach of their own. So:
 * - every zone reaches the data-centre servers (EHR interfaces, directory, file shares, PACS, lab system,
 *   the pump gateway): clients cannot work without them;
 * - the corporate VLAN and the DMZ reach each other (proxy, remote access);
 * - the servers do **not** essentially reach the clinical, imaging and lab VLANs. The device flows servers
 *   do open (drug-library pushes, worklists, study prefetch, results) are explicit `data` edges, and
 *   domain administration is the directory's explicit `identity` edges; a segmentation programme puts
 *   the rest (remote administration from anywhere in the data centre) behind a jump host.
 *
 * Were server → VLAN flows essential too, the server VLAN would be a hub that no segmentation closes, and a
 * worm would cross any segmented estate in two hops (a VLAN → the servers → every other VLAN): segmentation
 * would change the route, not the reach. Assumption: the rule is ours, not a published NHS firewall policy.
 */
function isEssential(from: PlannedZone, to: PlannedZone): boolean {
  if (to.role === 'server') return true;
  return (from.role === 'corporate' && to.role === 'dmz') || (from.role === 'dmz' && to.role === 'corporate');
}

/**
 * Segmentation s in [0, 1]: essential flows always; of the other ordered pairs, a share 1 − s chosen by a
 * seeded shuffle. The shuffle is drawn whatever s is, so with one seed a higher s gives a subset of the
 * flows of a lower s: s = 0 is flat (every zone reaches every other), s = 1 keeps only essential flows.
 */
function connect(zones: PlannedZone[], segmentation: number, random: Random): void {
  const n = zones.length;
  const optional: number[] = []; // pair (i, j) as i * n + j
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (isEssential(zones[i]!, zones[j]!)) zones[i]!.essential.push(zones[j]!.key);
      else optional.push(i * n + j);
    }
  }
  const open = new Set(shuffled(random, optional).slice(0, Math.round((1 - segmentation) * optional.length)));
  // Written in zone order, so a zone's list reads the same whichever pairs the shuffle picked first.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && (isEssential(zones[i]!, zones[j]!) || open.has(i * n + j))) zones[i]!.reaches.push(zones[j]!.key);
    }
  }
}
