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
}

/**
 * Desktops run the supplier's clinical system client: the supplier's cloud holds the record (data), signs
 * staff in (identity) and pushes client updates (update). In 2017 practices had no centrally supplied EDR
 * agent (the national Microsoft Defender ATP agreement came in 2018), so they carry no `edr-sensor`.
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
    tags: [TAG.windows, TAG.smbv1, spec.supplier === 'a' ? TAG.gpSupplierA : TAG.gpSupplierB],
  });
  const gpSystem = spec.supplier === 'a' ? national.gpSystemA : national.gpSystemB;
  b.edge(national.nationalNetwork, router, 'network', { bidirectional: true });
  b.edge(router, desktops, 'network', { bidirectional: true });
  b.edge(desktops, gpSystem, 'data', { bidirectional: true });
  b.edge(desktops, gpSystem, 'identity');
  b.edge(gpSystem, desktops, 'update');
  b.edge(desktops, national.identityProvider, 'identity');
  b.edge(desktops, spec.pathologyPlatform, 'data', { bidirectional: true });
}
