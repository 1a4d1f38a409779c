import { BatchRunner } from '../../engine/batch/batch.js';
import { compile } from '../../engine/compile/compile.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { M } from '../../engine/kernel/metrics.js';
import { KernelState } from '../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../scenarios/index.js';
import type { NhsEnglandParams } from '../../scenarios/twins/nhs-england.js';
import { MB, main, round, sig3, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { startRssSampler } from '../rss-sampler.js';

/**
 * wannacry-down on the national twin (defaults: ~2 million members, ~15 million edges) under the baseline
 * regime: resolve (generate + validate) and compile time with peak RSS, the per-run reset of the kernel
 * state, the kill switch's pass in a run, time per run on this thread, and the memory each Piscina worker
 * adds (its KernelState and its own V8 heap; the compiled model is shared, not copied).
 */
const QUICK: Partial<NhsEnglandParams> = { devices: 60_000, acuteTrusts: 6, specialistTrusts: 2, mentalHealthTrusts: 3, communityTrusts: 2, ambulanceTrusts: 1, gpPractices: 400 };

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const quick = options.quick;
  const rss = (): number => process.memoryUsage.rss() / MB;
  const sampler = startRssSampler();
  let t = performance.now();
  const { scenario, twin } = resolveScenario('wannacry-down', 'nhs-england', quick ? QUICK : {});
  const regime = resolveRegime('baseline');
  const resolveMs = performance.now() - t;
  t = performance.now();
  const compiled = compile(twin, scenario, regime);
  const compileMs = performance.now() - t;
  const peakCompileRssMB = (await sampler.stop()) / MB;
  const model = compiled.model;

  const state = new KernelState(model);
  const seed = 1000 + options.launch;
  // Time-boxed: a national run takes from tens of milliseconds to seconds, depending on the scenario's
  // parameters; at least 3 runs, at most 24, and no new run after 20 s.
  const budgetMs = quick ? 0 : 20_000;
  runKernel(model, state, seed, 1_000_000); // warm-up
  const runMs: number[] = [];
  let events = 0;
  const started = performance.now();
  for (let r = 0; r < 24 && (r < 3 || performance.now() - started < budgetMs); r++) {
    t = performance.now();
    events += runKernel(model, state, seed, r)[M.events]!;
    runMs.push(performance.now() - t);
  }
  const runs = runMs.length;
  const threadMs = runMs.reduce((a, x) => a + x, 0);
  // The reset after a run (it puts back what that run changed, then draws the next run's estate).
  const resets = quick ? 3 : 9;
  const resetMs: number[] = [];
  // And, inside those runs, the kill switch's pass over the scanners' pools (HealthyTargets.keepOnly).
  const keepOnly = state.targets.keepOnly.bind(state.targets);
  let killSwitchSpent = 0;
  state.targets.keepOnly = (...args: Parameters<typeof keepOnly>): void => {
    const t0 = performance.now();
    keepOnly(...args);
    killSwitchSpent += performance.now() - t0;
  };
  const killSwitchMs: number[] = [];
  for (let i = 0; i < resets; i++) {
    killSwitchSpent = 0;
    runKernel(model, state, seed, i);
    killSwitchMs.push(killSwitchSpent);
    t = performance.now();
    state.reset();
    resetMs.push(performance.now() - t);
  }

  // Memory per worker: RSS with a warm 2-worker pool (each worker holding its KernelState) over RSS before.
  global.gc?.();
  const before = rss();
  const batchSampler = startRssSampler();
  const pool = new BatchRunner({ workers: 2 });
  let batchMs = 0;
  try {
    await pool.run(compiled, { runs: 2, seed: seed + 1 });
    const result = await pool.run(compiled, { runs: 4, seed });
    batchMs = result.elapsedMs;
  } finally {
    await pool.close();
  }
  const batchPeakRssMB = (await batchSampler.stop()) / MB;

  return {
    nodes: model.nodeCount,
    edges: model.edgeCount,
    resolveMs: round(resolveMs),
    compileMs: round(compileMs),
    peakCompileRssMB: round(peakCompileRssMB),
    rssAfterCompileMB: round(before),
    resetMs: round(median(resetMs), 2),
    killSwitchMs: round(median(killSwitchMs), 2),
    msPerRunMedian: round(median(runMs), 2),
    msPerRunMean: round(threadMs / runs, 2),
    msPerRunMax: round(Math.max(...runMs), 2),
    eventsPerRun: round(events / runs, 0),
    kernelEventsPerSecond: sig3((events / threadMs) * 1000),
    resetShareOfRun: round(median(resetMs) / median(runMs), 3),
    runsPerSecond2Workers: sig3((4 * 1000) / batchMs),
    timedRuns: runs,
    batchPeakRssMB: round(batchPeakRssMB),
    memoryPerWorkerMB: round((batchPeakRssMB - before) / 2),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

main(import.meta.url, measure);
