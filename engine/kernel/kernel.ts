import { PAYLOAD_ALTER, PAYLOAD_NONE, relationOf, type CompiledModel } from '../compile/model.js';
import { finish, recordPoint } from './clinical.js';
import { E_ACTION, E_ARRIVAL, E_ESCALATE, E_KILL_SWITCH, E_ATTEMPT, E_AUTO_RESTORE, E_DETECT, E_ENTRY, E_INTERVENTION, E_LIFT, E_PAYLOAD, E_PUSH, E_HALT_RULE, E_QUEUE_START, E_READY, E_RESPONSE, E_RESTORE_DONE, E_SCAN, E_TEAM, E_WAVE, N_ATTEMPT } from './codes.js';
import { M } from './metrics.js';
import { act, land } from './operators.js';
import { ready, restore, restoreDone, startQueue } from './recovery.js';
import { detect, escalate, intervene, lift, respond, startTeam } from './responses.js';
import { arrival, haltRule, wave } from './rollout.js';
import { killSwitch, scan } from './scan.js';
import { alter, attempt, compromise, disrupt, enter, seedEntries, serveQuiet } from './spread.js';
import type { KernelState } from './state.js';
import { COMPROMISED, DISRUPTED, SERIES_PER_POINT } from './state.js';
import type { TraceBuffer } from './trace.js';

/**
 * One run: a continuous-time discrete-event simulation over the compiled model (DESIGN.md "Time").
 * A pure function of (model, run index, seed, interventions) writing into the run context (KernelState);
 * it imports nothing from Node, creates no objects or arrays per event (V8 still boxes a double passed to a
 * handler it does not inline: 57 bytes of young garbage a compromise on the SIR fast path, 116 on the
 * general path, measured at ER 10k, rng.ts exponentialAt), and the reference kernel (reference.ts)
 * follows the same specification event for event — test/engine/kernel runs one spec suite on both.
 *
 * This file is the event loop; the handlers live by event family: spread.ts (entries, compromise,
 * attempts, disruption), operators.ts (an intrusion's operators), scan.ts (in-zone scanning), responses.ts (detection, responses, interventions),
 * recovery.ts (restores and staff queues), rollout.ts (the faulty update), clinical.ts (services, patients
 * and the run's outcomes). Codes come from codes.ts.
 */

export interface RunOptions {
  /** Packed interventions (interventions.ts). */
  interventions?: Float64Array;
  /** Filled with the run's events when given. */
  trace?: TraceBuffer;
  /** Filled with SERIES_PER_POINT counts at each of `seriesPoints` evenly spaced times over the horizon. */
  series?: Float64Array;
  seriesPoints?: number;
  /** Filled with every service's capacity (serviceCount numbers) at each of `serviceSeriesPoints` evenly spaced times. */
  serviceSeries?: Float64Array;
  serviceSeriesPoints?: number;
}

/** Runs run `runIndex` of a batch with seed `seed`; returns the state's metrics row (valid until the next run). */
export function runKernel(model: CompiledModel, s: KernelState, seed: number, runIndex: number, options: RunOptions = {}): Float64Array {
  const interventions = options.interventions;
  s.streams.seed(seed, runIndex);
  s.reset();
  s.trace = options.trace;
  s.interventions = interventions;
  s.horizon = model.horizonMinutes;
  s.prune = model.staticSpread === 1 && !(interventions && interventions.length > 0);
  s.quiet = s.prune && model.quietRestore === 1 && !options.trace && !options.series;
  s.quietEvents = 0;
  options.trace?.clear();
  const out = s.out;
  out[M['reachedAt.physical']] = NaN;
  out[M['reachedAt.network']] = NaN;
  out[M['reachedAt.cloud']] = NaN;
  out[M.firstCrossingAt] = NaN;
  out[M.firstDetectedAt] = NaN;
  out[M.peakDisruptedAt] = NaN;

  const horizon = s.horizon;
  const heap = s.heap;
  const pending = s.pending;
  const m = model;
  if (interventions) for (let i = 0; i < interventions.length / 3; i++) s.schedule(interventions[i * 3]!, E_INTERVENTION, -1, i);
  // The kill switch goes live before anything else due at the same minute (it is scheduled first).
  if (model.killSwitchMinutes <= horizon) s.schedule(model.killSwitchMinutes, E_KILL_SWITCH, -1, 0);
  seedEntries(s);
  if (model.releaseMinutes <= horizon) s.schedule(model.releaseMinutes, E_WAVE, -1, 0);

  const series = options.series;
  const points = series ? (options.seriesPoints ?? series.length / SERIES_PER_POINT) : 0;
  let point = 0;
  let events = 0;
  // Services: their samples (day 1, 7 and 27 of the disruption, services.ts) and the optional series, each
  // taken before the first event after it.
  const book = s.services;
  const serviceSeries = options.serviceSeries;
  const servicePoints = serviceSeries && m.serviceCount > 0 ? (options.serviceSeriesPoints ?? serviceSeries.length / m.serviceCount) : 0;
  let servicePoint = 0;
  const pointAt = (p: number): number => (p >= servicePoints ? Infinity : servicePoints === 1 ? 0 : (p * horizon) / (servicePoints - 1));
  let nextServicePoint = pointAt(0);
  const serviceUntil = (t: number): void => {
    book.sampleUntil(t);
    for (; nextServicePoint < t; nextServicePoint = pointAt(++servicePoint)) book.record(serviceSeries!, servicePoint * m.serviceCount, nextServicePoint);
  };
  // The quiet static path serves its node queue in a loop of its own (spread.ts serveQuiet) when no service
  // series is taken. Static spread already rules out operators and detection, and quiet restores a payload;
  // the guard says so again, as serveQuiet schedules none of them.
  const tight = s.quiet && servicePoints === 0 && m.operatorCount === 0 && m.payloadEffect === PAYLOAD_NONE && m.detectCompromised[1] === Infinity;
  for (;;) {
    if (tight && pending.size > 0) events += serveQuiet(s);
    // Static-spread models keep sure attempts and auto-restores in the node-indexed queue; serve whichever
    // queue's first event comes first in (time, sequence) order.
    if (pending.size > 0) {
      const u = pending.heap[0]!;
      const tu = pending.time[0]!;
      // A peek: the node queue's event may come first and schedule before the heap's.
      const first = heap.size === 0 ? -1 : heap.peek();
      if (first === -1 || tu < heap.time[first]! || (tu === heap.time[first]! && pending.seq[u]! < heap.seq[first]!)) {
        if (tu > horizon) break;
        const kind = pending.kind[u]!;
        const source = pending.source[u]!;
        const edge = pending.edge[u]!;
        pending.pop();
        events++;
        while (point < points && (point * horizon) / (points - 1) < tu) recordPoint(s, series!, point++);
        if (book.nextSample < tu || nextServicePoint < tu) serviceUntil(tu);
        // A queued attempt is sure (CompiledModel.edgeSpread) and its target still healthy (compromise()
        // removes it otherwise): nothing attempt() checks can stop it in a static-spread model.
        if (kind === N_ATTEMPT) compromise(s, u, source, tu, s.trace ? relationOf(m, edge) : -1);
        else if (s.state[u] === COMPROMISED || s.state[u] === DISRUPTED) restore(s, u, tu);
        continue;
      }
    }
    if (heap.size === 0) break;
    const slot = heap.first();
    const t = heap.time[slot]!;
    if (t > horizon) break;
    const kind = heap.kind[slot]!;
    const node = heap.node[slot]!;
    const aux = heap.aux[slot]!;
    heap.pop();
    events++;
    while (point < points && (point * horizon) / (points - 1) < t) recordPoint(s, series!, point++);
    if (book.nextSample < t || nextServicePoint < t) serviceUntil(t);
    switch (kind) {
      case E_ENTRY:
        enter(s, node, t);
        break;
      case E_ATTEMPT:
        attempt(s, node, aux, t);
        break;
      case E_SCAN:
        scan(s, node, aux, t);
        break;
      case E_PAYLOAD:
        if (s.state[node] === COMPROMISED) {
          if (m.payloadEffect === PAYLOAD_ALTER) alter(s, node, t);
          else disrupt(s, node, -1, t);
        }
        break;
      case E_DETECT:
        detect(s, node, t);
        break;
      case E_READY:
        ready(s, node, t);
        break;
      case E_RESTORE_DONE:
        restoreDone(s, node, t);
        break;
      case E_AUTO_RESTORE:
        if (s.state[node] === COMPROMISED || s.state[node] === DISRUPTED) restore(s, node, t);
        break;
      case E_RESPONSE:
        respond(s, aux, node, t);
        break;
      case E_WAVE:
        wave(s, aux, t);
        break;
      case E_ARRIVAL:
        arrival(s, node, aux, t);
        break;
      case E_ESCALATE:
        escalate(s, t);
        break;
      case E_KILL_SWITCH:
        killSwitch(s, t);
        break;
      case E_TEAM:
        startTeam(s, aux, t);
        break;
      case E_LIFT:
        lift(s, aux, node, t);
        break;
      case E_ACTION:
        act(s, aux, t);
        break;
      case E_PUSH:
        land(s, node, aux, t);
        break;
      case E_HALT_RULE:
        haltRule(s, t);
        break;
      case E_QUEUE_START:
        startQueue(s, aux, t);
        break;
      case E_INTERVENTION:
        intervene(s, interventions![aux * 3 + 1]!, interventions![aux * 3 + 2]!, t);
        break;
    }
  }
  while (point < points) recordPoint(s, series!, point++);
  serviceUntil(Infinity);
  finish(s, events + s.quietEvents);
  s.trace = undefined;
  s.interventions = undefined;
  return out;
}
