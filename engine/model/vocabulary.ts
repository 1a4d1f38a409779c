/**
 * The closed vocabularies of the model. Kept in one place so schemas, generators, the compiler and the
 * docs agree; adding a kind here is the only change needed to use it in a twin.
 */

export const LAYERS = ['physical', 'network', 'cloud'] as const;
export type Layer = (typeof LAYERS)[number];

/** What an edge carries (DESIGN.md "The model"). */
export const RELATIONS = ['network', 'radio', 'data', 'identity', 'update', 'management'] as const;
export type Relation = (typeof RELATIONS)[number];

export const NODE_KINDS = [
  // physical: devices at or near the patient, and clinical endpoints
  'infusion-pump',
  'insulin-pump',
  'pacemaker',
  'glucose-sensor',
  'patient-monitor',
  'imaging-modality',
  'radiology-workstation',
  'lab-analyser',
  'clinical-workstation',
  'gp-workstation',
  // network: the estate's plumbing and on-premises integration
  'switch',
  'router',
  'wifi-ap',
  'ble-gateway',
  'firewall',
  'vpn-gateway',
  'on-prem-gateway',
  'server',
  'pacs',
  // cloud: manufacturers', suppliers' and national services
  'vendor-api',
  'ehr',
  'identity-provider',
  'update-service',
  'supplier-platform',
  'gp-system',
  'national-service',
  'internet',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/**
 * The layers a node of each kind may sit on: its section above, and for services that run either on the
 * premises or hosted (a server, the PACS, an EHR, a directory, an update server, a national network service)
 * both the network and the cloud. Devices at the patient are physical only.
 */
export function kindLayers(kind: NodeKind): readonly Layer[] {
  const i = NODE_KINDS.indexOf(kind);
  if (BOTH_LAYERS.includes(kind)) return ['network', 'cloud'];
  return i <= NODE_KINDS.indexOf('gp-workstation') ? ['physical'] : i <= NODE_KINDS.indexOf('pacs') ? ['network'] : ['cloud'];
}
const BOTH_LAYERS: readonly NodeKind[] = ['server', 'pacs', 'ehr', 'identity-provider', 'update-service', 'national-service'];

/** Who is accountable for a node: the line of accountability the regulator asks for. */
export const OWNER_KINDS = ['operator', 'manufacturer', 'supplier', 'cloud-provider', 'national'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const SITE_KINDS = [
  'acute-trust',
  'specialist-trust',
  'mental-health-trust',
  'community-trust',
  'ambulance-trust',
  'gp-practice',
  'laboratory',
  'data-centre',
  'national',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Controls a node can carry in the twin itself (regimes add more at compile time). */
export const NODE_CONTROLS = ['edr', 'mfa', 'least-privilege', 'encryption', 'application-allowlist', 'backups'] as const;
export type NodeControl = (typeof NODE_CONTROLS)[number];

/** Clinical units a service's demand is counted in. */
export const SERVICE_UNITS = ['appointments', 'attendances', 'scans', 'tests', 'infusions', 'patients', 'consultations', 'procedures', 'transfusions'] as const;

/** Kinds of workaround a service falls back on while its systems are down (docs/model.md "Services"). */
export const WORKAROUND_KINDS = ['manual', 'mutual-aid'] as const;
export type ServiceUnit = (typeof SERVICE_UNITS)[number];

/** How an edge between two groups is expanded member by member (see expand.ts). */
export const EDGE_PATTERNS = ['all', 'one-to-one', 'spread'] as const;
export type EdgePattern = (typeof EDGE_PATTERNS)[number];

export const THREAT_KINDS = ['worm', 'intrusion', 'faulty-update'] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

/** What a threat's payload does to a member it fires on (scenario.ts `payload.effect`). */
export const PAYLOAD_EFFECTS = ['none', 'disrupt', 'alter'] as const;

export const RESPONSE_ACTIONS = ['isolate-zone', 'revoke-identities', 'halt-update', 'disconnect-kind'] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

/**
 * Hard limits that keep a typo (a count of 10^12) from becoming an out-of-memory crash. The expanded limits
 * are set by memory: a run holds about 280 bytes per member and 50 per member edge (measured: nhs-england,
 * 2.09 M members and 15.6 M edges, peaks at 1.4 GB compiling; a group of 10^7 members took 2.9 GB and three
 * minutes a run), so at 5 M members and 40 M edges a batch needs about 3.4 GB — 2.4 and 2.6 times
 * nhs-england, the largest built-in twin.
 */
export const LIMITS = {
  groupCount: 5_000_000,
  expandedNodes: 5_000_000,
  expandedEdges: 40_000_000,
  // Node and edge entries per twin document: a 1,000,000-node Erdős–Rényi graph written entry by entry has
  // 4,000,000 edge entries (bench/sir). The 256 MiB document limit and the expanded limits still bound memory.
  entries: 10_000_000,
  horizonHours: 24 * 366,
  // 60 days: a supplier rebuilding and assuring a platform (scenarios/twins/pathology.ts).
  handsOnMinutes: 60 * 24 * 60,
  patientsAttached: 1_000,
  documentBytes: 256 * 1024 * 1024,
  depth: 64,
  operators: 64,
} as const;

/** The actions an operator takes, one at a time (docs/engine.md "Operators"). */
export const OPERATOR_ACTIONS = ['discover', 'exploit', 'harvest', 'move', 'exfiltrate', 'deploy'] as const;
/** The credentials a harvest can yield, by what holds them (docs/engine.md "Credentials"). */
export const CREDENTIAL_CLASSES = ['local-admin', 'domain', 'service', 'vendor'] as const;
