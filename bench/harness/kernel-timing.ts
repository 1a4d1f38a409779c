import { Bench } from 'tinybench';
import { countGc } from './gc.js';

/**
 * In-process timing of one-run-at-a-time work on this thread. tinybench times each call (a warm-up phase
 * first, then a time budget) and gives the per-run latency distribution; the run function returns the
 * events it processed so events/s covers the measured phase only.
 */
export interface RunTiming {
  runs: number;
  runsPerSecond: number;
  eventsPerSecond: number;
  /** Per-run latency, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Relative margin of error of the mean latency, percent (95%). */
  rmePercent: number;
}

export async function timeRuns(name: string, run: (index: number) => number, timeMs: number): Promise<RunTiming> {
  let next = 0;
  let events = 0;
  const bench = new Bench({ name, time: timeMs, iterations: 8, warmupTime: Math.max(20, timeMs / 4), warmupIterations: 8, throws: true });
  bench.add(name, () => void (events += run(next++)), {
    beforeAll: () => {
      events = 0;
    },
  });
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`bench: ${name} did not complete (${result.state})`);
  const runs = result.latency.samplesCount;
  return {
    runs,
    runsPerSecond: 1000 / result.period,
    eventsPerSecond: (events / result.totalTime) * 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rmePercent: result.latency.rme,
  };
}

/** Garbage collections per 1,000 runs of a plain loop (no harness allocating around it). */
export async function gcPerThousandRuns(run: (index: number) => number, runs: number, firstIndex: number): Promise<{ collections: number; pauseMs: number }> {
  const gc = countGc();
  for (let i = 0; i < runs; i++) run(firstIndex + i);
  const counts = await gc.stop();
  return { collections: ((counts.minor + counts.major) * 1000) / runs, pauseMs: (counts.pauseMs * 1000) / runs };
}
