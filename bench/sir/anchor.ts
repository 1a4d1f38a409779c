import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The C anchor of the SIR bench (shared/perf-anchor, beside the repository): gen_er.c writes an
 * Erdős–Rényi edge list, sir_ref.c runs continuous-time Markovian SIR on it with a lazy event heap
 * (variant 0) or a node-indexed heap with decrease-key (variant 1) and prints one stats line. Both are
 * compiled here, with the flags the anchor's README gives, into a temporary folder of their own.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The anchor's sources: $STRATA_PERF_ANCHOR, else ../shared/perf-anchor beside the repository. */
export function anchorSources(): string | undefined {
  const candidates = [process.env.STRATA_PERF_ANCHOR, resolve(REPO, '../shared/perf-anchor'), resolve(REPO, 'shared/perf-anchor')];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'sir_ref.c')) && existsSync(join(dir, 'gen_er.c')));
}

export interface Anchor {
  dir: string;
  genEr: string;
  sirRef: string;
  /** igraph's own SIR (bench/sir/igraph_sir.c) built against Debian's libigraph-dev; undefined without it. */
  igraphSir: string | undefined;
  /**
   * The same sir_ref.c, unchanged, compiled to WebAssembly (wasm32-wasi, -O3) and run in this Node's V8
   * through node:wasi (bench/sir/wasi-run.mjs); undefined without a clang that targets wasm32-wasi and
   * Debian's wasi-libc (`whyNoWasm` says which). What a kernel compiled to WebAssembly could reach here.
   */
  sirRefWasm: string | undefined;
  whyNoWasm: string | undefined;
  compileMs: number;
  compiler: string;
  dispose(): void;
}

/** Compiles gen_er (-O2) and sir_ref (-O3) into a fresh temporary folder; undefined without sources or gcc. */
export function buildAnchor(): Anchor | undefined {
  const sources = anchorSources();
  if (!sources) return undefined;
  const version = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'strata-anchor-'));
  const started = performance.now();
  const genEr = join(dir, 'gen_er');
  const sirRef = join(dir, 'sir_ref');
  run('gcc', ['-O2', '-o', genEr, join(sources, 'gen_er.c')]);
  run('gcc', ['-O3', '-o', sirRef, join(sources, 'sir_ref.c'), '-lm']);
  const igraph = spawnSync('pkg-config', ['--cflags', '--libs', 'igraph'], { encoding: 'utf8' });
  let igraphSir: string | undefined;
  if (igraph.status === 0) {
    igraphSir = join(dir, 'igraph_sir');
    run('gcc', ['-O3', '-o', igraphSir, join(REPO, 'bench/sir/igraph_sir.c'), ...igraph.stdout.trim().split(/\s+/)]);
  }
  const wasm = buildWasm(dir, join(sources, 'sir_ref.c'));
  return {
    dir,
    genEr,
    sirRef,
    igraphSir,
    sirRefWasm: wasm.file,
    whyNoWasm: wasm.why,
    compileMs: performance.now() - started,
    compiler: version.stdout.split('\n')[0] ?? 'gcc',
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Debian's packages for it: clang-14, lld-14, wasi-libc and libclang-rt-14-dev-wasm32 (the compiler's wasm32
 * runtime). The sysroot is split the Debian way: headers under /usr/include/wasm32-wasi, libraries under
 * /usr/lib/wasm32-wasi. `_WASI_EMULATED_PROCESS_CLOCKS` is not needed: sir_ref reads CLOCK_MONOTONIC.
 */
const WASI_INCLUDE = '/usr/include/wasm32-wasi';
const WASI_LIB = '/usr/lib/wasm32-wasi';

function buildWasm(dir: string, source: string): { file?: string; why?: string } {
  const clang = ['clang-14', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0);
  if (!clang) return { why: 'no clang (Debian: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)' };
  if (!existsSync(join(WASI_LIB, 'libc.a'))) return { why: `no wasi-libc under ${WASI_LIB} (Debian: wasi-libc)` };
  const file = join(dir, 'sir_ref.wasm');
  const result = spawnSync(clang, ['--target=wasm32-wasi', '--sysroot=/', '-isystem', WASI_INCLUDE, `-L${WASI_LIB}`, '-O3', '-o', file, source, '-lm'], { encoding: 'utf8' });
  if (result.status !== 0) return { why: `${clang} could not build wasm32-wasi: ${result.stderr.trim().split('\n')[0]}` };
  return { file };
}

/** Writes G(n, m = n·k/2) to `<dir>/er-<n>-<k>-<seed>.edges` and returns its path. */
export function generateEr(anchor: Anchor, nodes: number, meanDegree: number, seed: number): string {
  const file = join(anchor.dir, `er-${nodes}-${meanDegree}-${seed}.edges`);
  if (!existsSync(file)) run(anchor.genEr, [String(nodes), String(meanDegree), String(seed), file]);
  return file;
}

/** sir_ref's stats line, parsed (see sir_ref.c's printf). */
export interface SirRefStats {
  variant: 'lazy' | 'indexed';
  reps: number;
  medianMs: number;
  runsPerSecondMedian: number;
  runsPerSecondMean: number;
  /** Total events (infections + recoveries) over total time; printed to 3 significant figures. */
  eventsPerSecond: number;
  /** Mean events per run (= 2 × mean outbreak size), printed rounded to an integer. */
  meanEventsPerRun: number;
  pushesPerEvent: number;
  /** Runs with events > n/10, i.e. more than n/20 nodes infected. */
  major: number;
  majorMedianMs: number;
  majorMedianEventsPerSecond: number;
}

export interface SirRefRun {
  edges: string;
  nodes: number;
  beta: number;
  gamma: number;
  reps: number;
  seed: number;
  variant: 0 | 1;
}

export function runSirRef(anchor: Anchor, r: SirRefRun): SirRefStats {
  const out = run(anchor.sirRef, [r.edges, String(r.nodes), String(r.beta), String(r.gamma), String(r.reps), String(r.seed), String(r.variant)]);
  return parseSirRef(out);
}

/**
 * sir_ref.wasm under node:wasi, in a process of its own as the native sir_ref is. `--no-liftoff` compiles the
 * module with V8's optimising tier before it runs (as gcc compiles sir_ref before it runs), so the timing is
 * not of the baseline tier warming up.
 */
export function runSirRefWasm(anchor: Anchor, r: SirRefRun): SirRefStats {
  const args = [r.edges, String(r.nodes), String(r.beta), String(r.gamma), String(r.reps), String(r.seed), String(r.variant)];
  const out = run(process.execPath, ['--no-warnings', '--no-liftoff', join(REPO, 'bench/sir/wasi-run.mjs'), anchor.sirRefWasm!, ...args]);
  return parseSirRef(out);
}

export interface IgraphStats {
  reps: number;
  eventsPerSecond: number;
  meanEventsPerRun: number;
  major: number;
}

/** igraph_sir's outbreaks on the same edge list (igraph's own random numbers, seeded). */
export function runIgraphSir(anchor: Anchor, r: Omit<SirRefRun, 'variant'>): IgraphStats {
  const out = run(anchor.igraphSir!, [r.edges, String(r.nodes), String(r.beta), String(r.gamma), String(r.reps), String(r.seed)]);
  const match = /igraph_sir n=\d+ m=\d+ reps=(\d+): total events\/s=([-+0-9.eE]+) mean events\/run=([-+0-9.eE]+) \| major (\d+)\/\d+/.exec(out);
  if (!match) throw new Error(`bench/sir: could not parse igraph_sir's stats line: ${JSON.stringify(out.slice(0, 300))}`);
  return { reps: Number(match[1]), eventsPerSecond: Number(match[2]), meanEventsPerRun: Number(match[3]), major: Number(match[4]) };
}

const NUMBER = '([-+0-9.eE]+|inf|nan)';
const LINE = new RegExp(
  `sir_ref\\[(lazy|indexed)\\] n=\\d+ m=\\d+ reps=(\\d+): median_ms=${NUMBER} runs/s\\(median\\)=${NUMBER} runs/s\\(mean\\)=${NUMBER} \\| ` +
    `total events/s=${NUMBER} mean events/run=${NUMBER} pushes/event=${NUMBER} \\| major (\\d+)/\\d+: median_ms=${NUMBER} median events/s=${NUMBER}`,
);

export function parseSirRef(stdout: string): SirRefStats {
  const match = LINE.exec(stdout);
  if (!match) throw new Error(`bench/sir: could not parse sir_ref's stats line: ${JSON.stringify(stdout.slice(0, 300))}`);
  const n = (i: number): number => Number(match[i]);
  return {
    variant: match[1] as 'lazy' | 'indexed',
    reps: n(2),
    medianMs: n(3),
    runsPerSecondMedian: n(4),
    runsPerSecondMean: n(5),
    eventsPerSecond: n(6),
    meanEventsPerRun: n(7),
    pushesPerEvent: n(8),
    major: n(9),
    majorMedianMs: n(10),
    majorMedianEventsPerSecond: n(11),
  };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bench/sir: ${command} ${args.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr}`);
  return result.stdout;
}
