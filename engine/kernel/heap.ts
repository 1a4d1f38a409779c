import { Blocks } from './blocks.js';

/** A double's two 32-bit halves (little-endian: [1] is the high word with sign and exponent). */
const KEY = new Float64Array(1);
const KEY_WORDS = new Int32Array(KEY.buffer);
/** A key's bytes. */
const DIGITS = 8;

/**
 * The event queue: a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, "Faster algorithms for the shortest path
 * problem", J. ACM 37(2), 1990) over the bits of each event's time, served in (time, sequence) order. The
 * sequence number makes ties deterministic (first scheduled, first served) so the fast and reference
 * kernels agree event for event.
 *
 * A discrete-event simulation never schedules before the event it is serving, so every key is at least the
 * last one served: the queue is monotone, and a radix heap needs no comparisons to insert. For a time t ≥ 0
 * the IEEE 754 bits, read as a 64-bit integer, order as t does. The heap is radix-256: an event goes to the
 * bucket of the highest byte in which its key differs from the last key served and of its value there (equal
 * keys wait as ties, in sequence order). Serving takes the first tie; when there are none, the lowest
 * non-empty bucket's smallest key becomes the last key and its events move to buckets of lower bytes. An
 * event moves at most 7 times, 2–3 times in practice (against 5–8 in a radix-2 heap with a bucket per bit,
 * measured on wannacry-down: the moves are what costs once the queue outgrows the caches). Each bucket is a
 * list threaded through slot-indexed links, so nothing but the links moves. A key below the last (never
 * scheduled by the kernel, allowed for any other user) rebuilds the buckets around it.
 *
 * An event's payload — kind, node, aux, its time and sequence number — stays in slot-indexed arrays, its
 * slot recycled through a free list. Measured against the 4-ary heap it replaces (bit-identical results):
 * docs/performance.md "Event queue". Arrays grow by doubling — the only allocation, amortised over a
 * worker's life.
 */
export class EventHeap {
  size = 0;
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
   * By slot, one 16-byte row: the key's high and low words, the next slot in its bucket (-1: none), unused.
   * What a move reads and writes sits in one cache line; on large twins, where the queue outgrows the
   * caches, that is what a move costs.
   */
  private row: Int32Array;
  private freeSlots: Int32Array;
  /**
   * Buckets: 8 digits (bytes) of the key × 256 values, bucket d × 256 + v holding the keys whose highest byte
   * that differs from the last key's is byte d, with value v; first slot of each (-1: empty). Keys equal to
   * the last key wait in their own list, `ties`, in sequence order (its last kept to append).
   */
  private readonly head = new Int32Array(DIGITS * 256).fill(-1);
  private ties = -1;
  private tail = -1;
  /** Which buckets are non-empty: one bit each (8 words a digit), and which digits have any. */
  private readonly used = new Int32Array(DIGITS * 8);
  private usedDigits = 0;
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
    this.ties = -1;
    this.tail = -1;
    this.used.fill(0);
    this.usedDigits = 0;
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
    if (high < this.lastHigh || (high === this.lastHigh && low >>> 0 < this.lastLow >>> 0)) this.rebuild(id);
    else this.place(id, high, low);
  }

  /** The first event's slot, its payload read from the slot arrays (size > 0). */
  first(): number {
    const front = this.ties;
    return front !== -1 ? front : this.refill();
  }

  /** Removes the first event and frees its slot: read its payload (first()) before calling. */
  pop(): void {
    const id = this.first();
    const after = this.row[4 * id + 2]!;
    this.ties = after;
    if (after === -1) this.tail = -1;
    this.freeSlots[this.freeCount++] = id;
    this.size--;
  }

  /** Puts slot `id` into the bucket of its key (high, low) relative to the last key. */
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
        // Equal keys in sequence order, and a new event's sequence number is the largest.
        R[4 * id + 2] = -1;
        if (this.ties === -1) this.ties = id;
        else R[4 * this.tail + 2] = id;
        this.tail = id;
        return;
      }
      d = (31 - Math.clz32(dl)) >> 3;
      v = (low >>> (8 * d)) & 255;
    }
    const b = 256 * d + v;
    R[4 * id + 2] = this.head[b]!;
    this.head[b] = id;
    this.used[8 * d + (v >> 5)]! |= 1 << (v & 31);
    this.usedDigits |= 1 << d;
  }

  /**
   * No ties left: the lowest non-empty bucket (lowest digit, then lowest value) holds the smallest keys; its
   * smallest becomes the last key, and its events move to lower digits. Returns the first tie.
   */
  private refill(): number {
    const digits = this.usedDigits;
    if (digits === 0) throw new RangeError('EventHeap: no event is queued');
    const d = 31 - Math.clz32(digits & -digits);
    const used = this.used;
    let w = 8 * d;
    while (used[w] === 0) w++;
    const bits = used[w]!;
    const v = 32 * (w - 8 * d) + (31 - Math.clz32(bits & -bits));
    used[w] = bits & (bits - 1);
    if (used[w] === 0) {
      let empty = true;
      for (let x = 8 * d; x < 8 * d + 8; x++) if (used[x] !== 0) empty = false;
      if (empty) this.usedDigits = digits & ~(1 << d);
    }
    const R = this.row;
    const Q = this.seq;
    const head = this.head;
    let s = head[256 * d + v]!;
    head[256 * d + v] = -1;
    // The smallest key: the high words compare as signed (below 2^31), the low ones as unsigned.
    let best = s;
    let bestHigh = R[4 * s]!;
    let bestLow = R[4 * s + 1]! >>> 0;
    for (let r = R[4 * s + 2]!; r !== -1; r = R[4 * r + 2]!) {
      const high = R[4 * r]!;
      const low = R[4 * r + 1]! >>> 0;
      if (high < bestHigh || (high === bestHigh && (low < bestLow || (low === bestLow && Q[r]! < Q[best]!)))) {
        best = r;
        bestHigh = high;
        bestLow = low;
      }
    }
    this.lastHigh = bestHigh;
    this.lastLow = bestLow | 0;
    // Every key of the bucket agrees with the new last key above byte d: each moves to a lower digit, or ties.
    while (s !== -1) {
      const after = R[4 * s + 2]!;
      if (R[4 * s] === this.lastHigh && R[4 * s + 1] === this.lastLow) this.insertTie(s);
      else this.place(s, R[4 * s]!, R[4 * s + 1]!);
      s = after;
    }
    return this.ties;
  }

  /** Inserts slot `id` (key equal to the last key) into the ties by sequence number. */
  private insertTie(id: number): void {
    const R = this.row;
    const Q = this.seq;
    const q = Q[id]!;
    let before = -1;
    let c = this.ties;
    while (c !== -1 && Q[c]! < q) {
      before = c;
      c = R[4 * c + 2]!;
    }
    R[4 * id + 2] = c;
    if (before === -1) this.ties = id;
    else R[4 * before + 2] = id;
    if (c === -1) this.tail = id;
  }

  /** A key below the last: every bucket is rebuilt around it (slot `id`, already counted in size). */
  private rebuild(id: number): void {
    const R = this.row;
    const queued: number[] = [];
    for (let s = this.ties; s !== -1; s = R[4 * s + 2]!) queued.push(s);
    for (let b = 0; b < this.head.length; b++) {
      for (let s = this.head[b]!; s !== -1; s = R[4 * s + 2]!) queued.push(s);
    }
    this.head.fill(-1);
    this.used.fill(0);
    this.usedDigits = 0;
    this.ties = -1;
    this.tail = -1;
    this.lastHigh = R[4 * id]!;
    this.lastLow = R[4 * id + 1]!;
    this.place(id, this.lastHigh, this.lastLow);
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
