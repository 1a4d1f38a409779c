import { seedRun, uniform } from './sfc32.js';

/**
 * PROTOTYPE (bench only): sir_ref.c's lazy variant ported line for line to TypeScript — the same event
 * heap of (time, node, type) entries (here interleaved in one Float64Array, like C's 16-byte struct), the
 * same `pred` pruning and stale-event skip, exponential draws by inversion — over the compiled model's CSR.
 * It is not Strata's kernel (no model features at all); it measures what plain JavaScript does on this
 * loop on this machine, the ceiling a JS kernel can approach on the SIR bench.
 */
export class SirPort {
  private readonly status: Uint8Array;
  private readonly pred: Float64Array;
  /** Heap entries: [time, node * 2 + type] (type 0 = infect, 1 = recover). */
  private heap: Float64Array;

  constructor(
    private readonly offsets: Int32Array,
    private readonly targets: Int32Array,
    private readonly nodes: number,
  ) {
    this.status = new Uint8Array(nodes);
    this.pred = new Float64Array(nodes);
    this.heap = new Float64Array(2 * (targets.length + 2 * nodes + 2));
  }

  private size = 0;

  private push(t: number, code: number): void {
    const H = this.heap;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (H[2 * p]! <= t) break;
      H[2 * i] = H[2 * p]!;
      H[2 * i + 1] = H[2 * p + 1]!;
      i = p;
    }
    H[2 * i] = t;
    H[2 * i + 1] = code;
  }

  /** One outbreak from a uniformly drawn node; returns infections + recoveries. */
  run(beta: number, gamma: number, seed: number, runIndex: number): number {
    const { status, pred, offsets, targets } = this;
    const H = this.heap;
    seedRun(seed, runIndex);
    status.fill(0);
    pred.fill(Infinity);
    this.size = 0;
    let events = 0;
    let source = Math.floor(uniform() * this.nodes);
    if (source >= this.nodes) source = this.nodes - 1;
    pred[source] = 0;
    this.push(0, source * 2);
    while (this.size > 0) {
      const t = H[0]!;
      const code = H[1]!;
      const last = --this.size;
      const lt = H[2 * last]!;
      const lc = H[2 * last + 1]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        if (c + 1 < last && H[2 * c + 2]! < H[2 * c]!) c++;
        if (H[2 * c]! >= lt) break;
        H[2 * i] = H[2 * c]!;
        H[2 * i + 1] = H[2 * c + 1]!;
        i = c;
      }
      H[2 * i] = lt;
      H[2 * i + 1] = lc;

      const u = code >> 1;
      if ((code & 1) === 1) {
        status[u] = 2;
        events++;
        continue;
      }
      if (status[u] !== 0) continue; // stale
      status[u] = 1;
      events++;
      const recoverAt = t - Math.log(uniform()) / gamma;
      this.push(recoverAt, u * 2 + 1);
      for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
        const v = targets[k]!;
        if (status[v] !== 0) continue;
        const at = t - Math.log(uniform()) / beta;
        if (at < recoverAt && at < pred[v]!) {
          pred[v] = at;
          this.push(at, v * 2);
        }
      }
    }
    return events;
  }
}

/**
 * PROTOTYPE (bench only): sir_ref.c's indexed variant ported to TypeScript — a heap of nodes keyed by
 * each node's earliest infection time, with decrease-key; a node's recovery time is kept on the node and
 * never queued (Holme 2018). The ceiling for the "node-indexed attempt queue" proposal.
 */
export class SirPortIndexed {
  private readonly heap: Int32Array;
  private readonly position: Int32Array;
  private readonly time: Float64Array;
  private size = 0;

  constructor(
    private readonly offsets: Int32Array,
    private readonly targets: Int32Array,
    private readonly nodes: number,
  ) {
    this.heap = new Int32Array(nodes);
    this.position = new Int32Array(nodes);
    this.time = new Float64Array(nodes);
  }

  private up(start: number): void {
    const { heap, position, time } = this;
    let i = start;
    const x = heap[i]!;
    const tx = time[x]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const y = heap[p]!;
      if (time[y]! <= tx) break;
      heap[i] = y;
      position[y] = i;
      i = p;
    }
    heap[i] = x;
    position[x] = i;
  }

  private popRoot(): number {
    const { heap, position, time } = this;
    const top = heap[0]!;
    const x = heap[--this.size]!;
    const tx = time[x]!;
    const size = this.size;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && time[heap[c + 1]!]! < time[heap[c]!]!) c++;
      if (time[heap[c]!]! >= tx) break;
      heap[i] = heap[c]!;
      position[heap[i]!] = i;
      i = c;
    }
    if (size > 0) {
      heap[i] = x;
      position[x] = i;
    }
    position[top] = -2;
    return top;
  }

  /** One outbreak from a uniformly drawn node; returns infections + recoveries (2 × infections). */
  run(beta: number, gamma: number, seed: number, runIndex: number): number {
    const { offsets, targets, heap, position, time } = this;
    seedRun(seed, runIndex);
    position.fill(-1);
    time.fill(Infinity);
    let infected = 0;
    let source = Math.floor(uniform() * this.nodes);
    if (source >= this.nodes) source = this.nodes - 1;
    time[source] = 0;
    heap[0] = source;
    position[source] = 0;
    this.size = 1;
    while (this.size > 0) {
      const u = this.popRoot();
      const t = time[u]!;
      infected++;
      const recoverAt = t - Math.log(uniform()) / gamma;
      time[u] = recoverAt;
      for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
        const v = targets[k]!;
        if (position[v] === -2) continue;
        const at = t - Math.log(uniform()) / beta;
        if (at < recoverAt && at < time[v]!) {
          time[v] = at;
          if (position[v] === -1) {
            position[v] = this.size;
            heap[this.size++] = v;
          }
          this.up(position[v]!);
        }
      }
    }
    return 2 * infected;
  }
}
