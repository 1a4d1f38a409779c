import type { BatchSummary } from '../engine/batch/summarize.js';
import type { Compiled } from '../engine/compile/model.js';
import { metricNames } from '../engine/kernel/metrics.js';
// The hashing module alone: the store's index loads DuckDB, which `run --help` need not.
import { canonicalJson } from '../store/hash.js';
import type { BatchKind, Store } from '../store/index.js';
import type { Inputs } from './inputs.js';
import type { PreparedInputs } from './model-cache.js';
import { engineVersion } from './version.js';

/** Characters of documents written ahead of a batch past which their garbage is collected before going on. */
export const LARGE_DOCUMENT = 8 * 2 ** 20;

/**
 * The documents as the store takes them. Prepared inputs (model-cache.ts) carry the twin as its canonical
 * JSON rather than as a document; either way the twin's JSON is made only if the store lacks it
 * (nhs-england's is 42 MB: a second each time).
 */
function documents(inputs: Inputs | PreparedInputs) {
  const prepared = 'twinJson' in inputs ? inputs : undefined;
  const twin = prepared ? prepared.twinJson : () => canonicalJson((inputs as Inputs).twin);
  return { hashes: inputs.hashes, documents: { twin: null, scenario: inputs.scenario, regime: inputs.regime }, canonical: { twin } };
}

/**
 * Streams a batch into the store: the batch row first (status running), each finished chunk in its own
 * transaction as it lands, and the status last — so a killed process leaves a batch marked unfinished
 * whose stored runs are intact and resumable.
 */
export class Recorder {
  #pending: Promise<unknown> = Promise.resolve();
  #failure: unknown;

  private constructor(
    readonly store: Store,
    readonly id: string,
    readonly width: number,
  ) {}

  static async begin(
    store: Store,
    compiled: Compiled,
    inputs: Inputs | PreparedInputs,
    options: { kind: BatchKind; groupId?: string; label?: string; seed: number; runs: number; untilPrecision?: number; settings?: readonly string[] },
  ): Promise<Recorder> {
    const names = metricNames(compiled.meta);
    const id = await store.beginBatch({
      kind: options.kind,
      groupId: options.groupId,
      label: options.label ?? inputs.regime.name,
      scenario: inputs.scenario.name,
      twin: 'twinJson' in inputs ? inputs.names.twin : inputs.twin.name,
      regime: inputs.regime.name,
      seed: options.seed,
      runs: options.runs,
      ...(options.untilPrecision === undefined ? {} : { untilPrecision: options.untilPrecision }),
      settings: options.settings ?? [],
      version: engineVersion(),
      ...documents(inputs),
      metricNames: names,
    });
    return new Recorder(store, id, names.length);
  }

  /**
   * Stores whichever of the inputs' documents the store lacks, ahead of the batch (and of compiling its
   * model, so the national twin's JSON is not made beside a model); returns the characters written.
   */
  static async storeDocuments(store: Store, inputs: Inputs | PreparedInputs): Promise<number> {
    return store.putDocuments(documents(inputs));
  }

  static resume(store: Store, id: string, width: number): Recorder {
    return new Recorder(store, id, width);
  }

  /** Hands a chunk's rows to the store at once; the store keeps calls in order and batches those that queue up. */
  /** Resolves true once the chunk is committed, false if it failed (the failure is kept for flush/finish). */
  chunk = (runStart: number, rows: Float64Array): Promise<boolean> => {
    const write = this.store.appendRuns(this.id, runStart, rows, this.width).catch((error: unknown) => {
      this.#failure ??= error;
    });
    this.#pending = Promise.all([this.#pending, write]);
    return write.then(() => this.#failure === undefined);
  };

  /** Waits until every chunk handed over so far is written. */
  async flush(): Promise<void> {
    await this.#pending;
    if (this.#failure) throw this.#failure;
  }

  async finish(summaries: BatchSummary | undefined, complete: boolean, elapsedMs: number): Promise<void> {
    await this.flush();
    await this.store.finishBatch(this.id, { status: complete ? 'complete' : 'incomplete', summaries: summaries ?? null, elapsedMs });
  }
}
