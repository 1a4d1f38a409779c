import { BatchRunner } from '../../engine/batch/batch.js';
import { compile } from '../../engine/compile/compile.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { M } from '../../engine/kernel/metrics.js';
import { KernelState } from '../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../scenarios/index.js';
import { gcPerThousandRuns, timeRuns } from '../harness/kernel-timing.js';
import { argument, main, round, sig3, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * One seed scenario on the acute-trust twin under the baseline regime: the kernel on this thread (events/s,
 * runs/s, per-run latency, garbage collections per 1,000 runs), then batches on a Piscina pool of 1 and
 * of 2 workers. The two pools are timed in the order 1, 2, 2, 1 so a drift in machine load falls on both.
 * Wall-clock scaling needs two idle cores; `cpuEfficiency2v1` (CPU time per run, 1 worker over 2) does not.
 *
 *   node --import tsx bench/scenario/acute-trust.ts --scenario wannacry-down
 */
export async function measure(options: LaunchOptions): Promise<Measurements> {
  const name = argument(options.args, 'scenario', 'wannacry-down');
  const quick = options.quick;
  let t = performance.now();
  const { scenario, twin } = resolveScenario(name, 'acute-trust');
  const regime = resolveRegime('baseline');
  const resolveMs = performance.now() - t;
  t = performance.now();
  const compiled = compile(twin, scenario, regime);
  const compileMs = performance.now() - t;
  const model = compiled.model;

  const seed = 1000 + options.launch;
  const state = new KernelState(model);
  const run = (index: number): number => runKernel(model, state, seed, index)[M.events]!;
  const single = await timeRuns(`${name}/kernel`, run, quick ? 100 : 2500);
  const gcRuns = quick ? 20 : Math.max(200, Math.min(1000, Math.round(single.runsPerSecond * 3)));
  const gc = await gcPerThousandRuns(run, gcRuns, 1_000_000);

  // A batch of about 2 s on one worker; both pools run the same batch.
  const runs = quick ? 8 : Math.max(64, Math.round(single.runsPerSecond * 2));
  const one = new BatchRunner({ workers: 1 });
  const two = new BatchRunner({ workers: 2 });
  try {
    const warm = { runs: quick ? 2 : Math.max(8, Math.round(runs / 10)), seed: seed + 1 };
    await one.run(compiled, warm);
    await two.run(compiled, warm);
    const elapsed = { 1: 0, 2: 0 };
    // CPU time of the whole process, worker threads included: whether two workers do the same work per run
    // as one, whatever share of the two cores other processes leave them.
    const cpuMs = { 1: 0, 2: 0 };
    for (const workers of [1, 2, 2, 1] as const) {
      const before = process.cpuUsage();
      const result = await (workers === 1 ? one : two).run(compiled, { runs, seed });
      const used = process.cpuUsage(before);
      elapsed[workers] += result.elapsedMs;
      cpuMs[workers] += (used.user + used.system) / 1000;
    }
    const oneWorker = (2 * runs * 1000) / elapsed[1];
    const twoWorkers = (2 * runs * 1000) / elapsed[2];
    return {
      scenario: name,
      nodes: model.nodeCount,
      edges: model.edgeCount,
      resolveMs: round(resolveMs),
      compileMs: round(compileMs),
      kernelEventsPerSecond: sig3(single.eventsPerSecond),
      eventsPerRun: round(single.eventsPerSecond / single.runsPerSecond, 0),
      runsPerSecondThread: sig3(single.runsPerSecond),
      msPerRunP50: round(single.p50Ms, 3),
      msPerRunP99: round(single.p99Ms, 3),
      rmePercent: round(single.rmePercent, 2),
      timedRuns: single.runs,
      gcPerThousandRuns: round(gc.collections, 2),
      gcPauseMsPerThousandRuns: round(gc.pauseMs, 2),
      batchRuns: runs,
      runsPerSecond1Worker: sig3(oneWorker),
      runsPerSecond2Workers: sig3(twoWorkers),
      speedup2v1: round(twoWorkers / oneWorker, 3),
      scalingEfficiency: round(twoWorkers / oneWorker / 2, 3),
      cpuMsPerRun1Worker: round(cpuMs[1] / (2 * runs), 3),
      cpuMsPerRun2Workers: round(cpuMs[2] / (2 * runs), 3),
      // CPU per run on 1 worker over CPU per run on 2: 1 means parallel runs cost no extra work.
      cpuEfficiency2v1: round(cpuMs[1] / cpuMs[2], 3),
      batchVsThread: round(oneWorker / single.runsPerSecond, 3),
    };
  } finally {
    await one.close();
    await two.close();
  }
}

main(import.meta.url, measure);
