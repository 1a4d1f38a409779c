import type { CompiledModel } from '../compile/model.js';
import { EventHeap } from './heap.js';
import { metricCount } from './metrics.js';

/** Node states (DESIGN.md "States"); isolation is a separate flag, `disconnected`. */
export const HEALTHY = 0;
export const COMPROMISED = 1;
export const DISRUPTED = 2;
export const RESTORED = 3;

/** Series recorded on the time grid, per layer: compromised now (by the threat, disrupted or not), disrupted now. */
export const SERIES_PER_POINT = 6;

/**
 * Everything a run writes, allocated once per (worker, model) and reset per run: the hot loop allocates
 * nothing. Sized from the compiled model only.
 */
export class KernelState {
  readonly heap = new EventHeap(4096);
  readonly state: Uint8Array;
  readonly disconnected: Uint8Array;
  readonly detected: Uint8Array;
  /** Bit c set once control c has protected the member (counted once per member and control). */
  readonly protectedBy: Uint8Array;
  readonly compromisedAt: Float64Array;
  readonly restoreAt: Float64Array;
  readonly readyAt: Float64Array;
  /** The earliest scheduled attempt at each member that will surely succeed (pruning; see staticSpread). */
  readonly pendingAt: Float64Array;
  readonly zoneIsolated: Uint8Array;
  readonly zoneIsolationScheduled: Uint8Array;
  /** Healthy, unpatched scan targets left per zone: when none are reachable a scanner stops. */
  readonly zoneHealthy: Int32Array;
  readonly reachOpen: Uint8Array;
  readonly serviceDown: Float64Array;
  readonly serviceLastMinutes: Float64Array;
  readonly serviceLost: Float64Array;
  readonly serviceDivertingMinutes: Float64Array;
  readonly siteInfected: Uint8Array;
  readonly siteServiceLoss: Uint8Array;
  readonly siteDiverted: Uint8Array;
  readonly jobs: Int32Array;
  readonly queueLength: Int32Array;
  readonly freeStaff: Int32Array;
  readonly out: Float64Array;
  /** Scan targets in every zone a zone reaches (open or not): the in-zone scan rate's multiplier. */
  readonly scanTotal: Float64Array;
  /** For reach entry r: scan targets in its zone's reach list up to and including r (for picking by bisection). */
  readonly reachCumulative: Float64Array;
  /** The zone whose reach list holds entry r. */
  readonly reachOwner: Int32Array;
  /** Reach entries pointing at each zone (CSR): whom a change in the zone's healthy count concerns. */
  readonly reachersOffsets: Int32Array;
  readonly reachers: Int32Array;
  /** Healthy unpatched targets over a zone's open reach entries, kept up to date: 0 means stop scanning. */
  readonly reachHealthy: Int32Array;
  /** Run-level scalars (counts, flags and running integrals). */
  compromisedNow = new Float64Array(3);
  disruptedNow = new Float64Array(3);
  currentDisrupted = 0;
  patientsAtRisk = 0;
  safetyLastMinutes = 0;
  safetyIntegral = 0;
  detectedAny = 0;
  revoked = 0;
  halted = 0;
  failures = 0;
  lastRestoreMinutes = 0;
  firstDisruptionMinutes = Infinity;

  constructor(readonly model: CompiledModel) {
    const n = model.nodeCount;
    this.state = new Uint8Array(n);
    this.disconnected = new Uint8Array(n);
    this.detected = new Uint8Array(n);
    this.protectedBy = new Uint8Array(n);
    this.compromisedAt = new Float64Array(n);
    this.restoreAt = new Float64Array(n);
    this.readyAt = new Float64Array(n);
    this.pendingAt = new Float64Array(n);
    this.zoneIsolated = new Uint8Array(model.zoneCount);
    this.zoneIsolationScheduled = new Uint8Array(model.zoneCount);
    this.zoneHealthy = new Int32Array(model.zoneCount);
    this.reachOpen = new Uint8Array(model.zoneReach.length);
    this.serviceDown = new Float64Array(model.serviceCount);
    this.serviceLastMinutes = new Float64Array(model.serviceCount);
    this.serviceLost = new Float64Array(model.serviceCount);
    this.serviceDivertingMinutes = new Float64Array(model.serviceCount);
    this.siteInfected = new Uint8Array(model.siteCount);
    this.siteServiceLoss = new Uint8Array(model.siteCount);
    this.siteDiverted = new Uint8Array(model.siteCount);
    this.jobs = new Int32Array(model.queueOffsets[model.queueCount]!);
    this.queueLength = new Int32Array(model.queueCount);
    this.freeStaff = new Int32Array(model.queueCount);
    this.out = new Float64Array(metricCount(model.ownerCount));
    this.scanTotal = new Float64Array(model.zoneCount);
    const entries = model.zoneReach.length;
    this.reachCumulative = new Float64Array(entries);
    this.reachOwner = new Int32Array(entries);
    const pointing = new Int32Array(model.zoneCount + 1);
    for (let z = 0; z < model.zoneCount; z++) {
      for (let r = model.zoneReachOffsets[z]!; r < model.zoneReachOffsets[z + 1]!; r++) {
        const to = model.zoneReach[r]!;
        this.scanTotal[z]! += model.zoneTargetOffsets[to + 1]! - model.zoneTargetOffsets[to]!;
        this.reachCumulative[r] = this.scanTotal[z]!;
        this.reachOwner[r] = z;
        pointing[to + 1]!++;
      }
    }
    for (let z = 0; z < model.zoneCount; z++) pointing[z + 1]! += pointing[z]!;
    this.reachersOffsets = pointing;
    this.reachers = new Int32Array(entries);
    const fill = pointing.slice(0, model.zoneCount);
    for (let r = 0; r < entries; r++) this.reachers[fill[model.zoneReach[r]!]!++] = r;
    this.reachHealthy = new Int32Array(model.zoneCount);
  }

  /** Whether reach entry r (of zone `from`, to zone `to`) is open now. */
  reachIsOpen(r: number, from: number, to: number): boolean {
    return this.reachOpen[r] === 1 && (to === from || (this.zoneIsolated[from] === 0 && this.zoneIsolated[to] === 0));
  }

  /** Recomputes reachHealthy from scratch: after isolation or segmentation changes what is open. */
  recountReach(): void {
    const model = this.model;
    for (let z = 0; z < model.zoneCount; z++) {
      let healthy = 0;
      for (let r = model.zoneReachOffsets[z]!; r < model.zoneReachOffsets[z + 1]!; r++) {
        if (this.reachIsOpen(r, z, model.zoneReach[r]!)) healthy += this.zoneHealthy[model.zoneReach[r]!]!;
      }
      this.reachHealthy[z] = healthy;
    }
  }

  /** One fewer healthy target in `zone`: every zone reaching it openly has one fewer to find. */
  targetTaken(zone: number): void {
    this.zoneHealthy[zone]!--;
    for (let k = this.reachersOffsets[zone]!; k < this.reachersOffsets[zone + 1]!; k++) {
      const r = this.reachers[k]!;
      const from = this.reachOwner[r]!;
      if (this.reachIsOpen(r, from, zone)) this.reachHealthy[from]!--;
    }
  }

  reset(): void {
    const model = this.model;
    this.heap.clear();
    this.state.fill(0);
    this.disconnected.fill(0);
    this.detected.fill(0);
    this.protectedBy.fill(0);
    this.restoreAt.fill(Infinity);
    this.compromisedAt.fill(-1);
    this.pendingAt.fill(Infinity);
    this.zoneIsolated.fill(0);
    this.zoneIsolationScheduled.fill(0);
    for (let z = 0; z < model.zoneCount; z++) {
      let healthy = 0;
      for (let k = model.zoneTargetOffsets[z]!; k < model.zoneTargetOffsets[z + 1]!; k++) if (!model.patched[model.zoneTargets[k]!]) healthy++;
      this.zoneHealthy[z] = healthy;
    }
    this.reachOpen.set(model.zoneReachOpen);
    this.recountReach();
    this.serviceDown.fill(0);
    this.serviceLastMinutes.fill(0);
    this.serviceLost.fill(0);
    this.serviceDivertingMinutes.fill(0);
    this.siteInfected.fill(0);
    this.siteServiceLoss.fill(0);
    this.siteDiverted.fill(0);
    this.queueLength.fill(0);
    this.freeStaff.fill(model.staffPerQueue);
    this.out.fill(0);
    this.compromisedNow.fill(0);
    this.disruptedNow.fill(0);
    this.currentDisrupted = 0;
    this.patientsAtRisk = 0;
    this.safetyLastMinutes = 0;
    this.safetyIntegral = 0;
    this.detectedAny = 0;
    this.revoked = 0;
    this.halted = 0;
    this.failures = 0;
    this.lastRestoreMinutes = 0;
    this.firstDisruptionMinutes = Infinity;
  }
}
