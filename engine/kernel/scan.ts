import { CONTROL } from '../compile/model.js';
import { E_SCAN, NETWORK, SCAN_CANDIDATES } from './codes.js';
import { exponentialAt, STREAM, uniformAt } from './rng.js';
import { compromise, infectious, protect } from './spread.js';
import { HEALTHY, type KernelState } from './state.js';

/**
 * Scanning. A compromised member probes each healthy scan target of its own zone — its subnet — at rate 1/μ
 * (μ: the mean of `spread`), and each one in the other zones its zone routes to at rate 1/μr (the mean of
 * `routedSpread`: random-address and routed-range probing, far slower), succeeding with the target's exploit
 * ease. Probes of targets that are not healthy change nothing, so only the useful ones are simulated: the
 * next probe comes at rate W = A_own/μ + A_routed/μr, A the healthy targets open now on each side, and goes to
 * a side in proportion to its share of W. W only falls between decisions, so a probe scheduled at an older,
 * larger W is kept with probability W_now/W_then (thinning, Lewis & Shedler 1979); decisions that raise it
 * reschedule every scanner (rescanAll).
 */
export function scheduleScan(s: KernelState, node: number, t: number): void {
  const rate = scanRate(s, s.model.zone[node]!);
  if (rate === 0) return;
  s.scanAvailable[node] = rate;
  // The scanner's own streams, counted by its scans: the probe a scanner makes never shifts another's draws.
  const due = t + exponentialAt(s.streams.keys, STREAM.scanDelay, node, ++s.scanCount[node]!) / rate;
  // restoreAt is set when the member falls (compromise, disrupt) if the model has auto-restore, never otherwise.
  if (due < (s.model.autoRestore[1] === Infinity ? Infinity : s.restoreAt[node]!)) s.schedule(due, E_SCAN, node, s.scanGeneration[node]!);
}

/** Whether the zone is flat (its reach list starts with itself): its own members are its subnet. */
function flat(s: KernelState, zone: number): boolean {
  const m = s.model;
  const first = m.zoneReachOffsets[zone]!;
  return first < m.zoneReachOffsets[zone + 1]! && m.zoneReach[first] === zone;
}

/** A scanner's useful-probe rate in `zone`, per minute: own subnet at 1/μ, routed zones at 1/μr (see above). */
function scanRate(s: KernelState, zone: number): number {
  const m = s.model;
  const own = flat(s, zone) ? s.targets.zoneHealthy[zone]! : 0;
  const routed = s.targets.reachHealthy[zone]! - own;
  return own / m.spreadMeanMinutes + routed / m.routedSpreadMeanMinutes;
}

export function scan(s: KernelState, node: number, generation: number, t: number): void {
  const m = s.model;
  if (generation !== s.scanGeneration[node] || !infectious(s, node)) return;
  const zone = m.zone[node]!;
  const rate = scanRate(s, zone);
  if (rate === 0) return;
  const keys = s.streams.keys;
  const count = s.scanCount[node]!;
  if (rate < s.scanAvailable[node]! && uniformAt(keys, STREAM.scanThin, node, count) * s.scanAvailable[node]! >= rate) return scheduleScan(s, node, t);
  const first = m.zoneReachOffsets[zone]!;
  const last = m.zoneReachOffsets[zone + 1]!;
  const isFlat = flat(s, zone);
  const own = isFlat ? s.targets.zoneHealthy[zone]! : 0;
  const routed = s.targets.reachHealthy[zone]! - own;
  // Own subnet (a flat zone's first reach entry) or a routed zone, in proportion to each side's share of the rate.
  const home = routed === 0 || (own > 0 && uniformAt(keys, STREAM.scanSide, node, count) * rate < own / m.spreadMeanMinutes);
  const target = home ? pick(s, node, zone, own, count, first, first + 1) : pick(s, node, zone, routed, count, isFlat ? first + 1 : first, last);
  if (uniformAt(keys, STREAM.scanHit, node, count) < m.exploitEase[target]!) compromise(s, target, node, t, NETWORK);
  scheduleScan(s, node, t);
}

/**
 * Which healthy open target among reach entries [from, to) of the scanner's zone its probe number `count`
 * finds, uniformly; `available` is how many there are. The probe first tries up to SCAN_CANDIDATES candidates
 * drawn uniformly from every scan target those entries name, open or closed, healthy or not — the j-th
 * candidate of a probe is the same in every regime and branch — and takes the first that is healthy and open
 * (rejection sampling); only if all miss does it pick uniformly among the healthy open ones (the Fenwick
 * walk). Either stage is uniform over them, so the mixture is too; and where two regimes agree on a
 * candidate's state they pick the same one.
 */
function pick(s: KernelState, node: number, zone: number, available: number, count: number, from: number, to: number): number {
  const m = s.model;
  const keys = s.streams.keys;
  const last = m.zoneReachOffsets[zone + 1]!;
  const low = s.reachSlotStart[from]!;
  const slots = (to < last ? s.reachSlotStart[to]! : s.reachSlotEnd[zone]!) - low;
  for (let j = 0; j < SCAN_CANDIDATES && slots > 0; j++) {
    const slot = low + Math.floor(uniformAt(keys, STREAM.scanPick, node, count * (SCAN_CANDIDATES + 1) + j) * slots);
    // The reach entry holding the slot: the last r in [from, to) with reachSlotStart[r] <= slot.
    let lo = from;
    let hi = to - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.reachSlotStart[mid]! <= slot) lo = mid;
      else hi = mid - 1;
    }
    const target = m.zoneReach[lo]!;
    const position = m.zoneTargetOffsets[target]! + slot - s.reachSlotStart[lo]!;
    if (s.targets.flag[position] === 1 && s.targets.open[lo] === 1) return m.zoneTargets[position]!;
  }
  let k = Math.floor(uniformAt(keys, STREAM.scanPick, node, count * (SCAN_CANDIDATES + 1) + SCAN_CANDIDATES) * available);
  const open = s.targets.open;
  for (let r = from; r < to; r++) {
    if (open[r] === 0) continue;
    const target = m.zoneReach[r]!;
    const healthy = s.targets.zoneHealthy[target]!;
    if (k < healthy) return s.targets.select(target, k);
    k -= healthy;
  }
  return -1;
}

/**
 * The kill switch goes live: from now on a newly infected host that can see it stops at once, so the hosts
 * that can see it leave every scanner's pool (running infections keep scanning, for the blind ones).
 */
export function killSwitch(s: KernelState, t: number): void {
  const m = s.model;
  s.killSwitched = 1;
  s.guarded = 1;
  if (m.zoneTargets.length === 0) return;
  s.targets.keepOnly(s.blind, s.openedZones, s.openedCount);
  // What it now keeps from the scanners already at work, counted as their first scanners count a control's
  // shield (shield() counts it for zones whose first scanner comes later). Before 2026-12-05 only an edge's
  // attempt or an entry counted it: `blocked.kill-switch` read 0–1 where it spared ~700 hosts a run (a trial).
  for (let y = 0; y < m.zoneCount; y++) {
    if (s.scannerShielded[y] === 0) continue;
    for (let r = m.zoneReachOffsets[y]!; r < m.zoneReachOffsets[y + 1]!; r++) if (s.reachIsOpen(r, y, m.zoneReach[r]!)) walkKillSwitch(s, m.zoneReach[r]!, t);
  }
}

/**
 * Counts zone `to`'s members the kill switch keeps from scanners — healthy, connected, open to the exploit and
 * not blind to it (patched ones too: the kill switch stops the probe before the patch, as in attempt()) — once
 * per zone a run.
 */
function walkKillSwitch(s: KernelState, to: number, t: number): void {
  const m = s.model;
  if ((s.zoneShielded[to]! & SHIELD_KILL_SWITCH) !== 0) return;
  s.zoneShielded[to]! |= SHIELD_KILL_SWITCH;
  for (let k = m.zoneTargetOffsets[to]!; k < m.zoneTargetOffsets[to + 1]!; k++) {
    const target = m.zoneTargets[k]!;
    if (s.state[target] === HEALTHY && s.disconnected[target] === 0 && s.unexposed[target] === 0 && s.blind[target] === 0) protect(s, target, CONTROL.killSwitch, t);
  }
}

/**
 * The first scanner in a zone counts the members that controls shield from it: healthy targets in the zones its
 * zone reaches but cannot open (segmentation, isolation), and patched ones it can reach. A member is
 * counted once per control (protect), so each reached zone's targets are walked at most once per control a
 * run (`zoneShielded` holds a bit per control walked): the walks cost the estate's size once, not once per
 * scanning zone — which grew with the square of the zone count.
 */
export function shield(s: KernelState, zone: number, t: number): void {
  const m = s.model;
  if (s.scannerShielded[zone] === 1) return;
  s.scannerShielded[zone] = 1;
  // The zones it reaches are drawn before it counts or probes them.
  s.openReach(zone);
  for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
    const to = m.zoneReach[r]!;
    const open = s.reachIsOpen(r, zone, to);
    if (open) {
      walk(s, to, CONTROL.patch, SHIELD_PATCH, true, t);
      if (s.killSwitched === 1) walkKillSwitch(s, to, t);
    } else if (s.reachOpen[r] === 0) walk(s, to, CONTROL.segmentation, SHIELD_SEGMENTATION, false, t);
    else walk(s, to, CONTROL.isolation, SHIELD_ISOLATION, false, t);
  }
}

/**
 * Counts zone `to`'s healthy targets as protected by `control` — only the patched ones when the way is `open`
 * — once per zone and control a run (the `bit` of zoneShielded).
 */
function walk(s: KernelState, to: number, control: number, bit: number, open: boolean, t: number): void {
  const m = s.model;
  if ((s.zoneShielded[to]! & bit) !== 0) return;
  s.zoneShielded[to]! |= bit;
  for (let k = m.zoneTargetOffsets[to]!; k < m.zoneTargetOffsets[to + 1]!; k++) {
    const target = m.zoneTargets[k]!;
    // A member already taken is not one a control protects (a trial counted 113 such under isolation).
    if (s.state[target] === HEALTHY && (!open || s.patched[target] === 1)) protect(s, target, control, t);
  }
}

/**
 * Zone `zone` is isolated at t, after scanners may have counted their shields (shield() counts at a zone's
 * first scanner): what isolation now closes to a zone that has had a scanner is counted as its first scanner
 * would have counted it — every zone an isolated scanning zone reaches, and the isolated zone for every
 * scanning zone that reached it — unless segmentation closed that way first (its count, as in shield()).
 * Before 2026-12-05 an isolation after the first scan was never counted: `blocked.isolation` read 0 in
 * sweeps where isolating sooner halved the hosts compromised (a trial's).
 */
export function shieldIsolated(s: KernelState, zone: number, t: number): void {
  const m = s.model;
  if (m.scansZones === 0) return;
  if (s.scannerShielded[zone] === 1) {
    for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
      const to = m.zoneReach[r]!;
      if (to !== zone && s.reachOpen[r] === 1) walk(s, to, CONTROL.isolation, SHIELD_ISOLATION, false, t);
    }
  }
  for (let j = s.reachedByOffsets[zone]!; j < s.reachedByOffsets[zone + 1]!; j++) {
    const y = s.reachedBy[j]!;
    if (y === zone || s.scannerShielded[y] === 0) continue;
    // The entry of y's reach that names the isolated zone: closed by segmentation already, it is segmentation's.
    let r = m.zoneReachOffsets[y]!;
    while (m.zoneReach[r] !== zone) r++;
    if (s.reachOpen[r] === 1) return walk(s, zone, CONTROL.isolation, SHIELD_ISOLATION, false, t);
  }
}

/** Segmentation applied at t (the room's `segment`): each zone that has had a scanner counts the ways it now closes. */
export function shieldSegmented(s: KernelState, t: number): void {
  const m = s.model;
  if (m.scansZones === 0) return;
  for (let y = 0; y < m.zoneCount; y++) {
    if (s.scannerShielded[y] === 0) continue;
    for (let r = m.zoneReachOffsets[y]!; r < m.zoneReachOffsets[y + 1]!; r++) {
      const to = m.zoneReach[r]!;
      if (to !== y && s.reachOpen[r] === 0) walk(s, to, CONTROL.segmentation, SHIELD_SEGMENTATION, false, t);
    }
  }
}

/** Bits of `zoneShielded`: which controls' walks over a zone's targets have been made this run. */
const SHIELD_SEGMENTATION = 1;
const SHIELD_ISOLATION = 2;
const SHIELD_PATCH = 4;
const SHIELD_KILL_SWITCH = 8;

/** After a decision that opens paths again, every scanner draws its next probe afresh (memorylessness). */
export function rescanAll(s: KernelState, t: number): void {
  const m = s.model;
  if (m.scansZones === 0) return;
  for (let i = 0; i < m.nodeCount; i++) {
    if (m.zone[i]! < 0 || !infectious(s, i)) continue;
    s.scanGeneration[i]!++;
    scheduleScan(s, i, t);
  }
}

/**
 * After paths into some zones open again (a lifted isolation or disconnection: the zones `markZone` marked),
 * every scanner in those zones or in a zone that reaches them draws its next probe afresh; the others'
 * targets did not change. The marks are cleared.
 */
export function rescanMarked(s: KernelState, t: number): void {
  const m = s.model;
  const marked = s.markedZones;
  const scanners = s.scannerZones;
  let count = 0;
  for (let k = 0; k < s.markedCount; k++) {
    const z = marked[k]!;
    if (s.scannerMark[z] === 0) {
      s.scannerMark[z] = 1;
      scanners[count++] = z;
    }
    for (let r = s.reachedByOffsets[z]!; r < s.reachedByOffsets[z + 1]!; r++) {
      const y = s.reachedBy[r]!;
      if (s.scannerMark[y] === 0) {
        s.scannerMark[y] = 1;
        scanners[count++] = y;
      }
    }
    s.zoneMark[z] = 0;
  }
  s.markedCount = 0;
  for (let k = 0; k < count; k++) {
    const y = scanners[k]!;
    s.scannerMark[y] = 0;
    if (m.scansZones === 0) continue;
    for (let j = s.zoneMemberOffsets[y]!; j < s.zoneMemberOffsets[y + 1]!; j++) {
      const i = s.zoneMembers[j]!;
      if (!infectious(s, i)) continue;
      s.scanGeneration[i]!++;
      scheduleScan(s, i, t);
    }
  }
}

/** Marks zone z for rescanMarked. */
export function markZone(s: KernelState, z: number): void {
  if (z < 0 || s.zoneMark[z] === 1) return;
  s.zoneMark[z] = 1;
  s.markedZones[s.markedCount++] = z;
}
