import type { Command } from 'commander';
import type { BatchResult } from '../../engine/batch/batch.js';
import type { Intervention } from '../../engine/kernel/interventions.js';
import { compareBatches, summarizeBatch, type BatchSummary } from '../../engine/batch/summarize.js';
import { medianPairingGain, pairingGain } from '../../engine/stats/pairing-gain.js';
import type { PairedComparison } from '../../engine/stats/paired.js';
import { checkResume, collect, dbFlag, dbPath, DECIDE_HELP, decisionSettings, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WORKERS, existingDbPath, groupFlags, integer, MAX_RUNS, MAX_WORKERS, noteUpgrade, settingsLine, settingsOf, shellWord } from '../args.js';
import { InterruptedError, UsageError } from '../errors.js';
import { setResumeHint } from '../interrupt.js';
import { bestRegime, comparisonTable, HEADLINE, jsonDifferences, jsonSummary, notToldFromBest, storedRuns, unitsOf, type PairOf } from '../format.js';
import { engineVersion } from '../version.js';
import { summary } from './index.js';

interface CompareOptions {
  twin?: string;
  regimes: string;
  runs: number;
  seed: number;
  workers: number;
  json?: boolean;
  all?: boolean;
  db?: string;
  set: string[];
  calibration?: string;
  /** The room's decisions: with them, the one regime is compared with itself taking them in every run. */
  decide: string[];
  resume?: string;
  /** commander's --no-cache: false turns the compiled-model cache off. */
  cache?: boolean;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .argument('<scenario>', 'a built-in scenario or a scenario file')
    .description(summary('compare'))
    .requiredOption('--regimes <list>', 'comma-separated regimes, the first is the reference (required; e.g. baseline,charter,segmented); with --decide, one regime')
    .option('--twin <twin>', "the twin (default: the scenario's own)")
    .option('--runs <n>', 'runs per regime', integer('--runs', 2, MAX_RUNS), DEFAULT_RUNS)
    .option('--seed <seed>', 'the batch seed, shared by every regime', integer('--seed', 0), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set')
    .option('--set <path=value>', 'override a value in every regime (repeatable)', collect, [])
    .option('--decide <decision>', `${DECIDE_HELP}; compares the one regime of --regimes as it is with the same runs taking the decisions (labelled REGIME+decisions)`, collect, [])
    .option('--json', 'print one JSON object on stdout')
    .option('--all', 'show every metric')
    .option('--db <file>', 'the results database (default: $STRATA_DB or ./strata.duckdb)')
    .option('--resume <group>', 'finish an interrupted comparison: the same command with the group id it printed; results are identical')
    .option('--no-cache', 'neither read nor write the compiled-model cache (docs/performance.md)')
    .action(async (scenario: string, options: CompareOptions) => {
      checkResume(options.resume, 'compare');
      const named = options.regimes.split(',').map((r) => r.trim());
      if (named.includes('')) throw new UsageError(`compare: --regimes: expected regimes separated by single commas, got an empty item in "${options.regimes}"`);
      const deciding = options.decide.length > 0;
      if (deciding && named.length !== 1) throw new UsageError(`compare: --decide compares one regime with and without the decisions: expected one regime in --regimes, got ${named.length} in "${options.regimes}"`);
      if (!deciding && named.length < 2) throw new UsageError(`compare: --regimes expected at least two regimes (or one with --decide), got "${options.regimes}"`);
      // With decisions: the regime as it is, then the same regime taking them in every run, under its own label.
      const regimes = deciding ? [named[0]!, `${named[0]!}+decisions`] : named;
      const documentsOf = deciding ? [named[0]!, named[0]!] : named;
      // The command that finishes an interrupted comparison (with the same options otherwise).
      const again = (group: string) =>
        `strata compare ${shellWord(scenario)} --regimes ${shellWord(named.join(','))}${groupFlags(options)}${options.decide.map((d) => ` --decide ${shellWord(d)}`).join('')} --resume ${group}${dbFlag(options.db)}`;
      // The schemas, DuckDB and the workers' pool, loaded only to run (not for --help).
      const [{ Store }, { loadVariants }, { runMember, storedMembers }, { Session }, { prepareGroup }] = await Promise.all([
        import('../../store/index.js'),
        import('../inputs.js'),
        import('../group.js'),
        import('../session.js'),
        import('../model-cache.js'),
      ]);
      // Every regime's model from the compiled-model cache when it has them all; otherwise every input is
      // loaded before running anything, so a typo in the last regime fails at once (the regimes share one
      // twin and scenario, resolved once), and each regime's model is compiled when its turn comes.
      const variants = documentsOf.map((regime) => ({ regime }));
      const given = { ...options, regimeOption: '--regimes' };
      const group = await prepareGroup(scenario, given, variants, { all: () => loadVariants(scenario, given, variants) });
      // A compared regime named twice would be one difference under one key (once every regime is known to be
      // good, so bad ones are all said first). The reference against itself is a check that pairing holds.
      const compared = regimes.slice(1);
      const twice = compared.find((r, i) => compared.indexOf(r) !== i);
      if (twice !== undefined) throw new UsageError(`compare: --regimes: expected each compared regime once, got ${twice} more than once in "${options.regimes}"`);
      const about = await Promise.all(regimes.map((_, i) => group.member(i).about()));
      // Each member's stored label: its regime's name, or as given in --regimes where members given otherwise
      // share a name (a trial's a/fast-restore.yaml and b/fast-restore.yaml were both "fast-restore" in the
      // store and its exports, which pivot on the label; so were charter and a path to the same file).
      const labelOf = (i: number): string => {
        if (deciding) return regimes[i]!;
        const name = about[i]!.names.regime;
        return about.some((other, j) => other.names.regime === name && named[j] !== named[i]) ? named[i]! : name;
      };
      // The members as the table, --json, the store and its exports all name them (a trial's table read
      // "patched.yaml − baseline" for the batch `results list` showed as "stmary-patched").
      const labels = regimes.map((_, i) => labelOf(i));
      // The decisions, checked against the regime's compiled model before anything is stored or run: the
      // reference member's, which it then runs with (the decided member, the same regime, compiles its own once
      // the reference's is let go, as any member does).
      let interventions: Intervention[] = [];
      let reference: ReturnType<typeof group.member> | undefined;
      if (deciding) {
        const [{ parseDecisions }, { decisionContext }] = await Promise.all([import('../decisions.js'), import('../../engine/batch/decisions.js')]);
        reference = group.member(0);
        interventions = parseDecisions(options.decide, decisionContext(await reference.compile()));
      }
      // What --set and --calibration change in every regime's documents: said in the header, kept with each batch
      // (the decided member's with its decisions after them).
      const settings = settingsOf(options);
      const decided = [...settings, ...decisionSettings(options.decide)];
      const store = noteUpgrade(await Store.open(options.resume ? existingDbPath(options.db, `compare --resume ${options.resume}`) : dbPath(options.db)));
      const session = new Session(options.workers);
      // The group is named after its first batch (the store's convention).
      let groupId: string | undefined = options.resume;
      const results: BatchResult[] = [];
      const ids: string[] = [];
      try {
        // Resuming: the group's batches by regime, each checked to hold these inputs, seed and runs (group.ts).
        const stored = options.resume ? await storedMembers(store, options.resume, 'compare', labels) : [];
        for (const [i, { hashes }] of about.entries()) {
          const label = labelOf(i);
          const interrupted = () =>
            new InterruptedError(
              groupId ? `interrupted before regime ${label}: finish the comparison with: ${again(groupId)}` : 'interrupted before any regime ran; nothing is stored',
            );
          if (session.interrupted) throw interrupted();
          // Made here and let go after: its model is out of reach before the next regime's is read or compiled.
          const inputs = (i === 0 ? reference : undefined) ?? group.member(i);
          // Let go with this member, as any member's model is (the next is not compiled beside it).
          reference = undefined;
          const taking = deciding && i === 1;
          const member = { compile: inputs.compile, inputs: inputs.inputs, hashes, kind: 'compare' as const, label, groupId, existing: stored[i], seed: options.seed, runs: options.runs, settings: taking ? decided : settings, interventions: taking ? interventions : undefined, progress: !options.json, interrupted };
          const { id, result, complete } = await runMember(store, session, member);
          groupId ??= id;
          setResumeHint(`finish it, or print the comparison, with: ${again(groupId)}`);
          if (!complete) {
            throw new InterruptedError(`interrupted: regime ${label} is incomplete in batch ${id} of group ${groupId} (${storedRuns(result.runs, options.runs)}); finish the comparison with: ${again(groupId)}`);
          }
          results.push(result);
          ids.push(id);
        }
      } finally {
        await session.close();
        await store.close();
      }
      const summaries: BatchSummary[] = results.map(summarizeBatch);
      const differences = results.slice(1).map((r) => compareBatches(results[0]!, r));
      // Any two regimes' paired comparison, for `best`'s "≈": made once a pair, against the first from `differences`.
      const pairs = new Map<string, Record<string, PairedComparison | null>>();
      const pair: PairOf = (i, j, metric) => {
        if (i === 0) return differences[j - 1]![metric] ?? null;
        const key = `${i},${j}`;
        if (!pairs.has(key)) pairs.set(key, compareBatches(results[i]!, results[j]!));
        return pairs.get(key)![metric] ?? null;
      };
      if (options.json) {
        const best: Record<string, string> = {};
        const notToldApart: Record<string, string[]> = {};
        for (const metric of Object.keys(summaries[0]!)) {
          const name = bestRegime(metric, summaries, labels);
          if (name === null) continue;
          best[metric] = name;
          const close = notToldFromBest(metric, summaries, labels, pair);
          if (close.length > 0) notToldApart[metric] = close;
        }
        const out = {
          scenario: about[0]!.names.scenario,
          twin: about[0]!.names.twin,
          seed: options.seed,
          runs: options.runs,
          settings,
          // The decisions the second member takes in every run, as given (none without --decide).
          decisions: options.decide,
          version: engineVersion(),
          group: groupId,
          differences: Object.fromEntries(
            differences.map((d, i) => [`${labels[i + 1]}-${labels[0]}`, jsonDifferences(d, results[0]!, results[i + 1]!)]),
          ),
          // Which regimes each key of `differences` and `pairing` compares: "a-b-c" could be a-b against c or a
          // against b-c; this says, for names with hyphens.
          compared: labels.slice(1).map((label, i) => ({ key: `${label}-${labels[0]}`, b: label, a: labels[0]!, index: i + 1 })),
          // What pairing bought, in one number per regime: the median paired/unpaired half-width ratio over
          // the headline outcomes that vary in both regimes and not identically (the table's closing line).
          pairing: Object.fromEntries(
            differences.map((d, i) => {
              const { median, over } = medianPairingGain(HEADLINE.flatMap(([metric]) => (d[metric] ? [pairingGain(d[metric])] : [])));
              return [`${labels[i + 1]}-${labels[0]}`, { medianPairedOverUnpaired: median, over }];
            }),
          ),
          best,
          // Per metric with a best regime, the regimes whose paired difference from it has a 95% interval containing 0.
          notToldApart,
          // Each metric's unit (minutes for times, as the runs hold them; the table shows hours).
          units: unitsOf(Object.keys(summaries[0]!)),
          // Each regime's own summaries last: the comparison comes first in the object.
          regimes: about.map((a, i) => ({
            // label: the member's name in `best`, the differences' keys, the table and the store — its regime's name,
            // or as given in --regimes where two members' regimes share a name; regime: the document's name.
            label: labels[i],
            regime: a.names.regime,
            batch: ids[i],
            inputs: a.hashes,
            metrics: Object.fromEntries(Object.entries(summaries[i]!).map(([k, v]) => [k, jsonSummary(v)])),
          })),
        };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(`${about[0]!.title}\ntwin ${about[0]!.names.twin} · ${options.runs.toLocaleString('en-GB')} runs per regime · seed ${options.seed} · group ${groupId} (batches ${ids.join(', ')})\n${settingsLine(deciding ? decided : settings, 'every regime', `${labels[1]} only`)}\n`);
      process.stdout.write(`${comparisonTable(labels, summaries, differences, options.all, pair)}\n`);
    });
}

