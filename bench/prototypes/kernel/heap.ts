import { EventHeap } from '../../../engine/kernel/heap.js';

/**
 * PROTOTYPE (bench only; engine/kernel/heap.ts is the real one). The same (time, sequence) order, but a
 * sift moves two numbers instead of five: the heap holds (time, slot) and an event's payload — kind, node,
 * aux and its sequence number — stays put in slot-indexed arrays, its slot recycled through a free list.
 * The sequence number is read only when two times are equal, which continuous delays make rare. Pops come
 * out in exactly the same order as EventHeap's, so a kernel on either has the same history.
 *
 * `arity` 2 is a binary heap; 4 halves the depth and keeps a node's children in one cache line of times.
 */
export class SlotHeap {
  size = 0;
  private sequence = 0;
  private freeCount = 0;
  private slotsUsed = 0;
  /** By heap position. */
  time: Float64Array;
  slot: Int32Array;
  /** By slot. */
  kind: Uint8Array;
  node: Int32Array;
  aux: Int32Array;
  seq: Float64Array;
  private freeSlots: Int32Array;

  constructor(
    capacity = 1024,
    readonly arity: 2 | 4 = 2,
  ) {
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
    const shift = this.arity === 4 ? 2 : 1;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> shift;
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
    if (this.arity === 2) {
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        if (c + 1 < last && (T[c + 1]! < T[c]! || (T[c + 1] === T[c] && Q[P[c + 1]!]! < Q[P[c]!]!))) c++;
        const tc = T[c]!;
        if (tc > time || (tc === time && Q[P[c]!]! > seq)) break;
        T[i] = tc;
        P[i] = P[c]!;
        i = c;
      }
    } else {
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
 * The engine's EventHeap seen through SlotHeap's interface: its root's payload is at position 0, so a slot
 * of 0 reads it. Lets the prototype's other changes be timed on the real heap.
 */
export class ColumnHeap extends EventHeap {
  readonly slot = new Int32Array(1);
  readonly arity = 0;
}
