import type { Command } from 'commander';
import { summarizeBatch } from '../../engine/batch/summarize.js';
import { checkResume, collect, dbPath, DEFAULT_SEED, DEFAULT_WORKERS, existingDbPath, integer, MAX_RUNS, MAX_WORKERS, noteUpgrade, settingsLine, settingsOf, typedWithResume } from '../args.js';
import { InterruptedError, UsageError } from '../errors.js';
import { StrataInputError } from '../../engine/model/errors.js';
import { duration, HEADLINE, isMinutes, jsonSummary, notRecovered, number, runCount, storedRuns, stillBelowNote, table, timeUnit, unitLabel, unitsOf } from '../format.js';
import type { Inputs } from '../inputs.js';
import type { MemberAbout } from '../model-cache.js';
import { metricNames } from '../../engine/kernel/metrics.js';
import { parsePath, parseRange } from '../overrides.js';
import { engineVersion } from '../version.js';
import { summary } from './index.js';

interface SweepOptions {
  twin?: string;
  regime: string;
  set: string[];
  calibration?: string;
  runs: number;
  seed: number;
  workers: number;
  metrics: string;
  json?: boolean;
  db?: string;
  resume?: string;
  /** commander's --no-cache: false turns the compiled-model cache off. */
  cache?: boolean;
}

/** At most five names, then how many more: one line however many were given. */
function listed(names: readonly string[]): string {
  // Quoted, so an empty or blank name shows (`--metrics ""`).
  const shown = names.map((name) => JSON.stringify(name));
  return shown.length <= 5 ? shown.join(', ') : `${shown.slice(0, 5).join(', ')} and ${(shown.length - 5).toLocaleString('en-GB')} more`;
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .argument('<scenario>', 'a built-in scenario or a scenario file')
    .description(summary('sweep'))
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set')
    .option('--set <path=values>', 'the swept parameter as path=lo..hi:step or path=a,b,c (e.g. controls.patchCoverage=0..1:0.1); more --set path=value fix other values (repeatable)', collect, [])
    .option('--twin <twin>', "the twin (default: the scenario's own)")
    .option('--regime <regime>', 'the control regime', 'baseline')
    .option('--runs <n>', 'runs per value', integer('--runs', 2, MAX_RUNS), 500)
    .option('--seed <seed>', 'the batch seed, shared by every value', integer('--seed', 0), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--metrics <list>', 'metrics to tabulate', 'compromised,disrupted,appointmentsCancelled,diversionHours,timeToRecovery')
    .option('--json', 'print one JSON object on stdout')
    .option('--db <file>', 'the results database (default: $STRATA_DB or ./strata.duckdb)')
    .option('--resume <group>', 'finish an interrupted sweep: the same command with the group id it printed; results are identical')
    .option('--no-cache', 'neither read nor write the compiled-model cache (docs/performance.md)')
    .action(async (scenario: string, options: SweepOptions) => {
      checkResume(options.resume, 'sweep');
      // The schemas, DuckDB and the workers' pool, loaded only to run (not for --help).
      const [{ Store }, { loadInputs, loadVariants }, { runMember, storedMembers }, { Session }, { prepareGroup }] = await Promise.all([
        import('../../store/index.js'),
        import('../inputs.js'),
        import('../group.js'),
        import('../session.js'),
        import('../model-cache.js'),
      ]);
      const isRange = (s: string) => /=[^=]*(\.\.|,)/.test(s);
      const swept = options.set.filter(isRange);
      if (swept.length !== 1) {
        const what = swept.length === 0 ? `none (--set path=value fixes a value: ${options.set.length === 0 ? 'no --set given' : options.set.join(', ')})` : swept.join(', ');
        throw new UsageError(`sweep: expected exactly one --set path=lo..hi:step or path=a,b,c (two or more values), got ${what}`);
      }
      const vary = swept[0]!;
      const eq = vary.indexOf('=');
      const path = vary.slice(0, eq);
      const { target, path: parts } = parsePath(path, '--set');
      const values = parseRange(vary.slice(eq + 1), `--set ${path}`);
      // A range whose end is not a step from its start stops short of it: said, not left to be noticed.
      const range = /^(-?[\d.e+-]+)\.\.(-?[\d.e+-]+):/.exec(vary.slice(eq + 1));
      if (range && values.at(-1) !== Number(range[2]) && !options.json) {
        process.stderr.write(`strata: sweep: ${vary} runs ${values.join(', ')}: ${range[2]} is not a whole number of steps from ${range[1]}\n`);
      }
      options.set = options.set.filter((s) => !isRange(s));
      // The values fixed beside the swept one (and a calibration): said in the header, kept with each batch.
      const settings = settingsOf(options);
      // A fixed value of the swept field would be overridden at every value, never checked: refused.
      const fixed = options.set.find((s) => s.slice(0, s.indexOf('=')) === path);
      if (fixed !== undefined) throw new UsageError(`sweep: --set ${fixed}: expected a field other than the swept ${path}, got the same field`);
      const metrics = options.metrics.split(',').map((m) => m.trim());
      const labels = values.map((value) => `${path}=${value}`);
      // A scenario or regime field varies over one twin, resolved once, and every value is checked before any
      // runs; a twin field needs the twin rebuilt per value, so each value's inputs are built when its turn
      // comes and dropped after (a thousand nhs-england twins would not fit in memory at once).
      // Each value's model is read from the compiled-model cache when it has an entry; if the cache has them
      // all, no twin is built.
      const variants = values.map((value) => ({ extra: { target, path: parts, value } }));
      const shared = target === 'scenario' || target === 'regime';
      const group = await prepareGroup(scenario, options, variants, shared ? { all: () => loadVariants(scenario, options, variants) } : { one: (i) => loadInputs(scenario, options, [variants[i]!.extra]) });
      const store = noteUpgrade(await Store.open(options.resume ? existingDbPath(options.db, `sweep --resume ${options.resume}`) : dbPath(options.db)));
      const session = new Session(options.workers);
      // The group is named after its first batch (the store's convention).
      let groupId: string | undefined = options.resume;
      const points: { value: number | boolean | string; batch: string; inputs: Inputs['hashes']; summary: ReturnType<typeof summarizeBatch> }[] = [];
      // The names the output gives, not the first value's documents (its twin would stay resident).
      let names: { scenario: string; title: string; twin: string; regime: string } | undefined;
      try {
        // Resuming: the group's batches by value, each checked to hold these inputs, seed and runs (group.ts).
        const stored = options.resume ? await storedMembers(store, options.resume, 'sweep', labels) : [];
        const started = performance.now();
        for (const [i, label] of labels.entries()) {
          // The estimate up front: once the first value is done (built, compiled, run), if the rest looks long.
          if (i === 1 && !options.json) {
            const leftMs = (performance.now() - started) * (labels.length - 1);
            if (leftMs > 10_000) process.stderr.write(`sweep: ${labels.length.toLocaleString('en-GB')} values; the first took ${((performance.now() - started) / 1000).toFixed(1)} s: about ${duration(leftMs)} left\n`);
          }
          const interrupted = () => new InterruptedError(groupId ? `interrupted before ${label}: group ${groupId} holds the values before it; finish the sweep with: ${typedWithResume(groupId)}` : 'interrupted before any value ran; nothing is stored');
          if (session.interrupted) throw interrupted();
          const inputs = group.member(i);
          let about: MemberAbout;
          try {
            about = await inputs.about();
          } catch (error) {
            // A twin field's value is checked when its turn comes (its twin is built then): say where the
            // values already run are, so fixing this one does not mean running them again.
            if (groupId === undefined || !(error instanceof StrataInputError || error instanceof UsageError)) throw error;
            throw new UsageError(`${(error as Error).message.split('\n')[0]} (group ${groupId} holds the values before ${label}; fix it and run again with --resume ${groupId})`);
          }
          names ??= { scenario: about.names.scenario, title: about.title, twin: about.names.twin, regime: about.names.regime };
          const compile = async () => {
            const compiled = await inputs.compile();
            // Checked on each model before its runs: the first refuses a typo before anything is stored.
            const known = metricNames(compiled.meta);
            const unknown = metrics.filter((m) => !known.includes(m));
            if (unknown.length > 0) throw new UsageError(`sweep: --metrics: unknown metric ${listed(unknown)} (see docs/metrics.md)`);
            return compiled;
          };
          const member = { compile, inputs: inputs.inputs, hashes: about.hashes, kind: 'sweep' as const, label, groupId, existing: stored[i], seed: options.seed, runs: options.runs, settings, progress: !options.json, interrupted };
          const { id, result, complete } = await runMember(store, session, member);
          groupId ??= id;
          if (!complete) throw new InterruptedError(`interrupted at ${label}: batch ${id} of group ${groupId} is incomplete (${storedRuns(result.runs, options.runs)}); finish the sweep with: ${typedWithResume(groupId)}`);
          points.push({ value: values[i]!, batch: id, inputs: about.hashes, summary: summarizeBatch(result) });
        }
      } finally {
        await session.close();
        await store.close();
      }
      const about = names!;
      // A resumed sweep whose members were all stored compiled nothing: its metrics are checked here.
      const unknown = metrics.filter((m) => !(m in points[0]!.summary));
      if (unknown.length > 0) throw new UsageError(`sweep: --metrics: unknown metric ${listed(unknown)} (see docs/metrics.md)`);
      if (options.json) {
        const out = {
          scenario: about.scenario,
          twin: about.twin,
          regime: about.regime,
          seed: options.seed,
          runs: options.runs,
          version: engineVersion(),
          group: groupId,
          parameter: path,
          settings,
          values: points.map((p) => ({ value: p.value, batch: p.batch, inputs: p.inputs, metrics: Object.fromEntries(Object.entries(p.summary).map(([k, v]) => [k, jsonSummary(v)])) })),
          units: unitsOf(Object.keys(points[0]!.summary)),
        };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      // A time outside the headline says its unit as `--all` does (`reachedAt.cloud (h)`).
      const label = (m: string) => HEADLINE.find(([k]) => k === m)?.[1] ?? (isMinutes(m) ? `${m} (h)` : m);
      // One time unit a column, from every value's mean and interval (hours, or minutes where none reaches an hour).
      const units = metrics.map((m) => timeUnit(m, points.flatMap((p) => (p.summary[m] ? [p.summary[m].mean, p.summary[m].ci95[0], p.summary[m].ci95[1]] : []))));
      const rows = points.map((p) => [
        String(p.value),
        ...metrics.map((m, j) => {
          const s = p.summary[m];
          const f = units[j] ? 1 / units[j].divisor : 1;
          // Over fewer runs than the batch (a time of something that did not happen in every run): says how many,
          // as run and compare do (a trial read 51.5, 90.8, 44.4 h over 37, 82 and 19 runs as a trend).
          return s ? `${number(s.mean * f)} [${number(s.ci95[0] * f)}, ${number(s.ci95[1] * f)}]${s.n < options.runs ? ` n ${runCount(s.n)}` : ''}` : '—';
        }),
      ]);
      const timesNote = stillBelowNote(
        points.map((p) => p.summary),
        options.runs,
        true,
        points.map((p) => `${path} = ${String(p.value)}`),
        metrics.map((m) => [m, label(m)]),
        false,
      );
      process.stdout.write(`${about.title}: sweep of ${path} · ${options.runs.toLocaleString('en-GB')} runs per value · seed ${options.seed} · group ${groupId}\n${settingsLine(settings, 'every value')}\n`);
      process.stdout.write(`${table([path, ...metrics.map((m, j) => unitLabel(label(m), units[j]!))], rows)}\nmean [95% CI] per value (n: the runs a mean is over, where fewer than all); every value uses the same run seeds.\n${censoredLine(points, metrics, path)}${timesNote ? `${timesNote.slice(1)}\n` : ''}`);
    });
}

/**
 * Under a sweep showing the time to full recovery: the share of runs not recovered by the horizon at each value
 * where any is, since those runs count the horizon (as `run` and `compare` say under theirs); "" otherwise.
 */
function censoredLine(points: readonly { value: number | boolean | string; summary: ReturnType<typeof summarizeBatch> }[], metrics: readonly string[], path: string): string {
  if (!metrics.includes('timeToRecovery')) return '';
  // Named by the swept field, value first: "100% (0)" read as a share of runs at a share of 0 (a trial).
  const open = points.flatMap((p) => ((p.summary.recovered?.mean ?? 1) < 1 ? [`${notRecovered(p.summary)} at ${path} = ${String(p.value)}`] : []));
  if (open.length === 0) return '';
  return `Time to full recovery: runs not fully recovered by the horizon, which count until it (censored): ${open.join('; ')}.\n`;
}
