import { seedRun, uniform } from '../../engine/kernel/rng.js';

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

  /** One outbreak from a uniformly drawn node; returns infections + recoveries. */
  run(beta: number, gamma: number, seed: number, runIndex: number): number {
    const { status, pred, offsets, targets } = this;
    const H = this.heap;
    seedRun(seed, runIndex);
    status.fill(0);
    pred.fill(Infinity);
    let size = 0;
    let events = 0;
    const push = (t: number, code: number): void => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (H[2 * p]! <= t) break;
        H[2 * i] = H[2 * p]!;
        H[2 * i + 1] = H[2 * p + 1]!;
        i = p;
      }
      H[2 * i] = t;
      H[2 * i + 1] = code;
    };
    let source = Math.floor(uniform() * this.nodes);
    if (source >= this.nodes) source = this.nodes - 1;
    pred[source] = 0;
    push(0, source * 2);
    while (size > 0) {
      const t = H[0]!;
      const code = H[1]!;
      // pop
      const last = --size;
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
      push(recoverAt, u * 2 + 1);
      for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
        const v = targets[k]!;
        if (status[v] !== 0) continue;
        const at = t - Math.log(uniform()) / beta;
        if (at < recoverAt && at < pred[v]!) {
          pred[v] = at;
          push(at, v * 2);
        }
      }
    }
    return events;
  }
}
