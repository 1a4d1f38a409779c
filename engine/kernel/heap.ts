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
