import type { CompiledModel } from '../compile/model.js';
import { EventHeap, NodeQueue } from './heap.js';
import { Blocks } from './blocks.js';
import { STATIC_KIND_SHIFT, STATIC_LOST } from './codes.js';
import { drawMember } from './estate.js';
import { HealthyTargets } from './targets.js';
import { OperatorState } from './operators.js';
import { infectedKindColumn, lostColumn, metricCount } from './metrics.js';
import { RunStreams } from './rng.js';
import { ServiceBook } from './services.js';
import type { TraceBuffer } from './trace.js';

/** Node states (DESIGN.md "States"); isolation is a separate flag, `disconnected`. */
export const HEALTHY = 0;
export const COMPROMISED = 1;
export const DISRUPTED = 2;
export const RESTORED = 3;

/** Series recorded on the time grid, per layer: compromised now (by the threat, disrupted or not), disrupted now. */
export const SERIES_PER_POINT = 6;

/**
 * The run context: everything a run reads besides the model and everything it writes, allocated once per
 * (worker, model) and reset per run, passed explicitly to every handler (no module-level state). The hot
 * loop allocates nothing. Sized from the compiled model only.
 */
export class KernelState {
  /** The run's options and derived switches (set by runKernel). */
  trace: TraceBuffer | undefined = undefined;
  interventions: Float64Array | undefined = undefined;
  horizon = 0;
  /** Static-spread model without interventions: sure attempts wait in the node-indexed queue (kernel.ts). */
  prune = false;
  /** Restores kept on the member, not queued (CompiledModel.quietRestore); counted as events at the end. */
  quiet = false;
  quietEvents = 0;
  /** The run's stream keys (rng.ts): every draw is a function of them, its stream, entity and counter. */
  readonly streams = new RunStreams();
  readonly heap = new EventHeap(4096);
  /** Static-spread models: each member's pending sure attempt, then its auto-restore (kernel.ts). */
  readonly pending: NodeQueue;
  readonly state: Uint8Array;
  /**
   * The run's estate (estate.ts): members patched, and members that do not carry the exploited flaw this
   * run. Drawn zone by zone when the run first needs a zone (openZone), members outside zones at the start:
   * read a member's only after estateOf(member).
   */
  readonly patched: Uint8Array;
  readonly unexposed: Uint8Array;
  /** Members the kill switch never stops (estate.ts). */
  readonly blind: Uint8Array;
  /** 1 once the kill switch is live (a worm's killSwitchMinutes has passed). */
  killSwitched = 0;
  readonly disconnected: Uint8Array;
  readonly detected: Uint8Array;
  /** Bit c set once control c has protected the member (counted once per member and control). */
  readonly protectedBy: Uint16Array;
  /**
   * The run (`run`, counted per state) in which each member was compromised: `compromisedIn[i] === run`
   * says it was this run. A stamp, not a time filled back every run: on nhs-england that fill was 17 MB a run.
   */
  readonly compromisedIn: Int32Array;
  /** This run's stamp for `compromisedIn` and `zoneOpenedIn` (1, 2, …). */
  run = 0;
  /**
   * When each compromised or disrupted member restores itself (auto-restore). Set and read only when the
   * model has auto-restore, for members compromised this run, after it is set: never filled (on nhs-england
   * a fill of Infinity made 17 MB of every worker's state resident).
   */
  readonly restoreAt: Float64Array;
  readonly readyAt: Float64Array;
  /** The earliest scheduled attempt at each member that will surely succeed (pruning; see staticSpread). */
  readonly pendingAt: Float64Array;
  /**
   * Each edge's attempt-stream entity (rng.ts edgeKey: fixed by the model, three hashes), filled source by
   * source the first time a source draws an attempt on this state, then read by every later run (spread.ts
   * keysFrom). Empty until the first draw: no seed scenario draws one, and on nhs-england the keys would be
   * 62 MB a state.
   */
  edgeKeys: Int32Array = new Int32Array(0);
  /** 1 for each member whose out-edges' keys are in `edgeKeys`. */
  keyedSources: Uint8Array = new Uint8Array(0);
  /**
   * Static-spread models instead (empty otherwise), for spreadStatic and serveQuiet to read one row where they
   * would read three or four arrays (docs/performance.md, "Rows for the static path"):
   * - `staticRows`, three words an edge in edge order: its target, its stream key (rng.ts edgeKey) and its
   *   spread code (CompiledModel.edgeSpread, in the Float32Array view `staticCodes`), filled source by source
   *   the first time a source draws on this state, then read by every later run (spread.ts keyStatic);
   * - `staticMembers`, four words a member, filled here: its first and end edge (CompiledModel.offsets), its
   *   layer with its site + 1 above it (`((site + 1) << 2) | layer`, and STATIC_KEYED once its edge rows are
   *   filled), and its owner's loss column with its kind above it (`lost | (kind << STATIC_KIND_SHIFT)`:
   *   a loss column is below 2²⁶ — a twin's size limit keeps owners to a few million — and the constructor
   *   says so if a model ever breaks it).
   * 12 bytes an edge and 16 a member a state (11.2 MB on ER 100k); edge rows never filled are never written.
   */
  readonly staticRows: Int32Array;
  readonly staticCodes: Float32Array;
  readonly staticMembers: Int32Array;
  /** Per edge entry and direction: -1 undecided this run, 1 the path gets through its controls, 0 it does not. */
  readonly groupPasses: Int8Array;
  readonly zoneIsolated: Uint8Array;
  /** How many zones are isolated now: an attempt reads its two members' zones only when one is. */
  isolatedZones = 0;
  /**
   * The first `infected.<kind>` column: a member's kind is counted there when it leaves HEALTHY (compromise,
   * or a disruption of a healthy member), once a run, as it never returns to HEALTHY.
   */
  readonly kindColumn: number;
  /** Whether every edge entry and direction gets through its controls in every run (no pass below 1): attempts skip the draw. */
  readonly passesAll: boolean;
  /**
   * 0 while nothing can stop an attempt whose source is infectious and whose target healthy: every path gets
   * through its controls (passesAll), no member is patched (the model patches none), and this run has not yet
   * set the kill switch live, revoked an identity, isolated a zone or disconnected a member. Set to 1 by the
   * first of those and kept until the run ends (spread.ts attempt() then makes every check). Reset per run
   * to `unguardedFrom`.
   */
  guarded = 0;
  readonly unguardedFrom: number;
  readonly zoneIsolationScheduled: Uint8Array;
  /**
   * The room's own decisions (interventions) that hold until the room reverses them: zones it isolated, kinds
   * it disconnected (a NODE_KINDS mask), identities it revoked. A scenario response's lift leaves them be.
   */
  readonly zoneDecided: Uint8Array;
  decidedKinds = 0;
  revokeDecided = 0;
  readonly reachOpen: Uint8Array;
  /** The services' capacity and its integrals (services.ts). */
  readonly services: ServiceBook;
  readonly siteInfected: Uint8Array;
  /** Identities revoked site by site (site-scoped revoke-identities). */
  readonly siteRevoked: Uint8Array;
  /** Site-scoped responses already scheduled: [response × site]. */
  readonly siteResponded: Uint8Array;
  /** Sites that have detected the incident (reported it), how many, and whether the national alert is out. */
  readonly siteDetected: Uint8Array;
  sitesReporting = 0;
  escalated = 0;
  /** Responses in effect: per [response × site] (site-scoped), per response (estate-wide). */
  readonly siteActive: Uint8Array;
  readonly estateActive: Uint8Array;
  /** Members detected and not yet restored ("open"): per member, per zone, per site, in all. */
  readonly open: Uint8Array;
  readonly zoneOpen: Int32Array;
  readonly siteOpen: Int32Array;
  openTotal = 0;
  /**
   * When each response's pending lift checks end, per [response × zone or site] (estate-wide: slot 0);
   * Infinity when none is pending. A detection where it acted cancels them (responses.ts).
   */
  readonly liftDue: Float64Array;
  readonly liftWidth: number;
  /** Recovery teams: 0 idle, 1 start scheduled, 2 working. */
  readonly teamStarted: Uint8Array;
  /**
   * Recovery queues: 0 idle, 1 start scheduled, 2 working (staff take jobs only then). A team's queue is always
   * 2: its members join it only when the team starts.
   */
  readonly queueStarted: Uint8Array;
  /** Each zone's members and the zones that reach it (CSR), and the scratch marks of rescanMarked (scan.ts). */
  readonly zoneMemberOffsets: Int32Array;
  readonly zoneMembers: Int32Array;
  readonly reachedByOffsets: Int32Array;
  readonly reachedBy: Int32Array;
  readonly zoneMark: Uint8Array;
  readonly scannerMark: Uint8Array;
  readonly markedZones: Int32Array;
  readonly scannerZones: Int32Array;
  markedCount = 0;
  /** Sites that blocked the update themselves (site-scoped halt-update). */
  readonly siteHalted: Uint8Array;
  readonly jobs: Int32Array;
  readonly queueLength: Int32Array;
  readonly freeStaff: Int32Array;
  readonly out: Float64Array;
  /** Healthy scan targets per zone and per zone's reach (in-zone scanning draws from them). */
  readonly targets: HealthyTargets;
  /**
   * Where each reach entry's scan targets start among its zone's reach slots (every target of every zone the
   * list names, in list order), and each zone's number of slots: a fixed index for a scanner's candidates
   * (scan.ts), whatever is healthy or open.
   */
  readonly reachSlotStart: Float64Array;
  readonly reachSlotEnd: Float64Array;
  /** Each member's scans scheduled so far this run: the counter of its scanning streams. */
  readonly scanCount: Int32Array;
  /** Each member's scan generation: a scan event of an older generation is stale. */
  readonly scanGeneration: Int32Array;
  /** Reachable healthy targets when the member's pending scan was scheduled (for thinning). */
  readonly scanAvailable: Float64Array;
  /** The run each zone was opened in (openZone): a stamp, so a new run opens none. */
  readonly zoneOpenedIn: Int32Array;
  /** The zones opened this run, in the order they opened: openedZones[0..openedCount) (the kill switch walks them). */
  readonly openedZones: Int32Array;
  openedCount = 0;
  /** Members outside zones that may carry an exploitable flaw: their estates are drawn at a run's start. */
  readonly unzoned: Int32Array;
  /** Zones whose first scanner has counted the members its controls shield (once per run). */
  readonly scannerShielded: Uint8Array;
  /** Per reached zone, the controls whose shielded members have been counted this run (bits, scan.ts shield). */
  readonly zoneShielded: Uint8Array;
  /** An intrusion's operators (operators.ts); empty for other threats. */
  readonly operators: OperatorState;
  /** Run-level scalars (counts, flags and running integrals). */
  compromisedNow = new Float64Array(3);
  disruptedNow = new Float64Array(3);
  currentDisrupted = 0;
  revoked = 0;
  halted = 0;
  failures = 0;
  /** A staged rollout's halt rule has fired and its halt is on the way (E_HALT_RULE); how often it has fired this run. */
  haltPending = false;
  haltFirings = 0;
  lastRestoreMinutes = 0;
  firstDisruptionMinutes = Infinity;

  constructor(
    readonly model: CompiledModel,
    /** Where the large arrays come from (blocks.ts); tests pass their own. */
    blocks = new Blocks(),
  ) {
    const n = model.nodeCount;
    // The node queue and its pruning times serve static-spread models only (kernel.ts): no seed scenario is
    // one, and on nhs-england they would be 88 MB per state, filled on every reset, never read.
    const queued = model.staticSpread === 1 ? n : 0;
    this.pending = new NodeQueue(queued, blocks);
    this.state = blocks.array(Uint8Array, n);
    this.patched = blocks.array(Uint8Array, n);
    this.unexposed = blocks.array(Uint8Array, n);
    this.blind = blocks.array(Uint8Array, n);
    this.disconnected = blocks.array(Uint8Array, n);
    this.detected = blocks.array(Uint8Array, n);
    this.protectedBy = blocks.array(Uint16Array, n);
    this.compromisedIn = blocks.array(Int32Array, n);
    this.restoreAt = blocks.array(Float64Array, n);
    this.readyAt = blocks.array(Float64Array, n);
    this.pendingAt = blocks.array(Float64Array, queued);
    this.staticRows = blocks.array(Int32Array, model.staticSpread === 1 ? 3 * model.targets.length : 0);
    this.staticCodes = new Float32Array(this.staticRows.buffer, this.staticRows.byteOffset, this.staticRows.length);
    this.staticMembers = blocks.array(Int32Array, 4 * queued);
    if (queued > 0 && lostColumn(model.ownerCount) > STATIC_LOST) throw new RangeError(`KernelState: ${model.ownerCount} owners do not fit a static row (at most ${STATIC_LOST - lostColumn(0)})`);
    for (let i = 0; i < queued; i++) {
      this.staticMembers[4 * i] = model.offsets[i]!;
      this.staticMembers[4 * i + 1] = model.offsets[i + 1]!;
      this.staticMembers[4 * i + 2] = ((model.site[i]! + 1) << 2) | model.layer[i]!;
      this.staticMembers[4 * i + 3] = lostColumn(model.owner[i]!) | (model.kind[i]! << STATIC_KIND_SHIFT);
    }
    this.groupPasses = blocks.array(Int8Array, model.edgeGroupCount);
    this.passesAll = model.groupPass.every((pass) => pass >= 1);
    this.kindColumn = infectedKindColumn(model);
    this.unguardedFrom = this.passesAll && model.patchChance.every((chance) => chance <= 0) ? 0 : 1;
    this.zoneIsolated = blocks.array(Uint8Array, model.zoneCount);
    this.zoneIsolationScheduled = blocks.array(Uint8Array, model.zoneCount);
    this.zoneDecided = blocks.array(Uint8Array, model.zoneCount);
    this.reachOpen = blocks.array(Uint8Array, model.zoneReach.length);
    this.services = new ServiceBook(model, blocks);
    this.siteInfected = blocks.array(Uint8Array, model.siteCount);
    this.siteRevoked = blocks.array(Uint8Array, model.siteCount);
    this.siteResponded = blocks.array(Uint8Array, (model.responseParams.length / 4) * model.siteCount);
    this.siteDetected = blocks.array(Uint8Array, model.siteCount);
    this.siteHalted = blocks.array(Uint8Array, model.siteCount);
    this.siteActive = blocks.array(Uint8Array, (model.responseParams.length / 4) * model.siteCount);
    this.estateActive = blocks.array(Uint8Array, model.responseParams.length / 4);
    this.open = blocks.array(Uint8Array, n);
    this.zoneOpen = blocks.array(Int32Array, model.zoneCount);
    this.siteOpen = blocks.array(Int32Array, model.siteCount);
    this.teamStarted = blocks.array(Uint8Array, model.teamCount);
    this.queueStarted = blocks.array(Uint8Array, model.queueCount);
    this.liftWidth = Math.max(1, model.zoneCount, model.siteCount);
    this.liftDue = blocks.array(Float64Array, (model.responseParams.length / 4) * this.liftWidth);
    const zones = model.zoneCount;
    this.zoneMemberOffsets = blocks.array(Int32Array, zones + 1);
    for (let i = 0; i < n; i++) if (model.zone[i]! >= 0) this.zoneMemberOffsets[model.zone[i]! + 1]!++;
    for (let z = 0; z < zones; z++) this.zoneMemberOffsets[z + 1]! += this.zoneMemberOffsets[z]!;
    this.zoneMembers = blocks.array(Int32Array, this.zoneMemberOffsets[zones]!);
    const fill = this.zoneMemberOffsets.slice(0, zones);
    for (let i = 0; i < n; i++) if (model.zone[i]! >= 0) this.zoneMembers[fill[model.zone[i]!]!++] = i;
    this.reachedByOffsets = blocks.array(Int32Array, zones + 1);
    for (let r = 0; r < model.zoneReach.length; r++) this.reachedByOffsets[model.zoneReach[r]! + 1]!++;
    for (let z = 0; z < zones; z++) this.reachedByOffsets[z + 1]! += this.reachedByOffsets[z]!;
    this.reachedBy = blocks.array(Int32Array, model.zoneReach.length);
    const at = this.reachedByOffsets.slice(0, zones);
    for (let y = 0; y < zones; y++) for (let r = model.zoneReachOffsets[y]!; r < model.zoneReachOffsets[y + 1]!; r++) this.reachedBy[at[model.zoneReach[r]!]!++] = y;
    this.zoneMark = blocks.array(Uint8Array, zones);
    this.scannerMark = blocks.array(Uint8Array, zones);
    this.markedZones = blocks.array(Int32Array, zones);
    this.scannerZones = blocks.array(Int32Array, zones);
    this.jobs = blocks.array(Int32Array, model.queueOffsets[model.queueCount]!);
    this.queueLength = blocks.array(Int32Array, model.queueCount);
    this.freeStaff = blocks.array(Int32Array, model.queueCount);
    this.out = blocks.array(Float64Array, metricCount(model));
    this.targets = new HealthyTargets(model, (r, from, to) => this.reachIsOpen(r, from, to), blocks);
    this.zoneOpenedIn = blocks.array(Int32Array, zones);
    this.openedZones = blocks.array(Int32Array, zones);
    const unzoned: number[] = [];
    for (let i = 0; i < n; i++) if (model.zone[i]! < 0 && model.exploitEase[i]! > 0) unzoned.push(i);
    this.unzoned = Int32Array.from(unzoned);
    this.scanGeneration = blocks.array(Int32Array, n);
    this.scanCount = blocks.array(Int32Array, n);
    this.reachSlotStart = blocks.array(Float64Array, model.zoneReach.length);
    this.reachSlotEnd = blocks.array(Float64Array, model.zoneCount);
    for (let z = 0; z < model.zoneCount; z++) {
      let slot = 0;
      for (let r = model.zoneReachOffsets[z]!; r < model.zoneReachOffsets[z + 1]!; r++) {
        this.reachSlotStart[r] = slot;
        const to = model.zoneReach[r]!;
        slot += model.zoneTargetOffsets[to + 1]! - model.zoneTargetOffsets[to]!;
      }
      this.reachSlotEnd[z] = slot;
    }
    this.scanAvailable = blocks.array(Float64Array, n);
    this.scannerShielded = blocks.array(Uint8Array, model.zoneCount);
    this.zoneShielded = blocks.array(Uint8Array, model.zoneCount);
    this.operators = new OperatorState(model, blocks);
  }

  /** Queues an event unless it falls beyond the horizon. */
  schedule(time: number, kind: number, node: number, aux: number): void {
    if (time <= this.horizon) this.heap.push(time, kind, node, aux);
  }

  /** Draws member i's estate if this run has not: its zone is opened whole (openZone). */
  estateOf(i: number): void {
    if (this.zoneOpenedIn.length === 0) return;
    const zone = this.model.zone[i]!;
    if (zone >= 0 && this.zoneOpenedIn[zone] !== this.run) this.openZone(zone);
  }

  /** Whether member i's estate is drawn this run (a zone not yet opened counts none of its targets). */
  estateDrawn(i: number): boolean {
    const zone = this.model.zone[i]!;
    return zone < 0 || this.zoneOpenedIn[zone] === this.run;
  }

  /**
   * Opens zone z for this run: draws its members' estates and counts its scan targets that are healthy now
   * (a state the zone's members may have reached before it was opened: disconnected, the kill switch live).
   * A zone's members are drawn only once the run needs one of them — an entry, an attempt or an operator at
   * one, a scanner reaching the zone — so a run on a national twin draws what its outbreak touches.
   */
  openZone(z: number): void {
    const m = this.model;
    // Opened once a run (its targets would count twice).
    if (this.zoneOpenedIn[z] === this.run) return;
    this.zoneOpenedIn[z] = this.run;
    this.openedZones[this.openedCount++] = z;
    for (let j = this.zoneMemberOffsets[z]!; j < this.zoneMemberOffsets[z + 1]!; j++) drawMember(m, this.streams.keys, this.zoneMembers[j]!, this.patched, this.unexposed, this.blind);
    this.targets.openZone(z, this.scanTarget);
  }

  /** Opens `zone` and every zone its reach list names: before its first scanner probes (scan.ts shield). */
  openReach(zone: number): void {
    const m = this.model;
    this.openZone(zone);
    for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) this.openZone(m.zoneReach[r]!);
  }

  /** Whether member i (its estate drawn) is a healthy scan target now: healthy, connected, open to the exploit, not stopped by the kill switch. */
  readonly scanTarget = (i: number): boolean =>
    this.state[i] === HEALTHY && this.disconnected[i] === 0 && this.patched[i] === 0 && this.unexposed[i] === 0 && (this.killSwitched === 0 || this.blind[i] === 1);

  /** Whether reach entry r (of zone `from`, to zone `to`) is open now. */
  reachIsOpen(r: number, from: number, to: number): boolean {
    return this.reachOpen[r] === 1 && (to === from || (this.zoneIsolated[from] === 0 && this.zoneIsolated[to] === 0));
  }

  /** Resets the run context for a new run (after `streams.seed`: the estate is drawn from the run's streams). */
  reset(): void {
    const model = this.model;
    // Members in zones are drawn when the run opens their zone; the rest now.
    this.patched.fill(0);
    this.unexposed.fill(0);
    this.blind.fill(0);
    for (let j = 0; j < this.unzoned.length; j++) drawMember(model, this.streams.keys, this.unzoned[j]!, this.patched, this.unexposed, this.blind);
    this.killSwitched = 0;
    this.guarded = this.unguardedFrom;
    this.heap.clear();
    this.pending.clear();
    this.state.fill(0);
    this.disconnected.fill(0);
    this.detected.fill(0);
    this.protectedBy.fill(0);
    // A new stamp marks every member not compromised; after 2³¹ − 1 runs the stamps start again.
    if (this.run === 0x7fffffff) {
      this.compromisedIn.fill(0);
      this.zoneOpenedIn.fill(0);
      this.run = 0;
    }
    this.run++;
    this.openedCount = 0;
    this.pendingAt.fill(Infinity);
    this.groupPasses.fill(-1);
    this.zoneIsolated.fill(0);
    this.isolatedZones = 0;
    this.zoneIsolationScheduled.fill(0);
    this.zoneDecided.fill(0);
    this.decidedKinds = 0;
    this.revokeDecided = 0;
    this.reachOpen.set(model.zoneReachOpen);
    this.targets.clear();
    this.scanGeneration.fill(0);
    this.scanCount.fill(0);
    this.scannerShielded.fill(0);
    this.zoneShielded.fill(0);
    this.operators.reset(model);
    this.services.reset(this.streams.keys);
    this.siteInfected.fill(0);
    this.siteRevoked.fill(0);
    this.siteResponded.fill(0);
    this.siteDetected.fill(0);
    this.sitesReporting = 0;
    this.escalated = 0;
    this.siteHalted.fill(0);
    this.queueLength.fill(0);
    this.freeStaff.set(model.queueStaff);
    this.siteActive.fill(0);
    this.estateActive.fill(0);
    this.open.fill(0);
    this.zoneOpen.fill(0);
    this.siteOpen.fill(0);
    this.openTotal = 0;
    this.teamStarted.fill(0);
    // A member's own start delay (startDelayPerMember): its queue's staff work from the start.
    this.queueStarted.fill(this.model.startDelayPerMember === 1 ? 2 : 0);
    this.queueStarted.fill(2, this.model.queueCount - this.model.teamCount);
    this.liftDue.fill(Infinity);
    this.out.fill(0);
    this.compromisedNow.fill(0);
    this.disruptedNow.fill(0);
    this.currentDisrupted = 0;
    this.revoked = 0;
    this.halted = 0;
    this.failures = 0;
    this.haltPending = false;
    this.haltFirings = 0;
    this.lastRestoreMinutes = 0;
    this.firstDisruptionMinutes = Infinity;
  }
}
