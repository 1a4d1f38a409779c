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
  // 4,000,000 edge entries (bench/sir). The document limits and the expanded limits still bound memory.
  entries: 10_000_000,
  // Node and edge entries a built-in generator may build (`--set params.…`): objects, not a document, and
  // each entry of a trust's own holds its lists (about 600 bytes an entry). nhs-england with 1,000 acute
  // trusts builds 650,000 entries and runs in 40 s at a 2.4 GB peak; 3,000 build 1.6 M (1 GB to generate
  // alone); 100,000 ran out of memory after 85 s before this limit.
  generatedEntries: 1_000_000,
  horizonHours: 24 * 366,
  // 60 days: a supplier rebuilding and assuring a platform (scenarios/twins/pathology.ts).
  handsOnMinutes: 60 * 24 * 60,
  patientsAttached: 1_000,
  // A document's bytes, by format, set by what parsing costs (measured on twins converted by `strata twin
  // convert`, every field written out): JSON 46 MB in 2.6 s and 0.43 GB, 186 MB in 8.1 s and 1.15 GB; YAML
  // ~1 MB/s and ~87 bytes of memory per byte (19 MB: 19.6 s, 1.7 GB; 75 MB ran out of memory); GraphML 34 MB
  // in 16.6 s and 2.3 GB, GEXF 52 MB in 21 s and 2.3 GB (173 MB of GraphML ran out of memory). So each stays
  // within about 5 s and 1 GB to read: larger twins are written as JSON (about 550,000 plain node entries fit
  // in 64 MiB; a 115 MB JSON twin of 1.15 M plain nodes took 6.8 s and 1.0 GB to validate and 3 GB to run —
  // an estate that large is written with groups, `count` members to an entry).
  jsonBytes: 64 * 1024 * 1024,
  yamlBytes: 4 * 1024 * 1024,
  xmlBytes: 8 * 1024 * 1024,
  depth: 64,
  operators: 64,
} as const;

/** The most bytes a document may have: by its format, which its name's extension gives (LIMITS). */
export function documentBytes(file: string): { bytes: number; format: string } {
  if (/\.json$/i.test(file)) return { bytes: LIMITS.jsonBytes, format: 'JSON' };
  if (/\.(graphml|gexf|xml)$/i.test(file)) return { bytes: LIMITS.xmlBytes, format: 'XML' };
  return { bytes: LIMITS.yamlBytes, format: 'YAML' };
}

/** The refusal of a document over its format's limit, with what to do instead. */
export function tooLarge(file: string, size: number): string {
  const { bytes, format } = documentBytes(file);
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
  const instead = format === 'JSON' ? '' : ` (${format} costs ~50–90 bytes of memory a byte to parse: write large twins as JSON, up to ${mib(LIMITS.jsonBytes)})`;
  return `expected a ${format} document of at most ${mib(bytes)}, got ${size.toLocaleString('en-GB')} bytes${instead}`;
}

/** The actions an operator takes, one at a time (docs/engine.md "Operators"). */
export const OPERATOR_ACTIONS = ['discover', 'exploit', 'harvest', 'move', 'exfiltrate', 'deploy'] as const;
/** The credentials a harvest can yield, by what holds them (docs/engine.md "Credentials"). */
export const CREDENTIAL_CLASSES = ['local-admin', 'domain', 'service', 'vendor'] as const;
