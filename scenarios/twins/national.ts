import type { TwinBuilder } from './builder.js';
import { RECOVERY, TAG } from './catalogue.js';

/** Ids of the nodes every trust and practice connects to. */
export interface NationalRefs {
  internet: string;
  /** The national private network between NHS organisations (N3, then HSCN). */
  nationalNetwork: string;
  /** The Spine: national record locator, summary care record, e-referrals. */
  spine: string;
  /** NHSmail: the national email and directory service staff sign in with. */
  identityProvider: string;
  /** The endpoint-security vendor's content and sensor distribution. */
  updateService: string;
  gpSystemA: string;
  gpSystemB: string;
}

/**
 * Share of GP practices on the larger of the two principal GP clinical system suppliers, ~60% against ~40%
 * in 2017, the smaller suppliers folded in (NHS Digital's GP Systems of Choice market data put the two
 * leaders at roughly 55–60% and 35–40%; to be checked in docs/sources.md).
 */
export const GP_SUPPLIER_A_SHARE = 0.6;

/** Patients registered at GP practices in England, August 2017 (NHS Digital, 58.5 million). */
const REGISTERED_PATIENTS = 58_500_000;

/**
 * The national and vendor services shared by every organisation: the internet, the national network,
 * Spine, NHSmail, the endpoint-security update service and the two GP clinical system suppliers' clouds.
 * `gpShareA` is the share of practices on supplier A (their clouds hold that share of patient records);
 * `gpServices` lists the consultation services each supplier's practices depend on.
 */
export function addNationalServices(
  b: TwinBuilder,
  gpShareA: number,
  gpServices: { a: string[]; b: string[] } = { a: [], b: [] },
): NationalRefs {
  b.owner({ id: 'nhs-digital', kind: 'national', name: 'NHS Digital (national network, Spine, NHSmail)' });
  b.owner({ id: 'isp', kind: 'cloud-provider', name: 'The public internet' });
  b.owner({ id: 'endpoint-security', kind: 'cloud-provider', name: 'Endpoint-security vendor (EDR sensor and content updates)' });
  b.owner({ id: 'gp-supplier-a', kind: 'supplier', name: 'GP clinical system supplier A' });
  b.owner({ id: 'gp-supplier-b', kind: 'supplier', name: 'GP clinical system supplier B' });

  const internet = b.node({ id: 'internet', layer: 'cloud', kind: 'internet', owner: 'isp', recovery: RECOVERY.internet })!;
  const nationalNetwork = b.node({
    id: 'national-network',
    name: 'N3 / HSCN national network',
    layer: 'network',
    kind: 'national-service',
    owner: 'nhs-digital',
    recovery: RECOVERY['national-service'],
  })!;
  const spine = b.node({ id: 'spine', name: 'NHS Spine', layer: 'cloud', kind: 'national-service', owner: 'nhs-digital', recovery: RECOVERY['national-service'] })!;
  const identityProvider = b.node({
    id: 'nhsmail',
    name: 'NHSmail directory and sign-in',
    layer: 'cloud',
    kind: 'identity-provider',
    owner: 'nhs-digital',
    recovery: RECOVERY['identity-provider'],
  })!;
  const updateService = b.node({
    id: 'update-service',
    name: 'Endpoint-security sensor and content updates',
    layer: 'cloud',
    kind: 'update-service',
    owner: 'endpoint-security',
    recovery: RECOVERY['update-service'],
  })!;
  // Supplier A's hosted platform runs Windows servers with the endpoint agent: in July 2024 the larger GP
  // supplier's platform went down with the faulty CrowdStrike update (NHS England statement, 19 July 2024).
  // This is how the update reaches practices: their own desktops do not run the sensor (sensor.ts).
  // Supplier B's platform stayed up ("fully operational": TPP, 19 July 2024), so it carries no agent tag.
  const gpSystemA = b.node({
    id: 'gp-system/a',
    name: 'GP clinical system, supplier A (hosted)',
    layer: 'cloud',
    kind: 'gp-system',
    owner: 'gp-supplier-a',
    records: Math.round(REGISTERED_PATIENTS * gpShareA),
    services: gpServices.a,
    recovery: RECOVERY['gp-system'],
    controls: ['edr', 'backups'],
    tags: [TAG.gpSupplierA, TAG.windows, TAG.edrSensor, TAG.sensorAffected],
  })!;
  const gpSystemB = b.node({
    id: 'gp-system/b',
    name: 'GP clinical system, supplier B (hosted)',
    layer: 'cloud',
    kind: 'gp-system',
    owner: 'gp-supplier-b',
    records: Math.round(REGISTERED_PATIENTS * (1 - gpShareA)),
    services: gpServices.b,
    recovery: RECOVERY['gp-system'],
    controls: ['backups'],
    tags: [TAG.gpSupplierB],
  })!;

  b.edge(internet, nationalNetwork, 'network', { bidirectional: true, note: 'national network internet gateways' });
  b.edgesNto1([gpSystemA, gpSystemB], spine, 'data', { bidirectional: true, note: 'demographics, summary care record, e-referrals' });
  b.edge(updateService, gpSystemA, 'update', { note: 'sensor and content updates' });
  return { internet, nationalNetwork, spine, identityProvider, updateService, gpSystemA, gpSystemB };
}
