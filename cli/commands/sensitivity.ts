import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import seedrandom from 'seedrandom';
import { metricNames } from '../../engine/kernel/metrics.js';
import { expandTwin } from '../../engine/model/expand.js';
import { morrisDesign, unitAt, valueAt } from '../../engine/sensitivity/index.js';
import { scenarioPath } from '../../scenarios/paths.js';
import { checkResume, collect, dbPath, DEFAULT_SEED, DEFAULT_WORKERS, existingDbPath, inputFiles, integer, MAX_WORKERS, noteUpgrade, outputPath, settingsOf, typedWithResume, writeOutput } from '../args.js';
import { InterruptedError, UsageError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { storedRuns } from '../format.js';
import { progressBar } from '../progress.js';
import { outcomeIndices, SENSITIVITY_OUTCOMES, SERVICE_OUTCOMES, type OutcomeRuns } from '../sensitivity/outcomes.js';
import { analysisJson, analysisTable, type Analysis } from '../sensitivity/report.js';
import { tornadoSvg } from '../sensitivity/tornado.js';
import { engineVersion } from '../version.js';
import { summary } from './index.js';

interface SensitivityOptions {
  twin?: string;
  regime: string;
  set: string[];
  calibration?: string;
  param: string[];
  range: string[];
  trajectories: number;
  levels: number;
  candidates?: number;
  runs: number;
  seed: number;
  workers: number;
  metrics?: string;
  json?: boolean;
  svg?: string;
  db?: string;
  resume?: string;
}

export function registerSensitivity(program: Command): void {
  program
    .command('sensitivity')
    .argument('<scenario>', 'a built-in scenario or a scenario file')
    .description(summary('sensitivity'))
    .option('--param <path>', 'vary this field (a --set path, e.g. scenario.threat.spread.medianMinutes) and only the fields so named (repeatable; default: the fields the scenario marks as assumptions or placeholders, and any with calibration priors)', collect, [])
    .option('--range <path=low:high>', "a parameter's range, uniform (repeatable; default: its calibration prior, else half to double its value)", collect, [])
    .option('--trajectories <r>', 'Morris trajectories (each k + 1 design points)', integer('--trajectories', 2, 1000), 10)
    .option('--levels <p>', 'grid levels per parameter (even)', integer('--levels', 2, 100), 4)
    .option('--candidates <m>', 'trajectories drawn before the most spread-out are kept (Campolongo et al. 2007; default 10 × --trajectories, at most 500)', integer('--candidates', 2, 2000))
    .option('--runs <n>', 'runs per design point (every point uses the same seed and run indices)', integer('--runs', 2, 1_000_000), 100)
    .option('--seed <seed>', 'the seed of the design and of every batch', integer('--seed', 0), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--twin <twin>', "the twin (default: the scenario's own)")
    .option('--regime <regime>', 'the control regime', 'baseline')
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set; its priors give ranges')
    .option('--set <path=value>', 'fix a value at every design point (repeatable)', collect, [])
    .option('--metrics <list>', `outcomes to rank (default: ${SENSITIVITY_OUTCOMES.join(',')})`)
    .option('--svg <file>', 'write a tornado chart (SVG): one panel per outcome')
    .option('--json', 'print one JSON object on stdout')
    .option('--db <file>', 'the results database (default: $STRATA_DB or ./strata.duckdb)')
    .option('--resume <group>', 'finish an interrupted analysis: the same command with the group id it printed; results are identical')
    .action(async (scenario: string, options: SensitivityOptions) => {
      checkResume(options.resume, 'sensitivity');
      if (options.svg) outputPath(options.svg, 'sensitivity: --svg', [{ file: dbPath(options.db), as: 'results database' }, ...inputFiles(scenario, options)]);
      const analysis = await analyse(scenario, options);
      process.stdout.write(options.json ? `${JSON.stringify(analysisJson(analysis))}\n` : `${analysisTable(analysis)}\n`);
      if (options.svg) {
        writeOutput(options.svg, tornadoSvg(analysis), 'sensitivity: --svg');
        process.stderr.write(`wrote ${options.svg}\n`);
      }
    });
}

async function analyse(scenario: string, options: SensitivityOptions): Promise<Analysis> {
  if (options.levels % 2 !== 0) throw new UsageError(`sensitivity: --levels: expected an even number (Morris's step needs it), got ${options.levels}`);
  // The selection compares every pair of candidates: 500 keeps it to seconds.
  const candidates = options.candidates ?? Math.max(options.trajectories, Math.min(10 * options.trajectories, 500));
  if (candidates < options.trajectories) throw new UsageError(`sensitivity: --candidates: expected at least --trajectories (${options.trajectories}), got ${candidates}`);
  // The schemas, the compiler, DuckDB and the workers' pool, loaded only to run (not for --help).
  const [{ compile }, { Store }, { contentHash, loadInputs, withParameters }, { runMember, storedMembers }, { Session }, { sensitivityParameters }] = await Promise.all([
    import('../../engine/compile/compile.js'),
    import('../../store/index.js'),
    import('../inputs.js'),
    import('../group.js'),
    import('../session.js'),
    import('../sensitivity/parameters.js'),
  ]);
  const inputs = loadInputs(scenario, options);
  const scenarioFile = scenarioPath(scenario);
  const priorsFile = options.calibration ?? join(dirname(scenarioFile), 'calibration', `${inputs.scenario.name}.${inputs.twin.name}.yaml`);
  const { parameters, fixed } = sensitivityParameters(inputs, { param: options.param, range: options.range, set: options.set, scenarioFile, priorsFile });
  if (parameters.length === 0) throw new UsageError(`sensitivity: ${scenarioFile}: no parameter to vary (none is marked as an assumption or placeholder with a range); name some with --param`);

  const k = parameters.length;
  const design = morrisDesign(k, { trajectories: options.trajectories, levels: options.levels, candidates }, seedrandom.alea(`strata-morris/${options.seed}`));
  const pointCount = design.trajectories * (k + 1);
  // Every point's documents first, so a range that breaks the scenario fails before anything runs.
  const paths = parameters.map((param) => param.path);
  const values = Array.from({ length: pointCount }, (_, p) => parameters.map((param, i) => valueAt(param.range, design.points[p * k + i]!)));
  // Where the points really ran: a whole-number parameter's rounded value, back on the unit scale.
  const coordinates = design.points.map((u, n) => (parameters[n % k]!.range.integer ? unitAt(parameters[n % k]!.range, values[Math.floor(n / k)]![n % k]!) : u));
  const points = values.map((v, p) => withParameters(inputs.twin, inputs.scenario, inputs.regime, paths, v, `sensitivity point ${p + 1}`));
  const moved = values.map((_, p) => (p % (k + 1) === 0 ? null : paths[design.changed[Math.floor(p / (k + 1)) * k + (p % (k + 1)) - 1]!]!));
  const expanded = expandTwin(inputs.twin);
  const compilePoint = (p: number) => compile(inputs.twin, points[p]!.scenario, points[p]!.regime, expanded);
  const first = compilePoint(0);
  const names = metricNames(first.meta);
  const metrics = options.metrics ? options.metrics.split(',').map((m) => m.trim()).filter(Boolean) : [...SENSITIVITY_OUTCOMES, ...SERVICE_OUTCOMES.filter((m) => names.includes(m))];
  const unknown = metrics.filter((m) => !names.includes(m));
  if (unknown.length > 0 || metrics.length === 0) throw new UsageError(`sensitivity: --metrics: expected outcome names (docs/metrics.md), got unknown ${unknown.join(', ') || 'nothing'}`);
  const columns = metrics.map((m) => names.indexOf(m));
  const runs: OutcomeRuns[] = metrics.map(() => []);

  const store = noteUpgrade(await Store.open(options.resume ? existingDbPath(options.db, `sensitivity --resume ${options.resume}`) : dbPath(options.db)));
  const session = new Session(options.workers);
  const total = pointCount * options.runs;
  const bar = progressBar(`sensitivity ${inputs.scenario.name}`, total, !options.json);
  const started = performance.now();
  let done = 0;
  // The group is named after its first batch (the store's convention); resuming, it is the one given.
  let group: string | undefined = options.resume;
  const labels = values.map((_, p) => pointLabel(p, k, moved[p]!));
  try {
    // Resuming: the group's batches by design point, each checked in its turn to hold that point's inputs,
    // seed and runs (group.ts); complete points are read back, the interrupted one finished, the rest run.
    const stored = options.resume ? await storedMembers(store, options.resume, 'sensitivity', labels) : [];
    for (let p = 0; p < pointCount; p++) {
      const interrupted = () => new InterruptedError(group ? `interrupted before design point ${p + 1} of ${pointCount}: finish the analysis with: ${typedWithResume(group)}` : 'interrupted before any design point ran; nothing is stored');
      if (session.interrupted) throw interrupted();
      const point: Inputs = { twin: inputs.twin, ...points[p]!, hashes: { twinHash: inputs.hashes.twinHash, scenarioHash: contentHash(points[p]!.scenario), regimeHash: contentHash(points[p]!.regime) } };
      const before = done;
      const { id, result, complete } = await runMember(store, session, {
        compile: () => (p === 0 ? first : compilePoint(p)),
        inputs: point,
        kind: 'sensitivity',
        label: labels[p]!,
        groupId: group,
        existing: stored[p],
        seed: options.seed,
        runs: options.runs,
        // The calibration and the fixed --set values under every design point (its label says what it varies).
        settings: settingsOf(options),
        progress: false,
        interrupted,
        onStored: (n) => {
          done += n;
          bar.update({ completedRuns: done, totalRuns: total, elapsedMs: performance.now() - started });
        },
      });
      group ??= id;
      if (!complete) {
        throw new InterruptedError(`interrupted at design point ${p + 1} of ${pointCount}: batch ${id} of group ${group} is incomplete (${storedRuns(result.runs, options.runs)}); finish the analysis with: ${typedWithResume(group)}`);
      }
      done = before + options.runs;
      bar.update({ completedRuns: done, totalRuns: total, elapsedMs: performance.now() - started });
      columns.forEach((m, o) => runs[o]!.push(Float64Array.from({ length: options.runs }, (_, r) => result.rows[r * names.length + m]!)));
    }
  } finally {
    bar.stop();
    await session.close();
    await store.close();
  }
  return {
    info: {
      scenario: inputs.scenario.name,
      title: inputs.scenario.title,
      twin: inputs.twin.name,
      regime: inputs.regime.name,
      seed: options.seed,
      runs: options.runs,
      trajectories: design.trajectories,
      levels: design.levels,
      candidates,
      points: pointCount,
      group: group!,
      version: engineVersion(),
    },
    parameters,
    fixed,
    design: { values, moved },
    outcomes: metrics.map((metric, o) => outcomeIndices(metric, design, runs[o]!, coordinates)),
  };
}

/** A design point's place in its group: its trajectory, and the parameter that moved to reach it. */
function pointLabel(p: number, k: number, moved: string | null): string {
  const t = Math.floor(p / (k + 1)) + 1;
  return moved === null ? `trajectory ${t}, start` : `trajectory ${t}, point ${p % (k + 1)}: moved ${moved}`;
}
