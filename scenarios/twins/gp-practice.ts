import type { TwinBuilder } from './builder.js';
import { RECOVERY, TAG, eternalBlue, windows } from './catalogue.js';
import type { NationalRefs } from './national.js';

/** One GP practice: a site with a router on the national network and a group of Windows desktops. */
export interface PracticeSpec {
  id: string;
  region: string;
  /** The GP IT operator accountable for the practice's desktops (CCG / CSU in 2017). */
  owner: string;
  supplier: 'a' | 'b';
  workstations: number;
  /** The consultations service the desktops support. */
  service: string;
  /** The pathology platform the practice orders tests from and receives results through. */
  pathologyPlatform?: string;
  smbv1UnpatchedShare: number;
  /** The practice's desktops run the endpoint-security vendor's affected sensor (sensor.ts; none by default). */
  sensor: boolean;
}

/**
 * Desktops run the supplier's clinical system client: the supplier's cloud holds the record (data), signs
 * staff in (identity) and pushes client updates (update). In 2017 practices had no centrally supplied EDR
 * agent (the national Microsoft Defender ATP agreement came in 2018), so they carry no `edr-sensor`.
 *
 * A practice that runs the faulty vendor's sensor (`sensor`) gets the agent, its tags and the vendor's
 * update edge on its desktops. None does by default: on 19 July 2024 practices lost EMIS Web, the supplier's
 * hosted system (national.ts), not their own desktops (sensor.ts, SENSOR_DEFAULTS.practiceShare).
 */
export function addGpPractice(b: TwinBuilder, national: NationalRefs, spec: PracticeSpec): void {
  const { id } = spec;
  b.site({ id, kind: 'gp-practice', region: spec.region });
  const zone = b.zone({ id: `${id}/lan`, site: id });
  const router = b.node({ id: `${id}/router`, layer: 'network', kind: 'router', owner: spec.owner, zone, recovery: RECOVERY.router });
  const desktops = b.node({
    id: `${id}/workstations`,
    layer: 'physical',
    kind: 'gp-workstation',
    owner: spec.owner,
    zone,
    count: spec.workstations,
    software: windows(true),
    vulns: [eternalBlue(spec.smbv1UnpatchedShare)],
    services: [spec.service],
    recovery: RECOVERY['gp-workstation'],
    ...(spec.sensor ? { controls: ['edr' as const] } : {}),
    tags: [TAG.windows, TAG.smbv1, spec.supplier === 'a' ? TAG.gpSupplierA : TAG.gpSupplierB, ...(spec.sensor ? [TAG.edrSensor, TAG.sensorAffected] : [])],
  });
  const gpSystem = spec.supplier === 'a' ? national.gpSystemA : national.gpSystemB;
  b.edge(national.nationalNetwork, router, 'network', { bidirectional: true });
  b.edge(router, desktops, 'network', { bidirectional: true });
  b.edge(desktops, gpSystem, 'data', { bidirectional: true });
  b.edge(desktops, gpSystem, 'identity');
  b.edge(gpSystem, desktops, 'update');
  b.edge(desktops, national.identityProvider, 'identity');
  b.edge(desktops, spec.pathologyPlatform, 'data', { bidirectional: true });
  if (spec.sensor) b.edge(national.updateService, desktops, 'update', { note: 'sensor and content updates' });
}
