import { UNIT_APPOINTMENTS, UNIT_PROCEDURES, UNIT_TESTS, type CompiledModel } from '../compile/model.js';
import { serviceFigures } from './clinical.js';
import type { ServiceBook } from './services.js';
import { cutOffColumn, infectedKindColumn, M, regionColumn, sitesInfectedColumn } from './metrics.js';

/** The reference kernel's event queue, members, clinical accounting and end-of-run outcomes (reference.ts), written to be read. */

export interface ReferenceEvent {
  time: number;
  seq: number;
  kind: 'entry' | 'attempt' | 'scan' | 'payload' | 'detect' | 'ready' | 'restore-done' | 'auto-restore' | 'response' | 'wave' | 'arrival' | 'intervention' | 'kill-switch' | 'escalate' | 'lift' | 'halt-rule' | 'queue-start';
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

/** Writes the run's outcomes at the horizon (exfiltration already closed). */
export function referenceOutcomes(
  m: CompiledModel,
  out: Float64Array,
  services: ServiceBook,
  nodes: ReferenceNode[],
  siteInfected: Set<number>,
  run: { currentDisrupted: number; lastRestore: number; firstDisruption: number },
): void {
  const horizon = m.horizonMinutes;
  // The services' ledger is the fast kernel's (services.ts), checked against hand-computed capacities in
  // test/engine/kernel/services.test.ts rather than against a second implementation.
  services.close(horizon);
  services.lost.forEach((units, s) => {
    const unit = m.serviceUnit[s]!;
    if (unit === UNIT_APPOINTMENTS) out[M.appointmentsCancelled]! += units;
    else if (unit === UNIT_PROCEDURES) out[M.proceduresPostponed]! += units;
    else if (unit === UNIT_TESTS) out[M.testsNotDone]! += units;
  });
  out[M.serviceUnitsLost] = services.lost.reduce((sum, x) => sum + x, 0);
  out[M.diversionHours] = services.diverting.reduce((sum, x) => sum + x, 0) / 60;
  serviceFigures(m, services, out);
  services.harm.write(out);
  const trusts = Array.from({ length: m.siteCount }, (_, s) => s).filter((s) => m.siteIsTrust[s] === 1);
  const lost = (site: number): boolean => services.siteServiceLoss[site] === 1;
  out[M.sitesDiverting] = services.siteDiverted.reduce((sum, x) => sum + x, 0);
  out[M.trustsAffected] = trusts.filter((s) => siteInfected.has(s) || lost(s)).length;
  out[M.trustsInfected] = trusts.filter((s) => siteInfected.has(s)).length;
  out[M.trustsDisruptedWithoutInfection] = trusts.filter((s) => !siteInfected.has(s) && lost(s)).length;
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
