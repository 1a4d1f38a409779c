import { compile } from '../../engine/compile/compile.js';
import type { CompiledModel } from '../../engine/compile/model.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { M } from '../../engine/kernel/metrics.js';
import { KernelState } from '../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../scenarios/index.js';
import { argument, main, round, sig3, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { buildAnchor, generateEr } from '../sir/anchor.js';
import { compileSir, readEdgeList } from '../sir/er-twin.js';
import type * as PrototypeKernel from './kernel/kernel.js';
import { configurePrototype, runPrototype, type PrototypeConfig } from './kernel/kernel.js';

/**
 * The prototype kernel (bench/prototypes/kernel/) against the real one, on the same model and the same run
 * indices: first a check that it reproduces the real kernel's metrics exactly (every column but `events`),
 * then interleaved timing (real, variants…, variants reversed, real) so load drift falls on all of them.
 *
 *   node --import tsx bench/prototypes/prototype.ts --model sir --nodes 10000
 *   node --import tsx bench/prototypes/prototype.ts --model acute-trust
 */
type PrototypeVariant = 'inlined' | 'slotHeap' | 'slotHeap4';
const VARIANTS: Record<PrototypeVariant, PrototypeConfig> = {
  /** Changes 2 and 3 only (time in a cell, stale attempts dropped early), on the engine's heap. */
  inlined: { arity: 0 },
  slotHeap: { arity: 2 },
  slotHeap4: { arity: 4 },
};
type Variant = PrototypeVariant | 'real';

interface Subject {
  name: string;
  model: CompiledModel;
  /** Events a run counts for events/s: SIR events for the SIR model, popped events otherwise. */
  events: (out: Float64Array) => number;
}

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const which = argument(options.args, 'model', 'sir');
  if (which === 'sir') return measureSir(options);
  if (which === 'acute-trust') return measureAcuteTrust(options);
  throw new Error(`bench/prototypes: --model expects sir or acute-trust, got ${which}`);
}

async function measureSir(options: LaunchOptions): Promise<Measurements> {
  const nodes = options.quick ? 2000 : Number(argument(options.args, 'nodes', '10000'));
  const anchor = buildAnchor();
  if (!anchor) throw new Error('bench/prototypes: needs gcc and shared/perf-anchor (see bench/sir/anchor.ts)');
  try {
    const { model } = compileSir(nodes, readEdgeList(generateEr(anchor, nodes, 8, 42)));
    const subject: Subject = { name: `sir-${nodes}`, model, events: (out) => 2 * out[M.compromised]! };
    const identical = checkIdentical(subject, options.quick ? 5 : nodes > 20_000 ? 6 : 20);
    const rounds = options.quick ? 2 : nodes > 20_000 ? 6 : 12;
    const budget = options.quick ? 40 : nodes > 20_000 ? 2500 : 1000;
    const timing = await interleave(subject, rounds, budget);
    return {
      model: subject.name,
      identicalRuns: identical,
      ...speedups(timing),
      // CPU-time rates, for the record; ratios against C are in the sir-er benches (wall clock on both sides).
      realEventsPerSecondCpu: sig3(timing.real.eventsPerSecond),
      slotHeap4EventsPerSecondCpu: sig3(timing.slotHeap4.eventsPerSecond),
    };
  } finally {
    anchor.dispose();
  }
}

async function measureAcuteTrust(options: LaunchOptions): Promise<Measurements> {
  const out: Measurements = {};
  let identical = 0;
  const regime = resolveRegime('baseline');
  for (const name of ['wannacry-down', 'medjack-up', 'crowdstrike-update']) {
    const { scenario, twin } = resolveScenario(name, 'acute-trust');
    const subject: Subject = { name, model: compile(twin, scenario, regime).model, events: (o) => o[M.events]! };
    identical += checkIdentical(subject, options.quick ? 3 : 20);
    const timing = await interleave(subject, options.quick ? 2 : 8, options.quick ? 30 : 800);
    for (const [key, value] of Object.entries(speedups(timing))) out[`${name}.${key}`] = value;
  }
  return { model: 'acute-trust', identicalRuns: identical, ...out };
}

/** Runs whose metrics (all but `events`) every variant reproduces bit for bit. */
function checkIdentical(subject: Subject, runs: number): number {
  const state = new KernelState(subject.model);
  const columns = state.out.length;
  let identical = 0;
  for (let r = 0; r < runs; r++) {
    const expected = Float64Array.from(runKernel(subject.model, state, 99, r));
    let same = true;
    for (const config of Object.values(VARIANTS)) {
      configurePrototype(config);
      const actual = runPrototype(subject.model, state, 99, r);
      for (let c = 0; c < columns; c++) if (c !== M.events && !Object.is(actual[c], expected[c])) same = false;
    }
    if (same) identical++;
  }
  return identical;
}

interface Timing {
  /** Median over rounds of (real kernel's CPU time) / (variant's CPU time) on the same runs. */
  speedup: number;
  runsPerSecond: number;
  eventsPerSecond: number;
}

type Prototype = typeof PrototypeKernel;

/**
 * One module instance per variant (a query string makes the loader evaluate the file afresh), so no
 * variant's type feedback — the heap class, above all — leaks into another's optimised code.
 */
async function instances(): Promise<Record<PrototypeVariant, Prototype>> {
  const out: Partial<Record<PrototypeVariant, Prototype>> = {};
  for (const variant of Object.keys(VARIANTS) as PrototypeVariant[]) {
    const instance = (await import(/* @vite-ignore */ `./kernel/kernel.js?${variant}`)) as Prototype;
    instance.configurePrototype(VARIANTS[variant]);
    out[variant] = instance;
  }
  return out as Record<PrototypeVariant, Prototype>;
}

/**
 * Paired rounds: in each round every variant (and the real kernel) runs the same run indices, in an order
 * rotated from round to round; a variant's speedup is the median over rounds of the real kernel's CPU time
 * over its own. CPU time (process.cpuUsage) and the median of paired ratios both damp what other processes
 * on the machine do to a wall clock.
 */
async function interleave(subject: Subject, rounds: number, budgetMs: number): Promise<Record<Variant, Timing>> {
  const prototypes = await instances();
  const state = new KernelState(subject.model);
  const order: Variant[] = ['real', 'inlined', 'slotHeap', 'slotHeap4'];
  const runOf = (variant: Variant): ((r: number) => Float64Array) =>
    variant === 'real' ? (r) => runKernel(subject.model, state, 7, r) : (r) => prototypes[variant].runPrototype(subject.model, state, 7, r);
  // Warm every variant up, and size a round from the real kernel's speed.
  let perRound = 1;
  for (const variant of order) {
    const run = runOf(variant);
    const started = performance.now();
    let r = 0;
    while (r < 3 || performance.now() - started < budgetMs / 4) run(1_000_000 + r++);
    if (variant === 'real') perRound = Math.max(2, Math.round((r * budgetMs) / (performance.now() - started) / 4));
  }
  const cpu = Object.fromEntries(order.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  const events = Object.fromEntries(order.map((v) => [v, 0])) as Record<Variant, number>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < order.length; i++) {
      const variant = order[(i + round) % order.length]!;
      const run = runOf(variant);
      const before = process.cpuUsage();
      for (let r = round * perRound; r < (round + 1) * perRound; r++) events[variant] += subject.events(run(r));
      const used = process.cpuUsage(before);
      cpu[variant].push((used.user + used.system) / 1000);
    }
  }
  const total = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);
  return Object.fromEntries(
    order.map((v) => {
      const ratios = cpu.real.map((ms, round) => ms / cpu[v][round]!);
      const ms = total(cpu[v]);
      return [v, { speedup: median(ratios), runsPerSecond: ((rounds * perRound) / ms) * 1000, eventsPerSecond: (events[v] / ms) * 1000 }];
    }),
  ) as Record<Variant, Timing>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function speedups(timing: Record<Variant, Timing>): Measurements {
  return {
    realRunsPerSecond: sig3(timing.real.runsPerSecond),
    inlinedSpeedup: round(timing.inlined.speedup, 3),
    slotHeapSpeedup: round(timing.slotHeap.speedup, 3),
    slotHeap4Speedup: round(timing.slotHeap4.speedup, 3),
  };
}

main(import.meta.url, measure);
