import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compile } from '../engine/compile/compile.js';
import type { CompiledModel } from '../engine/compile/model.js';
import { resolveRegime, resolveScenario } from '../scenarios/index.js';
import { buildAnchor, generateEr } from './sir/anchor.js';
import { compileSir, readEdgeList } from './sir/er-twin.js';

/**
 * Two checkouts' kernels in one process, on one compiled model: blocks of runs alternate between them
 * (A then B, then B then A, …) and the ratio of the two kernels' time is taken block by block. A change to
 * the kernel is measured this way where separate launches (bench/side-by-side.ts) would drown it in the
 * machine's drift. Each launch is its own process; odd launches load A's kernel first, even launches B's:
 * in one trial with built copies, the kernel loaded second ran up to 1.4× faster whichever it was, so the
 * order is never left to one side. The figure is the geometric mean over launches of each launch's median
 * block ratio, so the two load orders weigh equally. Two worktrees of one commit gave 0.96 (SIR general
 * 10k, 4 launches, 0.90–1.03) and 0.98 (wannacry-down at 12,000 beds, 8 launches, 0.85–1.07): read a
 * figure within about ±5% (±10% at 12,000 beds) as no difference.
 *
 *   git worktree add ../before <commit> && ln -s "$PWD/node_modules" ../before/node_modules
 *   npx tsx bench/kernel-ab.ts ../before . --workload sir-general --nodes 10000 --runs 300 --launches 4
 *   npx tsx bench/kernel-ab.ts ../before . --workload wannacry-down --beds 12000 --runs 30
 *
 * Workloads: `sir-general` and `sir-fast` (the SIR bench's ER graph, mean degree 8, on the general path or
 * the static-spread fast path), or a seed scenario on acute-trust (baseline regime, `--beds` to size it) or
 * on another twin (`--twin nhs-england`).
 * The model is compiled by this checkout, so both kernels must read the same CompiledModel; the warm-up
 * runs stop the bench if the two kernels' metrics (but `events`) differ. B ÷ A > 1: B is faster. --launches is even.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workload: { type: 'string', default: 'sir-general' },
    nodes: { type: 'string', default: '10000' },
    beds: { type: 'string' },
    twin: { type: 'string', default: 'acute-trust' },
    runs: { type: 'string', default: '300' },
    launches: { type: 'string', default: '4' },
    child: { type: 'boolean', default: false },
  },
});
const [first, second] = positionals.map((p) => resolve(p));
if (!first || !second) throw new TypeError('kernel-ab: two checkouts are required (A and B)');
const runs = Number(values.runs);

function model(): CompiledModel {
  const workload = values.workload!;
  if (workload === 'sir-general' || workload === 'sir-fast') {
    const nodes = Number(values.nodes);
    const anchor = buildAnchor();
    if (!anchor) throw new Error('kernel-ab: the SIR workloads need gcc and shared/perf-anchor (bench/sir/anchor.ts)');
    try {
      const compiled = compileSir(nodes, readEdgeList(generateEr(anchor, nodes, 8, 12345))).model;
      return workload === 'sir-fast' ? compiled : { ...compiled, staticSpread: 0, quietRestore: 0 };
    } finally {
      anchor.dispose();
    }
  }
  const { scenario, twin } = resolveScenario(workload, values.twin, values.beds ? { beds: Number(values.beds) } : {});
  return compile(twin, scenario, resolveRegime('baseline')).model;
}

interface Kernel {
  state: unknown;
  run: (m: CompiledModel, s: unknown, seed: number, runIndex: number) => Float64Array;
}

async function load(root: string, m: CompiledModel): Promise<Kernel & { fixed: readonly string[] }> {
  const { KernelState } = (await import(`${root}/engine/kernel/state.ts`)) as { KernelState: new (m: CompiledModel) => unknown };
  const { runKernel } = (await import(`${root}/engine/kernel/kernel.ts`)) as { runKernel: Kernel['run'] };
  const { FIXED_METRICS } = (await import(`${root}/engine/kernel/metrics.ts`)) as { FIXED_METRICS: readonly string[] };
  return { state: new KernelState(m), run: runKernel, fixed: FIXED_METRICS };
}

/**
 * Whether two kernels' rows agree but for `events`: the fixed metrics by name (a kernel that adds one, such as
 * firstDetectedAt, shifts the others), the per-model columns after them in order.
 */
function sameRows(a: { fixed: readonly string[] }, rowA: number[], b: { fixed: readonly string[] }, rowB: number[]): boolean {
  const fixed = a.fixed.every((name, i) => name === 'events' || !b.fixed.includes(name) || Object.is(rowA[i], rowB[b.fixed.indexOf(name)]));
  const tailA = rowA.slice(a.fixed.length);
  const tailB = rowB.slice(b.fixed.length);
  return fixed && tailA.length === tailB.length && tailA.every((x, i) => Object.is(x, tailB[i]));
}

/** One launch: the median over blocks of A's time ÷ B's time. */
async function child(): Promise<number> {
  const m = model();
  const a = await load(first!, m);
  const b = await load(second!, m);
  // Warm-up runs, which also check that the two kernels agree: a faster kernel that computes something else
  // is not a speed-up. `events` (what the kernel processed) may differ: it is how a kernel works.
  for (let r = 0; r < 30; r++) {
    const rowA = Array.from(a.run(m, a.state, 7, r));
    const rowB = Array.from(b.run(m, b.state, 7, r));
    if (!sameRows(a, rowA, b, rowB)) throw new Error(`kernel-ab: the two kernels' metrics differ on warm-up run ${r}`);
  }
  const block = 10;
  const ratios: number[] = [];
  for (let start = 0; start < runs; start += block) {
    const order = (start / block) % 2 === 0 ? [a, b] : [b, a];
    const ms = new Map<Kernel, number>();
    for (const k of order) {
      const t0 = performance.now();
      for (let r = start; r < start + block; r++) k.run(m, k.state, 11, r);
      ms.set(k, performance.now() - t0);
    }
    ratios.push(ms.get(a)! / ms.get(b)!);
  }
  ratios.sort((x, y) => x - y);
  return ratios[ratios.length >> 1]!;
}

const launches = Number(values.launches);
if (!values.child && !(Number.isInteger(launches) && launches > 0 && launches % 2 === 0)) {
  throw new TypeError(`kernel-ab: --launches must be a positive even number (both load orders equally), got ${values.launches}`);
}

if (values.child) {
  console.log(JSON.stringify({ ratio: await child() }));
} else {
  const self = fileURLToPath(import.meta.url);
  const ratios: number[] = [];
  for (let i = 0; i < launches; i++) {
    // Even launches load B first: their ratio is inverted back to B ÷ A.
    const swap = i % 2 === 1;
    const [x, y] = swap ? [second, first] : [first, second];
    const args = ['--import', 'tsx', self, x!, y!, '--child', '--workload', values.workload!, '--nodes', values.nodes!, '--runs', String(runs)];
    if (values.beds) args.push('--beds', values.beds);
    args.push('--twin', values.twin!);
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`kernel-ab: launch ${i + 1} failed:\n${result.stderr}`);
    const { ratio } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { ratio: number };
    ratios.push(swap ? 1 / ratio : ratio);
  }
  const mean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  const label = `${values.workload}${values.twin !== 'acute-trust' ? ` on ${values.twin}` : ''}${values.beds ? ` ${values.beds} beds` : values.workload!.startsWith('sir') ? ` ${values.nodes} nodes` : ''}`;
  console.log(`${label}: B ÷ A speed ${mean.toFixed(3)} (launches: ${ratios.map((r) => r.toFixed(3)).join(', ')}; first loaded: A, B, A, …)`);
}
