import type { TwinInput } from '../../engine/model/twin.js';
import { TwinBuilder } from './builder.js';
import { GP_SUPPLIER_A_SHARE, addNationalServices } from './national.js';
import { checker, withDefaults } from './params.js';
import { DEVICE_LINES } from './profiles.js';
import { seededRandom } from './random.js';
import { SENSOR_DEFAULTS } from './sensor.js';
import { addManufacturers, dealLines, vendorApiId } from './suppliers.js';
import { addPathologyNetwork } from './pathology.js';
import { addTrust } from './trust.js';

/**
 * One NHS acute trust: ward, ED, critical-care, theatre and clinic VLANs of infusion pumps, monitors,
 * insulin pumps and desktops; imaging and lab VLANs; a data centre; a DMZ; and the manufacturers', EHR,
 * pathology, GP and national services it connects to.
 *
 * The paths the seed scenarios travel, and where each is built:
 * - IP reachability is the zones' (trust-layout.ts): every VLAN reaches the data-centre servers, the
 *   corporate VLAN and the DMZ reach each other, and `segmentation` opens a share of the other pairs. The
 *   servers reach no VLAN essentially, so segmentation confines a worm instead of rerouting it.
 * - Credentials (trust.ts, trust-nodes.ts): the directory administers its domain members and they cache
 *   domain credentials (both ways); unsupported modalities and analysers hold a domain service account (up
 *   only); the PACS and lab system bind to the directory; the hosted EHR federates with the directory; the
 *   directory provisions the national one (NHSmail), never the reverse.
 * - Vendors (trust-nodes.ts): imaging, PACS-viewing and lab devices run the manufacturer's remote-service
 *   agent, joined both ways to the trust's tenant on the manufacturer's platform (cloud layer); bedside
 *   devices are managed from the platform, one way down.
 * - Vulnerabilities (catalogue.ts): unsupported devices carry MS08-067 and MS17-010; at a trust with
 *   legacy servers (`legacyServerShare`) so do the PACS and the lab system.
 * - The endpoint vendor's sensor (sensor.ts, trust-nodes.ts): where the trust deploys it (`sensorDeployed`)
 *   every managed Windows server and `sensorHostShare` of its desktop VLANs are on the version a faulty
 *   update breaks; legacy servers and vendor-locked devices run no agent. The hosted EHR is the supplier's.
 * Together these are the MedJack route (TrapX 2015–2016): a hijacked device, up into the PACS, the
 * directory, the EHR and the vendor's cloud; the WannaCry route: from the DMZ down to devices; and the
 * CrowdStrike route: from the vendor's cloud straight down to every host on its sensor.
 */
export const GENERATOR = 'acute-trust';

export interface AcuteTrustParams {
  /** General and acute beds. */
  beds: number;
  /** Connected devices a bed (medical devices and clinical desktops). */
  devicesPerBed: number;
  /** Device manufacturers, each with its own vendor cloud (1 to 9: one per device line at most). */
  suppliers: number;
  /** 0 = flat (every VLAN reaches every other) to 1 = only clinically essential flows between VLANs. */
  segmentation: number;
  /** Share of imaging, PACS-viewing and lab devices on an unsupported OS. */
  unsupportedOsShare: number;
  /** Share of clinical VLANs that mix medical devices (IoT) and desktops (IT). */
  vlanMixShare: number;
  /** Share of SMBv1 Windows hosts without the MS17-010 patch. */
  smbv1UnpatchedShare: number;
  /**
   * Share of trusts whose PACS and laboratory information system run an end-of-life Windows Server without
   * MS08-067. One trust either does or does not: this trust does when the share is at least a half.
   */
  legacyServerShare: number;
  /** The trust runs the endpoint-security vendor's sensor whose faulty update broke Windows hosts (sensor.ts). */
  sensorDeployed: boolean;
  /** Share of the trust's desktop VLANs whose desktops run the affected sensor version, where it deploys. */
  sensorHostShare: number;
}

export const ACUTE_TRUST_DEFAULTS: Readonly<AcuteTrustParams> = Object.freeze({
  // NHS England, Bed Availability and Occupancy (KH03), 2024: 103,277 general and acute beds over ~132
  // acute trusts ≈ 782 a trust.
  beds: 780,
  // Industry estimates of 10–15 connected devices a hospital bed (e.g. Unit 42 / Palo Alto Networks 2020
  // IoT Threat Report; HIMSS); the low end, as desktops are counted among them.
  devicesPerBed: 10,
  // Assumption: a handful of manufacturers supply a trust's connected devices; no public figure.
  suppliers: 6,
  // Assumption (a twin parameter, which the calibration does not move: that would need a new twin per draw): weak segmentation, consistent with 72% of healthcare VLANs mixing IoT
  // and IT (Unit 42 2020) and with the NAO's finding that trusts' networks let WannaCry spread (HC 414, 2017).
  segmentation: 0.25,
  // 83% of medical imaging devices run unsupported operating systems (Unit 42 / Palo Alto Networks, 2020
  // IoT Threat Report; US healthcare sample of 1.2 million devices). Applied to PACS viewers and lab
  // analysers too: an assumption.
  unsupportedOsShare: 0.83,
  // 72% of healthcare VLANs mix IoT and IT assets (Unit 42 / Palo Alto Networks, 2020 IoT Threat Report).
  vlanMixShare: 0.72,
  // Uncertain placeholder, an assumption: not fitted (a twin parameter the calibration does not move), and it
  // drives the held-out WannaCry figures (the NAO's 81 of 236 trusts affected, HC 414, 2017); NHS Digital had
  // alerted trusts to the MS17-010 patch before the attack.
  smbv1UnpatchedShare: 0.3,
  // Assumption, low confidence, to be varied in sensitivity runs: no public figure for the OS of NHS PACS
  // and laboratory servers. A supplier validates its application on one Windows Server build and changes
  // it rarely; Windows Server 2003 left extended support on 14 July 2015, and TrapX found a PACS itself
  // hijacked in its 2015 MEDJACK case 2. A half says "as likely as not" for the MedJack era.
  legacyServerShare: 0.5,
  // Assumption: crowdstrike-update's default twin is one of the trusts that ran the sensor, so a run shows
  // what such a trust went through. Most trusts did not (SENSOR_DEFAULTS.trustShare, nhs-england's share):
  // set it to false for one of those.
  sensorDeployed: true,
  // As across the estate (an assumption: SENSOR_DEFAULTS.hostShare).
  sensorHostShare: SENSOR_DEFAULTS.hostShare,
});

export function validateAcuteTrustParams(params: Partial<AcuteTrustParams>): AcuteTrustParams {
  const filled = withDefaults(GENERATOR, ACUTE_TRUST_DEFAULTS, params);
  const check = checker(GENERATOR);
  check.positiveInteger('beds', filled.beds, 100_000);
  check.positive('devicesPerBed', filled.devicesPerBed, 1_000);
  check.positiveInteger('suppliers', filled.suppliers, DEVICE_LINES.length);
  check.share('segmentation', filled.segmentation);
  check.share('unsupportedOsShare', filled.unsupportedOsShare);
  check.share('vlanMixShare', filled.vlanMixShare);
  check.share('smbv1UnpatchedShare', filled.smbv1UnpatchedShare);
  check.share('legacyServerShare', filled.legacyServerShare);
  check.boolean('sensorDeployed', filled.sensorDeployed);
  check.share('sensorHostShare', filled.sensorHostShare);
  return filled;
}

/** A twin of one acute trust: the same parameters and seed always give the same document. */
export function generateAcuteTrust(params: Partial<AcuteTrustParams> = {}, seed = 1): TwinInput {
  const p = validateAcuteTrustParams(params);
  checker(GENERATOR).seed(seed);
  const b = new TwinBuilder(GENERATOR);
  const national = addNationalServices(b, GP_SUPPLIER_A_SHARE);
  const manufacturers = addManufacturers(b, national, p.suppliers);
  b.owner({ id: 'ehr-supplier', kind: 'supplier', name: 'EHR supplier (hosted)' });
  b.owner({ id: 'pathology-supplier', kind: 'supplier', name: 'Pathology services supplier' });
  const id = 'trust';
  // The trust's pathology network: its hub laboratory and LIMS, run by the supplier (pathology.ts). The
  // network's other trusts are outside this twin; its GP requests are the hub's `gp-tests` service.
  const network = addPathologyNetwork(b, national, { key: 'pathology', owner: 'pathology-supplier', name: 'Pathology network', region: 'midlands', trusts: [{ id, kind: 'acute', beds: p.beds }] });

  const manufacturer = dealLines(manufacturers, seededRandom(seed, 'manufacturers'));
  addTrust(
    b,
    { national, manufacturer, vendorApi: vendorApiId, ehrSupplier: 'ehr-supplier', pathologyPlatform: network.platform, pathologyLims: network.lims },
    {
      id,
      name: 'Generated acute trust',
      kind: 'acute',
      // Assumption: a region so that scenarios' selectors by region (wannacry-down's entries) find the trust;
      // the Midlands has the most trusts of NHS England's seven regions. One trust, one region: no outcome
      // compares regions here.
      region: 'midlands',
      beds: p.beds,
      devices: Math.round(p.beds * p.devicesPerBed),
      segmentation: p.segmentation,
      vlanMixShare: p.vlanMixShare,
      unsupportedOsShare: p.unsupportedOsShare,
      smbv1UnpatchedShare: p.smbv1UnpatchedShare,
      legacyServers: Math.round(p.legacyServerShare) === 1,
      // Its own stream: deploying or not leaves every other draw of the twin as it was.
      sensor: p.sensorDeployed ? { hostShare: p.sensorHostShare, draws: seededRandom(seed, `${id}/sensor`) } : undefined,
    },
    seededRandom(seed, id),
  );

  return b.twin({
    name: GENERATOR,
    title: `Generated NHS acute trust (${p.beds} beds)`,
    description: 'Built by scenarios/twins/acute-trust.ts; every figure is sourced or marked as an assumption there.',
    generator: { name: GENERATOR, seed, parameters: { ...p } },
  });
}
