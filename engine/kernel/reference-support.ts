import { UNIT_APPOINTMENTS, type CompiledModel } from '../compile/model.js';
import { cutOffColumn, infectedKindColumn, M, regionColumn, sitesInfectedColumn } from './metrics.js';

/** The reference kernel's event queue, members, clinical accounting and end-of-run outcomes (reference.ts), written to be read. */

export interface ReferenceEvent {
  time: number;
  seq: number;
  kind: 'entry' | 'attempt' | 'scan' | 'payload' | 'detect' | 'ready' | 'restore-done' | 'auto-restore' | 'response' | 'wave' | 'arrival' | 'intervention' | 'kill-switch' | 'escalate';
  node: number;
  aux: number;
}

/** A list kept sorted by (time, sequence); events beyond the horizon are not queued unless unguarded, nor served. */
export class SortedQueue {
  private readonly queue: ReferenceEvent[] = [];
  private seq = 0;

  constructor(private readonly horizon: number) {}

  schedule(time: number, kind: ReferenceEvent['kind'], node: number, aux: number, guard = true): ReferenceEvent | undefined {
    if (guard && time > this.horizon) return undefined;
    const event = { time, seq: this.seq++, kind, node, aux };
    const queue = this.queue;
    let i = queue.length;
    while (i > 0 && (queue[i - 1]!.time > time || (queue[i - 1]!.time === time && queue[i - 1]!.seq > event.seq))) i--;
    queue.splice(i, 0, event);
    return event;
  }

  unschedule(event: ReferenceEvent | undefined): void {
    if (event && this.queue.includes(event)) this.queue.splice(this.queue.indexOf(event), 1);
  }

  /** The next event due by the horizon, taken off the queue. */
  next(): ReferenceEvent | undefined {
    return this.queue.length > 0 && this.queue[0]!.time <= this.horizon ? this.queue.shift() : undefined;
  }
}

export function referenceNodes(count: number): ReferenceNode[] {
  return Array.from({ length: count }, () => ({ state: 'healthy', disconnected: false, detected: false, protectedBy: new Set(), compromisedAt: null, restoreAt: Infinity, readyAt: 0 }));
}

export interface ReferenceNode {
  state: 'healthy' | 'compromised' | 'disrupted' | 'restored';
  disconnected: boolean;
  detected: boolean;
  protectedBy: Set<number>;
  compromisedAt: number | null;
  restoreAt: number;
  readyAt: number;
}

/** Services' capacity: members down now, their summed link weights, and the integrals of loss and diversion. */
export class ReferenceServices {
  readonly list: { down: number; weight: number; last: number; lost: number; diverting: number }[];
  readonly siteServiceLoss = new Set<number>();
  readonly siteDiverted = new Set<number>();

  constructor(private readonly m: CompiledModel) {
    this.list = Array.from({ length: m.serviceCount }, () => ({ down: 0, weight: 0, last: 0, lost: 0, diverting: 0 }));
  }

  private lossOf(s: number): number {
    return ((1 - this.m.downtimeCapacity) * this.list[s]!.weight) / this.m.serviceSupport[s]!;
  }

  touch(s: number, t: number): void {
    const m = this.m;
    const service = this.list[s]!;
    const dt = t - service.last;
    if (dt > 0 && service.down > 0) {
      service.lost += (m.serviceDemand[s]! * this.lossOf(s) * dt) / 60;
      if (m.serviceDiversion[s] === 1 && 1 - this.lossOf(s) < m.diversionBelow) service.diverting += dt;
    }
    service.last = t;
  }

  /** Member i goes down (delta 1) or comes back (−1) for every service it supports. */
  change(i: number, delta: number, t: number): void {
    const m = this.m;
    for (let k = m.nodeServiceOffsets[i]!; k < m.nodeServiceOffsets[i + 1]!; k++) {
      const s = m.nodeServices[k]!;
      const service = this.list[s]!;
      this.touch(s, t);
      service.down += delta;
      service.weight = service.down === 0 ? 0 : service.weight + delta * m.nodeServiceWeight[k]!;
      const site = m.serviceSite[s]!;
      if (site >= 0 && service.down > 0) {
        this.siteServiceLoss.add(site);
        if (m.serviceDiversion[s] === 1 && 1 - this.lossOf(s) < m.diversionBelow) this.siteDiverted.add(site);
      }
    }
  }
}

/** Writes the run's outcomes at the horizon (exfiltration already closed). */
export function referenceOutcomes(
  m: CompiledModel,
  out: Float64Array,
  services: ReferenceServices,
  nodes: ReferenceNode[],
  siteInfected: Set<number>,
  run: { currentDisrupted: number; lastRestore: number; firstDisruption: number; safetyIntegral: number },
): void {
  const horizon = m.horizonMinutes;
  let appointments = 0;
  services.list.forEach((service, s) => {
    services.touch(s, horizon);
    if (m.serviceUnit[s] === UNIT_APPOINTMENTS) appointments += service.lost;
  });
  out[M.appointmentsCancelled] = appointments;
  out[M.serviceUnitsLost] = services.list.reduce((sum, x) => sum + x.lost, 0);
  out[M.diversionHours] = services.list.reduce((sum, x) => sum + x.diverting, 0) / 60;
  out[M.safetyEvents] = (run.safetyIntegral * m.safetyPerPatientHour) / 60;
  const trusts = Array.from({ length: m.siteCount }, (_, s) => s).filter((s) => m.siteIsTrust[s] === 1);
  const lost = services.siteServiceLoss;
  out[M.sitesDiverting] = services.siteDiverted.size;
  out[M.trustsAffected] = trusts.filter((s) => siteInfected.has(s) || lost.has(s)).length;
  out[M.trustsInfected] = trusts.filter((s) => siteInfected.has(s)).length;
  out[M.trustsDisruptedWithoutInfection] = trusts.filter((s) => !siteInfected.has(s) && lost.has(s)).length;
  // Breakdowns: members hit (ever left healthy) per kind; sites hit per kind; trusts infected per region;
  // sites cut off from a hit outside service, once per owner of such services.
  nodes.forEach((node, i) => {
    if (node.state !== 'healthy') out[infectedKindColumn(m) + m.kind[i]!]!++;
  });
  for (const s of siteInfected) {
    out[sitesInfectedColumn(m) + m.siteKind[s]!]!++;
    if (m.siteIsTrust[s] === 1 && m.siteRegion[s]! >= 0) out[regionColumn(m) + m.siteRegion[s]!]!++;
  }
  for (let s = 0; s < m.siteCount; s++) {
    const dependencies = Array.from(m.siteDependencies.subarray(m.siteDependencyOffsets[s], m.siteDependencyOffsets[s + 1]));
    const owners = new Set(dependencies.filter((j) => nodes[j]!.state !== 'healthy').map((j) => m.siteDependencyColumn[m.siteDependencyOffsets[s]! + dependencies.indexOf(j)]!));
    for (const column of owners) out[cutOffColumn(m) + column]!++;
  }
  out[M.recovered] = run.currentDisrupted === 0 ? 1 : 0;
  out[M.disruptedAtEnd] = run.currentDisrupted;
  out[M.timeToRecovery] = out[M.disrupted] === 0 ? 0 : (run.currentDisrupted === 0 ? run.lastRestore : horizon) - run.firstDisruption;
}
