import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Compiled, CompiledModel } from '../compile/model.js';
import { packInterventions, type Intervention } from '../kernel/interventions.js';
import { SERIES_PER_POINT } from '../kernel/state.js';
import { metricNames } from '../kernel/metrics.js';
import { collectGarbage } from './collect.js';
import { releaseState, runChunk, type ChunkResult, type ChunkTask } from './chunk.js';

/**
 * Many runs of one compiled model. Runs are chunked into tasks for a Piscina pool (or run in this thread),
 * each run seeded from (batch seed, run index) only, and merged in run-index order — so a batch's results
 * are bit-identical on 0 (in-process), 1, 2 or N workers. The compiled model's arrays live in
 * SharedArrayBuffers: a task carries views, not copies.
 */

export interface BatchOptions {
  /** How many runs; run indices are runStart .. runStart + runs - 1. */
  runs: number;
  runStart?: number;
  seed: number;
  chunkSize?: number;
  interventions?: readonly Intervention[];
  /** Points on the time grid for state-count series (0: none). */
  seriesPoints?: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Each finished chunk, in completion order (for streaming to a store). */
  onChunk?: (chunk: ChunkResult) => void;
  signal?: AbortSignal;
}

export interface BatchProgress {
  completedRuns: number;
  totalRuns: number;
  elapsedMs: number;
  /**
   * The completed runs the threads timed warm (each thread's first run on the model aside:
   * ChunkResult.warmUpMs), the threads' time on them, and how many threads share the batch: with these a
   * rate is known from the first chunks, before every worker has started (a wall-clock rate then counts
   * the workers' start and warm-up as if they were runs).
   */
  busyRuns?: number;
  busyMs?: number;
  threads?: number;
}

export interface BatchResult {
  runStart: number;
  runs: number;
  metricNames: string[];
  /** Row-major runs × metrics; rows of runs that did not finish are NaN. */
  rows: Float64Array;
  seriesPoints: number;
  series: Float64Array;
  /** 1 for each run that finished. */
  completed: Uint8Array;
  complete: boolean;
  elapsedMs: number;
}

export interface RunnerOptions {
  /** Worker threads; 0 runs in this thread. Default: the machine's available parallelism. */
  workers?: number;
  /**
   * Run even a one-chunk batch on a worker (given workers): a server's event loop stays free while a single
   * run of the national twin computes. Default false: a CLI's single run does not wait for a worker to load.
   */
  offThread?: boolean;
}

const ids = new WeakMap<Compiled, string>();
let nextId = 0;

/** A model this large (its arrays) stops the worker pool when let go (BatchRunner.release). */
const LARGE_MODEL_BYTES = 128 * 2 ** 20;

/** Bytes held by a compiled model's arrays. */
export function modelBytes(model: CompiledModel): number {
  let bytes = 0;
  for (const value of Object.values(model)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes;
}

export class BatchRunner {
  readonly workers: number;
  readonly offThread: boolean;
  #pool: Piscina | undefined;
  #released = false;
  /** Whether a batch on this runner has aborted chunks on its workers (see #onPoolError). */
  #abortedOnWorkers = false;

  constructor(options: RunnerOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 0) throw new TypeError('options.workers must be a non-negative integer');
    this.workers = workers;
    this.offThread = options.offThread ?? false;
  }

  /**
   * The worker pool, started on the first batch that has more than one chunk to share out: a one-chunk batch
   * (a single run, a trace-sized check) runs in this thread and never waits for workers to load, unless the
   * runner is `offThread`.
   */
  #poolFor(chunks: number): Piscina | undefined {
    if (this.workers === 0 || (chunks <= 1 && !this.offThread)) return this.#pool;
    if (!this.#pool) {
      this.#pool = new Piscina({ filename: new URL('./worker-entry.mjs', import.meta.url).href, minThreads: this.workers, maxThreads: this.workers, idleTimeout: 1000 });
      this.#pool.on('error', this.#onPoolError);
    }
    return this.#pool;
  }

  /**
   * Piscina aborts a running task by terminating its worker, but the worker may already have posted the
   * task's result: Piscina then receives a result for a task it no longer knows and emits 'Unexpected message
   * from Worker', which with no listener is thrown outside any promise and ends the process (a Ctrl-C or a
   * dashboard cancel mid-batch). That result is of a chunk the batch has given up, so it is dropped; any other
   * error of the pool, or that one when no chunk was ever aborted, is thrown as before.
   */
  readonly #onPoolError = (error: Error): void => {
    if (this.#abortedOnWorkers && error.message.startsWith('Unexpected message from Worker')) return;
    throw error;
  };

  async run(compiled: Compiled, options: BatchOptions): Promise<BatchResult> {
    const { runs, seed } = options;
    const runStart = options.runStart ?? 0;
    if (!Number.isInteger(runs) || runs < 0) throw new TypeError('options.runs must be a non-negative integer');
    if (!Number.isInteger(runStart) || runStart < 0) throw new TypeError('options.runStart must be a non-negative integer');
    if (!Number.isSafeInteger(seed) || seed < 0) throw new TypeError('options.seed must be a non-negative safe integer');
    const seriesPoints = options.seriesPoints ?? 0;
    if (!Number.isInteger(seriesPoints) || seriesPoints < 0 || seriesPoints === 1) throw new TypeError('options.seriesPoints must be 0 or an integer ≥ 2');
    const chunkSize = options.chunkSize ?? Math.max(1, Math.min(500, Math.ceil(runs / (Math.max(1, this.workers) * 8))));
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new TypeError('options.chunkSize must be a positive integer');

    let modelId = ids.get(compiled);
    if (!modelId) ids.set(compiled, (modelId = `${compiled.meta.twin}/${compiled.meta.scenario}/${compiled.meta.regime}#${nextId++}`));
    const names = metricNames(compiled.meta);
    const width = names.length;
    const perRun = seriesPoints * SERIES_PER_POINT;
    const rows = new Float64Array(runs * width).fill(NaN);
    const series = new Float64Array(runs * perRun);
    const completed = new Uint8Array(runs);
    const interventions = options.interventions?.length ? packInterventions(options.interventions) : undefined;
    const started = performance.now();
    let completedRuns = 0;
    let busyMs = 0;
    let busyRuns = 0;

    const accept = (chunk: ChunkResult): void => {
      const offset = chunk.runStart - runStart;
      rows.set(chunk.rows, offset * width);
      series.set(chunk.series, offset * perRun);
      completed.fill(1, offset, offset + chunk.runEnd - chunk.runStart);
      completedRuns += chunk.runEnd - chunk.runStart;
      busyMs += chunk.elapsedMs - chunk.warmUpMs;
      busyRuns += chunk.runEnd - chunk.runStart - chunk.warmUpRuns;
      options.onChunk?.(chunk);
      options.onProgress?.({ completedRuns, totalRuns: runs, elapsedMs: performance.now() - started, busyRuns, busyMs, threads });
    };

    const tasks: ChunkTask[] = [];
    for (let first = runStart; first < runStart + runs; first += chunkSize) {
      tasks.push({ modelId, model: compiled.model, seed, runStart: first, runEnd: Math.min(first + chunkSize, runStart + runs), interventions, seriesPoints });
    }
    const signal = options.signal;
    const pool = this.#poolFor(tasks.length);
    const shared = pool !== undefined && (tasks.length > 1 || this.offThread);
    const threads = shared ? Math.min(this.workers, tasks.length) : 1;
    if (!shared) {
      for (const task of tasks) {
        if (signal?.aborted) break;
        accept(runChunk(task));
        // Yield between chunks so an abort (Ctrl-C) can be observed.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      // Every queued chunk listens for the abort, so they listen on a signal of the batch's own, relayed from
      // the caller's by one listener: the caller's signal (a server job's) then never holds more than ten,
      // which Node reports as a possible leak (MaxListenersExceededWarning).
      const chunks = new AbortController();
      setMaxListeners(0, chunks.signal);
      const relay = (): void => {
        this.#abortedOnWorkers = true;
        chunks.abort();
      };
      if (signal?.aborted) chunks.abort();
      else signal?.addEventListener('abort', relay, { once: true });
      // The first chunk to fail (or whose onChunk throws) stops the others, so nothing reaches onChunk after
      // the batch has failed; its error is the batch's. Piscina may settle several chunks in one pass: those
      // settled after the failure are dropped, not accepted.
      let failure: { error: unknown } | undefined;
      try {
        await Promise.all(
          tasks.map(async (task) => {
            try {
              const chunk = (await pool.run(task, { signal: chunks.signal })) as ChunkResult;
              if (failure) return;
              accept(chunk);
            } catch (error) {
              if (signal?.aborted || failure) return;
              failure = { error };
              this.#abortedOnWorkers = true;
              chunks.abort();
            }
          }),
        );
      } finally {
        signal?.removeEventListener('abort', relay);
      }
      if (failure) throw failure.error;
    }
    return { runStart, runs, metricNames: names, rows, seriesPoints, series, completed, complete: completedRuns === runs, elapsedMs: performance.now() - started };
  }

  /**
   * Lets go of a finished model, so the next one (a comparison's or sweep's next member) is not compiled
   * and run beside it: this thread's kept state is dropped, and when the model is large (≥ 128 MB of arrays:
   * nhs-england's is 319 MB) the worker pool is stopped — a worker keeps its last model and state until its
   * next task, and an idle isolate never collects them. The next batch starts a new pool; `reclaim()`
   * collects this thread's last references once the caller has dropped its own.
   */
  async release(compiled: Compiled): Promise<void> {
    releaseState();
    if (modelBytes(compiled.model) < LARGE_MODEL_BYTES) return;
    this.#released = true;
    if (this.#pool) {
      const pool = this.#pool;
      this.#pool = undefined;
      await pool.destroy();
    }
  }

  /**
   * Call before compiling the next model, once the released one is out of reach (or, with `force`, after
   * other large garbage: a 42 MB document handed to the store): a model's arrays are shared buffers, which
   * V8 does not count as pressure on its heap, so without a full collection now the next model (compiled
   * from small objects) would be allocated beside the last one. Native objects freed by the collection
   * (DuckDB's results) are finalised on the next turn of the event loop, then collected again.
   */
  async reclaim(force = false): Promise<void> {
    if (!this.#released && !force) return;
    this.#released = false;
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }

  /** Whether the worker pool is running (it starts with the first batch that shares work out). */
  get pooled(): boolean {
    return this.#pool !== undefined;
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
    this.#pool = undefined;
  }
}

/** One batch on a runner of its own. */
export async function runBatch(compiled: Compiled, options: BatchOptions & RunnerOptions): Promise<BatchResult> {
  const runner = new BatchRunner({ workers: options.workers });
  try {
    return await runner.run(compiled, options);
  } finally {
    await runner.close();
  }
}
