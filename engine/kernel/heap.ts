import { Blocks } from './blocks.js';

/**
 * The event queue: a 4-ary min-heap ordered by (time, sequence). The sequence number makes ties
 * deterministic (first scheduled, first served) so the fast and reference kernels agree event for event.
 *
 * A sift moves two numbers, not five: the heap holds (time, slot) by position, and an event's payload —
 * kind, node, aux and its sequence number — stays put in slot-indexed arrays, its slot recycled through a
 * free list. Four children per node halve the depth and keep siblings' times in one cache line. (Measured
 * 1.09–1.24× over a binary heap moving five columns, bit-identical: docs/performance.md.) Arrays grow by
 * doubling — the only allocation, amortised over a worker's life.
 */
export class EventHeap {
  size = 0;
  private sequence = 0;
  private freeCount = 0;
  private slotsUsed = 0;
  /** By heap position: the time, and the slot holding the payload. */
  time: Float64Array;
  slot: Int32Array;
  /** By slot. */
  kind: Uint8Array;
  node: Int32Array;
  aux: Int32Array;
  seq: Float64Array;
  private freeSlots: Int32Array;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.slot = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.aux = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
    this.freeSlots = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
    this.sequence = 0;
    this.freeCount = 0;
    this.slotsUsed = 0;
  }

  /** Takes the next sequence number, for an event queued elsewhere (NodeQueue) in the same order. */
  takeSequence(): number {
    return this.sequence++;
  }

  /** The sequence number of the first event (size > 0). */
  firstSequence(): number {
    return this.seq[this.slot[0]!]!;
  }

  push(time: number, kind: number, node: number, aux: number): void {
    if (this.size === this.time.length) this.grow();
    const id = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.slotsUsed++;
    const Q = this.seq;
    const seq = this.sequence++;
    this.kind[id] = kind;
    this.node[id] = node;
    this.aux[id] = aux;
    Q[id] = seq;
    const T = this.time;
    const P = this.slot;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const tp = T[p]!;
      if (tp < time || (tp === time && Q[P[p]!]! < seq)) break;
      T[i] = tp;
      P[i] = P[p]!;
      i = p;
    }
    T[i] = time;
    P[i] = id;
  }

  /** Removes the root and frees its slot: read time[0] and the payload of slot[0] before calling. */
  pop(): void {
    const T = this.time;
    const P = this.slot;
    const Q = this.seq;
    this.freeSlots[this.freeCount++] = P[0]!;
    const last = --this.size;
    const time = T[last]!;
    const id = P[last]!;
    const seq = Q[id]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= last) break;
      let c = first;
      let tc = T[c]!;
      const end = first + 4 < last ? first + 4 : last;
      for (let j = first + 1; j < end; j++) {
        const tj = T[j]!;
        if (tj < tc || (tj === tc && Q[P[j]!]! < Q[P[c]!]!)) {
          c = j;
          tc = tj;
        }
      }
      if (tc > time || (tc === time && Q[P[c]!]! > seq)) break;
      T[i] = tc;
      P[i] = P[c]!;
      i = c;
    }
    T[i] = time;
    P[i] = id;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const grow = <A extends Float64Array | Uint8Array | Int32Array>(old: A, next: A): A => {
      next.set(old);
      return next;
    };
    this.time = grow(this.time, new Float64Array(capacity));
    this.slot = grow(this.slot, new Int32Array(capacity));
    this.kind = grow(this.kind, new Uint8Array(capacity));
    this.node = grow(this.node, new Int32Array(capacity));
    this.aux = grow(this.aux, new Int32Array(capacity));
    this.seq = grow(this.seq, new Float64Array(capacity));
    this.freeSlots = grow(this.freeSlots, new Int32Array(capacity));
  }
}

/**
 * A node-indexed queue: at most one pending event per member, a 4-ary min-heap over members ordered by
 * (time, sequence) with decrease-key — sir_ref.c's "indexed" variant (Holme 2018). The kernel uses it for
 * static-spread models (see CompiledModel.staticSpread): a member's earliest sure attempt while it is
 * healthy, then its auto-restore once compromised. An attempt that would arrive later than the pending one
 * never enters any queue, and a later, earlier one lowers the key in place, so the queue holds one entry
 * per frontier member instead of one per edge. Sequence numbers come from the EventHeap's counter, so
 * events of both queues are served in one global (time, sequence) order, exactly as if they shared a heap.
 *
 * As in EventHeap, times are kept by heap position beside the members, so a sift compares times read from
 * one contiguous array instead of following each child to its member's row.
 */
export class NodeQueue {
  size = 0;
  /** By heap position: the time and the member. */
  readonly time: Float64Array;
  readonly heap: Int32Array;
  /** By member: heap position (-1 when not queued), and the pending event's sequence, kind and payload. */
  readonly position: Int32Array;
  readonly seq: Float64Array;
  readonly kind: Uint8Array;
  readonly source: Int32Array;
  readonly edge: Int32Array;

  constructor(members: number, blocks = new Blocks()) {
    this.time = blocks.array(Float64Array, members);
    this.heap = blocks.array(Int32Array, members);
    this.position = blocks.array(Int32Array, members).fill(-1);
    this.seq = blocks.array(Float64Array, members);
    this.kind = blocks.array(Uint8Array, members);
    this.source = blocks.array(Int32Array, members);
    this.edge = blocks.array(Int32Array, members);
  }

  /** Empties the queue in time proportional to what it holds. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.position[this.heap[i]!] = -1;
    this.size = 0;
  }

  /** Sets the member's pending event, queuing it or moving it to its new place. */
  set(node: number, time: number, seq: number, kind: number, source: number, edge: number): void {
    const at = this.position[node]!;
    this.kind[node] = kind;
    this.source[node] = source;
    this.edge[node] = edge;
    if (at < 0) {
      this.seq[node] = seq;
      this.up(this.size++, node, time, seq);
      return;
    }
    const earlier = time < this.time[at]! || (time === this.time[at]! && seq < this.seq[node]!);
    this.seq[node] = seq;
    if (earlier) this.up(at, node, time, seq);
    else this.down(at, node, time, seq);
  }

  /** Removes the member's pending event, if any. */
  remove(node: number): void {
    const at = this.position[node]!;
    if (at < 0) return;
    this.position[node] = -1;
    const last = --this.size;
    if (at === last) return;
    const moved = this.heap[last]!;
    const time = this.time[last]!;
    const seq = this.seq[moved]!;
    const p = (at - 1) >> 2;
    if (at > 0 && (this.time[p]! > time || (this.time[p] === time && this.seq[this.heap[p]!]! > seq))) this.up(at, moved, time, seq);
    else this.down(at, moved, time, seq);
  }

  /** Removes the first member (read heap[0], time[0] and the member's fields before calling). */
  pop(): void {
    this.position[this.heap[0]!] = -1;
    const last = --this.size;
    if (last > 0) {
      const moved = this.heap[last]!;
      this.down(0, moved, this.time[last]!, this.seq[moved]!);
    }
  }

  /** Places `node` with (time, seq) at position i or above. */
  private up(i: number, node: number, time: number, seq: number): void {
    const T = this.time;
    const H = this.heap;
    const X = this.position;
    const Q = this.seq;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const tp = T[p]!;
      if (tp < time || (tp === time && Q[H[p]!]! < seq)) break;
      const parent = H[p]!;
      T[i] = tp;
      H[i] = parent;
      X[parent] = i;
      i = p;
    }
    T[i] = time;
    H[i] = node;
    X[node] = i;
  }

  /** Places `node` with (time, seq) at position i or below. */
  private down(i: number, node: number, time: number, seq: number): void {
    const T = this.time;
    const H = this.heap;
    const X = this.position;
    const Q = this.seq;
    const size = this.size;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= size) break;
      let c = first;
      let tc = T[c]!;
      const end = first + 4 < size ? first + 4 : size;
      for (let j = first + 1; j < end; j++) {
        const tj = T[j]!;
        if (tj < tc || (tj === tc && Q[H[j]!]! < Q[H[c]!]!)) {
          c = j;
          tc = tj;
        }
      }
      if (tc > time || (tc === time && Q[H[c]!]! > seq)) break;
      const child = H[c]!;
      T[i] = tc;
      H[i] = child;
      X[child] = i;
      i = c;
    }
    T[i] = time;
    H[i] = node;
    X[node] = i;
  }
}
