import { CONTROL } from '../compile/model.js';
import { E_SCAN, NETWORK, SCAN_CANDIDATES, WORM } from './codes.js';
import { exponentialAt, STREAM, uniformAt } from './rng.js';
import { compromise, infectious, protect } from './spread.js';
import type { KernelState } from './state.js';

/**
 * In-zone scanning. A compromised member probes each scan target of every zone its zone reaches at rate
 * 1/μ (μ: the mean of `spread`), succeeding with the target's exploit ease. Probes of targets that are not
 * healthy change nothing, so only the useful ones are simulated: the next probe of a healthy target comes
 * at rate A/μ, A the healthy targets reachable now. A only falls between decisions, so a probe scheduled
 * at an older, larger A is kept with probability A_now/A_then (thinning, Lewis & Shedler 1979); decisions
 * that raise A reschedule every scanner (rescanAll).
 */
export function scheduleScan(s: KernelState, node: number, t: number): void {
  const m = s.model;
  const available = s.targets.reachHealthy[m.zone[node]!]!;
  if (available === 0) return;
  s.scanAvailable[node] = available;
  // The scanner's own streams, counted by its scans: the probe a scanner makes never shifts another's draws.
  const due = t + (m.spreadMeanMinutes / available) * exponentialAt(s.streams.keys, STREAM.scanDelay, node, ++s.scanCount[node]!);
  if (due < s.restoreAt[node]!) s.schedule(due, E_SCAN, node, s.scanGeneration[node]!);
}

export function scan(s: KernelState, node: number, generation: number, t: number): void {
  const m = s.model;
  if (generation !== s.scanGeneration[node] || !infectious(s, node) || (m.threat === WORM && t >= m.killSwitchMinutes)) return;
  const zone = m.zone[node]!;
  const available = s.targets.reachHealthy[zone]!;
  if (available === 0) return;
  const keys = s.streams.keys;
  const count = s.scanCount[node]!;
  if (available < s.scanAvailable[node]! && uniformAt(keys, STREAM.scanThin, node, count) * s.scanAvailable[node]! >= available) return scheduleScan(s, node, t);
  const target = pick(s, node, zone, available, count);
  if (uniformAt(keys, STREAM.scanHit, node, count) < m.exploitEase[target]!) compromise(s, target, node, t, NETWORK);
  scheduleScan(s, node, t);
}

/**
 * Which healthy reachable target the scanner's probe number `count` finds, uniformly. The probe first tries
 * up to SCAN_CANDIDATES candidates drawn uniformly from every scan target its zone's reach list names, open
 * or closed, healthy or not — the j-th candidate of a probe is the same in every regime and branch — and
 * takes the first that is healthy and open (rejection sampling); only if all miss does it pick uniformly
 * among the healthy reachable ones (the Fenwick walk). Either stage is uniform over the healthy reachable
 * targets, so the mixture is too; and where two regimes agree on a candidate's state they pick the same one.
 */
function pick(s: KernelState, node: number, zone: number, available: number, count: number): number {
  const m = s.model;
  const keys = s.streams.keys;
  const first = m.zoneReachOffsets[zone]!;
  const last = m.zoneReachOffsets[zone + 1]!;
  const slots = s.reachSlotEnd[zone]!;
  for (let j = 0; j < SCAN_CANDIDATES; j++) {
    const slot = Math.floor(uniformAt(keys, STREAM.scanPick, node, count * (SCAN_CANDIDATES + 1) + j) * slots);
    // The reach entry holding the slot: the last r in [first, last) with reachSlotStart[r] <= slot.
    let lo = first;
    let hi = last - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.reachSlotStart[mid]! <= slot) lo = mid;
      else hi = mid - 1;
    }
    const to = m.zoneReach[lo]!;
    const position = m.zoneTargetOffsets[to]! + slot - s.reachSlotStart[lo]!;
    if (s.targets.flag[position] === 1 && s.reachIsOpen(lo, zone, to)) return m.zoneTargets[position]!;
  }
  let k = Math.floor(uniformAt(keys, STREAM.scanPick, node, count * (SCAN_CANDIDATES + 1) + SCAN_CANDIDATES) * available);
  for (let r = first; r < last; r++) {
    const to = m.zoneReach[r]!;
    if (!s.reachIsOpen(r, zone, to)) continue;
    const healthy = s.targets.zoneHealthy[to]!;
    if (k < healthy) return s.targets.select(to, k);
    k -= healthy;
  }
  return -1;
}

/**
 * The first scanner in a zone counts the members that controls shield from it: targets in the zones its
 * zone reaches but cannot open (segmentation, isolation), and patched targets it can reach.
 */
export function shield(s: KernelState, zone: number, t: number): void {
  const m = s.model;
  if (s.zoneShielded[zone] === 1) return;
  s.zoneShielded[zone] = 1;
  for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
    const to = m.zoneReach[r]!;
    const open = s.reachIsOpen(r, zone, to);
    for (let k = m.zoneTargetOffsets[to]!; k < m.zoneTargetOffsets[to + 1]!; k++) {
      const target = m.zoneTargets[k]!;
      if (!open) protect(s, target, s.reachOpen[r] === 0 ? CONTROL.segmentation : CONTROL.isolation, t);
      else if (s.patched[target] === 1) protect(s, target, CONTROL.patch, t);
    }
  }
}

/** After a decision that opens paths again, every scanner draws its next probe afresh (memorylessness). */
export function rescanAll(s: KernelState, t: number): void {
  const m = s.model;
  if (m.scansZones === 0 || (m.threat === WORM && t >= m.killSwitchMinutes)) return;
  for (let i = 0; i < m.nodeCount; i++) {
    if (m.zone[i]! < 0 || !infectious(s, i)) continue;
    s.scanGeneration[i]!++;
    scheduleScan(s, i, t);
  }
}
