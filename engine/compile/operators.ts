import type { ExpandedTwin } from '../model/expand.js';
import type { Threat } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { CREDENTIAL_CLASSES, OPERATOR_ACTIONS, RELATIONS } from '../model/vocabulary.js';
import { EventHeap } from '../kernel/heap.js';
import { delayMean, packDelay } from './delay.js';
import { selectMembers } from './members.js';
import { easeOf, relationOf, type CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';
import { CREDENTIAL, credentialClass } from './credentials.js';

import { ACTION, STRATEGY } from './operator-codes.js';

export { ACTION, CREDENTIAL, credentialClass, STRATEGY };

export type OperatorArrays = Pick<
  CompiledModel,
  | 'operatorCount'
  | 'strategy'
  | 'temperatureMinutes'
  | 'actionDelays'
  | 'actionMeans'
  | 'alertChance'
  | 'alertTriage'
  | 'credentialChance'
  | 'edgeCredential'
  | 'localAdmin'
  | 'memberGroup'
  | 'groupStart'
  | 'goal'
  | 'goalDistance'
  | 'goalOf'
  | 'goalCount'
  | 'catchment'
>;


/**
 * What operators need (docs/engine.md "Operators"): their number, strategy and action times; the credential
 * class a move along each identity or management edge needs (the class a harvest on its source yields);
 * which members share a local administrator with the rest of their group (Windows groups of more than one
 * member); the goals; and each member's estimated time to the nearest goal, the operators' map.
 * An intrusion compiles these; every other threat gets empty arrays and operatorCount 0.
 */
export function compileOperators(
  twin: Twin,
  expanded: ExpandedTwin,
  threat: Threat,
  arrays: Pick<CompiledModel, 'kind' | 'zone' | 'site' | 'nodeServiceOffsets' | 'nodeServices' | 'serviceSite' | 'offsets' | 'targets' | 'edgeClass' | 'classRelation' | 'classEase' | 'exploitEase' | 'zoneReachOffsets' | 'zoneReach' | 'zoneReachOpen'>,
  relationMask: number,
): OperatorArrays {
  const n = expanded.nodeCount;
  const groups = twin.nodes.length;
  const memberGroup = shared(Int32Array, n);
  for (let g = 0; g < groups; g++) memberGroup.fill(g, expanded.entryStart[g]!, expanded.entryStart[g + 1]!);
  const none: OperatorArrays = {
    operatorCount: 0,
    strategy: STRATEGY.goalDirected,
    temperatureMinutes: 1,
    actionDelays: shared(Float64Array, 0),
    actionMeans: shared(Float64Array, 0),
    alertChance: shared(Float64Array, 0),
    alertTriage: packDelay(undefined),
    credentialChance: shared(Float64Array, 0),
    edgeCredential: shared(Int8Array, 0),
    localAdmin: shared(Uint8Array, 0),
    memberGroup,
    groupStart: sharedFrom(Int32Array, expanded.entryStart),
    goal: shared(Uint8Array, 0),
    goalDistance: shared(Float64Array, 0),
    goalOf: shared(Int32Array, 0),
    goalCount: 0,
    catchment: shared(Int32Array, 0),
  };
  if (threat.kind !== 'intrusion') return none;

  const timed = ['discover', 'exploit', 'harvest', 'move', 'deploy'] as const;
  const actionDelays = shared(Float64Array, OPERATOR_ACTIONS.length * 3);
  const actionMeans = shared(Float64Array, OPERATOR_ACTIONS.length);
  for (const a of timed) {
    actionDelays.set(packDelay(threat.actions[a]), ACTION[a] * 3);
    actionMeans[ACTION[a]] = delayMean(threat.actions[a]);
  }
  const { kind, offsets, targets } = arrays;
  const edgeCredential = shared(Int8Array, targets.length);
  for (let u = 0; u < n; u++) {
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) edgeCredential[k] = credentialClass(relationOf(arrays, k), kind[u]!, kind[targets[k]!]!);
  }
  const localAdmin = shared(Uint8Array, n);
  twin.nodes.forEach((node, g) => {
    if (node.count > 1 && node.tags.includes('windows')) localAdmin.fill(1, expanded.entryStart[g]!, expanded.entryStart[g + 1]!);
  });
  // Each goal selector is one target of value: its members carry its number + 1 (the first selector wins).
  const goal = shared(Uint8Array, n);
  (threat.goals ?? []).forEach((selector, g) => {
    for (const i of selectMembers(twin, expanded.entryStart, selector)) if (goal[i] === 0) goal[i] = g + 1;
  });
  const model = { ...arrays, edgeCredential, localAdmin, memberGroup, groupStart: expanded.entryStart, goal, actionMeans };
  const { distance, label } = goalDistances(model, relationMask, groups);
  return {
    operatorCount: threat.operators,
    strategy: threat.strategy === 'goal-directed' ? STRATEGY.goalDirected : STRATEGY.opportunistic,
    temperatureMinutes: threat.temperatureMinutes,
    actionDelays,
    actionMeans,
    alertChance: sharedFrom(Float64Array, OPERATOR_ACTIONS.map((a) => threat.alerts.chance[a])),
    alertTriage: packDelay(threat.alerts.triage),
    credentialChance: sharedFrom(Float64Array, CREDENTIAL_CLASSES.map((c) => threat.credentials[c])),
    edgeCredential,
    localAdmin,
    memberGroup,
    groupStart: none.groupStart,
    goal,
    goalDistance: distance,
    goalOf: label,
    goalCount: threat.goals?.length ?? 0,
    catchment: catchments(arrays),
  };
}

/**
 * Whose patients each record holder's records are: its site's, else the site of the first service it
 * supports (a hosted EHR holds its trust's patients, as the trust's PACS does), else its own (-1). Records
 * taken from two holders of one catchment count its patients once.
 */
function catchments(m: Pick<CompiledModel, 'site' | 'nodeServiceOffsets' | 'nodeServices' | 'serviceSite'>): Int32Array {
  const n = m.site.length;
  const out = shared(Int32Array, n);
  for (let i = 0; i < n; i++) {
    const first = m.nodeServiceOffsets[i]!;
    out[i] = m.site[i]! >= 0 ? m.site[i]! : first < m.nodeServiceOffsets[i + 1]! ? m.serviceSite[m.nodeServices[first]!]! : -1;
  }
  return out;
}


/**
 * Each member's estimated minutes to the nearest goal: a shortest-path (Dijkstra) search backwards from
 * the goals over what an operator can do — explicit edges (discover, then exploit at the target's ease, or
 * harvest and move with a credential), the scan targets its zone reaches (discover, exploit), and a
 * local-administrator group's members (discover, harvest, move); and which goal that nearest one is, so an
 * operator knows which estimates a goal already taken has made moot. Mean action times; controls and
 * credentials not yet held are ignored — it is the operator's estimate, not the run's truth. Infinity where
 * no goal is reachable. Virtual vertices after the members: one per zone "into the zone", one per zone
 * "from the zone", one per group.
 */
function goalDistances(
  m: Pick<CompiledModel, 'zone' | 'offsets' | 'targets' | 'edgeClass' | 'classRelation' | 'classEase' | 'exploitEase' | 'zoneReachOffsets' | 'zoneReach' | 'zoneReachOpen' | 'edgeCredential' | 'localAdmin' | 'memberGroup' | 'groupStart' | 'goal' | 'actionMeans'>,
  relationMask: number,
  groups: number,
): { distance: Float64Array; label: Int32Array } {
  const n = m.zone.length;
  const zones = m.zoneReachOffsets.length - 1;
  const [discover, exploit, harvest, move] = [ACTION.discover, ACTION.exploit, ACTION.harvest, ACTION.move].map((a) => m.actionMeans[a]!) as [number, number, number, number];
  const credentialMove = discover + harvest + move;
  // Reverse CSR of the usable explicit edges.
  const inCount = new Int32Array(n + 1);
  const usable = (k: number): boolean => (relationMask & (1 << relationOf(m, k))) !== 0 && easeOf(m, k) > 0;
  for (let k = 0; k < m.targets.length; k++) if (usable(k)) inCount[m.targets[k]! + 1]!++;
  for (let i = 0; i < n; i++) inCount[i + 1]! += inCount[i]!;
  const inEdges = new Int32Array(inCount[n]!);
  const inSource = new Int32Array(inCount[n]!);
  const fill = inCount.slice(0, n);
  for (let u = 0; u < n; u++) {
    for (let k = m.offsets[u]!; k < m.offsets[u + 1]!; k++) {
      if (!usable(k)) continue;
      const at = fill[m.targets[k]!]!++;
      inEdges[at] = k;
      inSource[at] = u;
    }
  }
  // Which zones reach each zone through an open entry, and each zone's members.
  const reachedBy: number[][] = Array.from({ length: zones }, () => []);
  for (let a = 0; a < zones; a++) for (let r = m.zoneReachOffsets[a]!; r < m.zoneReachOffsets[a + 1]!; r++) if (m.zoneReachOpen[r] === 1) reachedBy[m.zoneReach[r]!]!.push(a);
  const zoneMembers: number[][] = Array.from({ length: zones }, () => []);
  for (let i = 0; i < n; i++) if (m.zone[i]! >= 0) zoneMembers[m.zone[i]!]!.push(i);
  const network = (relationMask & (1 << RELATIONS.indexOf('network'))) !== 0;

  const into = n;
  const from = n + zones;
  const group = n + 2 * zones;
  const distance = new Float64Array(group + groups).fill(Infinity);
  // The goal group (twin entry) each vertex's nearest goal belongs to.
  const label = new Int32Array(group + groups).fill(-1);
  const heap = new EventHeap(1024);
  let current = -1;
  const relax = (v: number, d: number): void => {
    if (d < distance[v]!) {
      distance[v] = d;
      label[v] = current;
      heap.push(d, 0, v, 0);
    }
  };
  for (let i = 0; i < n; i++) {
    current = m.goal[i]! - 1;
    if (current >= 0) relax(i, 0);
  }
  while (heap.size > 0) {
    const first = heap.first();
    const d = heap.time[first]!;
    const v = heap.node[first]!;
    heap.pop();
    if (d > distance[v]!) continue;
    current = label[v]!;
    if (v < n) {
      for (let j = inCount[v]!; j < inCount[v + 1]!; j++) {
        const k = inEdges[j]!;
        relax(inSource[j]!, d + (m.edgeCredential[k]! >= 0 ? credentialMove : discover + exploit / easeOf(m, k)));
      }
      if (network && m.zone[v]! >= 0 && m.exploitEase[v]! > 0) relax(into + m.zone[v]!, d + discover + exploit / m.exploitEase[v]!);
      if (m.localAdmin[v] === 1) relax(group + m.memberGroup[v]!, d + credentialMove);
    } else if (v < from) {
      for (const a of reachedBy[v - into]!) relax(from + a, d);
    } else if (v < group) {
      for (const u of zoneMembers[v - from]!) relax(u, d);
    } else {
      const g = v - group;
      for (let u = m.groupStart[g]!; u < m.groupStart[g + 1]!; u++) relax(u, d);
    }
  }
  return { distance: sharedFrom(Float64Array, distance.subarray(0, n)), label: sharedFrom(Int32Array, label.subarray(0, n)) };
}
