import type { TwinInput } from '../../engine/model/twin.js';
import { ACUTE_TRUST_DEFAULTS } from './acute-trust.js';
import { TwinBuilder } from './builder.js';
import { planEstate } from './estate.js';
import { addGpPractice } from './gp-practice.js';
import { GP_SUPPLIER_A_SHARE, addNationalServices } from './national.js';
import { checker, withDefaults } from './params.js';
import { addPathologyNetworks, addRegionalGpServices } from './nhs-england-shared.js';
import { DEVICE_LINES, PROFILES } from './profiles.js';
import { REGIONS } from './regions.js';
import { pickWeighted, seededRandom, shuffled } from './random.js';
import { SENSOR_DEFAULTS, deployingIds } from './sensor.js';
import { addManufacturers, vendorApiId } from './suppliers.js';
import { addTrust } from './trust.js';

/**
 * The NHS in England as WannaCry found it in May 2017: 236 trusts of five kinds built from the same blocks
 * as the acute-trust twin, ~7,400 GP practices on two clinical-system suppliers, the national network,
 * Spine and NHSmail, device manufacturers' clouds, EHR suppliers, pathology networks and the
 * endpoint-security update service: about two million device members in a few tens of thousands of entries.
 *
 * Trusts are joined to each other only through what they share: no trust's zones reach another's (the
 * national network's `network` edges end at firewalls, which carry no exploit), and no credential relays
 * through a shared node — NHSmail holds no credentials into trusts' domains, and devices' remote-service
 * credentials reach their own trust's tenant, not the manufacturer's platform. What can carry an intrusion
 * between trusts is a shared supplier's data flows (a pathology network's platform and the labs it serves),
 * the Synnovis pattern. A worm therefore infects the trusts it enters: see wannacry-down.yaml's `share`.
 */
export const GENERATOR = 'nhs-england';

export interface NhsEnglandParams {
  /** Physical-layer devices in the estate (trusts' devices and practices' desktops). */
  devices: number;
  acuteTrusts: number;
  specialistTrusts: number;
  mentalHealthTrusts: number;
  communityTrusts: number;
  ambulanceTrusts: number;
  gpPractices: number;
  gpWorkstationsPerPractice: number;
  gpSupplierAShare: number;
  manufacturers: number;
  ehrSuppliers: number;
  pathologyNetworks: number;
  segmentation: number;
  unsupportedOsShare: number;
  vlanMixShare: number;
  smbv1UnpatchedShare: number;
  /** Share of the trusts with a PACS or laboratory whose PACS and lab system run an end-of-life Windows Server. */
  legacyServerShare: number;
  /** Share of trusts that run the endpoint-security vendor's sensor whose faulty update broke Windows hosts. */
  sensorTrustShare: number;
  /** Share of a deploying trust's desktop VLANs whose desktops run the affected sensor version. */
  sensorHostShare: number;
  /** Share of GP practices whose own desktops run it. */
  sensorPracticeShare: number;
}

export const NHS_ENGLAND_DEFAULTS: Readonly<NhsEnglandParams> = Object.freeze({
  // The national scale. Order of magnitude: ~100,000 G&A beds (KH03) × 10–15 devices a bed plus
  // other trusts' and practices' endpoints; shared out by beds, acute trusts end at ≈ 16 devices a bed.
  devices: 2_000_000,
  // NAO, "Investigation: WannaCry cyber attack and the NHS" (HC 414, October 2017): 236 trusts. The split
  // by kind follows The King's Fund's summary for 2017 (135 acute, 17 specialist, 54 mental-health, 10
  // ambulance trusts; to be checked), with community trusts taking the remainder of the NAO's 236.
  acuteTrusts: 135,
  specialistTrusts: 17,
  mentalHealthTrusts: 54,
  communityTrusts: 20,
  ambulanceTrusts: 10,
  // NHS Digital, Patients Registered at a GP Practice, 2017: ~7,400 practices (58.5 million patients).
  gpPractices: 7400,
  // Assumption: ~9 clinical desktops a practice (8,000 patients a practice, ~1 desktop per GP, nurse and
  // receptionist); drawn ±3 around the mean.
  gpWorkstationsPerPractice: 9,
  // See GP_SUPPLIER_A_SHARE (national.ts): ~60% / 40% between the two principal suppliers.
  gpSupplierAShare: GP_SUPPLIER_A_SHARE,
  // Assumptions: a dozen device manufacturers and five EHR suppliers serve most trusts, concentrated
  // (the k-th largest has 1/k of the largest's share).
  manufacturers: 12,
  ehrSuppliers: 5,
  // NHS Improvement, pathology networks (2017–18): 122 acute and specialist trusts' labs in 29 networks.
  pathologyNetworks: 29,
  // As for one acute trust (see ACUTE_TRUST_DEFAULTS). The 83% unsupported-OS figure is from 2020, after
  // Windows 7's end of support; in 2017 the share (mostly Windows XP) was lower — calibrate.
  segmentation: ACUTE_TRUST_DEFAULTS.segmentation,
  unsupportedOsShare: ACUTE_TRUST_DEFAULTS.unsupportedOsShare,
  vlanMixShare: ACUTE_TRUST_DEFAULTS.vlanMixShare,
  smbv1UnpatchedShare: ACUTE_TRUST_DEFAULTS.smbv1UnpatchedShare,
  // As for one acute trust (an assumption); exactly round(share × n) of the n trusts with imaging or a lab.
  legacyServerShare: ACUTE_TRUST_DEFAULTS.legacyServerShare,
  // Assumptions, each with its bounds in SENSOR_DEFAULTS (sensor.ts): exactly round(share × 236) trusts
  // deploy the sensor, ~90% of their desktop VLANs carry the affected version, and no practice's own desktops
  // do (the GP impact of 19 July 2024 came through supplier A's hosted platform, national.ts).
  sensorTrustShare: SENSOR_DEFAULTS.trustShare,
  sensorHostShare: SENSOR_DEFAULTS.hostShare,
  sensorPracticeShare: SENSOR_DEFAULTS.practiceShare,
});

export function validateNhsEnglandParams(params: Partial<NhsEnglandParams>): NhsEnglandParams {
  const p = withDefaults(GENERATOR, NHS_ENGLAND_DEFAULTS, params);
  const check = checker(GENERATOR);
  check.positiveInteger('devices', p.devices, 20_000_000);
  for (const name of ['acuteTrusts', 'specialistTrusts', 'mentalHealthTrusts', 'communityTrusts', 'ambulanceTrusts', 'gpPractices'] as const) {
    check.integer(name, p[name], 0, 100_000);
  }
  check.positiveInteger('gpWorkstationsPerPractice', p.gpWorkstationsPerPractice, 1_000);
  check.share('gpSupplierAShare', p.gpSupplierAShare);
  check.positiveInteger('manufacturers', p.manufacturers, 1_000);
  check.positiveInteger('ehrSuppliers', p.ehrSuppliers, 1_000);
  check.integer('pathologyNetworks', p.pathologyNetworks, REGIONS.length, 1_000); // one a region at least
  check.share('segmentation', p.segmentation);
  check.share('unsupportedOsShare', p.unsupportedOsShare);
  check.share('vlanMixShare', p.vlanMixShare);
  check.share('smbv1UnpatchedShare', p.smbv1UnpatchedShare);
  check.share('legacyServerShare', p.legacyServerShare);
  check.share('sensorTrustShare', p.sensorTrustShare);
  check.share('sensorHostShare', p.sensorHostShare);
  check.share('sensorPracticeShare', p.sensorPracticeShare);
  return p;
}

/** Market concentration weights 1, 1/2, 1/3...: an assumption, see NHS_ENGLAND_DEFAULTS. */
function zipf(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / (i + 1));
}

export function generateNhsEngland(params: Partial<NhsEnglandParams> = {}, seed = 1): TwinInput {
  const p = validateNhsEnglandParams(params);
  checker(GENERATOR).seed(seed);
  const estate = planEstate(
    {
      trusts: {
        acute: p.acuteTrusts,
        specialist: p.specialistTrusts,
        'mental-health': p.mentalHealthTrusts,
        community: p.communityTrusts,
        ambulance: p.ambulanceTrusts,
      },
      gpPractices: p.gpPractices,
      gpWorkstationsPerPractice: p.gpWorkstationsPerPractice,
      gpSupplierAShare: p.gpSupplierAShare,
      devices: p.devices,
    },
    seed,
    GENERATOR,
  );

  const b = new TwinBuilder(GENERATOR);
  const gpService = addRegionalGpServices(b, estate.practices);
  const national = addNationalServices(b, p.gpSupplierAShare, gpService.bySupplier);
  const manufacturers = addManufacturers(b, national, p.manufacturers);
  const ehrSuppliers = Array.from({ length: p.ehrSuppliers }, (_, i) =>
    b.owner({ id: `ehr-supplier-${i + 1}`, kind: 'supplier', name: `EHR supplier ${i + 1} (hosted)` }),
  );
  const pathology = addPathologyNetworks(b, national, p.pathologyNetworks, estate, seed);
  for (const region of REGIONS) b.owner({ id: `gp-it/${region.id}`, kind: 'operator', name: `GP IT delivery partner, ${region.name}` });

  // Trusts whose PACS and lab system are legacy: exactly round(share × n) of the n trusts that have either,
  // chosen by a seeded shuffle (no trust's other draws change with the share).
  const withServers = estate.trusts.filter((t) => PROFILES[t.kind].deviceShares['lab-analyser'] + PROFILES[t.kind].deviceShares['imaging-modality'] > 0);
  const legacyServers = new Set(
    shuffled(seededRandom(seed, 'legacy-servers'), withServers.map((t) => t.id)).slice(0, Math.round(p.legacyServerShare * withServers.length)),
  );

  // Who runs the endpoint vendor's sensor: exactly round(share × n) trusts and practices, each set drawn from
  // a stream of its own, and each deploying trust's desktops from another (sensor.ts): no other draw moves.
  const sensorTrusts = deployingIds(seed, 'sensor/trusts', estate.trusts.map((t) => t.id), p.sensorTrustShare);
  const sensorPractices = deployingIds(seed, 'sensor/practices', estate.practices.map((x) => x.id), p.sensorPracticeShare);

  const makerWeights = zipf(manufacturers.length);
  const ehrWeights = zipf(ehrSuppliers.length);
  for (const trust of estate.trusts) {
    // Each trust buys each device line from one manufacturer, drawn from the concentrated national market.
    const draws = seededRandom(seed, `${trust.id}/suppliers`);
    const maker = new Map(DEVICE_LINES.map((line) => [line, manufacturers[pickWeighted(draws, makerWeights)]!]));
    const ehrSupplier = ehrSuppliers[pickWeighted(draws, ehrWeights)]!;
    addTrust(
      b,
      { national, manufacturer: (line) => maker.get(line)!, vendorApi: vendorApiId, ehrSupplier, pathologyPlatform: pathology.ofTrust.get(trust.id), pathologyLims: pathology.limsOf(pathology.ofTrust.get(trust.id)) },
      {
        ...trust,
        segmentation: p.segmentation,
        vlanMixShare: p.vlanMixShare,
        unsupportedOsShare: p.unsupportedOsShare,
        smbv1UnpatchedShare: p.smbv1UnpatchedShare,
        legacyServers: legacyServers.has(trust.id),
        sensor: sensorTrusts.has(trust.id) ? { hostShare: p.sensorHostShare, draws: seededRandom(seed, `${trust.id}/sensor`) } : undefined,
      },
      seededRandom(seed, trust.id),
    );
  }
  for (const practice of estate.practices) {
    addGpPractice(b, national, {
      ...practice,
      owner: `gp-it/${practice.region}`,
      service: gpService.of(practice),
      pathologyPlatform: pathology.ofPractice.get(practice.id),
      smbv1UnpatchedShare: p.smbv1UnpatchedShare,
      sensor: sensorPractices.has(practice.id),
    });
  }

  return b.twin({
    name: GENERATOR,
    title: 'Generated NHS England estate, 2017',
    description: 'Built by scenarios/twins/nhs-england.ts; every figure is sourced or marked as an assumption there.',
    generator: { name: GENERATOR, seed, parameters: { ...p } },
  });
}
