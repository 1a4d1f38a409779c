import { lstatSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import type { BatchResult } from '../../engine/batch/batch.js';
import type { Compiled } from '../../engine/compile/model.js';
import type { Intervention } from '../../engine/kernel/interventions.js';
import { storedResult, summarizeBatch } from '../../engine/batch/summarize.js';
import type { Store } from '../../store/index.js';
import { builtinScenarios } from '../../scenarios/paths.js';
import { checkResume, collect, dbFlag, dbPath, DECIDE_HELP, decisionSettings, decisionsOf, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WORKERS, existingDbPath, fraction, integer, MAX_RUNS, MAX_WORKERS, noteUpgrade, settingsLine, settingsOf } from '../args.js';
import { InterruptedError, NOTHING_STORED, UsageError } from '../errors.js';
import { HEADLINE, jsonSummary, summaryTable, unitsOf } from '../format.js';
import type { Inputs } from '../inputs.js';
import { loadedLine, prepareInputs, readyLine, SAY_AFTER_MS, type PreparedInputs } from '../model-cache.js';
import { LARGE_DOCUMENT, Recorder } from '../recorder.js';
import type { PrecisionMiss, Session } from '../session.js';
import { engineVersion } from '../version.js';
import { summary } from './index.js';

interface RunOptions {
  twin?: string;
  regime: string;
  runs: number;
  untilPrecision?: number;
  seed: number;
  workers: number;
  json?: boolean;
  all?: boolean;
  db?: string;
  resume?: string;
  set: string[];
  calibration?: string;
  /** The room's decisions, taken in every run (ACTION[:TARGET]@MINUTES). */
  decide: string[];
  cache?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('[scenario]', `a built-in scenario (${builtinScenarios().join(', ')}) or a scenario file`)
    .description(summary('run'))
    .option('--twin <twin>', "the twin: a built-in name or a file (default: the scenario's own)")
    .option('--regime <regime>', 'the control regime: a built-in name or a file', 'baseline')
    .option('--runs <n>', 'how many runs', integer('--runs', 1, MAX_RUNS), DEFAULT_RUNS)
    .option('--until-precision <p>', 'run until every headline mean is known to ±p relative (95%), at most --runs runs (default 100,000)', fraction('--until-precision', 0.001))
    .option('--seed <seed>', 'the batch seed (run i draws from a stream of (seed, i) only)', integer('--seed', 0), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set')
    .option('--set <path=value>', 'override a value, e.g. controls.patchCoverage=0.9 or params.beds=400 (repeatable)', collect, [])
    .option('--decide <decision>', `${DECIDE_HELP}; taken in every run, stored with the batch`, collect, [])
    .option('--json', 'print one JSON object on stdout (no progress bar)')
    .option('--all', 'show every metric, not only the headline ones')
    .option('--db <file>', 'the results database (default: $STRATA_DB or ./strata.duckdb)')
    .option('--resume <id>', 'finish an interrupted batch; results are identical to an uninterrupted one')
    .option('--no-cache', 'neither read nor write the compiled-model cache (docs/performance.md)')
    .action(async (scenario: string | undefined, options: RunOptions, command: Command) => {
      checkResume(options.resume, 'run');
      if (!scenario && !options.resume) throw new UsageError(`run: expected a scenario (${builtinScenarios().join(', ')} or a file), or --resume ID`);
      // With --until-precision, --runs is the cap: given, it is kept, not ignored.
      if (options.untilPrecision && command.getOptionValueSource('runs') !== 'cli') options.runs = PRECISION_MAX_RUNS;
      if (options.resume) {
        // A resumed batch takes everything from its stored inputs: what it would ignore is refused, not ignored.
        const given = ['twin', 'regime', 'runs', 'untilPrecision', 'seed', 'calibration', 'set', 'decide'].filter((o) => command.getOptionValueSource(o) === 'cli');
        if (scenario !== undefined || given.length > 0) {
          const flags = [...(scenario !== undefined ? [`the scenario ${scenario}`] : []), ...given.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)];
          throw new UsageError(`run --resume ${options.resume}: expected no scenario or inputs (the batch's own are used), got ${flags.join(', ')}`);
        }
      }
      const db = options.resume ? existingDbPath(options.db, `run --resume ${options.resume}`) : dbPath(options.db);
      // Nothing at the path, not even a link (a dangling one would be removed and its new target left).
      const created = lstatSync(db, { throwIfNoEntry: false }) === undefined;
      // DuckDB and the engine load, and the store opens, while the inputs are read from the compiled-model
      // cache (a hit reads ~0.3 GB off the main thread). A miss waits for the store before preparing them, so
      // a database that is locked or is not one is refused before seconds of work (nhs-england: 8 s).
      const modules = Promise.all([import('../../store/index.js'), import('../session.js')]);
      const opening = modules.then(([{ Store }]) => Store.open(db)).then(noteUpgrade);
      opening.catch(() => undefined); // awaited below
      // A slow preparation says what it is doing on stderr, as the batch's progress does (never with --json).
      const say = options.json ? undefined : (line: string) => void process.stderr.write(`strata: ${line}\n`);
      // The room's decisions are checked against the compiled twin before anything is stored: a bad one is bad input.
      const preparing = options.resume
        ? undefined
        : prepareInputs(scenario!, { ...options, say }, opening).then(async (prepared) => ({ prepared, interventions: await decisionsFor(options.decide, prepared.compiled) }));
      preparing?.catch(() => undefined); // awaited below; a failure is reported there, after the store's own
      const [, { Session }] = await modules;
      const store = await opening;
      const session = new Session(options.workers);
      let badInputs = false;
      try {
        const inputs = preparing?.catch((error: unknown) => {
          badInputs = true;
          throw error;
        });
        const outcome = inputs ? await fresh(store, session, await inputs, options) : await resume(store, session, options, say);
        print(outcome, options);
      } finally {
        await session.close();
        await store.close();
        // Inputs that fail leave no database behind that this call made: their error is what the user needs.
        if (badInputs && created) for (const file of [db, `${db}.wal`]) rmSync(file, { force: true });
      }
    });
}

/** The most runs an --until-precision batch takes when --runs is not given. */
const PRECISION_MAX_RUNS = 100_000;

/** The decisions as the kernel takes them, each checked against the model (one line per bad one: exit 2). */
async function decisionsFor(texts: readonly string[], compiled: Compiled): Promise<Intervention[]> {
  if (texts.length === 0) return [];
  const [{ parseDecisions }, { decisionContext }] = await Promise.all([import('../decisions.js'), import('../../engine/batch/decisions.js')]);
  return parseDecisions(texts, decisionContext(compiled));
}

async function fresh(store: Store, session: Session, given: { prepared: PreparedInputs; interventions: Intervention[] }, options: RunOptions) {
  const { prepared: inputs, interventions } = given;
  const compiled = inputs.compiled;
  const settings = [...settingsOf(options), ...decisionSettings(options.decide)];
  const precision = options.untilPrecision;
  const runs = options.runs;
  // A Ctrl-C while the inputs were prepared (the session was already listening) stops here: no empty batch.
  if (await session.stopped()) throw new InterruptedError(NOTHING_STORED);
  // The documents first, and the garbage of storing a large twin (its JSON, DuckDB's results) collected
  // before the runs add their state beside the model (cli/group.ts does the same for each member).
  const written = await Recorder.storeDocuments(store, inputs);
  await session.reclaim(written >= LARGE_DOCUMENT);
  const recorder = await Recorder.begin(store, compiled, inputs, { kind: 'run', seed: options.seed, runs, untilPrecision: precision, settings });
  const progress = !options.json;
  // From the process's start to the batch's: what a second call on a cached national twin waits (issue 15).
  const timing = { cache: inputs.cache, prepareMs: Math.round(inputs.prepareMs), batchStartMs: Math.round(performance.now()) };
  let result: BatchResult;
  let precise: Precision | undefined;
  try {
    if (precision) {
      const headline = HEADLINE.map(([m]) => m);
      let reached: boolean;
      let missed: PrecisionMiss[];
      ({ result, reached, missed } = await session.untilPrecision(compiled, { precision, seed: options.seed, label: inputs.scenario.name, progress, maxRuns: runs, metrics: headline, interventions, onChunk: recorder.chunk }));
      precise = { target: precision, cap: runs, reached, missed };
    } else {
      result = await session.batch(compiled, { runs, seed: options.seed, label: inputs.scenario.name, progress, interventions, onChunk: recorder.chunk });
    }
  } catch (error) {
    if (error instanceof InterruptedError) await interrupted(recorder, runs, performance.now() - timing.batchStartMs, options.db);
    throw error;
  }
  if (session.interrupted) await interrupted(recorder, runs, performance.now() - timing.batchStartMs, options.db);
  const summaries = summarizeBatch(result);
  // An --until-precision batch ends when precise enough: it is complete at the runs it took.
  if (precision) await store.setRequestedRuns(recorder.id, result.runs);
  await recorder.finish(summaries, true, result.elapsedMs);
  return { about: about(inputs), result, id: recorder.id, seed: options.seed, timing, precise, settings };
}

/** How an --until-precision batch ended: the precision asked, its cap, and the headline metrics that missed it. */
interface Precision {
  target: number;
  cap: number;
  reached: boolean;
  missed: PrecisionMiss[];
}

/** What the printout names: the three documents' names, the scenario's title, the inputs' hashes. */
interface About {
  scenario: string;
  title: string;
  twin: string;
  regime: string;
  hashes: Inputs['hashes'];
}

function about(inputs: Inputs | PreparedInputs): About {
  const twin = 'twinJson' in inputs ? inputs.names.twin : inputs.twin.name;
  return { scenario: inputs.scenario.name, title: inputs.scenario.title, twin, regime: inputs.regime.name, hashes: inputs.hashes };
}

/** Marks the batch incomplete with its time so far (every session's: a resume adds its own to it). */
async function interrupted(recorder: Recorder, runs: number, elapsedMs: number, db: string | undefined): Promise<never> {
  await recorder.finish(undefined, false, elapsedMs);
  // What the store holds now — earlier sessions' runs included, for a resumed batch — not this session's count.
  const stored = (await recorder.store.getBatch(recorder.id)).storedRuns;
  throw new InterruptedError(`interrupted: ${stored.toLocaleString('en-GB')} of ${runs.toLocaleString('en-GB')} runs are stored in batch ${recorder.id}; finish it with: strata run --resume ${recorder.id}${dbFlag(db)}`);
}

async function resume(store: Store, session: Session, options: RunOptions, say?: (line: string) => void) {
  const id = options.resume!;
  const preparing = performance.now();
  const { regimeFromValue, scenarioFromValue, twinFromValue } = await import('../../engine/model/load.js');
  const { compileInputs, contentHash } = await import('../inputs.js');
  const batch = await store.getBatch(id);
  const { checkEngine } = await import('../group.js');
  checkEngine(batch, `run --resume ${id}`, { db: dbFlag(options.db) });
  const file = `batch ${id}`;
  const twin = twinFromValue(batch.documents.twin, `${file} twin`);
  const inputs: Inputs = {
    twin,
    scenario: scenarioFromValue(batch.documents.scenario, `${file} scenario`, twin),
    regime: regimeFromValue(batch.documents.regime, `${file} regime`),
    hashes: batch.hashes,
  };
  if (contentHash(inputs.twin) !== batch.hashes.twinHash) throw new UsageError(`run --resume ${id}: the stored twin no longer matches its hash (different Strata version?)`);
  // A slow step says what it does, as a fresh batch's preparation does (cli/model-cache.ts).
  const loadMs = performance.now() - preparing;
  if (loadMs >= SAY_AFTER_MS) say?.(loadedLine(inputs.twin.name, loadMs));
  const { nextRoundEnd, precisionDone, precisionMisses } = await import('../session.js');
  const compiled = compileInputs(inputs);
  // The decisions the batch was begun with, taken again in every run it lacks.
  const interventions = await decisionsFor(decisionsOf(batch.settings), compiled);
  // As a fresh batch's --json has it; the stored documents are resolved and compiled, never read from the cache.
  const timing = { cache: 'off', prepareMs: Math.round(performance.now() - preparing), batchStartMs: Math.round(performance.now()) };
  if (timing.prepareMs >= SAY_AFTER_MS) say?.(readyLine(compiled.model.nodeCount, timing.prepareMs));
  const recorder = Recorder.resume(store, id, batch.metricNames.length);
  const label = `${inputs.scenario.name} (resume)`;
  const started = performance.now();
  const elapsed = () => (batch.elapsedMs ?? 0) + (performance.now() - started);
  // Runs [from, to) that the store lacks.
  const fill = async (from: number, to: number) => {
    for (const [start, end] of await store.missingRuns(id)) {
      if (start >= to || end <= from) continue;
      const first = Math.max(start, from);
      await session.batch(compiled, { runs: Math.min(end, to) - first, runStart: first, seed: batch.seed, label, progress: !options.json, interventions, onChunk: recorder.chunk });
      if (session.interrupted) await interrupted(recorder, batch.runs, elapsed(), options.db);
    }
    await recorder.flush();
  };
  let precise: Precision | undefined;
  if (batch.untilPrecision === null) {
    // A batch begun before the store recorded precisions may have been an --until-precision one: said, as it
    // runs to its requested runs.
    const since = batch.kind === 'run' && batch.status !== 'complete' ? await store.untilPrecisionSince() : null;
    if (since !== null && batch.createdAt < since) {
      process.stderr.write(`strata: batch ${id} was begun before this database recorded --until-precision; if it ran until a precision, it now runs to its ${batch.runs.toLocaleString('en-GB')} requested runs\n`);
    }
    await fill(0, batch.runs);
  } else {
    // The rounds the uninterrupted batch ran, each checked as it was: it stops where that batch stopped.
    const headline = HEADLINE.map(([m]) => m);
    for (let runs = 0; ; ) {
      const end = nextRoundEnd(runs, batch.runs);
      await fill(runs, end);
      const stored = await store.readRuns(id);
      const missed = precisionMisses(stored.rows.subarray(0, end * stored.metricNames.length), stored.metricNames, headline, batch.untilPrecision, batch.runs);
      runs = end;
      if (precisionDone(missed, runs, batch.runs)) {
        if (runs < batch.runs) await store.setRequestedRuns(id, runs);
        precise = { target: batch.untilPrecision, cap: batch.runs, reached: missed.length === 0, missed };
        break;
      }
    }
  }
  const result = storedResult(await store.readRuns(id));
  // The batch's time: every session's.
  result.elapsedMs = elapsed();
  await recorder.finish(summarizeBatch(result), true, result.elapsedMs);
  return { about: about(inputs), result, id, seed: batch.seed, timing, precise, settings: batch.settings ?? [] };
}

function print(outcome: { about: About; result: BatchResult; id: string; seed: number; timing?: { cache: string; prepareMs: number; batchStartMs: number }; precise?: Precision; settings: string[] }, options: RunOptions): void {
  const { about, result, id, seed, precise, settings } = outcome;
  const summary = summarizeBatch(result);
  const names = new Map<string, string>(HEADLINE);
  const missedText =
    precise &&
    precise.missed
      .map((m) => `${names.get(m.metric) ?? m.metric} ${Number.isFinite(m.relativeHalfWidth) ? `±${percent(m.relativeHalfWidth)} (±${percent(precise.target)} would need about ${roughly(m.needs)} runs)` : `(needs 30 runs with a value, has ${m.runs.toLocaleString('en-GB')}: about ${roughly(m.needs)} runs)`}`)
      .join(', ');
  // Stopped before its cap with misses: each was out of reach (session.ts precisionMisses).
  const unreachable = precise !== undefined && !precise.reached && result.runs < precise.cap;
  const missedLine = (nowrap: boolean) =>
    unreachable
      ? `precision ±${percent(precise!.target)} reached after ${result.runs.toLocaleString('en-GB')} runs for every headline mean but ${precise!.missed.length === 1 ? 'one' : precise!.missed.length}, out of reach within the cap of ${precise!.cap.toLocaleString('en-GB')} runs${nowrap ? '' : ' (--runs raises it)'}: ${missedText}`
      : `precision ±${percent(precise!.target)} NOT reached in ${precise!.cap.toLocaleString('en-GB')} runs (the cap${nowrap ? '' : '; --runs raises it'}): ${missedText}`;
  if (options.json) {
    const metrics = Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, jsonSummary(v)]));
    // The process's peak resident memory so far (worker threads included), with the timings.
    const timing = outcome.timing && { ...outcome.timing, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
    // null for a batch of a fixed number of runs.
    const precision = precise === undefined ? null : {
      target: precise.target,
      reached: precise.reached,
      cap: precise.cap,
      missed: Object.fromEntries(precise.missed.map((m) => [m.metric, { relativeHalfWidth: Number.isFinite(m.relativeHalfWidth) ? m.relativeHalfWidth : null, runs: m.runs, needs: m.needs, outOfReach: m.outOfReach }])),
    };
    // `decisions` as compare --json gives them (they are in `settings` too, as stored).
    const out = { scenario: about.scenario, twin: about.twin, regime: about.regime, settings, decisions: decisionsOf(settings), seed, runs: result.runs, version: engineVersion(), batch: id, inputs: about.hashes, timing, precision, metrics, units: unitsOf(Object.keys(metrics)) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    // Said on stderr too: a script reading only the numbers should still see that they missed the target.
    if (precise && !precise.reached) process.stderr.write(`strata: ${missedLine(true)}\n`);
    return;
  }
  process.stdout.write(
    `${about.title}\ntwin ${about.twin} · regime ${about.regime} · ${result.runs.toLocaleString('en-GB')} runs · seed ${seed} · batch ${id} · ${(result.elapsedMs / 1000).toFixed(1)} s\n${settingsLine(settings)}`,
  );
  if (precise?.reached) process.stdout.write(`every headline mean known to ±${percent(precise.target)} (95%) after ${result.runs.toLocaleString('en-GB')} runs\n`);
  else if (precise) process.stdout.write(`${missedLine(false)}\n`);
  process.stdout.write(`\n${summaryTable(summary, result.runs, options.all)}\n`);
}

/** A projected count to two significant figures: 19,700,000 → "20,000,000". */
function roughly(n: number): string {
  return Number(n.toPrecision(2)).toLocaleString('en-GB');
}

/** A relative precision as a percentage: 0.05 → "5%", 0.525 → "52.5%". */
function percent(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
