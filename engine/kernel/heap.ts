import { Blocks } from './blocks.js';

/** A double's two 32-bit halves (little-endian: [1] is the high word with sign and exponent). */
const KEY = new Float64Array(1);
const KEY_WORDS = new Int32Array(KEY.buffer);
/** A key's bytes. */
const DIGITS = 8;
/** The index, after the 8 × 256 buckets, of the list of events whose key equals the last key served. */
const TIES = DIGITS * 256;

/** A copy of `array` twice as long. */
function widen(array: Int32Array): Int32Array {
  const wider = new Int32Array(2 * array.length);
  wider.set(array);
  return wider;
}

/**
 * The event queue: a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, "Faster algorithms for the shortest path
 * problem", J. ACM 37(2), 1990) over the bits of each event's time, served in (time, sequence) order. The
 * sequence number makes ties deterministic (first scheduled, first served) so the fast and reference
 * kernels agree event for event.
 *
 * A discrete-event simulation never schedules before the event it is serving, so every key is at least the
 * last one served: the queue is monotone, and a radix heap needs no comparisons to insert. For a time t ≥ 0
 * the IEEE 754 bits, read as a 64-bit integer, order as t does. The heap is radix-256: an event goes to the
 * bucket of the highest byte in which its key differs from the last key served and of its value there
 * (equal keys wait as ties). Serving takes the first tie; when there are none, the lowest non-empty
 * bucket's smallest key becomes the last key and its events move to buckets of lower bytes, or become the
 * ties. An event moves at most 8 times, 2–3 times in practice (against 5–8 in a radix-2 heap with a bucket
 * per bit, measured on wannacry-down: the moves are what costs once the queue outgrows the caches).
 *
 * Each bucket is a list threaded through slot-indexed links, so nothing but the links moves; an event goes
 * first in its bucket's list, and last among the ties (its sequence number is the largest yet). The ties a
 * refill makes are ordered by sequence number (a sort; there is rarely more than one).
 * `peek()` finds the first event without moving anything, for a caller that may serve another queue's
 * event first (kernel.ts: the node-indexed queue) and so schedule below it. A key below the last served
 * (which a simulation does not schedule) rebuilds the buckets around it; `rebuilds` counts them.
 *
 * An event's payload — kind, node, aux, its time and sequence number — stays in slot-indexed arrays, its
 * slot recycled through a free list. Measured against the 4-ary heap it replaces (bit-identical results):
 * docs/performance.md "The event queue and the general path". Arrays grow by doubling — the only
 * allocation, amortised over a worker's life.
 */
export class EventHeap {
  size = 0;
  /** Times a key below the last served made the buckets be rebuilt (the kernel makes none: tested). */
  rebuilds = 0;
  private sequence = 0;
  private freeCount = 0;
  private slotsUsed = 0;
  /** By slot: the event's time, kind, node, aux and sequence number. */
  time: Float64Array;
  kind: Uint8Array;
  node: Int32Array;
  aux: Int32Array;
  seq: Float64Array;
  /**
   * By slot, one 16-byte row: the key's high and low words, the next slot in its list (-1: none), unused.
   * What a move reads and writes sits in one cache line.
   */
  private row: Int32Array;
  private freeSlots: Int32Array;
  /** First slot of each bucket's list (8 digits × 256 values) and, at TIES, of the ties (-1: empty); then the ties' last. */
  private readonly head = new Int32Array(TIES + 1).fill(-1);
  private tiesTail = -1;
  /** Which buckets are non-empty: one bit each (8 words a digit), how many each digit has, and which digits have any. */
  private readonly used = new Int32Array(DIGITS * 8);
  private readonly usedCount = new Int32Array(DIGITS);
  private usedDigits = 0;
  /** A refill's ties, before they are ordered and linked. */
  private scratch: Int32Array = new Int32Array(16);
  /** The smallest event in the buckets (ties aside) once peek() has found it, -1 until then. */
  private smallest = -1;
  /** The last key served (or the floor set by a rebuild). */
  private lastHigh = 0;
  private lastLow = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.aux = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
    this.row = new Int32Array(4 * capacity);
    this.freeSlots = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
    this.sequence = 0;
    this.freeCount = 0;
    this.slotsUsed = 0;
    this.head.fill(-1);
    this.tiesTail = -1;
    this.used.fill(0);
    this.usedCount.fill(0);
    this.usedDigits = 0;
    this.smallest = -1;
    this.lastHigh = 0;
    this.lastLow = 0;
  }

  /** Takes the next sequence number, for an event queued elsewhere (NodeQueue) in the same order. */
  takeSequence(): number {
    return this.sequence++;
  }

  /** Queues an event at `time` (≥ 0). */
  push(time: number, kind: number, node: number, aux: number): void {
    if (!(time >= 0)) throw new RangeError(`EventHeap: an event time must be a number ≥ 0, got ${time}`);
    if (this.slotsUsed === this.time.length && this.freeCount === 0) this.grow();
    const id = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.slotsUsed++;
    this.kind[id] = kind;
    this.node[id] = node;
    this.aux[id] = aux;
    this.seq[id] = this.sequence++;
    this.time[id] = time;
    KEY[0] = time + 0; // -0 as +0
    const high = KEY_WORDS[1]!;
    const low = KEY_WORDS[0]!;
    this.row[4 * id] = high;
    this.row[4 * id + 1] = low;
    this.size++;
    // Signed on the high word: a non-negative double's is below 2^31.
    if (high < this.lastHigh || (high === this.lastHigh && low >>> 0 < this.lastLow >>> 0)) return this.rebuild(id);
    this.place(id, high, low);
    // A peeked smallest of the buckets stays the smallest unless this key, not a tie, is below it (an equal
    // one was scheduled earlier).
    const m = this.smallest;
    if (m !== -1 && (high !== this.lastHigh || low !== this.lastLow)) {
      if (high < this.row[4 * m]! || (high === this.row[4 * m] && low >>> 0 < this.row[4 * m + 1]! >>> 0)) this.smallest = id;
    }
  }

  /** The first event's slot without moving anything (size > 0): its time and sequence number, to compare. */
  peek(): number {
    const front = this.head[TIES]!;
    if (front !== -1) return front;
    if (this.smallest === -1) this.smallest = this.find(this.lowest());
    return this.smallest;
  }

  /** The first event's slot, to serve it: read its payload from the slot arrays, then pop() (size > 0). */
  first(): number {
    const front = this.head[TIES]!;
    return front !== -1 ? front : this.refill();
  }

  /** Removes the first event and frees its slot: read its payload (first()) before calling. */
  pop(): void {
    const id = this.first();
    const after = this.row[4 * id + 2]!;
    this.head[TIES] = after;
    if (after === -1) this.tiesTail = -1;
    this.freeSlots[this.freeCount++] = id;
    this.size--;
  }

  /** Puts slot `id` into the list of its key (high, low) relative to the last key: first in its bucket, or last of the ties. */
  private place(id: number, high: number, low: number): void {
    const R = this.row;
    const dh = high ^ this.lastHigh;
    let d: number;
    let v: number;
    if (dh !== 0) {
      d = 4 + ((31 - Math.clz32(dh)) >> 3);
      v = (high >>> (8 * d - 32)) & 255;
    } else {
      const dl = low ^ this.lastLow;
      if (dl === 0) {
        // A tie scheduled now has the largest sequence number yet: last.
        R[4 * id + 2] = -1;
        if (this.head[TIES] === -1) this.head[TIES] = id;
        else R[4 * this.tiesTail + 2] = id;
        this.tiesTail = id;
        return;
      }
      d = (31 - Math.clz32(dl)) >> 3;
      v = (low >>> (8 * d)) & 255;
    }
    const b = 256 * d + v;
    const first = this.head[b]!;
    R[4 * id + 2] = first;
    this.head[b] = id;
    if (first === -1) {
      this.used[8 * d + (v >> 5)]! |= 1 << (v & 31);
      this.usedCount[d]!++;
      this.usedDigits |= 1 << d;
    }
  }

  /** The lowest non-empty bucket (lowest digit, then lowest value): it holds the smallest keys (size > 0, no ties). */
  private lowest(): number {
    const digits = this.usedDigits;
    if (digits === 0) throw new RangeError('EventHeap: no event is queued');
    const d = 31 - Math.clz32(digits & -digits);
    const used = this.used;
    let w = 8 * d;
    while (used[w] === 0) w++;
    const bits = used[w]!;
    return 256 * d + 32 * (w - 8 * d) + (31 - Math.clz32(bits & -bits));
  }

  /**
   * The first event of bucket b: the smallest key and, of equal keys, the smallest sequence number. A refill
   * needs only the key (it orders the ties itself); peek() hands the slot to a caller that compares its
   * sequence number with another queue's, so it must be the first of the ties (a bucket lists its newest first).
   */
  private find(b: number): number {
    const R = this.row;
    const Q = this.seq;
    let s = this.head[b]!;
    let best = s;
    let bestHigh = R[4 * s]!;
    let bestLow = R[4 * s + 1]! >>> 0;
    for (s = R[4 * s + 2]!; s !== -1; s = R[4 * s + 2]!) {
      const high = R[4 * s]!;
      const low = R[4 * s + 1]! >>> 0;
      if (high < bestHigh || (high === bestHigh && (low < bestLow || (low === bestLow && Q[s]! < Q[best]!)))) {
        best = s;
        bestHigh = high;
        bestLow = low;
      }
    }
    return best;
  }

  /** No ties left: the lowest bucket's smallest key becomes the last key, its events move down or tie. */
  private refill(): number {
    const b = this.lowest();
    const best = this.smallest !== -1 ? this.smallest : this.find(b);
    this.smallest = -1;
    const d = b >> 8;
    const w = 8 * d + ((b & 255) >> 5);
    this.used[w]! &= ~(1 << (b & 31));
    if (--this.usedCount[d]! === 0) this.usedDigits &= ~(1 << d);
    const R = this.row;
    let s = this.head[b]!;
    this.head[b] = -1;
    const lastHigh = R[4 * best]!;
    const lastLow = R[4 * best + 1]!;
    this.lastHigh = lastHigh;
    this.lastLow = lastLow;
    if (R[4 * s + 2] === -1) {
      // A bucket of one event (the common case at the lowest digits): it is the tie.
      this.head[TIES] = s;
      this.tiesTail = s;
      return s;
    }
    // Every key of bucket b agrees with the new last key above byte b >> 8: each moves to a lower digit's
    // bucket, or is a tie. The ties (rarely more than one) are then ordered by sequence number.
    let ties = 0;
    while (s !== -1) {
      const after = R[4 * s + 2]!;
      if (R[4 * s] === lastHigh && R[4 * s + 1] === lastLow) {
        if (ties === this.scratch.length) this.scratch = widen(this.scratch);
        this.scratch[ties++] = s;
      } else this.place(s, R[4 * s]!, R[4 * s + 1]!);
      s = after;
    }
    const T = this.scratch;
    if (ties > 1) {
      const Q = this.seq;
      T.subarray(0, ties).sort((x, y) => Q[x]! - Q[y]!);
    }
    for (let i = 0; i < ties - 1; i++) R[4 * T[i]! + 2] = T[i + 1]!;
    R[4 * T[ties - 1]! + 2] = -1;
    this.head[TIES] = T[0]!;
    this.tiesTail = T[ties - 1]!;
    return T[0]!;
  }

  /** Slot `id`'s key is below the last: the last key becomes the smallest of all, every event is placed again in sequence order. */
  private rebuild(id: number): void {
    this.rebuilds++;
    const R = this.row;
    const queued: number[] = [id];
    for (let b = 0; b <= TIES; b++) for (let s = this.head[b]!; s !== -1; s = R[4 * s + 2]!) queued.push(s);
    queued.sort((a, b) => this.seq[a]! - this.seq[b]!);
    this.head.fill(-1);
    this.tiesTail = -1;
    this.used.fill(0);
    this.usedCount.fill(0);
    this.usedDigits = 0;
    this.smallest = -1;
    let lowestHigh = R[4 * queued[0]!]!;
    let lowestLow = R[4 * queued[0]! + 1]! >>> 0;
    for (const s of queued) {
      const high = R[4 * s]!;
      const low = R[4 * s + 1]! >>> 0;
      if (high < lowestHigh || (high === lowestHigh && low < lowestLow)) {
        lowestHigh = high;
        lowestLow = low;
      }
    }
    this.lastHigh = lowestHigh;
    this.lastLow = lowestLow | 0;
    for (const s of queued) this.place(s, R[4 * s]!, R[4 * s + 1]!);
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const grow = <A extends Float64Array | Uint8Array | Int32Array>(old: A, next: A): A => {
      next.set(old);
      return next;
    };
    this.time = grow(this.time, new Float64Array(capacity));
    this.kind = grow(this.kind, new Uint8Array(capacity));
    this.node = grow(this.node, new Int32Array(capacity));
    this.aux = grow(this.aux, new Int32Array(capacity));
    this.seq = grow(this.seq, new Float64Array(capacity));
    this.row = grow(this.row, new Int32Array(4 * capacity));
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
