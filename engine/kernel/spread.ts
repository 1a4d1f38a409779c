import { CONTROL, DIST_CODE, needsExploit, PAYLOAD_NONE, relationOf } from '../compile/model.js';
import { integrity } from './clinical.js';
import { E_ATTEMPT, E_AUTO_RESTORE, E_DETECT, E_ENTRY, E_PAYLOAD, IDENTITY, MANAGEMENT, N_ATTEMPT, N_RESTORE, RADIO, STATIC_KEYED, STATIC_KIND_SHIFT, STATIC_LOST, STATIC_SITES, WORM } from './codes.js';
import { blockedColumn, lostColumn, M } from './metrics.js';
import { delayAt, edgeKey, edgeSalt, exponentialAt, STREAM, uniformAt } from './rng.js';
import { landed } from './operators.js';
import { scheduleScan, shield } from './scan.js';
import { COMPROMISED, DISRUPTED, HEALTHY, type KernelState } from './state.js';
import { T_ALTER, T_BLOCKED, T_COMPROMISE, T_DISRUPT, T_ENTRY } from './trace.js';

/** Spread: entries, compromise and disruption of a member, and traversal attempts along explicit edges. */

/** Queues each scenario entry's seeds: `count` members drawn with replacement, at `atMinutes` plus an offset. */
export function seedEntries(s: KernelState): void {
  const m = s.model;
  const keys = s.streams.keys;
  const entries = m.entryOffsets.length - 1;
  for (let e = 0; e < entries; e++) {
    const first = m.entryOffsets[e]!;
    const candidates = m.entryOffsets[e + 1]! - first;
    if (candidates === 0) continue;
    const count = m.entryParams[e * 3]!;
    const at = m.entryParams[e * 3 + 1]!;
    const width = m.entryParams[e * 3 + 2]!;
    for (let c = 0; c < count; c++) {
      const node = m.entryCandidates[first + Math.floor(uniformAt(keys, STREAM.entryMember, e, c) * candidates)]!;
      const time = width > 0 ? at + uniformAt(keys, STREAM.entryTime, e, c) * width : at;
      s.schedule(time, E_ENTRY, node, e);
    }
  }
}

/** An entry takes effect on a healthy, connected member unless the kill switch (where the member sees it) or a patch stops it. */
export function enter(s: KernelState, node: number, t: number): void {
  const m = s.model;
  if (s.state[node] !== HEALTHY || s.disconnected[node] !== 0) return;
  s.estateOf(node);
  // A worm can only take a member that carries its flaw this run (estate.ts); an intrusion's foothold is not an exploit.
  if (m.threat === WORM && s.unexposed[node] === 1) return;
  if (m.threat === WORM && s.killSwitched === 1 && s.blind[node] === 0) protect(s, node, CONTROL.killSwitch, t);
  else if (s.patched[node]) protect(s, node, CONTROL.patch, t);
  else {
    s.trace?.push(t, T_ENTRY, node, -1, -1);
    compromise(s, node, -1, t);
  }
}

/**
 * Whether zone isolation closes the way between two members: they are in different zones (a member with no
 * zone — the cloud, a vendor's platform — is outside every zone) and either zone is isolated. It closes
 * every flow that rides the zones' network — network, data, identity, management and update links, pushes,
 * an update's arrival, exfiltration — and not radio links (docs/engine.md "Responses").
 */
export function isolatedBetween(s: KernelState, a: number, b: number): boolean {
  if (s.isolatedZones === 0) return false;
  const za = s.model.zone[a]!;
  const zb = s.model.zone[b]!;
  return za !== zb && ((za >= 0 && s.zoneIsolated[za] === 1) || (zb >= 0 && s.zoneIsolated[zb] === 1));
}

/** Whether the member's zone is isolated (its flows out of the zone are closed). */
export function inIsolatedZone(s: KernelState, node: number): boolean {
  const zone = s.model.zone[node]!;
  return s.isolatedZones > 0 && zone >= 0 && s.zoneIsolated[zone] === 1;
}

export function infectious(s: KernelState, node: number): boolean {
  const state = s.state[node];
  return (state === COMPROMISED || state === DISRUPTED) && s.disconnected[node] === 0;
}

/** Counts the member as protected by `control` (once per member and control). */
export function protect(s: KernelState, node: number, control: number, t: number): void {
  const bit = 1 << control;
  if ((s.protectedBy[node]! & bit) !== 0) return;
  s.protectedBy[node]! |= bit;
  s.out[blockedColumn(s.model.ownerCount, control)]!++;
  s.trace?.push(t, T_BLOCKED, node, -1, control);
}

/** What compromise and update-disruption share: reach, crossings, owner losses, sites hit. */
function hit(s: KernelState, node: number, from: number, t: number): void {
  const m = s.model;
  record(s, m.layer[node]!, from >= 0 ? m.layer[from]! : -1, lostColumn(m.owner[node]!), m.site[node]!, t);
}

/** hit() from the member's layer, its source's layer (-1: none), its owner's loss column and its site (-1: none). */
function record(s: KernelState, layer: number, fromLayer: number, lost: number, site: number, t: number): void {
  const out = s.out;
  if (out[M['reached.physical'] + layer] === 0) {
    out[M['reached.physical'] + layer] = 1;
    out[M['reachedAt.physical'] + layer] = t;
  }
  if (fromLayer >= 0 && fromLayer !== layer) {
    out[fromLayer < layer ? M['crossings.up'] : M['crossings.down']]!++;
    if (Number.isNaN(out[M.firstCrossingAt])) out[M.firstCrossingAt] = t;
  }
  out[lost]!++;
  if (site >= 0) s.siteInfected[site] = 1;
}

export function compromise(s: KernelState, node: number, from: number, t: number, relation = -1): void {
  const m = s.model;
  const layer = m.layer[node]!;
  s.state[node] = COMPROMISED;
  s.compromisedIn[node] = s.run;
  s.out[M['compromised.physical'] + layer]!++;
  s.out[M.compromised]!++;
  s.out[s.kindColumn + m.kind[node]!]!++;
  s.compromisedNow[layer]!++;
  // Healthy scan targets are only read by in-zone scanning (scansZones is 0 without zones).
  const scans = m.scansZones === 1;
  if (scans) s.targets.set(node, 0);
  hit(s, node, from, t);
  s.trace?.push(t, T_COMPROMISE, node, from, relation);
  if (s.prune) {
    // A sure attempt still pending here would find the member compromised and do nothing; and no attempt
    // at the member is worth scheduling any more (spreadStatic reads pendingAt as its health check).
    s.pending.remove(node);
    s.pendingAt[node] = -Infinity;
  }

  let restoreAt = Infinity;
  if (m.autoRestore[1] !== Infinity) {
    restoreAt = t + delayAt(m.autoRestore, 0, 1, s.streams.keys, STREAM.autoRestore, node, 0);
    s.restoreAt[node] = restoreAt;
    if (!s.prune) s.schedule(restoreAt, E_AUTO_RESTORE, node, 0);
    else if (restoreAt <= s.horizon) {
      // The restore takes its sequence number whether queued or quiet (only their order is read: harmless either way).
      const seq = s.heap.takeSequence();
      if (s.quiet) s.quietEvents++;
      else s.pending.set(node, restoreAt, seq, N_RESTORE, -1, -1);
    }
  }
  if (m.payloadEffect !== PAYLOAD_NONE && m.operatorCount === 0) s.schedule(t + delayAt(m.payloadDelay, 0, 1, s.streams.keys, STREAM.payload, node, 0), E_PAYLOAD, node, 0);
  if (m.detectCompromised[1] !== Infinity) s.schedule(t + delayAt(m.detectCompromised, 0, m.detectSpeedup[node]!, s.streams.keys, STREAM.detectCompromised, node, 0), E_DETECT, node, 0);

  // An intrusion spreads only by its operators' actions (operators.ts); their payload is deployed, not timed per host.
  if (m.operatorCount > 0) return landed(s, node, t);
  const limit = restoreAt < s.horizon ? restoreAt : s.horizon;
  if (s.prune) spreadStatic(s, node, t, limit, m.offsets[node]!, m.offsets[node + 1]!);
  else spread(s, node, t, limit);
  const zone = scans ? m.zone[node]! : -1;
  if (zone >= 0) {
    shield(s, zone, t);
    scheduleScan(s, node, t);
  }
}

/**
 * The state's edge keys (KernelState.edgeKeys), with those of `node`'s out-edges filled: edgeKey of the
 * source's salt, the target and the edge's class tag, as the reference kernel computes it at each draw.
 */
function keysFrom(s: KernelState, node: number): Int32Array {
  const m = s.model;
  if (s.keyedSources.length === 0) {
    s.edgeKeys = new Int32Array(m.targets.length);
    s.keyedSources = new Uint8Array(m.nodeCount);
  }
  const { edgeClass, classTag, targets } = m;
  const salt = edgeSalt(node);
  for (let k = m.offsets[node]!, end = m.offsets[node + 1]!; k < end; k++) s.edgeKeys[k] = edgeKey(salt, targets[k]!, classTag[edgeClass[k]!]!);
  s.keyedSources[node] = 1;
  return s.edgeKeys;
}

/** Schedules an attempt along each usable edge out of `node` that falls due before `limit`. */
function spread(s: KernelState, node: number, t: number, limit: number): void {
  const m = s.model;
  const mask = m.relationMask;
  const keys = s.streams.keys;
  const { edgeClass, classRelation, classEase, targets } = m;
  let edgeKeys = s.edgeKeys;
  let keyed = s.keyedSources.length > 0 && s.keyedSources[node] === 1;
  // Estates are drawn zone by zone only where there are zones (KernelState.estateOf).
  const zoned = m.zoneCount > 0;
  const delay = m.spread;
  const isExponential = delay[0] === DIST_CODE.exponential;
  const mean = delay[1]!;
  for (let k = m.offsets[node]!, end = m.offsets[node + 1]!; k < end; k++) {
    const c = edgeClass[k]!;
    const relation = classRelation[c]!;
    if ((mask & (1 << relation)) === 0) continue;
    const ease = classEase[c]!;
    const target = targets[k]!;
    if (ease === 0 || s.state[target] !== HEALTHY) continue;
    if (needsExploit(relation)) {
      if (zoned) s.estateOf(target);
      if (s.unexposed[target] === 1) continue;
    }
    if (!keyed) {
      edgeKeys = keysFrom(s, node);
      keyed = true;
    }
    // A member is compromised at most once a run, so each edge is attempted at most once: counter 0.
    const key = edgeKeys[k]!;
    // delayAt's exponential branch, inlined (as in spreadStatic): the same expression, so the same bits.
    const due = t + (isExponential ? (mean * exponentialAt(keys, STREAM.attempt, key, 0)) / ease : delayAt(delay, 0, ease, keys, STREAM.attempt, key, 0));
    if (due < limit) s.heap.push(due, E_ATTEMPT, node, k);
  }
}

/**
 * Fills `node`'s edge rows in KernelState.staticRows (target, stream key as keysFrom computes it, spread code)
 * and marks its member row STATIC_KEYED: once a state, at the node's first draw.
 */
function keyStatic(s: KernelState, node: number): void {
  const m = s.model;
  const { edgeClass, classTag, targets, edgeSpread } = m;
  const rows = s.staticRows;
  const codes = s.staticCodes;
  const salt = edgeSalt(node);
  for (let k = m.offsets[node]!, end = m.offsets[node + 1]!; k < end; k++) {
    const target = targets[k]!;
    rows[3 * k] = target;
    rows[3 * k + 1] = edgeKey(salt, target, classTag[edgeClass[k]!]!);
    codes[3 * k + 2] = edgeSpread[k]!;
  }
  s.staticMembers[4 * node + 2]! |= STATIC_KEYED;
}

/**
 * spread() for static-spread models, the hot loop of large outbreaks. Draws exactly as spread() does, then
 * drops an attempt that a sure one already pending at its target would beat (it would find the target
 * compromised and draw nothing), and keeps only the earliest sure attempt per target, in the node queue
 * (decrease-key). Attempts that controls may still stop go on the event heap.
 */
function spreadStatic(s: KernelState, node: number, t: number, limit: number, first: number, end: number): void {
  const m = s.model;
  if ((s.staticMembers[4 * node + 2]! & STATIC_KEYED) === 0) keyStatic(s, node);
  const rows = s.staticRows;
  const codes = s.staticCodes;
  const keys = s.streams.keys;
  const pendingAt = s.pendingAt;
  const unexposed = s.unexposed;
  const delay = m.spread;
  const isExponential = delay[0] === DIST_CODE.exponential;
  const mean = delay[1]!;
  for (let k = first; k < end; k++) {
    const r = 3 * k;
    const code = codes[r + 2]!;
    if (code === 0) continue;
    const target = rows[r]!;
    // -Infinity once the target is compromised (the state check of spread(), from the array read anyway).
    const before = pendingAt[target]!;
    if (before === -Infinity) continue;
    const ease = code > 0 ? code : -code;
    const key = rows[r + 1]!;
    // delayAt's exponential branch, inlined: the same expression, so the same bits.
    const due = t + (isExponential ? (mean * exponentialAt(keys, STREAM.attempt, key, 0)) / ease : delayAt(delay, 0, ease, keys, STREAM.attempt, key, 0));
    if (due >= limit || due >= before) continue;
    // A sure code's target always carries the flaw (compileEdgeSpread); an unsure one's may not, this run.
    if (code > 0) {
      pendingAt[target] = due;
      s.pending.set(target, due, s.heap.takeSequence(), N_ATTEMPT, node, k);
    } else {
      s.estateOf(target);
      if (unexposed[target] === 0 || !needsExploit(relationOf(m, k))) s.heap.push(due, E_ATTEMPT, node, k);
    }
  }
}

/**
 * The quiet static path's hot loop (KernelState.quiet: a static-spread model with quiet restores, no trace and
 * no series, so the node queue holds only sure attempts): serves the node queue's events for as long as its
 * first comes before the event heap's, within the horizon and before a service sample is due, and returns
 * how many it served; the event loop serves everything else. Each event is compromise() for that case:
 * its first lines written out here, then hit()'s record() from the member's row (KernelState.staticMembers)
 * and spreadStatic(). V8 inlines compromise() into neither this loop nor the event loop (it is over the
 * per-function limit); this loop measured 1.05× the event loop calling compromise() on the SIR bench's fast
 * path at ER 10k, no clear difference at 100k (docs/performance.md). Writing spreadStatic() or hit() out as
 * well measured no more (1.00 – 1.02×). A static-spread model is a worm with no
 * detection within the horizon and, quiet, no payload (compile/static-spread.ts): there are no operators,
 * payload or detection to schedule (runKernel checks again). The agreement tests hold it to the reference
 * kernel, as they hold compromise() (docs/performance.md lists the changes to it they catch).
 */
export function serveQuiet(s: KernelState): number {
  const m = s.model;
  const pending = s.pending;
  const heap = s.heap;
  const horizon = s.horizon;
  const book = s.services;
  const state = s.state;
  const compromisedIn = s.compromisedIn;
  const out = s.out;
  const compromisedNow = s.compromisedNow;
  const pendingAt = s.pendingAt;
  const restoreAtOf = s.restoreAt;
  const keys = s.streams.keys;
  const autoRestore = m.autoRestore;
  const restores = autoRestore[1] !== Infinity;
  const run = s.run;
  // Without zones (scansZones 0) there are no scan targets to update and no zone to scan.
  const scans = m.scansZones === 1;
  const zoneOf = m.zone;
  const cPhysical = M['compromised.physical'];
  const cAll = M.compromised;
  const pTime = pending.time;
  const pHeap = pending.heap;
  const members = s.staticMembers;
  const kindColumn = s.kindColumn;
  let events = 0;
  while (pending.size > 0) {
    const u = pHeap[0]!;
    const tu = pTime[0]!;
    if (heap.size > 0) {
      const first = heap.peek();
      const th = heap.time[first]!;
      if (!(tu < th || (tu === th && pending.seq[u]! < heap.seq[first]!))) break;
    }
    if (tu > horizon || book.nextSample < tu) break;
    const source = pending.source[u]!;
    pending.pop();
    events++;
    // compromise(): the member's state and counts, the scan targets, then hit()'s record (reach, crossings, losses, sites).
    const r = 4 * u;
    const info = members[r + 2]!;
    const layer = info & 3;
    state[u] = COMPROMISED;
    compromisedIn[u] = run;
    out[cPhysical + layer]!++;
    out[cAll]!++;
    compromisedNow[layer]!++;
    if (scans) s.targets.set(u, 0);
    const owner = members[r + 3]!;
    out[kindColumn + (owner >>> STATIC_KIND_SHIFT)]!++;
    record(s, layer, source >= 0 ? members[4 * source + 2]! & 3 : -1, owner & STATIC_LOST, ((info >> 2) & STATIC_SITES) - 1, tu);
    // No attempt at the member is worth scheduling any more (the spread below reads pendingAt as its health check).
    pendingAt[u] = -Infinity;
    let limit = horizon;
    if (restores) {
      const restoreAt = tu + delayAt(autoRestore, 0, 1, keys, STREAM.autoRestore, u, 0);
      restoreAtOf[u] = restoreAt;
      if (restoreAt <= horizon) {
        // A quiet restore stays on the member, counted; it takes its sequence number as a queued one would.
        heap.takeSequence();
        s.quietEvents++;
      }
      if (restoreAt < horizon) limit = restoreAt;
    }
    spreadStatic(s, u, tu, limit, members[r]!, members[r + 1]!);
    if (scans) {
      const zone = zoneOf[u]!;
      if (zone >= 0) {
        shield(s, zone, tu);
        scheduleScan(s, u, tu);
      }
    }
  }
  return events;
}

/** A traversal attempt along edge k falls due: the checks of docs/engine.md "Traversal attempt", in order. */
export function attempt(s: KernelState, source: number, k: number, t: number): void {
  const m = s.model;
  const target = m.targets[k]!;
  if (s.guarded === 0) {
    // Nothing in force this run can stop it (KernelState.guarded): every check below but the members' states would pass.
    const from = s.state[source];
    if ((from !== COMPROMISED && from !== DISRUPTED) || s.state[target] !== HEALTHY) return;
    s.estateOf(target);
    return compromise(s, target, source, t, s.trace ? relationOf(m, k) : -1);
  }
  if (!infectious(s, source) || s.state[target] !== HEALTHY || s.disconnected[target] !== 0) return;
  s.estateOf(target);
  const relation = relationOf(m, k);
  if (m.threat === WORM && s.killSwitched === 1 && s.blind[target] === 0) return protect(s, target, CONTROL.killSwitch, t);
  if ((relation === IDENTITY || relation === MANAGEMENT) && (s.revoked === 1 || (m.site[target]! >= 0 && s.siteRevoked[m.site[target]!] === 1))) {
    return protect(s, target, CONTROL.revocation, t);
  }
  if (relation !== RADIO && isolatedBetween(s, source, target)) return protect(s, target, CONTROL.isolation, t);
  if (needsExploit(relation) && s.patched[target] === 1) return protect(s, target, CONTROL.patch, t);
  if (!s.passesAll) {
    const group = m.edgeGroup[k]!;
    const pass = m.groupPass[group]!;
    if (pass < 1) {
      if (s.groupPasses[group] === -1) s.groupPasses[group] = uniformAt(s.streams.keys, STREAM.groupPass, group, 0) < pass ? 1 : 0;
      if (s.groupPasses[group] === 0) return protect(s, target, m.groupControl[group]!, t);
    }
  }
  compromise(s, target, source, t, relation);
}

/** The member's payload fires or the update fails it: its services lose capacity, detection follows. */
export function disrupt(s: KernelState, node: number, from: number, t: number): void {
  const m = s.model;
  const out = s.out;
  const previous = s.state[node];
  const layer = m.layer[node]!;
  s.state[node] = DISRUPTED;
  out[M['disrupted.physical'] + layer]!++;
  out[M.disrupted]!++;
  s.disruptedNow[layer]!++;
  if (++s.currentDisrupted > out[M.peakDisrupted]!) {
    out[M.peakDisrupted] = s.currentDisrupted;
    out[M.peakDisruptedAt] = t;
  }
  if (s.firstDisruptionMinutes === Infinity) s.firstDisruptionMinutes = t;
  if (previous === HEALTHY) {
    out[s.kindColumn + m.kind[node]!]!++;
    hit(s, node, from, t);
  }
  if (s.disconnected[node] === 0) s.services.change(node, 1, t);
  s.services.harm.down(node, 1, t);
  integrity(s, node, t);
  s.trace?.push(t, T_DISRUPT, node, from, -1);
  if (previous === HEALTHY && m.autoRestore[1] !== Infinity) {
    const restoreAt = t + delayAt(m.autoRestore, 0, 1, s.streams.keys, STREAM.autoRestore, node, 0);
    s.restoreAt[node] = restoreAt;
    s.schedule(restoreAt, E_AUTO_RESTORE, node, 0);
  }
  if (s.detected[node] === 0 && m.detectDisrupted[1] !== Infinity) s.schedule(t + delayAt(m.detectDisrupted, 0, m.detectSpeedup[node]!, s.streams.keys, STREAM.detectDisrupted, node, 0), E_DETECT, node, 0);
}

/**
 * The payload alters a compromised device at the patient (a kind with a harm profile): it runs on with its
 * therapy, settings or readings changed — integrity harm — until it is noticed and withdrawn, restored or
 * taken off the network. Clinicians notice after `detection.altered` (stream detectAltered). Other hosts
 * are left running: they were the way in.
 */
export function alter(s: KernelState, node: number, t: number): void {
  const m = s.model;
  const book = s.services.harm;
  if (s.state[node] !== COMPROMISED || book.altered[node] === 1 || m.harmKindOf[m.kind[node]!]! < 0) return;
  book.alter(node);
  integrity(s, node, t);
  s.trace?.push(t, T_ALTER, node, -1, -1);
  if (m.detectAltered[1] !== Infinity) s.schedule(t + delayAt(m.detectAltered, 0, 1, s.streams.keys, STREAM.detectAltered, node, 0), E_DETECT, node, 0);
}
