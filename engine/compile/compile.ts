import { parseCvss, type CvssRating } from '../model/cvss.js';
import { expandTwin, hashUnit, memberCarries, type ExpandedTwin } from '../model/expand.js';
import type { Regime } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import { selectEntries, type Selector } from '../model/selector.js';
import type { Twin } from '../model/twin.js';
import { LAYERS, NODE_KINDS, RELATIONS, SERVICE_UNITS, SITE_KINDS } from '../model/vocabulary.js';
import { delayMean, packDelay } from './delay.js';
import { exploitEase, LEAST_PRIVILEGE_EASE, MFA_EASE, RELATION_EASE } from './ease.js';
import { CONTROL, PAYLOAD_DISRUPT, PAYLOAD_NONE, RESPONSE_CODE, THREAT_CODE, type Compiled, type CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';
import { compileZones } from './zones.js';

/** A fixed pseudo-random number in [0, 1) for a member index (murmur3's finalizer). */
function unitOf(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** A bit mask of NODE_KINDS indices (there are fewer than 31 kinds, so it fits a 32-bit integer). */
export function kindMask(kinds: readonly string[]): number {
  let mask = 0;
  for (const k of kinds) mask |= 1 << NODE_KINDS.indexOf(k as (typeof NODE_KINDS)[number]);
  return mask;
}

/** Detection is this many times faster on a node with EDR when the regime does not say (assumption). */
const DEFAULT_EDR_SPEEDUP = 4;

/**
 * (twin, scenario, regime) → the compiled model. Groups are expanded here; controls change the arrays,
 * never the kernel. Deterministic: the same inputs give the same arrays.
 */
export function compile(twin: Twin, scenario: Scenario, regime: Regime, expanded: ExpandedTwin = expandTwin(twin)): Compiled {
  const n = expanded.nodeCount;
  const { entryStart, entryOf } = expanded;
  const controls = regime.controls;
  const threat = scenario.threat;
  const index = <T extends { id: string }>(items: readonly T[]): Map<string, number> => new Map(items.map((x, i) => [x.id, i]));
  const ownerIndex = index(twin.owners);
  const siteIndex = index(twin.sites);
  const zoneIndex = index(twin.zones);
  const serviceIndex = index(twin.services);
  const serviceCriticality = twin.services.map((s) => s.criticality);

  const layer = shared(Uint8Array, n);
  const kind = shared(Uint8Array, n);
  const zone = shared(Int32Array, n);
  const site = shared(Int32Array, n);
  const owner = shared(Int32Array, n);
  const exploitEaseOf = shared(Float32Array, n);
  const patched = shared(Uint8Array, n);
  const detectSpeedup = shared(Float32Array, n);
  const handsOnMinutes = shared(Float32Array, n);
  const priority = shared(Uint8Array, n);
  const patients = shared(Float32Array, n);
  const records = shared(Float64Array, n);
  const queue = shared(Int32Array, n);

  const exploited = new Set(threat.kind === 'faulty-update' ? [] : threat.exploits);
  const ratings = new Map<string, CvssRating>();
  const zoneSite = twin.zones.map((z) => (z.site === undefined ? -1 : siteIndex.get(z.site)!));
  const recoverySpeedup = controls.backupRestoreSpeedup ?? 1;
  const edrSpeedup = controls.edrDetectionSpeedup ?? DEFAULT_EDR_SPEEDUP;

  twin.nodes.forEach((node, e) => {
    const start = entryStart[e]!;
    const end = entryStart[e + 1]!;
    const z = node.zone === undefined ? -1 : zoneIndex.get(node.zone)!;
    const s = node.site !== undefined ? siteIndex.get(node.site)! : z >= 0 ? zoneSite[z]! : -1;
    layer.fill(LAYERS.indexOf(node.layer), start, end);
    kind.fill(NODE_KINDS.indexOf(node.kind), start, end);
    zone.fill(z, start, end);
    site.fill(s, start, end);
    owner.fill(ownerIndex.get(node.owner)!, start, end);
    handsOnMinutes.fill(node.recovery.handsOnMinutes / recoverySpeedup, start, end);
    priority.fill(Math.max(0, ...[...node.services, ...node.criticalFor.map((c) => c.service)].map((id) => serviceCriticality[serviceIndex.get(id)!]!)), start, end);
    patients.fill(node.patientsAttached, start, end);
    records.fill(node.records, start, end);
    const unsupported = node.tags.includes('unsupported-os') || node.software.some((c) => c.supported === false);
    const patchable = !(controls.patchSupportedOnly && unsupported);
    const hasEdr = node.controls.includes('edr');
    const vulns = node.vulns
      .filter((v) => exploited.has(v.cve))
      .map((v) => {
        let rating = ratings.get(v.cvss);
        if (!rating) ratings.set(v.cvss, (rating = parseCvss(v.cvss) as CvssRating));
        return { share: v.share, offset: hashUnit(`${node.id}/${v.cve}`), ease: exploitEase(rating) };
      });
    const patchOffset = hashUnit(`${node.id}/patch`);
    const edrOffset = hashUnit(`${node.id}/edr`);
    for (let k = 0; k < node.count; k++) {
      const i = start + k;
      let ease = 0;
      for (const v of vulns) if (v.ease > ease && memberCarries(v.share, k, v.offset)) ease = v.ease;
      exploitEaseOf[i] = ease;
      if (ease > 0 && patchable && controls.patchCoverage !== undefined && memberCarries(controls.patchCoverage, k, patchOffset)) {
        patched[i] = 1;
      }
      const edr = hasEdr || (controls.edrCoverage !== undefined && memberCarries(controls.edrCoverage, k, edrOffset));
      detectSpeedup[i] = edr ? edrSpeedup : 1;
    }
  });

  // Recovery queues: one per site when staff are per site (plus one for nodes without a site), else one.
  const perSite = scenario.recovery.perSite;
  const queueCount = perSite ? twin.sites.length + 1 : 1;
  const queueSizes = new Int32Array(queueCount);
  for (let i = 0; i < n; i++) {
    const q = perSite ? (site[i]! >= 0 ? site[i]! : twin.sites.length) : 0;
    queue[i] = q;
    queueSizes[q]!++;
  }
  const queueOffsets = shared(Int32Array, queueCount + 1);
  for (let q = 0; q < queueCount; q++) queueOffsets[q + 1] = queueOffsets[q]! + queueSizes[q]!;

  // Services: which members support which service (CSR by node), each link's weight, and each service's
  // total weight. An ordinary supporter weighs 1; a member on which the service depends critically (share c,
  // `criticalFor`) weighs c · n / (1 − C), where n counts the ordinary supporters and C sums the critical
  // shares, so that its loss takes c of the capacity and the ordinary ones share 1 − C. With no ordinary
  // supporter a critical member weighs c out of a total of 1. Without critical members every weight is 1
  // and the total is the supporter count, exactly as before.
  const serviceCount = twin.services.length;
  const ordinary = new Float64Array(serviceCount);
  const criticalShare = new Float64Array(serviceCount);
  twin.nodes.forEach((node) => {
    for (const id of node.services) ordinary[serviceIndex.get(id)!]! += node.count;
    for (const c of node.criticalFor) criticalShare[serviceIndex.get(c.service)!]! += c.share * node.count;
  });
  const criticalWeight = (s: number, share: number): number => (ordinary[s]! > 0 ? (share * ordinary[s]!) / (1 - criticalShare[s]!) : share);
  const nodeServiceOffsets = shared(Int32Array, n + 1);
  let links = 0;
  twin.nodes.forEach((node, e) => {
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServiceOffsets[i] = links;
      links += node.services.length + node.criticalFor.length;
    }
  });
  nodeServiceOffsets[n] = links;
  const nodeServices = shared(Int32Array, links);
  const nodeServiceWeight = shared(Float64Array, links);
  const serviceSupport = shared(Float64Array, serviceCount);
  twin.nodes.forEach((node, e) => {
    const ids = [...node.services.map((id) => serviceIndex.get(id)!), ...node.criticalFor.map((c) => serviceIndex.get(c.service)!)];
    const weights = [...node.services.map(() => 1), ...node.criticalFor.map((c) => criticalWeight(serviceIndex.get(c.service)!, c.share))];
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServices.set(ids, nodeServiceOffsets[i]!);
      nodeServiceWeight.set(weights, nodeServiceOffsets[i]!);
    }
  });
  for (let s = 0; s < serviceCount; s++) {
    serviceSupport[s] = criticalShare[s] === 0 ? ordinary[s]! : ordinary[s]! > 0 ? ordinary[s]! / (1 - criticalShare[s]!) : 1;
  }

  // Explicit edges, CSR by source, with each edge's ease after controls.
  const m = expanded.edgeCount;
  const offsets = shared(Int32Array, n + 1);
  for (let k = 0; k < m; k++) offsets[expanded.edgeSource[k]! + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const targets = shared(Int32Array, m);
  const relation = shared(Uint8Array, m);
  const edgeEase = shared(Float32Array, m);
  const edgePass = shared(Float32Array, m);
  const edgeControl = shared(Int8Array, m);
  const edgeNeedsExploit = shared(Uint8Array, m);
  const edgeGroup = shared(Int32Array, m);
  const entryIndex = new Map(twin.nodes.map((x, i) => [x.id, i]));
  const edgeFromEntry = twin.edges.map((e) => entryIndex.get(e.from)!);
  const credential = (r: string): boolean => r === 'identity' || r === 'management';
  const nodeMfa = twin.nodes.map((node) => node.controls.includes('mfa'));
  const nodeLeastPrivilege = twin.nodes.map((node) => node.controls.includes('least-privilege'));
  for (let k = 0; k < m; k++) {
    const source = expanded.edgeSource[k]!;
    const target = expanded.edgeTarget[k]!;
    const slot = cursor[source]!++;
    const r = expanded.edgeRelation[k]!;
    const name = RELATIONS[r]!;
    targets[slot] = target;
    relation[slot] = r;
    const entry = expanded.edgeEntry[k]!;
    edgeGroup[slot] = entry * 2 + (entryOf[source] === edgeFromEntry[entry] ? 0 : 1);
    edgeControl[slot] = -1;
    edgePass[slot] = 1;
    if (credential(name)) {
      edgeEase[slot] = RELATION_EASE[name];
      const e = entryOf[target]!;
      if (controls.leastPrivilege || nodeLeastPrivilege[e]) {
        edgePass[slot] = LEAST_PRIVILEGE_EASE;
        edgeControl[slot] = CONTROL.leastPrivilege;
      }
      if (controls.mfa || nodeMfa[e]) {
        edgePass[slot] *= MFA_EASE;
        edgeControl[slot] = CONTROL.mfa;
      }
    } else {
      edgeNeedsExploit[slot] = name === 'update' ? 0 : 1;
      edgeEase[slot] = RELATION_EASE[name] * (name === 'update' ? 1 : exploitEaseOf[target]!);
    }
  }

  const zones = compileZones(twin, expanded, zone, exploitEaseOf, controls.segmentation ?? 0);

  // Seed entries, update endpoints and staged-rollout waves.
  const membersOf = (selector: Selector): number[] => {
    const out: number[] = [];
    for (const e of selectEntries(twin, selector)) for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) out.push(i);
    return out;
  };
  const entries = threat.kind === 'faulty-update' ? [] : threat.entries;
  // A worm can only enter where its exploit works (patched members stay candidates: the patch stops them).
  const entryLists = entries.map((entry) => membersOf(entry.select).filter((i) => threat.kind !== 'worm' || exploitEaseOf[i]! > 0));
  const entryOffsets = shared(Int32Array, entries.length + 1);
  entryLists.forEach((list, i) => (entryOffsets[i + 1] = entryOffsets[i]! + list.length));
  const entryCandidates = sharedFrom(Int32Array, entryLists.flat());
  const entryParams = sharedFrom(
    Float64Array,
    entries.flatMap((e, i) => [e.share === undefined ? e.count : Math.max(1, Math.round(e.share * entryLists[i]!.length)), e.atMinutes, e.spreadMinutes]),
  );

  const affected = shared(Uint8Array, n);
  const wave = shared(Uint8Array, n);
  const waves = controls.stagedRollout?.waves ?? [1];
  const waveLists: number[][] = waves.map(() => []);
  const waveSourceLists: number[][] = waves.map(() => []);
  if (threat.kind === 'faulty-update') {
    for (const i of membersOf(threat.affects)) affected[i] = 1;
    const isSource = new Uint8Array(n);
    for (const i of membersOf(threat.source)) isSource[i] = 1;
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!isSource[i]) continue;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
        const j = targets[k]!;
        if (RELATIONS[relation[k]!] !== 'update' || seen[j]) continue;
        seen[j] = 1;
        // Canary membership is fixed per endpoint (a vendor's rings do not change between runs).
        const u = unitOf(j);
        let w = 0;
        while (u >= waves[w]! && w < waves.length - 1) w++;
        wave[j] = w;
        waveLists[w]!.push(j);
        waveSourceLists[w]!.push(i);
      }
    }
  }
  const waveOffsets = shared(Int32Array, waves.length + 1);
  waveLists.forEach((list, w) => (waveOffsets[w + 1] = waveOffsets[w]! + list.length));
  const waveEndpoints = sharedFrom(Int32Array, waveLists.flat());
  const waveSources = sharedFrom(Int32Array, waveSourceLists.flat());

  const responseParams = shared(Float64Array, scenario.responses.length * 4);
  const responseDelays = shared(Float64Array, scenario.responses.length * 3);
  scenario.responses.forEach((response, r) => {
    responseParams.set([RESPONSE_CODE[response.action], kindMask(response.kinds ?? []), response.scope === 'site' ? 1 : 0, response.share], r * 4);
    responseDelays.set(packDelay(response.delay), r * 3);
  });

  // Members of each site (CSR), for responses taken site by site.
  const siteMemberOffsets = shared(Int32Array, twin.sites.length + 1);
  for (let i = 0; i < n; i++) if (site[i]! >= 0) siteMemberOffsets[site[i]! + 1]!++;
  for (let k = 0; k < twin.sites.length; k++) siteMemberOffsets[k + 1]! += siteMemberOffsets[k]!;
  const siteMembers = shared(Int32Array, siteMemberOffsets[twin.sites.length]!);
  const siteFill = siteMemberOffsets.slice(0, twin.sites.length);
  for (let i = 0; i < n; i++) if (site[i]! >= 0) siteMembers[siteFill[site[i]!]!++] = i;

  const regions = [...new Set(twin.sites.flatMap((x) => (x.region === undefined ? [] : [x.region])))];
  const dependencies = siteDependencies(twin.sites.length, site, owner, offsets, targets, relation);

  const relationMask = threat.kind === 'faulty-update' ? 1 << RELATIONS.indexOf('update') : threat.relations.reduce((mask, r) => mask | (1 << RELATIONS.indexOf(r)), 0);
  const spread = threat.kind === 'worm' ? threat.spread : threat.kind === 'intrusion' ? threat.pivot : undefined;

  const staticSpread =
    threat.kind !== 'faulty-update' && scenario.detection.compromised === undefined && scenario.detection.disrupted.dist === 'fixed' && scenario.detection.disrupted.minutes > scenario.horizonHours * 60 && scenario.responses.length === 0 && !(threat.kind === 'worm' && threat.killSwitchAtMinutes !== undefined);
  const edgeSpread = shared(Float32Array, staticSpread ? m : 0);
  if (staticSpread) {
    for (let k = 0; k < m; k++) {
      if ((relationMask & (1 << relation[k]!)) === 0 || edgeEase[k] === 0) continue;
      edgeSpread[k] = edgePass[k] === 1 && (edgeNeedsExploit[k] === 0 || patched[targets[k]!] === 0) ? edgeEase[k]! : -edgeEase[k]!;
    }
  }

  const model: CompiledModel = {
    nodeCount: n,
    edgeCount: m,
    zoneCount: twin.zones.length,
    siteCount: twin.sites.length,
    serviceCount,
    ownerCount: twin.owners.length,
    layer,
    kind,
    zone,
    site,
    owner,
    exploitEase: exploitEaseOf,
    patched,
    affected,
    wave,
    detectSpeedup,
    handsOnMinutes,
    priority,
    patients,
    records,
    queue,
    offsets,
    targets,
    relation,
    edgeEase,
    edgePass,
    edgeControl,
    edgeNeedsExploit,
    edgeSpread,
    edgeGroup,
    edgeGroupCount: twin.edges.length * 2,
    ...zones,
    serviceDemand: sharedFrom(Float64Array, twin.services.map((s) => s.demandPerHour)),
    serviceUnit: sharedFrom(Uint8Array, twin.services.map((s) => SERVICE_UNITS.indexOf(s.unit))),
    serviceDiversion: sharedFrom(Uint8Array, twin.services.map((s) => (s.diversion ? 1 : 0))),
    serviceSite: sharedFrom(Int32Array, twin.services.map((s) => (s.site === undefined ? -1 : siteIndex.get(s.site)!))),
    serviceSupport,
    nodeServiceOffsets,
    nodeServices,
    nodeServiceWeight,
    siteIsTrust: sharedFrom(Uint8Array, twin.sites.map((s) => (s.kind.endsWith('-trust') ? 1 : 0))),
    siteKind: sharedFrom(Uint8Array, twin.sites.map((s) => SITE_KINDS.indexOf(s.kind))),
    siteRegion: sharedFrom(Int32Array, twin.sites.map((s) => (s.region === undefined ? -1 : regions.indexOf(s.region)))),
    regionCount: regions.length,
    siteDependencyOffsets: dependencies.offsets,
    siteDependencies: dependencies.nodes,
    siteDependencyColumn: dependencies.columns,
    dependencyOwnerCount: dependencies.owners.length,
    threat: THREAT_CODE[threat.kind],
    relationMask,
    scansZones: threat.kind !== 'faulty-update' && threat.relations.includes('network') ? 1 : 0,
    spread: packDelay(spread),
    spreadMeanMinutes: spread ? delayMean(spread) : Infinity,
    payloadEffect: threat.kind === 'faulty-update' || threat.payload.effect === 'disrupt' ? PAYLOAD_DISRUPT : PAYLOAD_NONE,
    payloadDelay: packDelay(threat.kind === 'faulty-update' ? { dist: 'fixed', minutes: 0 } : threat.payload.delay),
    killSwitchMinutes: threat.kind === 'worm' && threat.killSwitchAtMinutes !== undefined ? threat.killSwitchAtMinutes : Infinity,
    entryOffsets,
    entryCandidates,
    entryParams,
    exfiltrationPerHour: threat.kind === 'intrusion' ? (threat.exfiltration?.recordsPerHour ?? 0) : 0,
    releaseMinutes: threat.kind === 'faulty-update' ? threat.releaseAtMinutes : Infinity,
    liveMinutes: threat.kind === 'faulty-update' ? threat.liveMinutes : 0,
    arrival: packDelay(threat.kind === 'faulty-update' ? threat.arrival : undefined),
    waveOffsets,
    waveEndpoints,
    waveSources,
    waveIntervalMinutes: controls.stagedRollout?.waveIntervalMinutes ?? 0,
    haltAfterFailures: controls.stagedRollout?.haltAfterFailures ?? Infinity,
    detectCompromised: packDelay(scenario.detection.compromised),
    detectDisrupted: packDelay(scenario.detection.disrupted),
    responseParams,
    responseDelays,
    siteMemberOffsets,
    siteMembers,
    queueCount,
    queueOffsets,
    staffPerQueue: scenario.recovery.staff + (controls.extraStaff ?? 0),
    startDelay: packDelay(scenario.recovery.startDelay ?? { dist: 'fixed', minutes: 0 }),
    autoRestore: packDelay(scenario.recovery.autoRestore),
    restoreSpeedup: recoverySpeedup,
    downtimeCapacity: downtimeCapacity(scenario.clinical.downtimeCapacity, controls.downtimeCapacity ?? 0),
    diversionBelow: scenario.clinical.diversionBelowCapacity,
    safetyPerPatientHour: scenario.clinical.safetyEventsPerPatientHour,
    horizonMinutes: scenario.horizonHours * 60,
    staticSpread: staticSpread ? 1 : 0,
    quietRestore: staticSpread && threat.payload.effect === 'none' && !(threat.kind === 'intrusion' && (threat.exfiltration?.recordsPerHour ?? 0) > 0 && records.some((x) => x > 0)) && patients.every((x) => x === 0) ? 1 : 0,
  };
  return {
    model,
    meta: {
      twin: twin.name,
      scenario: scenario.name,
      regime: regime.name,
      entryIds: twin.nodes.map((x) => x.id),
      entryCounts: twin.nodes.map((x) => x.count),
      entryStart,
      owners: twin.owners.map((o) => o.id),
      sites: twin.sites.map((s) => s.id),
      siteKinds: twin.sites.map((s) => s.kind),
      regions,
      dependencyOwners: dependencies.owners.map((o) => twin.owners[o]!.id),
      zones: twin.zones.map((z) => z.id),
      services: twin.services.map((s) => s.id),
      serviceUnits: twin.services.map((s) => s.unit),
    },
  };
}

/**
 * The share of a service kept on paper: what the estate already had in the incident (the scenario's) and
 * what a regime adds on top, as independent fallbacks: 1 − (1 − a)(1 − b). Either alone is kept exactly.
 */
function downtimeCapacity(scenario: number, regime: number): number {
  if (scenario === 0) return regime;
  if (regime === 0) return scenario;
  return 1 - (1 - scenario) * (1 - regime);
}

const DATA = RELATIONS.indexOf('data');
const IDENTITY = RELATIONS.indexOf('identity');

/**
 * Per site, the members outside it (hosted, vendor and national services, other sites) that its members
 * exchange data with or sign in at, sorted by owner; the owners that appear get one `sitesCutOff.<owner>` column
 * each, in owner order.
 */
function siteDependencies(siteCount: number, site: Int32Array, owner: Int32Array, offsets: Int32Array, targets: Int32Array, relation: Uint8Array) {
  const bySite: Set<number>[] = Array.from({ length: siteCount }, () => new Set());
  for (let i = 0; i < site.length; i++) {
    const s = site[i]!;
    if (s < 0) continue;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const r = relation[k]!;
      if ((r === DATA || r === IDENTITY) && site[targets[k]!] !== s) bySite[s]!.add(targets[k]!);
    }
  }
  const owners = [...new Set(bySite.flatMap((set) => [...set].map((j) => owner[j]!)))].sort((a, b) => a - b);
  const column = new Map(owners.map((o, c) => [o, c]));
  const lists = bySite.map((set) => [...set].sort((a, b) => owner[a]! - owner[b]! || a - b));
  const dependencyOffsets = shared(Int32Array, siteCount + 1);
  lists.forEach((list, s) => (dependencyOffsets[s + 1] = dependencyOffsets[s]! + list.length));
  const flat = lists.flat();
  return {
    offsets: dependencyOffsets,
    nodes: sharedFrom(Int32Array, flat),
    columns: sharedFrom(Int32Array, flat.map((j) => column.get(owner[j]!)!)),
    owners,
  };
}
