/**
 * The event queue: a binary min-heap over parallel typed arrays, ordered by (time, sequence). The
 * sequence number makes ties deterministic (first scheduled, first served) so the fast and reference
 * kernels agree event for event. Grows by doubling — the only allocation, amortised over a worker's life.
 */
export class EventHeap {
  size = 0;
  private sequence = 0;
  time: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  node: Int32Array;
  aux: Int32Array;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.aux = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
    this.sequence = 0;
  }

  push(time: number, kind: number, node: number, aux: number): void {
    if (this.size === this.time.length) this.grow();
    const seq = this.sequence++;
    const { time: T, seq: S, kind: K, node: N, aux: A } = this;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = T[p]!;
      if (tp < time || (tp === time && S[p]! < seq)) break;
      T[i] = tp;
      S[i] = S[p]!;
      K[i] = K[p]!;
      N[i] = N[p]!;
      A[i] = A[p]!;
      i = p;
    }
    T[i] = time;
    S[i] = seq;
    K[i] = kind;
    N[i] = node;
    A[i] = aux;
  }

  /** Removes the root; read topTime/topKind/topNode/topAux before calling. */
  pop(): void {
    const { time: T, seq: S, kind: K, node: N, aux: A } = this;
    const last = --this.size;
    const time = T[last]!;
    const seq = S[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && (T[c + 1]! < T[c]! || (T[c + 1] === T[c] && S[c + 1]! < S[c]!))) c++;
      if (T[c]! > time || (T[c] === time && S[c]! > seq)) break;
      T[i] = T[c]!;
      S[i] = S[c]!;
      K[i] = K[c]!;
      N[i] = N[c]!;
      A[i] = A[c]!;
      i = c;
    }
    T[i] = time;
    S[i] = seq;
    K[i] = K[last]!;
    N[i] = N[last]!;
    A[i] = A[last]!;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.time = grow(this.time, new Float64Array(capacity));
    this.seq = grow(this.seq, new Float64Array(capacity));
    this.kind = grow(this.kind, new Uint8Array(capacity));
    this.node = grow(this.node, new Int32Array(capacity));
    this.aux = grow(this.aux, new Int32Array(capacity));
  }
}
