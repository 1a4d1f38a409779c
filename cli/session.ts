import { availableParallelism } from 'node:os';
import { BatchRunner, type BatchProgress, type BatchResult } from '../engine/batch/batch.js';
import type { Compiled } from '../engine/compile/model.js';
import type { Intervention } from '../engine/kernel/interventions.js';
import { untilPrecision } from '../engine/stats/convergence.js';
import { InterruptedError } from './errors.js';
import { interruptible } from './interrupt.js';
import { progressBar } from './progress.js';

/**
 * Running batches for the CLI: one worker pool for the whole command, Ctrl-C (or SIGTERM) turned into an abort
 * that keeps finished chunks, and optional streaming of each chunk to the store as it lands.
 */
export class Session {
  readonly runner: BatchRunner;
  readonly controller = new AbortController();
  readonly #forget: () => void;

  constructor(workers = availableParallelism()) {
    this.runner = new BatchRunner({ workers });
    // The first Ctrl-C or SIGTERM aborts; the batch keeps what finished (cli/interrupt.ts).
    this.#forget = interruptible(this.controller);
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Whether a Ctrl-C (or SIGTERM) has stopped the session, once a signal that arrived during synchronous work (a
   * compile: seconds on nhs-england) has been handled — Node runs signal handlers only when the event loop
   * polls, which awaiting a promise does not reach: two turns of the loop do.
   */
  async stopped(): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return this.interrupted;
  }

  /** Lets go of a finished member's model (BatchRunner.release); `reclaim()` before compiling the next. */
  async release(compiled: Compiled): Promise<void> {
    await this.runner.release(compiled);
  }

  async reclaim(force = false): Promise<void> {
    await this.runner.reclaim(force);
  }

  async close(): Promise<void> {
    this.#forget();
    await this.runner.close();
  }

  /** Runs [runStart, runStart + runs), reporting progress and handing each chunk to `onChunk`. */
  async batch(
    compiled: Compiled,
    options: {
      runs: number;
      runStart?: number;
      seed: number;
      label: string;
      progress: boolean;
      /** The room's decisions, taken in every run (engine/batch/decisions.ts). */
      interventions?: readonly Intervention[];
      onChunk?: (runStart: number, rows: Float64Array) => void | Promise<boolean>;
    },
  ): Promise<BatchResult> {
    const bar = progressBar(options.label, options.runs, options.progress);
    // Streaming to a store, the bar counts committed runs, not finished ones: a run the bar has counted
    // survives a kill (the store holds it). Otherwise it counts finished runs.
    const started = performance.now();
    let committed = 0;
    // The runner's latest progress: its threads' busy time, the same whichever of its runs are committed yet.
    let latest: BatchProgress | undefined;
    let commits: Promise<unknown> = Promise.resolve();
    const onChunk = options.onChunk;
    try {
      return await this.runner.run(compiled, {
        runs: options.runs,
        runStart: options.runStart ?? 0,
        seed: options.seed,
        interventions: options.interventions,
        signal: this.controller.signal,
        onProgress: onChunk ? (p) => (latest = p) : bar.update,
        onChunk: onChunk
          ? (chunk) => {
              const commit = Promise.resolve(onChunk(chunk.runStart, chunk.rows)).then((stored) => {
                if (stored === false) return;
                committed += chunk.runEnd - chunk.runStart;
                bar.update({ ...latest, completedRuns: committed, totalRuns: options.runs, elapsedMs: performance.now() - started });
              });
              commits = Promise.all([commits, commit]);
            }
          : undefined,
      });
    } finally {
      // The bar ends where the store is: every chunk handed over is committed (or its failure kept for flush).
      await commits;
      bar.stop();
    }
  }

  /**
   * Runs in rounds until every headline metric with any spread has a 95% interval of relative half-width
   * ≤ `precision` (or is out of reach: precisionMisses), or `maxRuns` is reached. Rounds double (PRECISION_FIRST_ROUND, then as many runs as
   * were run before: nextRoundEnd), so the check costs little; `run --resume` replays the same rounds.
   */
  async untilPrecision(
    compiled: Compiled,
    options: {
      precision: number;
      seed: number;
      label: string;
      progress: boolean;
      maxRuns: number;
      metrics: string[];
      interventions?: readonly Intervention[];
      onChunk?: (runStart: number, rows: Float64Array) => void;
    },
  ): Promise<{ result: BatchResult; reached: boolean; missed: PrecisionMiss[] }> {
    let runs = 0;
    const parts: BatchResult[] = [];
    for (;;) {
      const end = nextRoundEnd(runs, options.maxRuns);
      // Each round's progress is its own (its estimate and closing line in a log): named as the round.
      const label = `${options.label}, round ${parts.length + 1} (runs ${(runs + 1).toLocaleString('en-GB')}–${end.toLocaleString('en-GB')})`;
      const part = await this.batch(compiled, { runs: end - runs, runStart: runs, seed: options.seed, label, progress: options.progress, interventions: options.interventions, onChunk: options.onChunk });
      parts.push(part);
      runs += part.runs;
      const merged = merge(parts);
      if (this.interrupted) throw new InterruptedError(`interrupted after ${merged.completed.reduce((a, b) => a + b, 0)} runs`);
      const missed = precisionMisses(merged.rows, merged.metricNames, options.metrics, options.precision, options.maxRuns);
      if (precisionDone(missed, runs, options.maxRuns)) return { result: merged, reached: missed.length === 0, missed };
    }
  }
}

/** The first round of an --until-precision batch, in runs. */
const PRECISION_FIRST_ROUND = 200;

/** Where the round after `runs` runs ends: the first round, then as many runs again (doubling), at most `maxRuns`. */
export function nextRoundEnd(runs: number, maxRuns: number): number {
  return Math.min(runs === 0 ? PRECISION_FIRST_ROUND : 2 * runs, maxRuns);
}

/** A headline metric whose mean is not yet known to the precision asked, and how well it is known. */
export interface PrecisionMiss {
  metric: string;
  /** The 95% interval's half-width over the mean, over the runs where the metric has a value (NaN: under 30 of them). */
  relativeHalfWidth: number;
  /** The runs where the metric has a value (a time of something that happened in few runs has few). */
  runs: number;
  /**
   * The batch's runs the precision would take at the spread seen so far (the half-width shrinks as 1/√runs);
   * under 30 values, the runs that 30 would take at the rate seen (at least what the precision needs).
   */
  needs: number;
  /** Needs more than REACH_MARGIN × the cap, seen after REACH_MIN_RUNS runs: it no longer holds the batch. */
  outOfReach: boolean;
}

/**
 * A metric whose mean is almost always 0 — a rare event, such as a GP pathology service that falls below 90%
 * in a handful of runs — has a relative precision that takes millions of runs: ±196% after 12,800 runs of
 * medjack-up on a 400-bed trust, which at that spread needs about 20 million for ±5%. Running to the cap for
 * it alone does not bring it within reach (the README's example ran 100,000 runs for 80 s and missed it).
 * So once a batch has REACH_MIN_RUNS runs, a metric that would need more than REACH_MARGIN × the cap no
 * longer holds it: the batch goes on until the other headline means are known, and says which one was out of
 * reach and what it would need. The margin keeps a spread seen early, and overstated by a few large runs,
 * from dropping a metric that the cap could reach.
 */
const REACH_MIN_RUNS = 3_200;
const REACH_MARGIN = 4;

/**
 * The metrics (of `metrics`) whose mean over the rows is not known to ± `precision` relative, 95%: the
 * stopping rule of --until-precision (engine/stats/convergence.ts untilPrecision, at least 30 runs). A
 * metric with no spread, or fewer than two values, is known. With the batch's `cap`, each miss says whether
 * it is out of reach (REACH_MARGIN).
 */
export function precisionMisses(rows: Float64Array, metricNames: readonly string[], metrics: readonly string[], precision: number, cap = Infinity): PrecisionMiss[] {
  const width = metricNames.length;
  const runs = rows.length / width;
  const missed: PrecisionMiss[] = [];
  for (const name of metrics) {
    const m = metricNames.indexOf(name);
    const values = Array.from({ length: runs }, (_, r) => rows[r * width + m]!).filter(Number.isFinite);
    if (values.length < 2 || values.every((v) => v === values[0])) continue;
    const check = untilPrecision(values, precision, { minRuns: 30 });
    if (check.reached) continue;
    const needs = Math.ceil(Number.isFinite(check.relativeHalfWidth) ? runs * (check.relativeHalfWidth / precision) ** 2 : (runs * 30) / values.length);
    missed.push({ metric: name, relativeHalfWidth: check.relativeHalfWidth, runs: values.length, needs, outOfReach: runs >= REACH_MIN_RUNS && needs > REACH_MARGIN * cap });
  }
  return missed;
}

/** Whether an --until-precision batch stops after `runs`: every headline mean known or out of reach, or the cap. */
export function precisionDone(missed: readonly PrecisionMiss[], runs: number, cap: number): boolean {
  return runs >= cap || missed.every((m) => m.outOfReach);
}

/** Concatenates consecutive batch parts (same model, consecutive run ranges). */
export function merge(parts: BatchResult[]): BatchResult {
  if (parts.length === 1) return parts[0]!;
  const width = parts[0]!.metricNames.length;
  const runs = parts.reduce((s, p) => s + p.runs, 0);
  const rows = new Float64Array(runs * width);
  const completed = new Uint8Array(runs);
  let at = 0;
  for (const p of parts) {
    rows.set(p.rows, at * width);
    completed.set(p.completed, at);
    at += p.runs;
  }
  return { ...parts[0]!, runs, rows, completed, series: new Float64Array(0), seriesPoints: 0, complete: parts.every((p) => p.complete), elapsedMs: parts.reduce((s, p) => s + p.elapsedMs, 0) };
}
