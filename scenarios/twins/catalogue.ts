import type { NodeKind } from '../../engine/model/vocabulary.js';
import type { NodeInput } from './builder.js';

type Vulnerability = NonNullable<NodeInput['vulns']>[number];
type Software = NonNullable<NodeInput['software']>[number];
type Recovery = NodeInput['recovery'];

/**
 * Tags every built-in twin uses, so one scenario runs on any of them (scenarios select on tags, not ids).
 * Tags apply to a whole entry; a share of a group is either a separate entry or a vulnerability's `share`.
 */
export const TAG = {
  /** A Windows host. */
  windows: 'windows',
  /** SMBv1 enabled: reachable by EternalBlue-class worms when unpatched. */
  smbv1: 'smbv1',
  /** The vendor no longer ships security updates for its operating system. */
  unsupportedOs: 'unsupported-os',
  /** Exposed to the internet: the few entry points a worm's scan finds first. */
  internetFacing: 'internet-facing',
  /** Runs an endpoint-security agent (any vendor's); receives `update` edges from the update service. */
  edrSensor: 'edr-sensor',
  /**
   * A Windows host on the sensor version a faulty content update breaks (CrowdStrike, 19 July 2024): only
   * where its organisation deploys that vendor's sensor (sensor.ts).
   */
  sensorAffected: 'sensor-affected',
  /** The trust's directory (Active Directory domain controllers): what an intrusion's operators go for first. */
  domainController: 'domain-controller',
  /** A host of a pathology network's hub laboratory, run by its supplier (pathology.ts). */
  pathologyHub: 'pathology-hub',
  /** A pathology network's laboratory information system. */
  pathologyLims: 'pathology-lims',
  /** A manufacturer's device cloud that manages infusion-pump fleets through trusts' on-premises gateways (vendor-cloud-down's way in). */
  pumpFleetCloud: 'pump-fleet-cloud',
  gpSupplierA: 'gp-supplier-a',
  gpSupplierB: 'gp-supplier-b',
} as const;

/**
 * A Windows host with SMBv1 on and an endpoint agent: a typical NHS desktop or server. Whose agent it is
 * depends on the organisation: trust-nodes.ts adds `sensor-affected` where the trust runs the faulty vendor's.
 */
export const MANAGED_WINDOWS_TAGS = [TAG.windows, TAG.smbv1, TAG.edrSensor];
/**
 * An embedded or vendor-locked Windows host: SMBv1 on, but no endpoint agent (the manufacturer's licence
 * forbids third-party software on a certified device), so a faulty sensor update cannot reach it.
 */
export const EMBEDDED_WINDOWS_TAGS = [TAG.windows, TAG.smbv1];
/**
 * A trust server on an end-of-life Windows Server: on the domain, SMBv1 on, and no endpoint agent (current
 * sensor versions do not run on Windows Server 2003), so no `edr-sensor` and no faulty sensor update.
 */
export const LEGACY_SERVER_TAGS = [TAG.windows, TAG.smbv1, TAG.unsupportedOs];

const WINDOWS = 'Microsoft Windows';

/**
 * The OS a Windows node runs; `supported: false` marks end-of-life releases: Windows XP SP3 on a device,
 * Windows Server 2003 SP2 (end of extended support 14 July 2015) on a server.
 */
export function windows(supported: boolean, server = false): Software[] {
  if (supported) return [{ name: WINDOWS, supported: true }];
  const cpe = server ? 'cpe:2.3:o:microsoft:windows_server_2003:-:sp2:*:*:*:*:*:*' : 'cpe:2.3:o:microsoft:windows_xp:-:sp3:*:*:*:*:*:*';
  return [{ name: WINDOWS, cpe, supported: false }];
}

/**
 * CVE-2017-0144, the SMBv1 remote code execution fixed by MS17-010 and used by WannaCry. NVD rates it
 * CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H (8.1). `share` is the share of the group left unpatched.
 */
export function eternalBlue(share: number): Vulnerability {
  return {
    cve: 'CVE-2017-0144',
    cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
    source: 'NVD CVE-2017-0144 (MS17-010, SMBv1; exploited by WannaCry, May 2017)',
    share: round4(share),
    component: WINDOWS,
  };
}

/**
 * CVE-2008-4250 (MS08-067), the Server service flaw Conficker used and that MedJack found on medical
 * devices still running Windows XP (TrapX, "Anatomy of an Attack: MedJack", 2015). NVD CVSS:3.1 9.8.
 */
export function ms08067(share = 1): Vulnerability {
  return {
    cve: 'CVE-2008-4250',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    source: 'NVD CVE-2008-4250 (MS08-067; MedJack, TrapX 2015)',
    share: round4(share),
    component: WINDOWS,
  };
}

/**
 * CVE-2019-10964, improper access control in the radio protocol of Medtronic MiniMed 508 and Paradigm
 * insulin pumps: an attacker in radio range can change insulin delivery (ICS-CERT ICSMA-19-178-01).
 */
export function miniMed(): Vulnerability {
  return {
    cve: 'CVE-2019-10964',
    // NVD's primary rating (a v3.0 vector, 8.8, as NVD publishes it), the one the model runs on.
    cvss: 'CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    source: 'NVD CVE-2019-10964 (nvd@nist.gov, primary: CVSS 3.0 8.8)',
    otherRatings: [
      { cvss: 'CVSS:3.0/AV:A/AC:H/PR:N/UI:N/S:U/C:L/I:H/A:H', source: 'CISA ICSMA-19-178-01, Medtronic MiniMed 508 and Paradigm insulin pumps (27 June 2019): 7.1' },
      // No v4.0 vector is published (NVD, the CVE record and the CISA advisory carry none): this one is Strata's.
      { cvss: 'CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:N/VC:L/VI:H/VA:H/SC:N/SI:N/SA:N', source: "assumption: Strata's translation of CISA's v3.0 metrics to CVSS 4.0 (none published)" },
    ],
  };
}

/**
 * Hands-on minutes to bring one member back, by kind. The Windows figure (~20 min) is an estimate of
 * CrowdStrike's manual remediation (boot to safe mode or WinRE, delete the faulty channel file, reboot),
 * BitLocker recovery-key retrieval included; the guidance (July 2024) gives the steps, not a time. The
 * others are assumptions, to be calibrated:
 * imaging modalities need the manufacturer's engineer and a re-certification; lab analysers need
 * re-calibration and quality control before results are released.
 */
export const RECOVERY: Record<NodeKind, Recovery> = {
  'infusion-pump': { handsOnMinutes: 15, mode: 'on-site' },
  'insulin-pump': { handsOnMinutes: 30, mode: 'on-site' },
  pacemaker: { handsOnMinutes: 60, mode: 'on-site' },
  'glucose-sensor': { handsOnMinutes: 15, mode: 'on-site' },
  'patient-monitor': { handsOnMinutes: 30, mode: 'on-site' },
  'imaging-modality': { handsOnMinutes: 240, mode: 'on-site' },
  'radiology-workstation': { handsOnMinutes: 20, mode: 'on-site' },
  'lab-analyser': { handsOnMinutes: 120, mode: 'on-site' },
  'clinical-workstation': { handsOnMinutes: 20, mode: 'on-site' },
  'gp-workstation': { handsOnMinutes: 20, mode: 'on-site' },
  switch: { handsOnMinutes: 60, mode: 'on-site' },
  router: { handsOnMinutes: 30, mode: 'on-site' },
  'wifi-ap': { handsOnMinutes: 15, mode: 'on-site' },
  'ble-gateway': { handsOnMinutes: 15, mode: 'on-site' },
  firewall: { handsOnMinutes: 120, mode: 'on-site' },
  'vpn-gateway': { handsOnMinutes: 60, mode: 'remote' },
  'on-prem-gateway': { handsOnMinutes: 60, mode: 'on-site' },
  server: { handsOnMinutes: 120, mode: 'remote' },
  pacs: { handsOnMinutes: 480, mode: 'on-site' },
  'vendor-api': { handsOnMinutes: 60, mode: 'remote' },
  ehr: { handsOnMinutes: 240, mode: 'remote' },
  'identity-provider': { handsOnMinutes: 120, mode: 'remote' },
  'update-service': { handsOnMinutes: 60, mode: 'remote' },
  'supplier-platform': { handsOnMinutes: 480, mode: 'remote' },
  'gp-system': { handsOnMinutes: 240, mode: 'remote' },
  'national-service': { handsOnMinutes: 240, mode: 'remote' },
  internet: { handsOnMinutes: 1, mode: 'remote' },
};

/** Shares are written to 4 decimals so the JSON stays short and byte-identical across platforms. */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
