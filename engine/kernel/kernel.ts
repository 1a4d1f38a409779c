import { CONTROL, PAYLOAD_DISRUPT, type CompiledModel } from '../compile/model.js';
import { blockedColumn, cutOffColumn, infectedKindColumn, lostColumn, M, regionColumn, sitesInfectedColumn } from './metrics.js';
import { exponential, sampleDelay, seedRun, standardExponential, uniform } from './rng.js';
import type { KernelState} from './state.js';
import { COMPROMISED, DISRUPTED, HEALTHY, RESTORED, SERIES_PER_POINT } from './state.js';
import { T_BLOCKED, T_COMPROMISE, T_DETECT, T_DISCONNECT, T_DISRUPT, T_ENTRY, T_HALT, T_INTERVENTION, T_ISOLATE, T_RESTORE, T_REVOKE, type TraceBuffer } from './trace.js';

/**
 * One run: a continuous-time discrete-event simulation over the compiled model (DESIGN.md "Time").
 * A pure function of (model, run index, seed, interventions) writing into preallocated state; it imports
 * nothing from Node, allocates nothing per event, and the reference kernel (reference.ts) follows the same
 * specification event for event — test/engine/kernel runs one spec suite on both.
 *
 * Event order is (time, scheduling order). Random numbers are drawn in a fixed order per handler, so the
 * same (seed, run) gives the same history on any worker, and an intervention at T leaves history before T
 * untouched.
 */

const E_ENTRY = 0;
const E_ATTEMPT = 1;
const E_SCAN = 2;
const E_PAYLOAD = 3;
const E_DETECT = 4;
const E_READY = 5;
const E_RESTORE_DONE = 6;
const E_AUTO_RESTORE = 7;
const E_RESPONSE = 8;
const E_WAVE = 9;
const E_ARRIVAL = 10;
const E_INTERVENTION = 11;

// Kinds of a node-indexed queue entry (static-spread models).
const N_ATTEMPT = 0;
const N_RESTORE = 1;

// Relation indices (RELATIONS order in vocabulary.ts).
const NETWORK = 0;
const IDENTITY = 3;
const MANAGEMENT = 5;

const WORM = 0;
const HALTED_BY_ROLLOUT = 2;

const R_ISOLATE = 0;
const R_REVOKE = 1;
const R_HALT = 2;
const R_DISCONNECT = 3;

export interface RunOptions {
  /** Packed interventions (interventions.ts). */
  interventions?: Float64Array;
  /** Filled with the run's events when given. */
  trace?: TraceBuffer;
  /** Filled with SERIES_PER_POINT counts at each of `seriesPoints` evenly spaced times over the horizon. */
  series?: Float64Array;
  seriesPoints?: number;
}

let m: CompiledModel;
let s: KernelState;
let out: Float64Array;
let trace: TraceBuffer | undefined;
let horizon = 0;
let ownerCount = 0;
let prune = false;
/** Restores kept on the member, not queued (CompiledModel.quietRestore); counted as events at the end. */
let quiet = false;
let quietEvents = 0;

/** Runs run `runIndex` of a batch with seed `seed`; returns the state's metrics row (valid until the next run). */
export function runKernel(model: CompiledModel, state: KernelState, seed: number, runIndex: number, options: RunOptions = {}): Float64Array {
  m = model;
  s = state;
  out = state.out;
  trace = options.trace;
  horizon = model.horizonMinutes;
  ownerCount = model.ownerCount;
  prune = model.staticSpread === 1 && !(options.interventions && options.interventions.length > 0);
  quiet = prune && model.quietRestore === 1 && !options.trace && !options.series;
  quietEvents = 0;
  state.reset();
  trace?.clear();
  seedRun(seed, runIndex);
  out[M['reachedAt.physical']] = NaN;
  out[M['reachedAt.network']] = NaN;
  out[M['reachedAt.cloud']] = NaN;
  out[M.firstCrossingAt] = NaN;
  out[M.peakDisruptedAt] = NaN;

  const heap = state.heap;
  const pending = state.pending;
  const interventions = options.interventions;
  if (interventions) for (let i = 0; i < interventions.length / 3; i++) schedule(interventions[i * 3]!, E_INTERVENTION, -1, i);
  seedEntries();
  if (model.releaseMinutes <= horizon) schedule(model.releaseMinutes, E_WAVE, -1, 0);

  const series = options.series;
  const points = series ? (options.seriesPoints ?? series.length / SERIES_PER_POINT) : 0;
  let point = 0;
  let events = 0;
  for (;;) {
    // Static-spread models keep sure attempts and auto-restores in the node-indexed queue; serve whichever
    // queue's first event comes first in (time, sequence) order.
    if (pending.size > 0) {
      const u = pending.heap[0]!;
      const tu = pending.time[0]!;
      if (heap.size === 0 || tu < heap.time[0]! || (tu === heap.time[0]! && pending.seq[u]! < heap.firstSequence())) {
        if (tu > horizon) break;
        const kind = pending.kind[u]!;
        const source = pending.source[u]!;
        const edge = pending.edge[u]!;
        pending.pop();
        events++;
        while (point < points && (point * horizon) / (points - 1) < tu) recordPoint(series!, point++);
        // A queued attempt is sure (CompiledModel.edgeSpread) and its target still healthy (compromise()
        // removes it otherwise): nothing attempt() checks can stop it in a static-spread model.
        if (kind === N_ATTEMPT) compromise(u, source, tu, trace ? m.relation[edge]! : -1);
        else if (s.state[u] === COMPROMISED || s.state[u] === DISRUPTED) restore(u, tu);
        continue;
      }
    }
    if (heap.size === 0) break;
    const t = heap.time[0]!;
    if (t > horizon) break;
    const slot = heap.slot[0]!;
    const kind = heap.kind[slot]!;
    const node = heap.node[slot]!;
    const aux = heap.aux[slot]!;
    heap.pop();
    events++;
    while (point < points && (point * horizon) / (points - 1) < t) recordPoint(series!, point++);
    switch (kind) {
      case E_ENTRY:
        if (s.state[node] === HEALTHY && s.disconnected[node] === 0) {
          if (m.threat === WORM && t >= m.killSwitchMinutes) protect(node, CONTROL.killSwitch, t);
          else if (m.patched[node]) protect(node, CONTROL.patch, t);
          else {
            trace?.push(t, T_ENTRY, node, -1, -1);
            compromise(node, -1, t);
          }
        }
        break;
      case E_ATTEMPT:
        attempt(node, aux, t);
        break;
      case E_SCAN:
        scan(node, aux, t);
        break;
      case E_PAYLOAD:
        if (s.state[node] === COMPROMISED) disrupt(node, -1, t);
        break;
      case E_DETECT:
        detect(node, t);
        break;
      case E_READY:
        if (s.state[node] === COMPROMISED || s.state[node] === DISRUPTED) {
          s.readyAt[node] = t;
          enqueue(m.queue[node]!, node);
          startJobs(m.queue[node]!, t);
        }
        break;
      case E_RESTORE_DONE:
        s.freeStaff[m.queue[node]!]!++;
        if (s.state[node] === COMPROMISED || s.state[node] === DISRUPTED) restore(node, t);
        startJobs(m.queue[node]!, t);
        break;
      case E_AUTO_RESTORE:
        if (s.state[node] === COMPROMISED || s.state[node] === DISRUPTED) restore(node, t);
        break;
      case E_RESPONSE:
        respond(aux, node, t);
        break;
      case E_WAVE:
        wave(aux, t);
        break;
      case E_ARRIVAL:
        arrival(node, aux, t);
        break;
      case E_INTERVENTION:
        intervene(interventions![aux * 3 + 1]!, interventions![aux * 3 + 2]!, t);
        break;
    }
  }
  while (point < points) recordPoint(series!, point++);
  finish(events + quietEvents);
  trace = undefined;
  return out;
}

function schedule(time: number, kind: number, node: number, aux: number): void {
  if (time <= horizon) s.heap.push(time, kind, node, aux);
}

function seedEntries(): void {
  const entries = m.entryOffsets.length - 1;
  for (let e = 0; e < entries; e++) {
    const first = m.entryOffsets[e]!;
    const candidates = m.entryOffsets[e + 1]! - first;
    if (candidates === 0) continue;
    const count = m.entryParams[e * 3]!;
    const at = m.entryParams[e * 3 + 1]!;
    const width = m.entryParams[e * 3 + 2]!;
    for (let c = 0; c < count; c++) {
      const node = m.entryCandidates[first + Math.floor(uniform() * candidates)]!;
      const time = width > 0 ? at + uniform() * width : at;
      schedule(time, E_ENTRY, node, e);
    }
  }
}

function infectious(node: number): boolean {
  const state = s.state[node];
  return (state === COMPROMISED || state === DISRUPTED) && s.disconnected[node] === 0;
}

function protect(node: number, control: number, t: number): void {
  const bit = 1 << control;
  if ((s.protectedBy[node]! & bit) !== 0) return;
  s.protectedBy[node]! |= bit;
  out[blockedColumn(ownerCount, control)]!++;
  trace?.push(t, T_BLOCKED, node, -1, control);
}

/** What compromise and update-disruption share: reach, crossings, owner losses, sites hit. */
function hit(node: number, from: number, t: number): void {
  const layer = m.layer[node]!;
  if (out[M['reached.physical'] + layer] === 0) {
    out[M['reached.physical'] + layer] = 1;
    out[M['reachedAt.physical'] + layer] = t;
  }
  if (from >= 0 && m.layer[from] !== layer) {
    out[m.layer[from]! < layer ? M['crossings.up'] : M['crossings.down']]!++;
    if (Number.isNaN(out[M.firstCrossingAt])) out[M.firstCrossingAt] = t;
  }
  out[lostColumn(m.owner[node]!)]!++;
  if (m.site[node]! >= 0) s.siteInfected[m.site[node]!] = 1;
  if (m.patients[node]! > 0) {
    touchSafety(t);
    s.patientsAtRisk += m.patients[node]!;
  }
}

function compromise(node: number, from: number, t: number, relation = -1): void {
  const layer = m.layer[node]!;
  s.state[node] = COMPROMISED;
  s.compromisedAt[node] = t;
  out[M['compromised.physical'] + layer]!++;
  out[M.compromised]!++;
  s.compromisedNow[layer]!++;
  const zone = m.zone[node]!;
  // Healthy scan targets are only read by in-zone scanning.
  if (m.scansZones === 1) s.targets.set(node, 0);
  hit(node, from, t);
  trace?.push(t, T_COMPROMISE, node, from, relation);
  if (prune) {
    // A sure attempt still pending here would find the member compromised and do nothing; and no attempt
    // at the member is worth scheduling any more (spreadStatic reads pendingAt as its health check).
    s.pending.remove(node);
    s.pendingAt[node] = -Infinity;
  }

  let restoreAt = Infinity;
  if (m.autoRestore[1] !== Infinity) {
    restoreAt = t + sampleDelay(m.autoRestore, 0, 1);
    s.restoreAt[node] = restoreAt;
    if (!prune) schedule(restoreAt, E_AUTO_RESTORE, node, 0);
    else if (restoreAt <= horizon) {
      // The restore's sequence number is taken either way, so the order of every other event is unchanged.
      const seq = s.heap.takeSequence();
      if (quiet) quietEvents++;
      else s.pending.set(node, restoreAt, seq, N_RESTORE, -1, -1);
    }
  }
  if (m.payloadEffect === PAYLOAD_DISRUPT) schedule(t + sampleDelay(m.payloadDelay, 0, 1), E_PAYLOAD, node, 0);
  if (m.detectCompromised[1] !== Infinity) schedule(t + sampleDelay(m.detectCompromised, 0, m.detectSpeedup[node]!), E_DETECT, node, 0);

  const limit = restoreAt < horizon ? restoreAt : horizon;
  if (prune) spreadStatic(node, t, limit);
  else spread(node, t, limit);
  if (m.scansZones === 1 && zone >= 0) {
    shield(zone, t);
    scheduleScan(node, t);
  }
}

/** Schedules an attempt along each usable edge out of `node` that falls due before `limit`. */
function spread(node: number, t: number, limit: number): void {
  const mask = m.relationMask;
  for (let k = m.offsets[node]!, end = m.offsets[node + 1]!; k < end; k++) {
    if ((mask & (1 << m.relation[k]!)) === 0) continue;
    const ease = m.edgeEase[k]!;
    const target = m.targets[k]!;
    if (ease === 0 || s.state[target] !== HEALTHY) continue;
    const due = t + sampleDelay(m.spread, 0, ease);
    if (due < limit) s.heap.push(due, E_ATTEMPT, node, k);
  }
}

/**
 * spread() for static-spread models, the hot loop of large outbreaks. Draws exactly as spread() does, then
 * drops an attempt that a sure one already pending at its target would beat (it would find the target
 * compromised and draw nothing), and keeps only the earliest sure attempt per target, in the node queue
 * (decrease-key). Attempts that controls may still stop go on the event heap.
 */
function spreadStatic(node: number, t: number, limit: number): void {
  const spread = m.edgeSpread;
  const targets = m.targets;
  const pendingAt = s.pendingAt;
  const delay = m.spread;
  const isExponential = delay[0] === 1;
  const mean = delay[1]!;
  for (let k = m.offsets[node]!, end = m.offsets[node + 1]!; k < end; k++) {
    const code = spread[k]!;
    if (code === 0) continue;
    const target = targets[k]!;
    // -Infinity once the target is compromised (the state check of spread(), from the array read anyway).
    const before = pendingAt[target]!;
    if (before === -Infinity) continue;
    const ease = code > 0 ? code : -code;
    // sampleDelay's exponential branch, inlined: the same expression, so the same bits.
    const due = t + (isExponential ? (mean * standardExponential()) / ease : sampleDelay(delay, 0, ease));
    if (due >= limit || due >= before) continue;
    if (code > 0) {
      pendingAt[target] = due;
      s.pending.set(target, due, s.heap.takeSequence(), N_ATTEMPT, node, k);
    } else s.heap.push(due, E_ATTEMPT, node, k);
  }
}

function attempt(source: number, k: number, t: number): void {
  const target = m.targets[k]!;
  if (!infectious(source) || s.state[target] !== HEALTHY || s.disconnected[target] !== 0) return;
  const relation = m.relation[k]!;
  if (m.threat === WORM && t >= m.killSwitchMinutes) return protect(target, CONTROL.killSwitch, t);
  if ((relation === IDENTITY || relation === MANAGEMENT) && (s.revoked === 1 || (m.site[target]! >= 0 && s.siteRevoked[m.site[target]!] === 1))) {
    return protect(target, CONTROL.revocation, t);
  }
  if (relation === NETWORK) {
    const a = m.zone[source]!;
    const b = m.zone[target]!;
    if (a !== b && ((a >= 0 && s.zoneIsolated[a] === 1) || (b >= 0 && s.zoneIsolated[b] === 1))) return protect(target, CONTROL.isolation, t);
  }
  if (m.edgeNeedsExploit[k] === 1 && m.patched[target] === 1) return protect(target, CONTROL.patch, t);
  const pass = m.edgePass[k]!;
  if (pass < 1) {
    const group = m.edgeGroup[k]!;
    if (s.groupPasses[group] === -1) s.groupPasses[group] = uniform() < pass ? 1 : 0;
    if (s.groupPasses[group] === 0) return protect(target, m.edgeControl[k]!, t);
  }
  compromise(target, source, t, relation);
}

/**
 * In-zone scanning. A compromised member probes each scan target of every zone its zone reaches at rate
 * 1/μ (μ: the mean of `spread`), succeeding with the target's exploit ease. Probes of targets that are not
 * healthy change nothing, so only the useful ones are simulated: the next probe of a healthy target comes
 * at rate A/μ, A the healthy targets reachable now. A only falls between decisions, so a probe scheduled
 * at an older, larger A is kept with probability A_now/A_then (thinning, Lewis & Shedler 1979); decisions
 * that raise A reschedule every scanner (rescanAll).
 */
function scheduleScan(node: number, t: number): void {
  const available = s.targets.reachHealthy[m.zone[node]!]!;
  if (available === 0) return;
  s.scanAvailable[node] = available;
  const due = t + exponential(m.spreadMeanMinutes / available);
  if (due < s.restoreAt[node]!) schedule(due, E_SCAN, node, s.scanGeneration[node]!);
}

function scan(node: number, generation: number, t: number): void {
  if (generation !== s.scanGeneration[node] || !infectious(node) || (m.threat === WORM && t >= m.killSwitchMinutes)) return;
  const zone = m.zone[node]!;
  const available = s.targets.reachHealthy[zone]!;
  if (available === 0) return;
  if (available < s.scanAvailable[node]! && uniform() * s.scanAvailable[node]! >= available) return scheduleScan(node, t);
  let k = Math.floor(uniform() * available);
  let target = -1;
  for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
    const to = m.zoneReach[r]!;
    if (!s.reachIsOpen(r, zone, to)) continue;
    const healthy = s.targets.zoneHealthy[to]!;
    if (k < healthy) {
      target = s.targets.select(to, k);
      break;
    }
    k -= healthy;
  }
  if (uniform() < m.exploitEase[target]!) compromise(target, node, t, NETWORK);
  scheduleScan(node, t);
}

/**
 * The first scanner in a zone counts the members that controls shield from it: targets in the zones its
 * zone reaches but cannot open (segmentation, isolation), and patched targets it can reach.
 */
function shield(zone: number, t: number): void {
  if (s.zoneShielded[zone] === 1) return;
  s.zoneShielded[zone] = 1;
  for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
    const to = m.zoneReach[r]!;
    const open = s.reachIsOpen(r, zone, to);
    for (let k = m.zoneTargetOffsets[to]!; k < m.zoneTargetOffsets[to + 1]!; k++) {
      const target = m.zoneTargets[k]!;
      if (!open) protect(target, s.reachOpen[r] === 0 ? CONTROL.segmentation : CONTROL.isolation, t);
      else if (m.patched[target] === 1) protect(target, CONTROL.patch, t);
    }
  }
}

/** After a decision that opens paths again, every scanner draws its next probe afresh (memorylessness). */
function rescanAll(t: number): void {
  if (m.scansZones === 0 || (m.threat === WORM && t >= m.killSwitchMinutes)) return;
  for (let i = 0; i < m.nodeCount; i++) {
    if (m.zone[i]! < 0 || !infectious(i)) continue;
    s.scanGeneration[i]!++;
    scheduleScan(i, t);
  }
}

function disrupt(node: number, from: number, t: number): void {
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
  if (previous === HEALTHY) hit(node, from, t);
  if (s.disconnected[node] === 0) changeServices(node, 1, t);
  trace?.push(t, T_DISRUPT, node, from, -1);
  if (previous === HEALTHY && m.autoRestore[1] !== Infinity) {
    const restoreAt = t + sampleDelay(m.autoRestore, 0, 1);
    s.restoreAt[node] = restoreAt;
    schedule(restoreAt, E_AUTO_RESTORE, node, 0);
  }
  if (s.detected[node] === 0 && m.detectDisrupted[1] !== Infinity) schedule(t + sampleDelay(m.detectDisrupted, 0, m.detectSpeedup[node]!), E_DETECT, node, 0);
}

function detect(node: number, t: number): void {
  const state = s.state[node];
  if (s.detected[node] === 1 || (state !== COMPROMISED && state !== DISRUPTED)) return;
  s.detected[node] = 1;
  trace?.push(t, T_DETECT, node, -1, -1);
  // Responses, in the scenario's order: zone isolation per zone, site-scoped ones per site, estate-wide ones
  // on the run's first detection.
  const responses = m.responseParams.length / 4;
  const first = s.detectedAny === 0;
  s.detectedAny = 1;
  const zone = m.zone[node]!;
  const site = m.site[node]!;
  for (let r = 0; r < responses; r++) {
    const code = m.responseParams[r * 4]!;
    if (code === R_ISOLATE) {
      if (zone >= 0 && s.zoneIsolationScheduled[zone] === 0) {
        s.zoneIsolationScheduled[zone] = 1;
        schedule(t + sampleDelay(m.responseDelays, r * 3, 1), E_RESPONSE, zone, r);
      }
    } else if (m.responseParams[r * 4 + 2] === 1) {
      if (site >= 0 && s.siteResponded[r * m.siteCount + site] === 0) {
        s.siteResponded[r * m.siteCount + site] = 1;
        schedule(t + sampleDelay(m.responseDelays, r * 3, 1), E_RESPONSE, site, r);
      }
    } else if (first) schedule(t + sampleDelay(m.responseDelays, r * 3, 1), E_RESPONSE, -1, r);
  }
  schedule(t + sampleDelay(m.startDelay, 0, 1), E_READY, node, 0);
}

function restore(node: number, t: number): void {
  const layer = m.layer[node]!;
  if (s.compromisedAt[node]! >= 0) {
    s.compromisedNow[layer]!--;
    exfiltrate(node, t);
  }
  if (s.state[node] === DISRUPTED) {
    s.disruptedNow[layer]!--;
    s.currentDisrupted--;
    if (s.disconnected[node] === 0) changeServices(node, -1, t);
  }
  if (m.patients[node]! > 0) {
    touchSafety(t);
    s.patientsAtRisk -= m.patients[node]!;
  }
  s.state[node] = RESTORED;
  s.lastRestoreMinutes = t;
  trace?.push(t, T_RESTORE, node, -1, -1);
}

function exfiltrate(node: number, t: number): void {
  if (m.exfiltrationPerHour === 0 || m.records[node] === 0) return;
  out[M.recordsExposed]! += Math.min(m.records[node]!, (m.exfiltrationPerHour * (t - s.compromisedAt[node]!)) / 60);
}

// --- recovery queues: a binary heap per queue over slices of `jobs`, best = highest priority, then earliest.

function before(a: number, b: number): boolean {
  const pa = m.priority[a]!;
  const pb = m.priority[b]!;
  if (pa !== pb) return pa > pb;
  const ta = s.readyAt[a]!;
  const tb = s.readyAt[b]!;
  return ta !== tb ? ta < tb : a < b;
}

function enqueue(q: number, node: number): void {
  const base = m.queueOffsets[q]!;
  let i = s.queueLength[q]!++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = s.jobs[base + p]!;
    if (!before(node, parent)) break;
    s.jobs[base + i] = parent;
    i = p;
  }
  s.jobs[base + i] = node;
}

function dequeue(q: number): number {
  const base = m.queueOffsets[q]!;
  const top = s.jobs[base]!;
  const size = --s.queueLength[q]!;
  const last = s.jobs[base + size]!;
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && before(s.jobs[base + c + 1]!, s.jobs[base + c]!)) c++;
    if (!before(s.jobs[base + c]!, last)) break;
    s.jobs[base + i] = s.jobs[base + c]!;
    i = c;
  }
  s.jobs[base + i] = last;
  return top;
}

function startJobs(q: number, t: number): void {
  while (s.freeStaff[q]! > 0 && s.queueLength[q]! > 0) {
    const node = dequeue(q);
    if (s.state[node] !== COMPROMISED && s.state[node] !== DISRUPTED) continue;
    s.freeStaff[q]!--;
    schedule(t + m.handsOnMinutes[node]!, E_RESTORE_DONE, node, 0);
  }
}

// --- clinical services: piecewise-constant capacity, integrated at every change.

function touchService(service: number, t: number): void {
  const dt = t - s.serviceLastMinutes[service]!;
  if (dt > 0 && s.serviceDown[service]! > 0) {
    const loss = ((1 - m.downtimeCapacity) * s.serviceDownWeight[service]!) / m.serviceSupport[service]!;
    s.serviceLost[service]! += (m.serviceDemand[service]! * loss * dt) / 60;
    if (m.serviceDiversion[service] === 1 && 1 - loss < m.diversionBelow) s.serviceDivertingMinutes[service]! += dt;
  }
  s.serviceLastMinutes[service] = t;
}

function changeServices(node: number, delta: number, t: number): void {
  for (let k = m.nodeServiceOffsets[node]!, end = m.nodeServiceOffsets[node + 1]!; k < end; k++) {
    const service = m.nodeServices[k]!;
    touchService(service, t);
    s.serviceDown[service]! += delta;
    // The weighted count returns to exactly 0 with the last member back (no rounding residue).
    s.serviceDownWeight[service] = s.serviceDown[service] === 0 ? 0 : s.serviceDownWeight[service]! + delta * m.nodeServiceWeight[k]!;
    const site = m.serviceSite[service]!;
    if (site >= 0 && s.serviceDown[service]! > 0) {
      s.siteServiceLoss[site] = 1;
      const loss = ((1 - m.downtimeCapacity) * s.serviceDownWeight[service]!) / m.serviceSupport[service]!;
      if (m.serviceDiversion[service] === 1 && 1 - loss < m.diversionBelow) s.siteDiverted[site] = 1;
    }
  }
}

function touchSafety(t: number): void {
  s.safetyIntegral += s.patientsAtRisk * (t - s.safetyLastMinutes);
  s.safetyLastMinutes = t;
}

// --- responses, interventions, updates.

function disconnectKinds(mask: number, connect: boolean, t: number): void {
  for (let i = 0; i < m.nodeCount; i++) {
    if ((mask & (1 << m.kind[i]!)) === 0 || (s.disconnected[i] === 0) === connect) continue;
    s.disconnected[i] = connect ? 0 : 1;
    if (s.state[i] !== DISRUPTED) changeServices(i, connect ? -1 : 1, t);
    if (!connect) s.targets.set(i, 0);
    else if (s.state[i] === HEALTHY && m.patched[i] === 0) s.targets.set(i, 1);
  }
  trace?.push(t, T_DISCONNECT, -1, mask, connect ? 0 : 1);
  if (connect) rescanAll(t);
}

function isolateZone(zone: number, isolated: 0 | 1): void {
  if (s.zoneIsolated[zone] === isolated) return;
  s.targets.touchZone(zone, -1);
  s.zoneIsolated[zone] = isolated;
  s.targets.touchZone(zone, 1);
}

/** Disconnects (or reconnects) the members of the given kinds at one site. */
function disconnectSite(mask: number, site: number, t: number): void {
  for (let k = m.siteMemberOffsets[site]!; k < m.siteMemberOffsets[site + 1]!; k++) {
    const i = m.siteMembers[k]!;
    if ((mask & (1 << m.kind[i]!)) === 0 || s.disconnected[i] === 1) continue;
    s.disconnected[i] = 1;
    if (s.state[i] !== DISRUPTED) changeServices(i, 1, t);
    s.targets.set(i, 0);
  }
  trace?.push(t, T_DISCONNECT, -1, mask, 1);
}

/** Response r takes effect; `target` is its zone (isolation), its site (site-scoped) or -1 (estate-wide). */
function respond(r: number, target: number, t: number): void {
  const code = m.responseParams[r * 4]!;
  const mask = m.responseParams[r * 4 + 1]!;
  if (code === R_ISOLATE) {
    isolateZone(target, 1);
    trace?.push(t, T_ISOLATE, -1, target, 1);
  } else if (code === R_REVOKE) {
    if (target >= 0) s.siteRevoked[target] = 1;
    else s.revoked = 1;
    trace?.push(t, T_REVOKE, -1, target, 1);
  } else if (code === R_HALT) {
    s.halted = 1;
    trace?.push(t, T_HALT, -1, -1, 1);
  } else if (code === R_DISCONNECT) {
    const share = m.responseParams[r * 4 + 3]!;
    if (target >= 0) disconnectSite(mask, target, t);
    else if (share >= 1) disconnectKinds(mask, false, t);
    // A share of sites comply with an estate-wide call, decided site by site.
    else for (let site = 0; site < m.siteCount; site++) if (uniform() < share) disconnectSite(mask, site, t);
  }
}

function intervene(code: number, argument: number, t: number): void {
  trace?.push(t, T_INTERVENTION, -1, argument, code);
  switch (code) {
    case 0:
    case 1:
      isolateZone(argument, code === 0 ? 1 : 0);
      if (code === 1) rescanAll(t);
      break;
    case 2:
    case 3:
      s.revoked = code === 2 ? 1 : 0;
      break;
    case 4:
    case 5:
      s.halted = code === 4 ? 1 : 0;
      break;
    case 6:
    case 7:
      disconnectKinds(argument, code === 7, t);
      break;
    case 8:
      for (let r = 0; r < s.reachOpen.length; r++) if (m.zoneReachEssential[r] === 0) s.reachOpen[r] = 0;
      s.targets.recount();
      break;
    case 9:
      s.reachOpen.fill(1);
      s.targets.recount();
      rescanAll(t);
      break;
    case 10:
      for (let q = 0; q < m.queueCount; q++) {
        s.freeStaff[q]! += argument;
        startJobs(q, t);
      }
      break;
  }
}

function wave(w: number, t: number): void {
  const waves = m.waveOffsets.length - 1;
  if (s.halted !== 0) {
    for (let k = m.waveOffsets[w]!; k < m.waveOffsets[waves]!; k++) if (m.affected[m.waveEndpoints[k]!] === 1) protect(m.waveEndpoints[k]!, haltControl(), t);
    return;
  }
  const pulled = m.releaseMinutes + m.liveMinutes;
  for (let k = m.waveOffsets[w]!; k < m.waveOffsets[w + 1]!; k++) {
    const due = t + sampleDelay(m.arrival, 0, 1);
    if (due < pulled) schedule(due, E_ARRIVAL, m.waveEndpoints[k]!, m.waveSources[k]!);
  }
  if (w + 1 < waves) schedule(t + m.waveIntervalMinutes, E_WAVE, -1, w + 1);
}

/** Which control stopped the update: the staged rollout's halt rule, or a response or decision. */
function haltControl(): number {
  return s.halted === HALTED_BY_ROLLOUT ? CONTROL.stagedRollout : CONTROL.updateHalt;
}

function arrival(node: number, source: number, t: number): void {
  if (m.affected[node] === 0 || s.state[node] !== HEALTHY || s.disconnected[node] === 1) return;
  if (s.halted !== 0) return protect(node, haltControl(), t);
  disrupt(node, source, t);
  if (++s.failures >= m.haltAfterFailures && s.halted === 0) {
    s.halted = HALTED_BY_ROLLOUT;
    trace?.push(t, T_HALT, -1, -1, 0);
  }
}

// --- the run's outcomes.

function recordPoint(series: Float64Array, point: number): void {
  const base = point * SERIES_PER_POINT;
  for (let layer = 0; layer < 3; layer++) {
    series[base + layer] = s.compromisedNow[layer]!;
    series[base + 3 + layer] = s.disruptedNow[layer]!;
  }
}

function finish(events: number): void {
  let appointments = 0;
  let lost = 0;
  let diverting = 0;
  for (let service = 0; service < m.serviceCount; service++) {
    touchService(service, horizon);
    lost += s.serviceLost[service]!;
    if (m.serviceUnit[service] === 0) appointments += s.serviceLost[service]!;
    diverting += s.serviceDivertingMinutes[service]!;
  }
  out[M.appointmentsCancelled] = appointments;
  out[M.serviceUnitsLost] = lost;
  out[M.diversionHours] = diverting / 60;
  touchSafety(horizon);
  out[M.safetyEvents] = (s.safetyIntegral * m.safetyPerPatientHour) / 60;
  if (m.exfiltrationPerHour > 0) {
    for (let i = 0; i < m.nodeCount; i++) if ((s.state[i] === COMPROMISED || s.state[i] === DISRUPTED) && s.compromisedAt[i]! >= 0) exfiltrate(i, horizon);
  }
  let affected = 0;
  let infected = 0;
  let withoutInfection = 0;
  let diverted = 0;
  for (let site = 0; site < m.siteCount; site++) {
    diverted += s.siteDiverted[site]!;
    if (m.siteIsTrust[site] === 0) continue;
    const hitSite = s.siteInfected[site] === 1;
    const loss = s.siteServiceLoss[site] === 1;
    if (hitSite || loss) affected++;
    if (hitSite) infected++;
    else if (loss) withoutInfection++;
  }
  out[M.sitesDiverting] = diverted;
  out[M.trustsAffected] = affected;
  out[M.trustsInfected] = infected;
  out[M.trustsDisruptedWithoutInfection] = withoutInfection;
  breakdowns();
  const recovered = s.currentDisrupted === 0;
  out[M.recovered] = recovered ? 1 : 0;
  out[M.disruptedAtEnd] = s.currentDisrupted;
  out[M.timeToRecovery] = out[M.disrupted] === 0 ? 0 : (recovered ? s.lastRestoreMinutes : horizon) - s.firstDisruptionMinutes;
  out[M.events] = events;
}

/**
 * Members hit per node kind (a member leaves HEALTHY only by being compromised or failed by the update), sites
 * hit per site kind, trusts infected per region, and sites cut off: a site counts once per owner of an
 * outside service it depends on that was hit.
 */
function breakdowns(): void {
  const kinds = infectedKindColumn(m);
  for (let i = 0; i < m.nodeCount; i++) if (s.state[i] !== HEALTHY) out[kinds + m.kind[i]!]!++;
  const siteKinds = sitesInfectedColumn(m);
  const regions = regionColumn(m);
  const cutOff = cutOffColumn(m);
  for (let site = 0; site < m.siteCount; site++) {
    if (s.siteInfected[site] === 1) {
      out[siteKinds + m.siteKind[site]!]!++;
      if (m.siteIsTrust[site] === 1 && m.siteRegion[site]! >= 0) out[regions + m.siteRegion[site]!]!++;
    }
    let counted = -1;
    for (let k = m.siteDependencyOffsets[site]!; k < m.siteDependencyOffsets[site + 1]!; k++) {
      const column = m.siteDependencyColumn[k]!;
      if (column === counted || s.state[m.siteDependencies[k]!] === HEALTHY) continue;
      out[cutOff + column]!++;
      counted = column;
    }
  }
}
