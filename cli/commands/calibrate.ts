import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { accept, distance, drawParameters, effectiveSampleSize, median, perturbParameters, populationWeights, weightedQuantile, type Draw } from '../../engine/calibrate/abc.js';
import { Targets, metricLabel } from '../../engine/calibrate/targets.js';
import type { BatchResult } from '../../engine/batch/batch.js';
import { StrataInputError, ValidationError, type ModelIssue } from '../../engine/model/errors.js';
import type { Regime } from '../../engine/model/regime.js';
import type { Scenario } from '../../engine/model/scenario.js';
import type { Twin } from '../../engine/model/twin.js';
import { hint } from '../../engine/model/check-twin.js';
import { expandTwin } from '../../engine/model/expand.js';
import { fromZodIssues } from '../../engine/model/issues.js';
import { readDocument } from '../../engine/model/load-file.js';
import { parseText } from '../../engine/model/parse.js';
import { quantile } from '../../engine/stats/quantile.js';
import { DEFAULT_SEED, DEFAULT_WORKERS, inputFiles, integer, outputPath, writeOutput, MAX_WORKERS } from '../args.js';
import { InterruptedError, PlacedUsageError, UsageError } from '../errors.js';
import type { withParameters } from '../inputs.js';
import { parsePath } from '../overrides.js';
import { logIntervalMs } from '../progress.js';
import { statusLine } from '../status-line.js';
import { number, table } from '../format.js';
import { VERSION } from '../version.js';
import { summary } from './index.js';

export function loadTargets(file: string): Targets {
  const result = Targets.safeParse(parseText(readDocument(file), file), { reportInput: true });
  if (!result.success) throw new ValidationError(fromZodIssues(result.error.issues, file, Targets));
  return result.data;
}

/**
 * Every target metric the model does not have, named as the targets file's field (checked on the first
 * draw's runs, before the rest of the calibration).
 */
export function checkTargetMetrics(file: string, targets: Targets, metricNames: readonly string[]): void {
  const issues = targets.targets.flatMap((t, i) =>
    (typeof t.metric === 'string' ? [t.metric] : t.metric).flatMap((name, j) =>
      metricNames.includes(name) ? [] : [{ file, path: typeof t.metric === 'string' ? `targets[${i}].metric` : `targets[${i}].metric[${j}]`, message: `expected a metric of this scenario and twin (docs/metrics.md), got "${name}"${hint(name, metricNames)}` }],
    ),
  );
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Every parameter whose path is no number field of the scenario or regime (`scenario.nosuch`, a list index
 * past the end) or whose prior reaches values the field refuses (a share's prior up to 2), named as the
 * targets file's `parameters[i].path` or `parameters[i].prior`: checked on the documents before any runs,
 * each parameter alone at each end of its prior, not found on the first draw and said of no file.
 */
export function checkTargetParameters(file: string, targets: Targets, documents: { twin: Twin; scenario: Scenario; regime: Regime }, set: typeof withParameters): void {
  const { twin, scenario, regime } = documents;
  const issues: ModelIssue[] = targets.parameters.flatMap((parameter, i): ModelIssue[] => {
    const { path } = parameter;
    let parsed: { target: string; path: string[] };
    try {
      parsed = parsePath(path, path);
    } catch (error) {
      if (!(error instanceof PlacedUsageError)) throw error;
      return [{ file, path: `parameters[${i}].path`, message: error.detail }];
    }
    // The field's present value: a number there means the path is sound, and a refusal is of the prior's value.
    const document: unknown = parsed.target === 'scenario' ? scenario : regime;
    const present = parsed.path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), document);
    const field = parsed.path.join('.');
    for (const value of parameter.prior) {
      try {
        set(twin, scenario, regime, [path], [value], path);
      } catch (error) {
        if (error instanceof PlacedUsageError) return [{ file, path: `parameters[${i}].path`, message: error.detail }];
        if (!(error instanceof StrataInputError)) throw error;
        return error.issues.map((issue) => {
          const ofValue = typeof present === 'number' || (present === undefined && issue.path === field);
          const at = [parsed.target, issue.path].filter(Boolean).join('.');
          return { file, path: `parameters[${i}].${ofValue ? 'prior' : 'path'}`, message: `${at}: ${issue.message}` };
        });
      }
    }
    return [];
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const clash = clashingPriors(targets, documents, set);
  if (clash) throw new ValidationError([{ file, path: 'parameters', message: clash }]);
}

/**
 * Corners of the priors' box checked together: all of them up to this many, else each pair's four. A check
 * validates the documents once: ~50 ms on nhs-england (its 3 parameters: 14 checks, 0.7 s), so 64 corners
 * cost ~3 s there.
 */
const MAX_CORNERS = 64;

/**
 * Priors that each pass alone but clash together (a staged rollout's first wave up to 0.08 and its second
 * down to 0.05: the waves must increase): the documents are checked at the corners of the priors' box — every
 * corner for up to 6 parameters, each pair's four corners beyond (the rules that span fields compare them in
 * pairs) — and a failing corner is cut down to the parameters it needs (each set back to the document's
 * value while it still fails). One line naming them and what the documents refuse; undefined when none clash.
 */
function clashingPriors(targets: Targets, documents: { twin: Twin; scenario: Scenario; regime: Regime }, set: typeof withParameters): string | undefined {
  const { twin, scenario, regime } = documents;
  const parameters = targets.parameters;
  const k = parameters.length;
  if (k < 2) return undefined;
  // A corner: for each parameter, its prior's low (0) or high (1) end, or the document's own value (-1).
  const refusal = (corner: readonly number[]): string | undefined => {
    const chosen = corner.flatMap((end, i) => (end < 0 ? [] : [i]));
    try {
      set(twin, scenario, regime, chosen.map((i) => parameters[i]!.path), chosen.map((i) => parameters[i]!.prior[corner[i]!]!), 'calibration');
      return undefined;
    } catch (error) {
      if (!(error instanceof StrataInputError)) throw error;
      return error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    }
  };
  const corners: number[][] = [];
  if (2 ** k <= MAX_CORNERS) {
    for (let c = 0; c < 2 ** k; c++) corners.push(Array.from({ length: k }, (_, i) => (c >> i) & 1));
  } else {
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++)
        for (let c = 0; c < 4; c++) corners.push(Array.from({ length: k }, (_, x) => (x === i ? c & 1 : x === j ? c >> 1 : -1)));
  }
  for (const corner of corners) {
    if (refusal(corner) === undefined) continue;
    for (let i = 0; i < k; i++) {
      if (corner[i]! < 0) continue;
      const end = corner[i]!;
      corner[i] = -1;
      if (refusal(corner) === undefined) corner[i] = end;
    }
    const named = corner.flatMap((end, i) => (end < 0 ? [] : [`parameters[${i}] (${parameters[i]!.path}) at ${parameters[i]!.prior[end]}`]));
    return `expected priors the documents accept in every combination, got a clash at ${named.join(' with ')}: ${refusal(corner)}`;
  }
  return undefined;
}

/** A target's values, run by run: one metric, or the sum of a list of metrics. */
export function targetColumn(result: Pick<BatchResult, 'metricNames' | 'rows' | 'runs'>, metric: string | readonly string[]): number[] {
  const columns = (typeof metric === 'string' ? [metric] : metric).map((name) => {
    const m = result.metricNames.indexOf(name);
    if (m < 0) throw new UsageError(`calibrate: unknown metric "${name}" in the targets (see docs/metrics.md)`);
    return m;
  });
  const width = result.metricNames.length;
  return Array.from({ length: result.runs }, (_, r) => columns.reduce((sum, m) => sum + result.rows[r * width + m]!, 0)).filter(Number.isFinite);
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .argument('<scenario>', 'a built-in scenario or a scenario file')
    .description(summary('calibrate'))
    .requiredOption('--targets <file>', 'a strata.targets/v1 file: targets with sources, parameters with priors')
    // Refinement runs on seed + 1 and the check on seed + 2: both must be safe integers too (refused up front,
    // not after an hour of rounds).
    .option('--seed <seed>', 'seed for the parameter draws and the runs', integer('--seed', 0, Number.MAX_SAFE_INTEGER - 2), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('-o, --output <file>', 'where to write the calibration (default: scenarios/calibration/<scenario>.<twin>.yaml)')
    .option('--force', 'replace the default calibration file if it exists (never needed with -o)')
    .action(async (name: string, options: { targets: string; seed: number; workers: number; output?: string; force?: boolean }) => {
      // The twins, the compiler, the schemas and the workers' pool, loaded only to run (not for --help).
      const [{ compile }, { resolveRegime, resolveScenario }, { withParameters }, { Session }] = await Promise.all([
        import('../../engine/compile/compile.js'),
        import('../../scenarios/index.js'),
        import('../inputs.js'),
        import('../session.js'),
      ]);
      const targets = loadTargets(options.targets);
      const started = performance.now();
      // A twin or regime the targets file names that is none: said of its field (it read as typed on the command line).
      const named = <T>(field: 'twin' | 'regime', resolve: () => T): T => {
        try {
          return resolve();
        } catch (error) {
          const issue = error instanceof StrataInputError && error.issues.length === 1 ? error.issues[0]! : undefined;
          if (issue?.file === targets[field] && issue.path === '') throw new ValidationError([{ file: options.targets, path: field, message: issue.message }]);
          throw error;
        }
      };
      const { scenario, twin } = named('twin', () => resolveScenario(name, targets.twin));
      // The scenario as typed or as its document names itself (a scenario given by its file's path).
      if (targets.scenario !== name && targets.scenario !== scenario.name) {
        throw new ValidationError([{ file: options.targets, path: 'scenario', message: `expected the scenario calibrated, "${scenario.name}", got "${targets.scenario}"` }]);
      }
      // Checked before an hour of work, not after it.
      const file = outputPath(options.output ?? `scenarios/calibration/${scenario.name}.${twin.name}.yaml`, 'calibrate: -o', [{ file: options.targets, as: 'targets file (--targets)' }, ...inputFiles(name, { twin: targets.twin, regime: targets.regime })]);
      // The default file is a tracked calibration that other commands read: replaced only when asked.
      if (options.output === undefined && !options.force && existsSync(file)) {
        throw new UsageError(`calibrate: ${file}: expected a new file (it holds a calibration already), got an existing one; write elsewhere with -o FILE, or replace it with --force`);
      }
      const regime = named('regime', () => resolveRegime(targets.regime));
      checkTargetParameters(options.targets, targets, { twin, scenario, regime }, withParameters);
      const expanded = expandTwin(twin);
      const paths = targets.parameters.map((p) => p.path);
      const goal = targets.targets.map((t) => t.value);
      const fitted = targets.targets.map((t) => t.fit);
      const atLeast = targets.targets.map((t) => t.bound === 'at-least');
      const session = new Session(options.workers);
      const simulate = async (values: number[], runs: number, seed = options.seed) => {
        const set = withParameters(twin, scenario, regime, paths, values);
        return session.batch(compile(twin, set.scenario, set.regime, expanded), { runs, seed, label: 'calibrate', progress: false });
      };
      let draws: Draw[] = [];
      const allDraws: Draw[] = [];
      // Rewritten in place on a terminal; whole lines in a log (the first, one every 30 s, each round's last).
      const status = statusLine(logIntervalMs());
      try {
        const priors = targets.parameters.map((p) => ({ path: p.path, low: p.prior[0], high: p.prior[1] }));
        let posterior: Draw[] = [];
        for (let round = 1; round <= targets.rounds; round++) {
          const candidates = round === 1 ? drawParameters(priors, targets.draws, options.seed) : perturbParameters(priors, posterior, targets.draws, options.seed, round);
          draws = [];
          for (const [i, values] of candidates.entries()) {
            const result = await simulate(values, targets.runsPerDraw);
            if (round === 1 && i === 0) checkTargetMetrics(options.targets, targets, result.metricNames);
            const summaries = targets.targets.map((t) => median(targetColumn(result, t.metric)));
            draws.push({ values, summaries, distance: distance(summaries, goal, fitted, atLeast) });
            status.say(`calibrate: round ${round}/${targets.rounds}, draw ${i + 1}/${candidates.length}, best distance ${Math.min(...draws.map((d) => d.distance)).toFixed(3)}`, i === candidates.length - 1);
            if (session.interrupted) throw new InterruptedError('calibrate: interrupted; nothing was written (a calibration is not resumable: run it again)');
          }
          for (const d of draws) d.round = round;
          allDraws.push(...draws);
          const accepted = accept(draws, targets.accept);
          if (round > 1) {
            const weights = populationWeights(priors, accepted, posterior);
            accepted.forEach((d, i) => (d.weight = weights[i]!));
          }
          posterior = accepted;
        }
        status.end();
        const posteriorWeights = posterior.map((d) => d.weight ?? 1);
        let calibrated = paths.map((_, j) => weightedQuantile(posterior.map((d) => d.values[j]!), posteriorWeights, 0.5));
        // Refinement: the closest accepted draws again, with more runs on a seed of their own (so the pick is not
        // the luck of the first-stage runs). The check below has a seed of its own too (seed + 2): none of its
        // runs is one the pick was made on (on the rounds' seed its first 8 had been: a review).
        const refined: Draw[] = [];
        if (targets.estimate.method === 'refined-best') {
          const { candidates, runs } = targets.estimate;
          for (const [i, candidate] of posterior.slice(0, candidates).entries()) {
            const result = await simulate(candidate.values, runs, options.seed + 1);
            const summaries = targets.targets.map((t) => median(targetColumn(result, t.metric)));
            refined.push({ values: candidate.values, summaries, distance: distance(summaries, goal, fitted, atLeast) });
            const total = Math.min(candidates, posterior.length);
            status.say(`calibrate: refining ${i + 1}/${total}`, i === total - 1);
            if (session.interrupted) throw new InterruptedError('calibrate: interrupted; nothing was written (a calibration is not resumable: run it again)');
          }
          status.end();
          calibrated = [...refined].sort((a, b) => a.distance - b.distance)[0]!.values;
        }
        const check = await simulate(calibrated, targets.validationRuns, options.seed + 2);
        const report = targets.targets.map((t) => {
          const values = targetColumn(check, t.metric);
          const [p05, p50, p95] = [0.05, 0.5, 0.95].map((p) => (values.length ? quantile(values, p) : NaN));
          const covered = t.bound === 'at-least' ? p95! >= t.value : p05! <= t.value && t.value <= p95!;
          return { metric: t.metric, ...(t.label === undefined ? {} : { label: t.label }), target: t.value, bound: t.bound, fitted: t.fit, source: t.source, median: p50!, p05: p05!, p95: p95!, covered };
        });
        const output = {
          schema: 'strata.calibration/v1',
          // The document's own name, which --calibration checks (not a path typed here).
          scenario: scenario.name,
          twin: twin.name,
          regime: regime.name,
          seed: options.seed,
          strataVersion: VERSION,
          method: `${targets.rounds > 1 ? `ABC population Monte Carlo, ${targets.rounds} rounds` : 'ABC rejection'}: ${targets.draws} draws per round (the first from uniform priors, then near the last round's accepted particles) × ${targets.runsPerDraw} runs (common seeds); distance = RMS relative error of run medians over fitted targets; accepted the closest ${Math.round(targets.accept * 100)}% of each round; calibrated value = ${
            targets.estimate.method === 'refined-best'
              ? `the accepted draw closest to the targets after its ${targets.estimate.candidates} closest were re-simulated with ${targets.estimate.runs} runs each (seed + 1)`
              : 'posterior (weighted) median'
          }; checked with ${targets.validationRuns} runs (seed + 2)`,
          parameters: Object.fromEntries(paths.map((p, j) => [p, Number(calibrated[j]!.toPrecision(4))])),
          posterior: Object.fromEntries(
            paths.map((p, j) => {
              const v = posterior.map((d) => d.values[j]!);
              const q = (x: number) => Number(weightedQuantile(v, posteriorWeights, x).toPrecision(4));
              return [p, { median: q(0.5), p05: q(0.05), p95: q(0.95), prior: targets.parameters[j]!.prior }];
            }),
          ),
          // Six figures: docs/validation.md rounds them to three, and from four it rounded twice (a p05 of 112,455
          // stored as 112,500 read 113,000: a reproduction trial).
          targets: report.map((r) => ({ ...r, median: Number(r.median.toPrecision(6)), p05: Number(r.p05.toPrecision(6)), p95: Number(r.p95.toPrecision(6)) })),
          diagnostics: {
            rounds: targets.rounds,
            draws: allDraws.length,
            accepted: posterior.length,
            acceptanceDistance: Number(posterior[posterior.length - 1]!.distance.toPrecision(4)),
            bestDistance: Number(posterior[0]!.distance.toPrecision(4)),
            medianDistance: Number(median(draws.map((d) => d.distance)).toPrecision(4)),
            ...(targets.rounds > 1 ? { effectiveSampleSize: Number(effectiveSampleSize(posteriorWeights).toPrecision(3)) } : {}),
            ...(refined.length > 0 ? { refinedDistances: refined.map((d) => Number(d.distance.toPrecision(4))) } : {}),
            elapsedSeconds: Math.round((performance.now() - started) / 1000),
          },
          draws: allDraws.map((d) => ({
            round: d.round,
            ...(posterior.includes(d) ? { accepted: true, weight: Number((d.weight ?? 1).toPrecision(4)) } : {}), values: d.values.map((v) => Number(v.toPrecision(4))), summaries: d.summaries.map((v) => Number(v.toPrecision(4))), distance: Number(d.distance.toPrecision(4)) })),
        };
        writeOutput(file, `# Written by: strata calibrate ${name} --targets ${options.targets} --seed ${options.seed}\n${stringify(output, { lineWidth: 0, aliasDuplicateObjects: false })}`, 'calibrate: -o');
        process.stdout.write(`${table(['parameter', 'calibrated', 'posterior 5–95%'], paths.map((p, j) => [p, number(calibrated[j]!), `${number(output.posterior[p]!.p05)} – ${number(output.posterior[p]!.p95)}`]))}\n\n`);
        process.stdout.write(`${table(['target', 'record', 'median', '90% interval', 'covered'], report.map((r) => [r.label ?? metricLabel(r.metric), `${r.bound === 'at-least' ? '≥ ' : ''}${number(r.target)}`, number(r.median), `${number(r.p05)} – ${number(r.p95)}`, r.covered ? 'yes' : 'NO']))}\n\nwrote ${file}\n`);
      } finally {
        // A message after (an error, `interrupted`) starts a line of its own, not the status line's end.
        status.end();
        await session.close();
      }
    });
}
