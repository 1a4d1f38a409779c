type TypedArrayConstructor<T> = { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** Arrays from this size up are carved from blocks; smaller ones (a ward's whole run state) are allocated as usual. */
export const BLOCK_FROM = 1 << 20;

/**
 * Blocks of 64 MiB: more than glibc's mmap threshold can rise to (it is raised each time a mapped chunk
 * is freed, up to 32 MiB on 64-bit: mallopt(3), M_MMAP_THRESHOLD), so each block is mapped and unmapped
 * whole, never left in a heap.
 */
export const BLOCK_BYTES = 64 << 20;

/**
 * Where a run state's large arrays live (KernelState and the books it holds). On nhs-england a state
 * holds ~130 MB of typed arrays of 2–17 MB each. Allocated one by one, once the C library's mmap
 * threshold has risen they came from its heaps, and a worker's stayed in its thread arena after the pool
 * stopped: a sweep's RSS grew by 100–200 MB of freed run state per member (docs/performance.md, "Memory
 * of groups on nhs-england"). Carved from 64 MiB blocks, they go back to the system with their state.
 * A block's unused tail is never written, so it takes address space, not memory.
 */
export class Blocks {
  #block: ArrayBuffer | undefined = undefined;
  #used = 0;

  /** `from`: the least byte size carved from a block (tests carve everything, or nothing). */
  constructor(readonly from = BLOCK_FROM) {}

  /** A zero-filled array of `length` elements: from a block if it is large, else on its own. */
  array<T>(Type: TypedArrayConstructor<T>, length: number): T {
    const bytes = length * Type.BYTES_PER_ELEMENT;
    if (bytes < this.from) return new Type(length);
    // Every array starts on an 8-byte boundary, so any element type may follow any other.
    const span = Math.ceil(bytes / 8) * 8;
    if (this.#block === undefined || this.#used + span > this.#block.byteLength) {
      this.#block = new ArrayBuffer(Math.max(BLOCK_BYTES, span));
      this.#used = 0;
    }
    const out = new Type(this.#block, this.#used, length);
    this.#used += span;
    return out;
  }
}
