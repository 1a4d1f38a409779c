import { RELATIONS, RESPONSE_ACTIONS, SERVICE_UNITS, THREAT_KINDS } from '../model/vocabulary.js';

/**
 * The compiled model: what the kernel reads. Only typed arrays (over SharedArrayBuffer) and numbers, so it
 * crosses to a worker or a browser Web Worker without copying, and the kernel needs no import of ours.
 * Names of things (node ids, owners, services) live in `CompiledMeta`, used only at the engine's edges.
 */

/** Threat and response codes: indices into the model's vocabularies (vocabulary.ts), never copied literals. */
export const THREAT_CODE = { worm: THREAT_KINDS.indexOf('worm'), intrusion: THREAT_KINDS.indexOf('intrusion'), 'faulty-update': THREAT_KINDS.indexOf('faulty-update') } as const;
export const DIST_CODE = { fixed: 0, exponential: 1, lognormal: 2, weibull: 3 } as const;
export const PAYLOAD_NONE = 0;
export const PAYLOAD_DISRUPT = 1;
/** The device keeps running with its therapy, settings or readings altered (integrity harm). */
export const PAYLOAD_ALTER = 2;

/**
 * The relations whose edges need an exploitable target — network, radio, data: not a credential's (identity,
 * management) nor an update's — a bit per relation code. A function of the relation alone, so read from the
 * edge's relation (`needsExploit`) rather than stored per edge (16 MB on nhs-england).
 */
export const EXPLOIT_RELATIONS = RELATIONS.reduce((mask, name, code) => (name === 'identity' || name === 'management' || name === 'update' ? mask : mask | (1 << code)), 0);

/** Whether an edge of this relation (code) needs an exploitable target. */
export function needsExploit(relation: number): boolean {
  return ((EXPLOIT_RELATIONS >> relation) & 1) === 1;
}

/** Edge k's relation code (an index into RELATIONS). */
export function relationOf(m: Pick<CompiledModel, 'edgeClass' | 'classRelation'>, k: number): number {
  return m.classRelation[m.edgeClass[k]!]!;
}

/** Edge k's ease: the multiplier on its traversal delay's rate. */
export function easeOf(m: Pick<CompiledModel, 'edgeClass' | 'classEase'>, k: number): number {
  return m.classEase[m.edgeClass[k]!]!;
}

/** Control codes, for "attempts blocked by each control" (the accountability view). */
export const CONTROL_NAMES = ['patch', 'segmentation', 'mfa', 'least-privilege', 'isolation', 'revocation', 'kill-switch', 'staged-rollout', 'update-halt', 'gateway-allowlist'] as const;
export const CONTROL = { patch: 0, segmentation: 1, mfa: 2, leastPrivilege: 3, isolation: 4, revocation: 5, killSwitch: 6, stagedRollout: 7, updateHalt: 8, gatewayAllowlist: 9 } as const;

export const RESPONSE_CODE = {
  'isolate-zone': RESPONSE_ACTIONS.indexOf('isolate-zone'),
  'revoke-identities': RESPONSE_ACTIONS.indexOf('revoke-identities'),
  'halt-update': RESPONSE_ACTIONS.indexOf('halt-update'),
  'disconnect-kind': RESPONSE_ACTIONS.indexOf('disconnect-kind'),
} as const;

/** Service units, in the order of SERVICE_UNITS (vocabulary.ts). */
export const UNIT_APPOINTMENTS = SERVICE_UNITS.indexOf('appointments');
export const UNIT_PROCEDURES = SERVICE_UNITS.indexOf('procedures');
export const UNIT_TESTS = SERVICE_UNITS.indexOf('tests');

/**
 * A delay is packed as three numbers: [dist, a, b] — fixed: a = minutes; exponential: a = mean;
 * lognormal: a = ln(median), b = sigma; weibull: a = shape, b = scale. `mean` is kept for in-zone scanning.
 */
export type PackedDelay = Float64Array;

export interface CompiledModel {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly zoneCount: number;
  readonly siteCount: number;
  readonly serviceCount: number;
  readonly ownerCount: number;

  // --- per node -------------------------------------------------------------------------------------
  /** 0 physical, 1 network, 2 cloud. */
  readonly layer: Uint8Array;
  /** Index into NODE_KINDS. */
  readonly kind: Uint8Array;
  /** Zone index, -1 for none. */
  readonly zone: Int32Array;
  /** Site index, -1 for none. */
  readonly site: Int32Array;
  readonly owner: Int32Array;
  /** Exploit ease in (0, 1] of the best exploited vulnerability the node may carry (before patching); 0 = none. */
  readonly exploitEase: Float32Array;
  /** Chance the node carries an exploited vulnerability in a run (drawn per run: kernel/estate.ts). */
  readonly carryChance: Float32Array;
  /** Chance the regime patched it in a run, where it carries one (drawn per run). */
  readonly patchChance: Float32Array;
  /** faulty-update: 1 when the node breaks on receiving the update. */
  readonly affected: Uint8Array;
  /** faulty-update: the staged-rollout wave that offers the update to this node. */
  readonly wave: Uint8Array;
  /** Detection is this many times faster on the node (EDR). */
  readonly detectSpeedup: Float32Array;
  readonly handsOnMinutes: Float32Array;
  /** Recovery priority: the highest criticality among the services the node supports (0 if none). */
  readonly priority: Uint8Array;
  readonly patients: Float32Array;
  readonly records: Float64Array;
  /** Recovery queue the node joins (its site, or 0 when staff are shared). */
  readonly queue: Int32Array;

  // --- explicit edges, CSR by source ------------------------------------------------------------------
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /**
   * The edge entry and direction each member edge comes from (entry × 2 + reverse). Whether a control
   * stops a path is decided once per run for the whole entry: four hundred devices sharing one service
   * account share one credential, which MFA either stops or does not.
   */
  readonly edgeGroup: Int32Array;
  readonly edgeGroupCount: number;
  /**
   * Each edge's class: its relation, ease and repeat, an index into `classRelation`, `classEase` and
   * `classTag`. Relation and ease are functions of the edge's group (a target's exploit ease is its
   * entry's), the repeat is almost always 0, and a model has few distinct classes, so an edge holds a byte
   * (two past 256 classes, four past 65,536) instead of its relation, ease and stream key (124 MB less on
   * nhs-england). Read with `relationOf(m, k)`, `easeOf(m, k)` and `edgeKeyOf(m, source, k)` (edge-keys.ts).
   */
  readonly edgeClass: Uint8Array | Uint16Array | Uint32Array;
  /** By class: the relation, an index into RELATIONS. */
  readonly classRelation: Uint8Array;
  /**
   * By class: the multiplier on a traversal delay's rate — the relation's ease times the target's exploit
   * ease (CVSS) when the relation needs an exploit, the relation's alone for a credential or an update.
   */
  readonly classEase: Float32Array;
  /**
   * By class: what an edge's stream key hashes beside its two ends — its relation + 8 × its repeat, the
   * number of edges with the same source, target and relation before it in the source's list (edge-keys.ts).
   */
  readonly classTag: Int32Array;
  /**
   * By edge group: the probability an attempt gets through the static controls on its edges (MFA, least
   * privilege, a gateway's allow-list). Kept per group, not per edge — it depends only on the entries at
   * either end and the regime — which spares a national twin 62 MB (`groupPass[edgeGroup[k]]`).
   */
  readonly groupPass: Float32Array;
  /** By edge group: the control code that stops the attempts that do not pass, -1 for none. */
  readonly groupControl: Int8Array;
  /**
   * Static-spread models only (else empty): per edge, what an attempt along it is — 0 none (the threat does
   * not use the relation, or ease 0); the edge's ease for a sure one; minus its ease for one that may be
   * stopped (a pass below 1, or a target that may be patched or not carry the exploited flaw). The kernel's propagation loop reads this one array
   * instead of five.
   */
  readonly edgeSpread: Float32Array;

  // --- zones: implicit IP reachability ---------------------------------------------------------------
  /** Reach list of each zone (CSR), itself first when flat. */
  readonly zoneReachOffsets: Int32Array;
  readonly zoneReach: Int32Array;
  /** 1 when segmentation (as compiled) leaves the reach entry open. */
  readonly zoneReachOpen: Uint8Array;
  /** 1 when the reach entry is essential (segmentation never closes it). */
  readonly zoneReachEssential: Uint8Array;
  /** Scan targets of each zone (CSR): members that may carry an exploitable vulnerability, patched or not. */
  readonly zoneTargetOffsets: Int32Array;
  readonly zoneTargets: Int32Array;

  // --- services ---------------------------------------------------------------------------------------
  readonly serviceDemand: Float64Array;
  readonly serviceUnit: Uint8Array;
  readonly serviceDiversion: Uint8Array;
  readonly serviceSite: Int32Array;
  /** Each service's total support weight: its supporting members when none is critical (services.ts). */
  readonly serviceSupport: Float64Array;
  readonly nodeServiceOffsets: Int32Array;
  readonly nodeServices: Int32Array;
  /** Weight of each (member, service) link: 1 for an ordinary supporter, more for a critical one. */
  readonly nodeServiceWeight: Float64Array;
  /** Per link, the required slot (a `requiredFor` entry of the service) it counts in; -1 for an additive link. */
  readonly nodeServiceSlot: Int32Array;
  /** Members of each required slot; each service's slots (CSR). */
  readonly requiredSlotSize: Float64Array;
  readonly serviceSlotOffsets: Int32Array;
  /** Index into CompiledMeta.serviceKinds of each service (the `service.<kind>.*` columns). */
  readonly serviceKind: Int32Array;
  readonly serviceKindCount: number;
  /** What each service needs of the others (CSR) and the share of its work that needs each. */
  readonly serviceNeedOffsets: Int32Array;
  readonly serviceNeeds: Int32Array;
  readonly serviceNeedShare: Float64Array;
  /** Each service and every service it needs, directly or not (CSR): whose workarounds shape its capacity. */
  readonly serviceClosureOffsets: Int32Array;
  readonly serviceClosure: Int32Array;
  /** Each service and every service that needs it, directly or not, dependencies first (CSR). */
  readonly serviceAffectedOffsets: Int32Array;
  readonly serviceAffected: Int32Array;
  /**
   * Each service's workarounds (CSR): ceiling, set-up delay (packed, 3 numbers each; drawn per run and
   * divided by `workaroundSpeedup`) and ramp, minutes (already divided).
   */
  readonly serviceWorkaroundOffsets: Int32Array;
  readonly workaroundCeiling: Float64Array;
  readonly workaroundDelays: Float64Array;
  readonly workaroundSpeedup: Float64Array;
  readonly workaroundRamp: Float64Array;
  /** 1 for sites that are trusts (for trusts-affected counts). */
  readonly siteIsTrust: Uint8Array;
  /** Index into SITE_KINDS of each site (for `sitesInfected.<kind>`). */
  readonly siteKind: Uint8Array;
  /** Index into the twin's regions (CompiledMeta.regions) of each site, -1 for none (`trustsInfected.<region>`). */
  readonly siteRegion: Int32Array;
  readonly regionCount: number;
  /**
   * What each site depends on outside itself (CSR by site): the members outside the site (hosted, vendor and
   * national services, other sites) that a member of the site exchanges data with or signs in at (explicit `data` and
   * `identity` edges), sorted by their owner's column; `siteDependencyColumn` is that column, an index
   * into CompiledMeta.dependencyOwners (for `sitesCutOff.<owner>`).
   */
  readonly siteDependencyOffsets: Int32Array;
  readonly siteDependencies: Int32Array;
  readonly siteDependencyColumn: Int32Array;
  readonly dependencyOwnerCount: number;

  // --- threat -----------------------------------------------------------------------------------------
  readonly threat: number;
  /** Bit r set when relation r is traversable by the threat. */
  readonly relationMask: number;
  /** Whether the threat scans zones (network is traversable, it is not an update, and the twin has zones). */
  readonly scansZones: number;
  readonly spread: PackedDelay;
  /** Mean of `spread`, minutes: the per-pair mean of scanning the scanner's own zone (a Poisson process). */
  readonly spreadMeanMinutes: number;
  /** The per-pair mean of scanning the other zones the scanner's zone routes to (`routedSpread`, default `spread`). */
  readonly routedSpreadMeanMinutes: number;
  /** Share of members that cannot see the kill switch (drawn per run: kernel/estate.ts). */
  readonly killSwitchBlindShare: number;
  readonly payloadEffect: number;
  readonly payloadDelay: PackedDelay;
  /** An intrusion's push through the management plane: its arrival at each device (fixed 0: at once). */
  readonly pushArrival: PackedDelay;
  readonly killSwitchMinutes: number;
  /** Seed entries: candidates CSR, and per entry [count, atMinutes, spreadMinutes]. */
  readonly entryOffsets: Int32Array;
  readonly entryCandidates: Int32Array;
  readonly entryParams: Float64Array;
  readonly exfiltrationPerHour: number;
  /** faulty-update: release time, pull time, arrival delay, endpoint list (CSR over waves). */
  readonly releaseMinutes: number;
  readonly liveMinutes: number;
  readonly arrival: PackedDelay;
  readonly waveOffsets: Int32Array;
  readonly waveEndpoints: Int32Array;
  /** The update source that offers the update to each endpoint in waveEndpoints (for layer crossings). */
  readonly waveSources: Int32Array;
  readonly waveIntervalMinutes: number;
  readonly haltAfterFailures: number;
  /** From the failure that reaches haltAfterFailures to the halt (fixed Infinity: no staged rollout). */
  readonly haltDelay: PackedDelay;

  // --- operators (intrusion; compile/operators.ts) -------------------------------------------------------
  /** Operators playing the intrusion; 0 for every other threat (and the arrays below are empty). */
  readonly operatorCount: number;
  /** STRATEGY code: goal-directed or opportunistic. */
  readonly strategy: number;
  readonly temperatureMinutes: number;
  /** Per action (OPERATOR_ACTIONS order) its packed delay (3 numbers; exfiltrate's unused) and its mean. */
  readonly actionDelays: Float64Array;
  readonly actionMeans: Float64Array;
  /** Per action, the chance it raises an alert on a host without EDR. */
  readonly alertChance: Float64Array;
  readonly alertTriage: PackedDelay;
  /** Per credential class (CREDENTIAL_CLASSES order), the chance a harvest yields it. */
  readonly credentialChance: Float64Array;
  /** Per edge, the credential class a move along it needs (what a harvest on its source yields), -1 for none. */
  readonly edgeCredential: Int8Array;
  /** Per member, 1 when its group shares a local administrator (a Windows group of more than one member). */
  readonly localAdmin: Uint8Array;
  /** Each member's group (twin node entry), and each group's first member (with a sentinel). */
  readonly memberGroup: Int32Array;
  readonly groupStart: Int32Array;
  /** Per member, the number of the goal (targets-of-value selector) it belongs to, + 1; 0 for none. */
  readonly goal: Uint8Array;
  readonly goalCount: number;
  /** Estimated minutes from each member to the nearest goal (the operators' map); Infinity for none. */
  readonly goalDistance: Float64Array;
  /** The goal (selector number) each member's nearest goal member belongs to, -1 for none. */
  readonly goalOf: Int32Array;
  /** Whose patients each member's records are (a site; -1: its own), so a catchment's patients count once. */
  readonly catchment: Int32Array;

  // --- detection, response, recovery, clinical --------------------------------------------------------
  readonly detectCompromised: PackedDelay;
  readonly detectDisrupted: PackedDelay;
  /** Clinicians noticing a device's altered therapy or readings, from the alteration ("never" when not set). */
  readonly detectAltered: PackedDelay;
  /** Per node kind (NODE_KINDS order) its harm kind (compile/harm.ts HARM_KINDS), -1 for a kind without a profile. */
  readonly harmKindOf: Int8Array;
  /** Expected harm events per attached patient-hour, mitigated: [(harm kind × 2 + effect) × 5 + severity]. */
  readonly harmRates: Float64Array;
  /** Per harm kind, 1 when the device delivers therapy (its downtime is therapy interrupted), 0 when it monitors. */
  readonly harmTherapy: Uint8Array;
  /**
   * Per owner, its place among the owners of devices that can harm (patients attached, a kind with a harm
   * profile) — the `harm.owner.<owner>.*` columns, CompiledMeta.harmOwners — or -1 for an owner of none.
   */
  readonly harmOwnerColumn: Int32Array;
  readonly harmOwnerCount: number;
  /** Per response: [code, kind mask (bit = NODE_KINDS index), scope (0 estate, 1 site), share] and its delay (3 numbers). */
  readonly responseParams: Float64Array;
  readonly responseDelays: Float64Array;
  /** Per response, 1 when it is lifted once its reason is gone, and the checks' delay (3 numbers). */
  readonly responseLifts: Uint8Array;
  readonly liftDelays: Float64Array;
  /** The national alert: once this many sites have detected the incident (Infinity: never), after escalationDelay. */
  readonly escalationSites: number;
  readonly escalationDelay: PackedDelay;
  /** Members of each site (CSR). */
  readonly siteMemberOffsets: Int32Array;
  readonly siteMembers: Int32Array;
  readonly queueCount: number;
  readonly queueOffsets: Int32Array;
  /** Staff of the general queues (the scenario's plus the regime's extra), and each queue's staff (teams' their own). */
  readonly staffPerQueue: number;
  readonly queueStaff: Int32Array;
  /** Recovery teams (a supplier's own staff): each member's team (-1 none), each team's start delay (3 numbers), its members (CSR). */
  readonly teamCount: number;
  readonly teamOf: Int32Array;
  readonly teamStartDelays: Float64Array;
  readonly teamMemberOffsets: Int32Array;
  readonly teamMembers: Int32Array;
  readonly startDelay: PackedDelay;
  /** 1: `startDelay` is each member's own, from its detection (scenario `recovery.startDelayPer: member`); 0: each queue's, once. */
  readonly startDelayPerMember: number;
  readonly autoRestore: PackedDelay;
  readonly restoreSpeedup: number;
  readonly downtimeCapacity: number;
  readonly diversionBelow: number;
  readonly horizonMinutes: number;
  /**
   * 1 when nothing can close a path or stop a source once an attempt is scheduled (no detection, no
   * responses, no kill switch): an attempt that passes every static control then surely succeeds, so later
   * attempts at the same target can be dropped when scheduled (as the C reference's lazy heap does).
   */
  readonly staticSpread: number;
  /**
   * 1 when, in a static-spread model, restoring a compromised member changes nothing that anything reads:
   * no payload (nothing is ever disrupted, so no service or recovery time depends on it), no patients, no
   * exfiltration — and attempts and scans out of a member are only scheduled before its restore. The
   * kernel then keeps the restore time on the member and never queues the restore (sir_ref.c's indexed
   * variant does the same), unless a trace or series asks to see the run unfold.
   */
  readonly quietRestore: number;
}

/** Names for the arrays' indices, kept out of the kernel's way. */
export interface CompiledMeta {
  twin: string;
  scenario: string;
  regime: string;
  /** Node entry ids and their first member index (with a sentinel): member k of entry e is `id#k`. */
  entryIds: string[];
  entryCounts: number[];
  entryStart: Int32Array;
  owners: string[];
  sites: string[];
  siteKinds: string[];
  /** The twin's regions, in order of first appearance among its sites. */
  regions: string[];
  /** Owners of the nodes sites depend on outside themselves (see CompiledModel.siteDependencies). */
  dependencyOwners: string[];
  /** Owners of devices that can harm a patient, in twin order (`harm.owner.<owner>.*`). */
  harmOwners: string[];
  zones: string[];
  services: string[];
  serviceUnits: string[];
  /** Service kinds, in order of first appearance (compile/services.ts). */
  serviceKinds: string[];
}

export interface Compiled {
  model: CompiledModel;
  meta: CompiledMeta;
}
