import { expandTwin, forEachMemberEdge } from '../../engine/model/expand.js';
import { twinFromValue } from '../../engine/model/load.js';
import { generateNhsEngland, type NhsEnglandParams } from '../../scenarios/twins/nhs-england.js';
import { MB, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { startRssSampler } from '../rss-sampler.js';

/**
 * Generates the nhs-england twin, validates it and expands its groups (~2 million members with the
 * defaults), timing each step; prints one JSON line on stdout. Target from the issue: under 10 s and
 * 2 GB peak on 2 cores. STRATA_BENCH_QUICK=1 builds a small estate instead (a smoke test of the bench).
 */
const QUICK: Partial<NhsEnglandParams> = {
  devices: 60_000,
  acuteTrusts: 6,
  specialistTrusts: 2,
  mentalHealthTrusts: 3,
  communityTrusts: 2,
  ambulanceTrusts: 1,
  gpPractices: 400,
};

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const quick = options.quick;
  const sampler = startRssSampler();
  const time = <T>(step: () => T): [T, number] => {
    const start = performance.now();
    const result = step();
    return [result, performance.now() - start];
  };

  const [value, generateMs] = time(() => generateNhsEngland(quick ? QUICK : {}));
  const [twin, validateMs] = time(() => twinFromValue(value, '<generated:nhs-england>'));
  // The member edges are generated, not stored, since issue 16: walked here so the step measures the same
  // work as before (expandTwin alone now only counts them).
  const [expanded, expandMs] = time(() => {
    const result = expandTwin(twin);
    let edges = 0;
    forEachMemberEdge(result, () => void edges++);
    if (edges !== result.edgeCount) throw new Error(`bench: ${edges} member edges walked, ${result.edgeCount} counted`);
    return result;
  });
  const peakRss = await sampler.stop();

  return {
    quick,
    generateMs: round(generateMs),
    validateMs: round(validateMs),
    expandMs: round(expandMs),
    totalMs: round(generateMs + validateMs + expandMs),
    peakRssMB: round(peakRss / MB),
    // maxRSS is reported in kilobytes (getrusage), over the whole life of the process.
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    nodeEntries: twin.nodes.length,
    edgeEntries: twin.edges.length,
    nodeCount: expanded.nodeCount,
    edgeCount: expanded.edgeCount,
  };
}

main(import.meta.url, measure);
