import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { revision } from './harness/revision.js';
import { summariseProfiles } from './profile/summarise.js';

/**
 * Runs each registered benchmark in a fresh Node process (so one bench's heap, JIT state and peak memory
 * never leak into another's), a warm-up launch first and discarded, then N measured launches; prints
 * the median and min–max of every numeric field and writes them to bench/results/<name>.json, then a table
 * of every bench's headline figures (bench/results/summary.json).
 *
 *   npx tsx bench/run.ts [--runs N] [--quick] [--profile] [name...]
 *
 * --quick: one launch, no warm-up, and STRATA_BENCH_QUICK=1 so benches that support it use tiny inputs.
 * --profile: one launch of each selected bench under `node --cpu-prof`, then the top functions by self
 * time (profiles in bench/results/profiles/<name>/).
 *
 * A launch is told its index in STRATA_BENCH_LAUNCH (0 = warm-up), so benches can vary their seeds. Every
 * launch also records `otherLoadCores`: CPU time the rest of the machine used meanwhile (from /proc/stat,
 * less this process tree's own), in cores — other engineers' tests on a 2-core machine show up here.
 */
interface BenchSpec {
  name: string;
  file: string;
  args?: readonly string[];
  /** Measured launches when --runs is not given (default 5). */
  launches?: number;
  /** Fields shown in the closing table. */
  headline: readonly string[];
  /**
   * The bench writes bench/results/<name>.json itself: a statistical report, not a timing (the same at every
   * launch). One launch, no warm-up; the runner keeps its headline figures in summary.json only.
   */
  report?: boolean;
}

const SIR_HEADLINE = ['strataEventsPerSecond', 'cLazyEventsPerSecond', 'cIndexedEventsPerSecond', 'igraphEventsPerSecond', 'ratioVsCLazy', 'ratioVsCIndexed', 'generalVsCLazy', 'bareVsCLazy', 'generalVsBare', 'ratioVsIgraph', 'generalVsIgraph', 'generalRunsDiffering', 'bareRunsDiffering', 'ratioVsIgraphScaled', 'jsLazyVsCLazy', 'jsIndexedVsCLazy', 'wasmLazyVsCLazy', 'wasmIndexedVsCLazy', 'wasmLazyVsJsLazy', 'wasmIndexedVsJsIndexed', 'zMeanSize', 'zMajorShare', 'zMeanMajorSize', 'compileMs', 'validateMs'];
const SCENARIO_HEADLINE = ['kernelEventsPerSecond', 'runsPerSecondThread', 'runsPerSecond1Worker', 'runsPerSecond2Workers', 'speedup2v1', 'cpuEfficiency2v1', 'gcPerThousandRuns', 'msPerRunP50'];

const BENCHES: readonly BenchSpec[] = [
  { name: 'nhs-england-expand', file: 'model/nhs-england-expand.ts', headline: ['generateMs', 'validateMs', 'expandMs', 'peakRssMB'] },
  { name: 'sir-er-10k', file: 'sir/sir-er.ts', args: ['--nodes', '10000'], headline: SIR_HEADLINE },
  { name: 'sir-er-100k', file: 'sir/sir-er.ts', args: ['--nodes', '100000'], headline: SIR_HEADLINE },
  // The 1,000,000-node graph (4,000,000 edge entries) loads since issue 15 raised the entry limit; one launch
  // takes minutes (building, validating and compiling the twin alone ~40 s), so it is one launch by default.
  { name: 'sir-er-1m', file: 'sir/sir-er.ts', args: ['--nodes', '1000000'], launches: 1, headline: SIR_HEADLINE },
  ...['wannacry-down', 'medjack-up', 'crowdstrike-update'].map((scenario) => ({
    name: `acute-trust-${scenario}`,
    file: 'scenario/acute-trust.ts',
    args: ['--scenario', scenario],
    headline: SCENARIO_HEADLINE,
  })),
  {
    name: 'acute-trust-scaling',
    file: 'scenario/scaling.ts',
    launches: 3,
    args: ['--scenario', 'wannacry-down'],
    headline: ['kTimePerRun', 'kEventsPerRun', 'kTimePerEvent', 'kCompromisedPerRun', 'kTimePerCompromised', 'nsPerEvent.200', 'nsPerEvent.780', 'nsPerEvent.3000', 'nsPerEvent.12000', 'msPerRun.12000', 'resetMs.12000'],
  },
  {
    name: 'nhs-england-wannacry',
    file: 'scenario/nhs-england.ts',
    launches: 3,
    headline: ['resolveMs', 'compileMs', 'peakCompileRssMB', 'msPerRunMedian', 'resetMs', 'memoryPerWorkerMB', 'runsPerSecond2Workers'],
  },
  {
    name: 'crn-pairing',
    file: 'crn/pairing.ts',
    report: true,
    headline: ['wannacry-down.charter', 'wannacry-down.segmented', 'medjack-up.least-privilege', 'crowdstrike-update.staged-rollout'].map((c) => `medianRatio.${c}`),
  },
  { name: 'cli-startup', file: 'cli/startup.ts', launches: 3, headline: ['helpMs', 'runOneMs', 'nhsSecondBatchStartMs', 'nhsSecondPeakRssMB', 'nhsFirstBatchStartMs', 'nhsFirstPeakRssMB', 'sources'] },
  {
    name: 'dashboard',
    file: 'dashboard/fps.ts',
    launches: 3,
    headline: ['wardAnimatingMs', 'acuteTrustFps', 'acuteTrustDrawMsP50', 'acuteTrustDrawMsP95', 'nhsEnglandFirstRenderMsCold', 'nhsEnglandFirstRenderMsWarm', 'nhsEnglandRunShownMsCold', 'nhsEnglandRunShownMsWarm'],
  },
  { name: 'server-loop', file: 'dashboard/server-loop.ts', launches: 3, headline: ['startMs', 'maxLoopDelayMs'] },
  { name: 'session-traces', file: 'dashboard/session-traces.ts', launches: 3, headline: ['firstMs', 'lastMs', 'bytesPerScreen', 'maxLoopDelayMs'] },
  { name: 'tabletop-report', file: 'dashboard/tabletop-report.ts', launches: 3, headline: ['atOnceMs', 'afterPlayingMs', 'otherAtOnceMs', 'backMs'] },
  {
    name: 'dynamics',
    file: 'dynamics/outcomes.ts',
    report: true,
    headline: ['medianCompromisedMedjack', 'cvCompromisedWannacry'],
  },
];

const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  runs: number | undefined;
  quick: boolean;
  profile: boolean;
  names: string[];
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { runs: undefined, quick: false, profile: false, names: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--runs') {
      const runs = Number(args[++i]);
      if (!Number.isInteger(runs) || runs < 1) fail(`bench: --runs expects a positive integer, got ${JSON.stringify(args[i])}`);
      options.runs = runs;
    } else if (arg.startsWith('--')) fail(`bench: unknown option ${arg} (known: --runs N, --quick, --profile)`);
    else options.names.push(arg);
  }
  for (const name of options.names) {
    if (!BENCHES.some((b) => b.name === name)) fail(`bench: unknown benchmark "${name}" (known: ${BENCHES.map((b) => b.name).join(', ')})`);
  }
  if (options.quick) options.runs = 1;
  return options;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** The commit measured, and whether engine/ had uncommitted changes (a figure belongs to a kernel version). */
function engineRevision(): { commit: string; engineDirty: boolean } | undefined {
  const measured = revision();
  return measured && { commit: measured.commit, engineDirty: measured.engineChanges.length > 0 };
}

/** Busy and total jiffies of the whole machine, and the CPU time of this process and its waited-for children. */
function cpuTicks(): { busy: number; total: number; own: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  const total = fields.slice(0, 8).reduce((a, x) => a + x, 0); // up to steal; guest time is inside user
  // /proc/self/stat: utime, stime, cutime, cstime are fields 14–17 (after the parenthesised command name).
  const self = readFileSync('/proc/self/stat', 'utf8');
  const after = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
  const own = after[11]! + after[12]! + after[13]! + after[14]!;
  return { busy: total - idle, total, own };
}

/** One launch: `node --import tsx <file> [args]`, whose last stdout line is a JSON object of measurements. */
function launch(bench: BenchSpec, quick: boolean, index: number, nodeFlags: readonly string[] = []): Record<string, unknown> {
  const start = performance.now();
  const before = cpuTicks();
  const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, bench.file), ...(bench.args ?? [])], {
    env: { ...process.env, STRATA_BENCH_QUICK: quick ? '1' : '0', STRATA_BENCH_LAUNCH: String(index) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) fail(`bench: ${bench.name} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  const processMs = Math.round(performance.now() - start); // the whole launch: Node, tsx and the bench
  const after = cpuTicks();
  const other = before && after ? ((after.busy - before.busy - (after.own - before.own)) / (after.total - before.total)) * cpus().length : undefined;
  try {
    const measurements = JSON.parse(last) as Record<string, unknown>;
    return { ...measurements, processMs, ...(other === undefined ? {} : { otherLoadCores: Math.round(Math.max(0, other) * 100) / 100 }) };
  } catch {
    return fail(`bench: ${bench.name} did not end its output with a JSON line, got ${JSON.stringify(last.slice(0, 200))}`);
  }
}

interface Summary {
  median: number;
  min: number;
  max: number;
}

function summarise(samples: readonly Record<string, unknown>[]): Record<string, Summary> {
  const out: Record<string, Summary> = {};
  for (const key of Object.keys(samples[0] ?? {})) {
    const values = samples.map((s) => s[key]).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    if (values.length === 0) continue;
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    out[key] = { median, min: values[0]!, max: values[values.length - 1]! };
  }
  return out;
}

/** Fields that are not numbers (flags such as agreementPass, labels): every launch's value, or the one value they share. */
function flags(samples: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(samples[0] ?? {})) {
    const values = samples.map((s) => s[key]);
    if (values.some((v) => typeof v === 'number')) continue;
    out[key] = values.every((v) => v === values[0]) ? values[0] : values;
  }
  return out;
}

function printTable(title: string, header: readonly string[], rows: readonly string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function fmt(x: number): string {
  if (Math.abs(x) >= 1e5) return `${(x / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 2 })} M`;
  return Number.isInteger(x) ? x.toLocaleString('en-GB') : x.toLocaleString('en-GB', { maximumFractionDigits: 3 });
}

function profile(bench: BenchSpec, quick: boolean): void {
  const dir = join(here, 'results', 'profiles', bench.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  launch(bench, quick, 1, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const { totalMs, entries } = summariseProfiles(dir);
  printTable(
    `${bench.name}: top functions by self time (${fmt(totalMs)} ms sampled, all threads; profiles in ${dir})`,
    ['function', 'file', 'self ms', 'self %'],
    entries.map((e) => [e.function, e.file, fmt(e.selfMs), fmt(e.selfPercent)]),
  );
  const engine = summariseProfiles(dir, 15, 'engine/');
  printTable(
    `${bench.name}: the engine's own time (${fmt(engine.totalMs)} ms), by function`,
    ['function', 'file', 'self ms', '% of engine'],
    engine.entries.map((e) => [e.function, e.file, fmt(e.selfMs), fmt(e.selfPercent)]),
  );
  writeFileSync(join(dir, 'top.json'), `${JSON.stringify({ name: bench.name, quick, totalMs, entries, engine }, null, 2)}\n`);
}

const options = parseArgs(process.argv.slice(2));
const selected = options.names.length > 0 ? BENCHES.filter((b) => options.names.includes(b.name)) : BENCHES;
const results = join(here, 'results');
mkdirSync(results, { recursive: true });
if (options.profile) {
  for (const bench of selected) profile(bench, options.quick);
  process.exit(0);
}
const headlines: Record<string, { revision: ReturnType<typeof engineRevision>; date: string; fields: Record<string, Summary> }> = {};
const started = new Date().toISOString();
const loadAtStart = loadavg();
for (const bench of selected) {
  const runs = bench.report ? 1 : (options.runs ?? bench.launches ?? 5);
  const load = loadavg();
  if (!options.quick && !bench.report) launch(bench, false, 0); // warm-up: disk cache, tsx's transform cache
  const samples = Array.from({ length: runs }, (_, i) => launch(bench, options.quick, i + 1));
  const summary = summarise(samples);
  printTable(
    `${bench.name} (load average before: ${load.map((x) => x.toFixed(2)).join(' ')})`,
    ['measure', `median of ${runs}`, 'min – max'],
    Object.entries(summary).map(([key, s]) => [key, fmt(s.median), `${fmt(s.min)} – ${fmt(s.max)}`]),
  );
  const record = {
    name: bench.name,
    file: bench.file,
    args: bench.args ?? [],
    quick: options.quick,
    runs,
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
    revision: engineRevision(),
    loadAverageBefore: load,
    loadAverageAfter: loadavg(),
    summary,
    flags: flags(samples),
    samples,
  };
  if (!bench.report) writeFileSync(join(results, `${bench.name}${options.quick ? '.quick' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
  headlines[bench.name] = { revision: record.revision, date: record.date, fields: Object.fromEntries(bench.headline.filter((key) => summary[key]).map((key) => [key, summary[key]!])) };
}
const rows = Object.entries(headlines).flatMap(([name, h]) => Object.entries(h.fields).map(([key, s]) => [name, key, fmt(s.median), `${fmt(s.min)} – ${fmt(s.max)}`]));
printTable('Headline figures (median and min – max over launches)', ['bench', 'measure', 'median', 'min – max'], rows);
// A run of some benches updates their entries and keeps the others'.
const summaryFile = join(results, `summary${options.quick ? '.quick' : ''}.json`);
const previous = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as { headlines?: typeof headlines }).headlines : undefined;
writeFileSync(
  summaryFile,
  `${JSON.stringify({ updated: new Date().toISOString(), started, node: process.version, cpus: availableParallelism(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg(), headlines: { ...previous, ...headlines } }, null, 2)}\n`,
);
