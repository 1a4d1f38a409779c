import type { CompiledModel } from '../compile/model.js';
import { Blocks } from './blocks.js';

/**
 * The healthy scan targets of every zone, and how many each zone can reach: what in-zone scanning draws
 * from. A target is healthy while it is uncompromised, connected, and open in the run's estate (it carries
 * the flaw and is unpatched). A Fenwick tree over the
 * compiled scan-target array (Fenwick, "A new data structure for cumulative frequency tables", Software:
 * Practice and Experience 24(3), 1994) finds the k-th healthy target of a zone, in target order, in
 * O(log n) — the same target the reference kernel finds by filtering the list.
 */
export class HealthyTargets {
  /** Fenwick tree of 0/1 flags over model.zoneTargets (1-based internally). */
  readonly #tree: Int32Array;
  /** Position of each member in model.zoneTargets, -1 if it is not a scan target. */
  readonly position: Int32Array;
  readonly flag: Uint8Array;
  /** Healthy targets per zone. */
  readonly zoneHealthy: Int32Array;
  /** Healthy targets over each zone's open reach entries: 0 means a scanner there has nothing to find. */
  readonly reachHealthy: Int32Array;
  /**
   * Whether each reach entry is open now (`isOpen`, kept in step by recount and touchZone): read by the
   * scanners' picks and, copied in the order of `#reachers`, by `set` — one byte per entry where `isOpen`
   * read three arrays through a call.
   */
  readonly open: Uint8Array;
  /** Reach entries pointing at each zone (CSR), the zone whose list holds each entry, and where each sits. */
  readonly #reachersOffsets: Int32Array;
  readonly #reachers: Int32Array;
  readonly #reachOwner: Int32Array;
  /** For each position of `#reachers`: the zone whose list holds the entry, and whether it is open now. */
  readonly #reacherZone: Int32Array;
  readonly #reacherOpen: Uint8Array;
  /** Where reach entry r sits in `#reachers`. */
  readonly #reacherPosition: Int32Array;
  #highBit = 1;
  /** Scratch for #addToZone: what each of a zone's targets changes by, and what each of its tree cells gains. */
  #delta = new Int32Array(64);
  #gain = new Int32Array(64);

  constructor(
    readonly model: CompiledModel,
    /** Whether reach entry r of zone `from` to zone `to` is open now (owned by the kernel state). */
    readonly isOpen: (r: number, from: number, to: number) => boolean,
    blocks = new Blocks(),
  ) {
    const targets = model.zoneTargets.length;
    this.#tree = blocks.array(Int32Array, targets + 1);
    while (this.#highBit * 2 <= targets) this.#highBit *= 2;
    this.position = blocks.array(Int32Array, model.nodeCount).fill(-1);
    for (let k = 0; k < targets; k++) this.position[model.zoneTargets[k]!] = k;
    this.flag = blocks.array(Uint8Array, targets);
    this.zoneHealthy = blocks.array(Int32Array, model.zoneCount);
    this.reachHealthy = blocks.array(Int32Array, model.zoneCount);
    const entries = model.zoneReach.length;
    this.#reachOwner = blocks.array(Int32Array, entries);
    const pointing = new Int32Array(model.zoneCount + 1);
    for (let z = 0; z < model.zoneCount; z++) {
      for (let r = model.zoneReachOffsets[z]!; r < model.zoneReachOffsets[z + 1]!; r++) {
        this.#reachOwner[r] = z;
        pointing[model.zoneReach[r]! + 1]!++;
      }
    }
    for (let z = 0; z < model.zoneCount; z++) pointing[z + 1]! += pointing[z]!;
    this.#reachersOffsets = pointing;
    this.#reachers = blocks.array(Int32Array, entries);
    const fill = pointing.slice(0, model.zoneCount);
    for (let r = 0; r < entries; r++) this.#reachers[fill[model.zoneReach[r]!]!++] = r;
    this.open = blocks.array(Uint8Array, entries);
    this.#reacherOpen = blocks.array(Uint8Array, entries);
    this.#reacherZone = blocks.array(Int32Array, entries);
    this.#reacherPosition = blocks.array(Int32Array, entries);
    for (let j = 0; j < entries; j++) {
      this.#reacherZone[j] = this.#reachOwner[this.#reachers[j]!]!;
      this.#reacherPosition[this.#reachers[j]!] = j;
    }
  }

  /** Reads whether reach entry r (of zone `from`, to zone `to`) is open now into both copies. */
  #update(r: number, from: number, to: number): boolean {
    const open = this.isOpen(r, from, to);
    this.open[r] = open ? 1 : 0;
    this.#reacherOpen[this.#reacherPosition[r]!] = open ? 1 : 0;
    return open;
  }

  /**
   * No target healthy, every zone closed (a run's start); then the reach counts. A zone's targets count from
   * when the run opens it (openZone): the fast kernel draws a zone's estate only once the run needs it.
   */
  clear(): void {
    this.#tree.fill(0);
    this.flag.fill(0);
    this.zoneHealthy.fill(0);
    this.recount();
  }

  /**
   * Opens `zone`: each of its targets for which `healthy` holds becomes healthy, and every zone reaching it
   * through an open entry counts them. Until then the zone counts no healthy target anywhere, so every
   * count is over the zones opened so far (a scanner's reach is opened before it scans: scan.ts shield).
   */
  openZone(zone: number, healthy: (member: number) => boolean): void {
    const m = this.model;
    const lo = m.zoneTargetOffsets[zone]!;
    const hi = m.zoneTargetOffsets[zone + 1]!;
    const delta = this.#scratch(hi - lo);
    let count = 0;
    for (let k = lo; k < hi; k++) {
      if (!healthy(m.zoneTargets[k]!)) continue;
      this.flag[k] = 1;
      delta[k - lo] = 1;
      count++;
    }
    this.#addToZone(zone, count);
  }

  /** #delta cleared for a zone of `targets` targets; both scratches grown first if they are too short. */
  #scratch(targets: number): Int32Array {
    if (this.#delta.length < targets + 1) {
      this.#delta = new Int32Array(2 * (targets + 1));
      this.#gain = new Int32Array(2 * (targets + 1));
    }
    return this.#delta.fill(0, 0, targets);
  }

  /**
   * Adds #delta (per target of `zone`, in order) to the tree, and their sum `total` to the zone's count and
   * to every zone reaching it through an open entry. The tree in time linear in the zone: the linear
   * construction run over the zone's cells (each adds what it gained to its parent); a parent past the zone
   * passes it up its own chain, which happens at most once per level.
   */
  #addToZone(zone: number, total: number): void {
    if (total === 0) return;
    const tree = this.#tree;
    const lo = this.model.zoneTargetOffsets[zone]!;
    const hi = this.model.zoneTargetOffsets[zone + 1]!;
    const delta = this.#delta;
    const gain = this.#gain.fill(0, 0, hi - lo + 1);
    for (let i = lo + 1; i <= hi; i++) {
      const g = gain[i - lo]! + delta[i - 1 - lo]!;
      tree[i]! += g;
      const parent = i + (i & -i);
      if (parent <= hi) gain[parent - lo]! += g;
      else if (g !== 0) for (let p = parent; p < tree.length; p += p & -p) tree[p]! += g;
    }
    this.zoneHealthy[zone]! += total;
    for (let j = this.#reachersOffsets[zone]!, end = this.#reachersOffsets[zone + 1]!; j < end; j++) this.reachHealthy[this.#reacherZone[j]!]! += total * this.#reacherOpen[j]!;
  }

  /**
   * Marks every healthy target of `zones[0..count)` that `keep` does not hold (a byte per member, 1: keep)
   * not healthy, all at once: the kill switch (scan.ts), given the zones opened so far this run (the others
   * count no healthy target). The same counts as set(i, 0) for each, in time linear in those zones' targets
   * instead of a tree walk and the zone's reachers per target (8% of a profile of 40 nhs-england runs), or
   * a rebuild over every target (4%: a run opens about a tenth of nhs-england's zones).
   */
  keepOnly(keep: Uint8Array, zones: Int32Array, count: number): void {
    const m = this.model;
    const targets = m.zoneTargets;
    const flag = this.flag;
    for (let j = 0; j < count; j++) {
      const zone = zones[j]!;
      const lo = m.zoneTargetOffsets[zone]!;
      const hi = m.zoneTargetOffsets[zone + 1]!;
      const delta = this.#scratch(hi - lo);
      let removed = 0;
      for (let k = lo; k < hi; k++) {
        if (flag[k] === 0 || keep[targets[k]!] !== 0) continue;
        flag[k] = 0;
        delta[k - lo] = -1;
        removed++;
      }
      this.#addToZone(zone, -removed);
    }
  }

  recount(): void {
    const m = this.model;
    for (let z = 0; z < m.zoneCount; z++) {
      let healthy = 0;
      for (let r = m.zoneReachOffsets[z]!; r < m.zoneReachOffsets[z + 1]!; r++) if (this.#update(r, z, m.zoneReach[r]!)) healthy += this.zoneHealthy[m.zoneReach[r]!]!;
      this.reachHealthy[z] = healthy;
    }
  }

  /**
   * Adds (+1) or removes (−1) the contributions of every reach entry that touches `zone` — its own list and
   * the entries pointing at it. Call with −1 before isolating or reconnecting the zone and +1 after: only
   * those entries can change, so an isolation costs the zone's degree, not the whole estate's.
   */
  touchZone(zone: number, sign: 1 | -1): void {
    const m = this.model;
    for (let r = m.zoneReachOffsets[zone]!; r < m.zoneReachOffsets[zone + 1]!; r++) {
      const to = m.zoneReach[r]!;
      if (this.#update(r, zone, to)) this.reachHealthy[zone]! += sign * this.zoneHealthy[to]!;
    }
    for (let j = this.#reachersOffsets[zone]!; j < this.#reachersOffsets[zone + 1]!; j++) {
      const r = this.#reachers[j]!;
      const from = this.#reachOwner[r]!;
      // An entry from the zone to itself was counted in the loop above.
      if (from !== zone && this.#update(r, from, zone)) this.reachHealthy[from]! += sign * this.zoneHealthy[zone]!;
    }
  }

  /** Marks member `node` healthy (1) or not (0) if it is a scan target; keeps every count in step. */
  set(node: number, healthy: 0 | 1): void {
    const k = this.position[node]!;
    if (k < 0 || this.flag[k] === healthy) return;
    this.flag[k] = healthy;
    const delta = healthy ? 1 : -1;
    for (let i = k + 1; i < this.#tree.length; i += i & -i) this.#tree[i]! += delta;
    const zone = this.model.zone[node]!;
    this.zoneHealthy[zone]! += delta;
    // Every zone reaching this one through an open entry: the zone count's worth of work at most, one byte
    // and one add each.
    const reacherZone = this.#reacherZone;
    const reacherOpen = this.#reacherOpen;
    const reachHealthy = this.reachHealthy;
    // Branch-free: whether an entry is open is as good as random across a segmented estate's entries.
    for (let j = this.#reachersOffsets[zone]!, end = this.#reachersOffsets[zone + 1]!; j < end; j++) reachHealthy[reacherZone[j]!]! += delta * reacherOpen[j]!;
  }

  /** The k-th (from 0) healthy target of `zone`, in target order. */
  select(zone: number, k: number): number {
    const tree = this.#tree;
    // Rank of the zone's first target, then descend the tree for the (rank + k)-th set flag.
    let rank = k;
    for (let i = this.model.zoneTargetOffsets[zone]!; i > 0; i -= i & -i) rank += tree[i]!;
    let position = 0;
    for (let step = this.#highBit; step > 0; step >>= 1) {
      const next = position + step;
      if (next < tree.length && tree[next]! <= rank) {
        position = next;
        rank -= tree[next]!;
      }
    }
    return this.model.zoneTargets[position]!;
  }
}
