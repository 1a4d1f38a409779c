import { SERIES_PER_POINT } from '../kernel/state.js';
import { runKernel } from '../kernel/kernel.js';
import { KernelState } from '../kernel/state.js';
import type { CompiledModel } from '../compile/model.js';

/** One unit of batch work: runs [runStart, runEnd) of a batch. */
export interface ChunkTask {
  /** Identifies the compiled model, so a worker reuses its state between chunks of the same batch. */
  modelId: string;
  model: CompiledModel;
  seed: number;
  runStart: number;
  runEnd: number;
  interventions?: Float64Array;
  seriesPoints: number;
}

/** A chunk's results, columnar: rows[(run - runStart) * metrics + m]; series likewise per run. */
export interface ChunkResult {
  runStart: number;
  runEnd: number;
  rows: Float64Array;
  series: Float64Array;
  elapsedMs: number;
  /**
   * Of elapsedMs, what a thread spends once per model: making its kernel state and the first run on it (the
   * JIT's warm-up and the state's first touch: on nhs-england 1.3–1.8 times a later run). 0 when the
   * thread already had the model; then warmUpRuns is 0, else 1.
   */
  warmUpMs: number;
  warmUpRuns: number;
}

let cachedId = '';
let cachedState: KernelState | undefined;

/** Drops the state kept for the last model run in this thread (and with it that model's arrays). */
export function releaseState(): void {
  cachedId = '';
  cachedState = undefined;
}

/** Runs a chunk in this thread, reusing the kernel state across chunks of the same model. */
export function runChunk(task: ChunkTask): ChunkResult {
  const started = performance.now();
  let fresh = false;
  if (cachedId !== task.modelId || !cachedState) {
    // The last model's state goes before this one's is made: on nhs-england each is ~135 MB.
    cachedState = undefined;
    cachedState = new KernelState(task.model);
    cachedId = task.modelId;
    fresh = true;
  }
  const state = cachedState;
  const width = state.out.length;
  const runs = task.runEnd - task.runStart;
  const rows = new Float64Array(runs * width);
  const perRun = task.seriesPoints * SERIES_PER_POINT;
  const series = new Float64Array(runs * perRun);
  let warmUpMs = 0;
  const options = { interventions: task.interventions, seriesPoints: task.seriesPoints, series: perRun > 0 ? series.subarray(0, perRun) : undefined };
  for (let run = task.runStart; run < task.runEnd; run++) {
    const i = run - task.runStart;
    if (perRun > 0) options.series = series.subarray(i * perRun, (i + 1) * perRun);
    rows.set(runKernel(task.model, state, task.seed, run, options), i * width);
    if (fresh && i === 0) warmUpMs = performance.now() - started;
  }
  return { runStart: task.runStart, runEnd: task.runEnd, rows, series, elapsedMs: performance.now() - started, warmUpMs, warmUpRuns: fresh && runs > 0 ? 1 : 0 };
}
