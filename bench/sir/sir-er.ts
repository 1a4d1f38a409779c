import type { CompiledModel } from '../../engine/compile/model.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { M } from '../../engine/kernel/metrics.js';
import { KernelState, HEALTHY } from '../../engine/kernel/state.js';
import { countGc } from '../harness/gc.js';
import { argument, main, round, sig3, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { SirBare } from '../prototypes/sir-bare.js';
import { SirPort, SirPortIndexed } from '../prototypes/sir-port.js';
import { compare, summariseSizes, TOLERANCE_SE } from './agreement.js';
import { buildAnchor, generateEr, runIgraphSir, runSirRef, runSirRefWasm, type Anchor, type IgraphStats, type SirRefStats } from './anchor.js';
import { BETA, compileSir, GAMMA, readEdgeList } from './er-twin.js';

/**
 * SIR equivalence: Strata's kernel against sir_ref.c (lazy and indexed heaps) on the same Erdős–Rényi graph
 * (gen_er.c, mean degree 8), in the same process launch, interleaved in blocks — C lazy, Strata, C indexed,
 * then again — so a change in machine load during the launch falls on both sides of each ratio.
 *
 * Beside them run sir_ref's two loops ported to plain TypeScript (bench/prototypes/sir-port.ts): what
 * JavaScript itself does on them here — the ceiling for a JS kernel with either algorithm — and the general
 * path's design with no model in it (bench/prototypes/sir-bare.ts: the same queue, draws and outbreaks):
 * `generalVsBare` is what the model and the kernel's structure cost on that path, `bareVsCLazy` what the
 * design reaches without them.
 *
 * An event is one infection or one recovery, as in sir_ref. Strata's SIR events are 2 × `compromised`:
 * every compromised node auto-restores before the horizon, which the bench checks run by run
 * (`unfinishedRuns` must be 0). Its `events` metric counts every event processed — popped ones, stale
 * attempts included, plus restores kept on the member (quiet restores, as sir_ref's indexed variant) —
 * so `strataKernelEventsPerEvent` is that metric per SIR event (1.0: no stale attempt is ever queued).
 *
 *   node --import tsx bench/sir/sir-er.ts --nodes 100000
 */
const MEAN_DEGREE = 8;
const GRAPH_SEED = 42;

/** perf-anchor/README.md, for orientation: a 2-vCPU x86-64 machine, medians of 3 launches (events/s). */
const README_FIGURES: Record<number, { cLazy: number; cIndexed: number; igraph: number }> = {
  10_000: { cLazy: 6.4e6, cIndexed: 9.5e6, igraph: 4.3e6 },
  100_000: { cLazy: 4.0e6, cIndexed: 5.6e6, igraph: 2.0e6 },
  1_000_000: { cLazy: 2.0e6, cIndexed: 2.8e6, igraph: 0.83e6 },
};

/** Targets from the bench-suite issue. */
export const SIR_TARGETS = { vsCLazy: 0.75, vsCLazyFloor: 0.6, vsIgraph: 1.5 } as const;

interface Plan {
  nodes: number;
  strataRuns: number;
  cReps: number;
  blocks: number;
  warmupRuns: number;
}

function plan(options: LaunchOptions): Plan {
  if (options.quick) return { nodes: 2000, strataRuns: 40, cReps: 40, blocks: 1, warmupRuns: 5 };
  const nodes = Number(argument(options.args, 'nodes', '10000'));
  if (!Number.isInteger(nodes) || nodes < 100) throw new Error(`bench/sir: --nodes expects an integer ≥ 100, got ${nodes}`);
  // About 3–10 s of Strata runs per launch, and more C runs (they are cheaper) for the agreement tests.
  return nodes <= 20_000 ? { nodes, strataRuns: 400, cReps: 800, blocks: 4, warmupRuns: 40 } : { nodes, strataRuns: 60, cReps: 120, blocks: 3, warmupRuns: 6 };
}

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const p = plan(options);
  const anchor = buildAnchor();
  if (!anchor) throw new Error('bench/sir: needs gcc and shared/perf-anchor (gen_er.c, sir_ref.c) beside the repository, or $STRATA_PERF_ANCHOR');
  try {
    return await measureWith(anchor, p, options.launch);
  } finally {
    anchor.dispose();
  }
}

async function measureWith(anchor: Anchor, p: Plan, launch: number): Promise<Measurements> {
  const edgesFile = generateEr(anchor, p.nodes, MEAN_DEGREE, GRAPH_SEED);

  // The twin is built in code (one entry per node, one bidirectional entry per edge), then validated and
  // compiled like any other: each step timed on its own.
  const started = performance.now();
  const edges = readEdgeList(edgesFile);
  const readMs = performance.now() - started;
  const { model, buildMs, validateMs, compileMs } = compileSir(p.nodes, edges);

  const state = new KernelState(model);
  for (let r = 0; r < p.warmupRuns; r++) runKernel(model, state, 7, 1_000_000 + r);
  // The general path — the one every seed scenario takes (detection, responses, a kill switch or
  // interventions turn the static-spread fast path off) — on the same model, for the same runs: the same
  // outbreaks (the same draws), through the event heap instead of the node-indexed queue.
  const general: CompiledModel = { ...model, staticSpread: 0, quietRestore: 0 };
  const generalState = new KernelState(general);
  for (let r = 0; r < p.warmupRuns; r++) runKernel(general, generalState, 7, 1_000_000 + r);
  let generalMs = 0;
  let generalEvents = 0;
  let generalDiffers = 0;
  const bare = new SirBare(model);
  for (let r = 0; r < p.warmupRuns; r++) bare.run(7, 1_000_000 + r);
  let bareMs = 0;
  let bareEvents = 0;
  let bareDiffers = 0;
  // sir_ref's lazy loop ported to plain TypeScript (bench/prototypes/sir-port.ts): not Strata, a ceiling.
  const port = new SirPort(model.offsets, model.targets, p.nodes);
  const portIndexed = new SirPortIndexed(model.offsets, model.targets, p.nodes);
  for (let r = 0; r < p.warmupRuns; r++) {
    port.run(BETA, GAMMA, 7, 1_000_000 + r);
    portIndexed.run(BETA, GAMMA, 7, 1_000_000 + r);
  }
  let portEvents = 0;
  let portMs = 0;
  let indexedEvents = 0;
  let indexedMs = 0;

  const strataSeed = 20_000 + launch;
  const sizes = new Float64Array(p.strataRuns);
  const strataMs = new Float64Array(p.strataRuns);
  const lazy: SirRefStats[] = [];
  // igraph_sir's figures per block (in the same launch, between the others), when libigraph-dev is installed.
  const igraphBlocks: IgraphStats[] = [];
  const indexed: SirRefStats[] = [];
  // The same sir_ref.c compiled to WebAssembly, run beside each native block (when clang and wasi-libc are here).
  const wasmLazy: SirRefStats[] = [];
  const wasmIndexed: SirRefStats[] = [];
  let popped = 0;
  let unfinished = 0;
  let collections = 0;
  for (let b = 0; b < p.blocks; b++) {
    const reps = Math.round(p.cReps / p.blocks);
    const cSeed = 10_000 * launch + b + 1;
    const c = { edges: edgesFile, nodes: p.nodes, beta: BETA, gamma: GAMMA, reps, seed: cSeed };
    lazy.push(runSirRef(anchor, { ...c, variant: 0 }));
    if (anchor.sirRefWasm) wasmLazy.push(runSirRefWasm(anchor, { ...c, variant: 0 }));
    const first = Math.round((b * p.strataRuns) / p.blocks);
    const last = Math.round(((b + 1) * p.strataRuns) / p.blocks);
    // Collections are counted over Strata's runs only, not the spawning of the C runs around them.
    const gc = countGc();
    for (let r = first; r < last; r++) {
      const started = performance.now();
      const out = runKernel(model, state, strataSeed, r);
      strataMs[r] = performance.now() - started;
      sizes[r] = out[M.compromised]!;
      popped += out[M.events]!;
      if (restoredCount(model, state) !== sizes[r]) unfinished++;
    }
    const counts = await gc.stop();
    collections += counts.minor + counts.major;
    for (let r = first; r < last; r++) {
      const started = performance.now();
      const out = runKernel(general, generalState, strataSeed, r);
      generalMs += performance.now() - started;
      generalEvents += 2 * out[M.compromised]!;
      if (out[M.compromised] !== sizes[r]) generalDiffers++;
    }
    for (let r = first; r < last; r++) {
      const started = performance.now();
      const compromised = bare.run(strataSeed, r);
      bareMs += performance.now() - started;
      bareEvents += 2 * compromised;
      if (compromised !== sizes[r]) bareDiffers++;
    }
    for (let r = first; r < last; r++) {
      let started = performance.now();
      portEvents += port.run(BETA, GAMMA, strataSeed, r);
      portMs += performance.now() - started;
      started = performance.now();
      indexedEvents += portIndexed.run(BETA, GAMMA, strataSeed, r);
      indexedMs += performance.now() - started;
    }
    indexed.push(runSirRef(anchor, { ...c, variant: 1 }));
    if (anchor.sirRefWasm) wasmIndexed.push(runSirRefWasm(anchor, { ...c, variant: 1 }));
    // igraph keeps every outbreak's history, so it runs fewer outbreaks per block than sir_ref.
    if (anchor.igraphSir) igraphBlocks.push(runIgraphSir(anchor, { ...c, reps: Math.max(8, Math.round(reps / 4)) }));
  }

  const strataEvents = 2 * sizes.reduce((a, x) => a + x, 0);
  const strataTotalMs = strataMs.reduce((a, x) => a + x, 0);
  const strataEventsPerSecond = (strataEvents / strataTotalMs) * 1000;
  const generalEventsPerSecond = (generalEvents / generalMs) * 1000;
  const bareEventsPerSecond = (bareEvents / bareMs) * 1000;
  const cLazy = pool(lazy);
  const cIndexed = pool(indexed);
  const wasm = anchor.sirRefWasm ? { lazy: pool(wasmLazy), indexed: pool(wasmIndexed) } : undefined;
  const jsLazy = (portEvents / portMs) * 1000;
  const jsIndexed = (indexedEvents / indexedMs) * 1000;
  const sample = summariseSizes(sizes, p.nodes);
  const agreement = compare(sample, { runs: cLazy.reps, meanEvents: cLazy.meanEvents, major: cLazy.major });
  const readme = README_FIGURES[p.nodes];
  // The igraph figure was measured on another machine: scale it by how fast C lazy runs here against there.
  const igraphHere = readme ? readme.igraph * (cLazy.eventsPerSecond / readme.cLazy) : NaN;
  // Measured here, in this launch: total events over total time across blocks (each block's own figure is
  // events over time, so the pooled rate weights blocks by their events).
  const igraphEvents = igraphBlocks.reduce((a, b) => a + b.reps * b.meanEventsPerRun, 0);
  const igraphSeconds = igraphBlocks.reduce((a, b) => a + (b.reps * b.meanEventsPerRun) / b.eventsPerSecond, 0);
  const igraphMeasured = igraphBlocks.length > 0 ? igraphEvents / igraphSeconds : NaN;

  return {
    nodes: p.nodes,
    edges: edges.length / 2,
    strataRuns: p.strataRuns,
    cRuns: cLazy.reps,
    readEdgesMs: round(readMs),
    buildMs: round(buildMs),
    validateMs: round(validateMs),
    compileMs: round(compileMs),
    anchorCompileMs: round(anchor.compileMs),
    strataEventsPerSecond: sig3(strataEventsPerSecond),
    cLazyEventsPerSecond: sig3(cLazy.eventsPerSecond),
    cIndexedEventsPerSecond: sig3(cIndexed.eventsPerSecond),
    ratioVsCLazy: round(strataEventsPerSecond / cLazy.eventsPerSecond, 3),
    // Labelled: `strata…`/`ratioVsCLazy` are the static-spread fast path (no detection, responses, kill switch
    // or interventions); `general…` the path real scenarios take, on the same outbreaks.
    generalEventsPerSecond: sig3(generalEventsPerSecond),
    generalVsCLazy: round(generalEventsPerSecond / cLazy.eventsPerSecond, 3),
    generalVsCIndexed: round(generalEventsPerSecond / cIndexed.eventsPerSecond, 3),
    generalRunsDiffering: generalDiffers,
    // The general path's design without the model (bench/prototypes/sir-bare.ts), on the same outbreaks.
    bareEventsPerSecond: sig3(bareEventsPerSecond),
    bareVsCLazy: round(bareEventsPerSecond / cLazy.eventsPerSecond, 3),
    generalVsBare: round(generalEventsPerSecond / bareEventsPerSecond, 3),
    bareRunsDiffering: bareDiffers,
    ratioVsCIndexed: round(strataEventsPerSecond / cIndexed.eventsPerSecond, 3),
    jsLazyEventsPerSecond: sig3(jsLazy),
    jsIndexedEventsPerSecond: sig3(jsIndexed),
    jsLazyVsCLazy: round(jsLazy / cLazy.eventsPerSecond, 3),
    jsIndexedVsCLazy: round(jsIndexed / cLazy.eventsPerSecond, 3),
    ratioVsJsLazy: round(strataEventsPerSecond / jsLazy, 3),
    // sir_ref.c itself as WebAssembly in this V8: what compiling a kernel to wasm32 buys over the same loop in
    // JavaScript (wasm…VsJs…), and over none (wasm…VsC…). Null, with the reason, without clang and wasi-libc.
    wasmLazyEventsPerSecond: wasm ? sig3(wasm.lazy.eventsPerSecond) : null,
    wasmIndexedEventsPerSecond: wasm ? sig3(wasm.indexed.eventsPerSecond) : null,
    wasmLazyVsCLazy: wasm ? round(wasm.lazy.eventsPerSecond / cLazy.eventsPerSecond, 3) : null,
    wasmIndexedVsCLazy: wasm ? round(wasm.indexed.eventsPerSecond / cLazy.eventsPerSecond, 3) : null,
    wasmIndexedVsCIndexed: wasm ? round(wasm.indexed.eventsPerSecond / cIndexed.eventsPerSecond, 3) : null,
    wasmLazyVsJsLazy: wasm ? round(wasm.lazy.eventsPerSecond / jsLazy, 3) : null,
    wasmIndexedVsJsIndexed: wasm ? round(wasm.indexed.eventsPerSecond / jsIndexed, 3) : null,
    // Same source, seed and draws: the WebAssembly build simulates the native build's outbreaks.
    wasmAgrees: wasm ? wasm.lazy.meanEvents === cLazy.meanEvents && wasm.lazy.major === cLazy.major && wasm.indexed.major === cIndexed.major : null,
    whyNoWasm: anchor.whyNoWasm ?? null,
    igraphEventsPerSecond: igraphBlocks.length > 0 ? sig3(igraphMeasured) : null,
    ratioVsIgraph: igraphBlocks.length > 0 ? round(strataEventsPerSecond / igraphMeasured, 3) : null,
    generalVsIgraph: igraphBlocks.length > 0 ? round(generalEventsPerSecond / igraphMeasured, 3) : null,
    igraphMajorShare: igraphBlocks.length > 0 ? round(igraphBlocks.reduce((a, b) => a + b.major, 0) / igraphBlocks.reduce((a, b) => a + b.reps, 0), 4) : null,
    igraphReadmeEventsPerSecond: readme ? readme.igraph : null,
    ratioVsIgraphReadme: readme ? round(strataEventsPerSecond / readme.igraph, 3) : null,
    ratioVsIgraphScaled: readme ? round(strataEventsPerSecond / igraphHere, 3) : null,
    strataMedianMsPerRun: round(median(strataMs), 3),
    cLazyMedianMsPerRun: round(median(lazy.map((s) => s.medianMs)), 3),
    cIndexedMedianMsPerRun: round(median(indexed.map((s) => s.medianMs)), 3),
    strataKernelEventsPerEvent: round(popped / strataEvents, 3),
    cLazyPushesPerEvent: lazy[0]!.pushesPerEvent,
    cIndexedPushesPerEvent: indexed[0]!.pushesPerEvent,
    unfinishedRuns: unfinished,
    gcPerThousandRuns: round((collections * 1000) / p.strataRuns, 2),
    strataMeanSize: round(sample.meanSize),
    cMeanSize: round(cLazy.meanEvents / 2),
    strataMajorShare: round(sample.major / sample.runs, 4),
    cMajorShare: round(cLazy.major / cLazy.reps, 4),
    strataMeanMajorSize: round(sample.meanMajorSize),
    zMeanSize: round(agreement.meanSize.z, 2),
    zMajorShare: round(agreement.majorShare.z, 2),
    zMeanMajorSize: round(agreement.meanMajorSize.z, 2),
    toleranceSE: TOLERANCE_SE,
    agreementPass: agreement.pass,
    // Same seed, same draws: C's two variants simulate identical outbreaks (a check on the parse).
    cVariantsAgree: lazy.every((s, i) => s.meanEventsPerRun === indexed[i]!.meanEventsPerRun && s.major === indexed[i]!.major),
    targetVsCLazyMet: strataEventsPerSecond / cLazy.eventsPerSecond >= SIR_TARGETS.vsCLazy,
    floorVsCLazyMet: strataEventsPerSecond / cLazy.eventsPerSecond >= SIR_TARGETS.vsCLazyFloor,
    targetVsIgraphMet: igraphBlocks.length > 0 ? strataEventsPerSecond / igraphMeasured >= SIR_TARGETS.vsIgraph : readme ? strataEventsPerSecond / igraphHere >= SIR_TARGETS.vsIgraph : null,
  };
}

/** Blocks of one sir_ref variant, pooled: total events over total time, as sir_ref itself reports. */
function pool(blocks: readonly SirRefStats[]): { reps: number; eventsPerSecond: number; meanEvents: number; major: number } {
  let reps = 0;
  let events = 0;
  let seconds = 0;
  let major = 0;
  for (const s of blocks) {
    const e = s.meanEventsPerRun * s.reps;
    reps += s.reps;
    events += e;
    seconds += e / s.eventsPerSecond;
    major += s.major;
  }
  return { reps, eventsPerSecond: events / seconds, meanEvents: events / reps, major };
}

/**
 * Members restored within the horizon. The kernel keeps a quiet restore (CompiledModel.quietRestore) on the
 * member rather than queuing it, so a restore is read from the member's restore time, not its state.
 */
function restoredCount(model: CompiledModel, state: KernelState): number {
  let restored = 0;
  for (let i = 0; i < model.nodeCount; i++) if (state.state[i] !== HEALTHY && state.restoreAt[i]! <= model.horizonMinutes) restored++;
  return restored;
}

function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

main(import.meta.url, measure);
