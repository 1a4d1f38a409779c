import type { Command } from 'commander';
import type { BatchResult } from '../../engine/batch/batch.js';
import { compareBatches, storedResult, summarizeBatch, type BatchSummary } from '../../engine/batch/summarize.js';
import { medianPairingGain, pairingGain } from '../../engine/stats/pairing-gain.js';
import { Store } from '../../store/index.js';
import { collect, dbPath, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WORKERS, existingDbPath, integer, MAX_WORKERS } from '../args.js';
import { InterruptedError, UsageError } from '../errors.js';
import { bestRegime, comparisonTable, HEADLINE, jsonDifference, jsonSummary } from '../format.js';
import { compileInputs, loadInputs } from '../inputs.js';
import { Recorder } from '../recorder.js';
import { Session } from '../session.js';
import { VERSION } from '../version.js';
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
  resume?: string;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .argument('<scenario>', 'a built-in scenario or a scenario file')
    .description(summary('compare'))
    .requiredOption('--regimes <list>', 'comma-separated regimes, the first is the reference (e.g. baseline,charter,segmented)')
    .option('--twin <twin>', "the twin (default: the scenario's own)")
    .option('--runs <n>', 'runs per regime', integer('--runs', 2, 10_000_000), DEFAULT_RUNS)
    .option('--seed <seed>', 'the batch seed, shared by every regime', integer('--seed', 0), DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (0: in this thread)', integer('--workers', 0, MAX_WORKERS), DEFAULT_WORKERS)
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set')
    .option('--set <path=value>', 'override a value in every regime (repeatable)', collect, [])
    .option('--json', 'print one JSON object on stdout')
    .option('--all', 'show every metric')
    .option('--db <file>', 'the results database')
    .option('--resume <group>', 'finish an interrupted comparison: the same command with the group id it printed; results are identical')
    .action(async (scenario: string, options: CompareOptions) => {
      const regimes = options.regimes.split(',').map((r) => r.trim()).filter(Boolean);
      if (regimes.length < 2) throw new UsageError(`compare: --regimes expected at least two regimes, got "${options.regimes}"`);
      // Load every input before running anything, so a typo in the last regime fails at once.
      const inputs = regimes.map((regime) => loadInputs(scenario, { ...options, regime }));
      const store = await Store.open(options.resume ? existingDbPath(options.db, `compare --resume ${options.resume}`) : dbPath(options.db));
      const session = new Session(options.workers);
      // The group is named after its first batch (the store's convention).
      let groupId: string | undefined = options.resume;
      const results: BatchResult[] = [];
      const ids: string[] = [];
      try {
        // Resuming: the group's batches by regime, each checked to hold these inputs, seed and runs.
        const stored = options.resume ? await groupBatches(store, options.resume, inputs, options) : new Map<string, string>();
        for (const input of inputs) {
          const compiled = compileInputs(input);
          const existing = stored.get(input.regime.name);
          const recorder = existing
            ? Recorder.resume(store, existing, (await store.getBatch(existing)).metricNames.length)
            : await Recorder.begin(store, compiled, input, { kind: 'compare', groupId, label: input.regime.name, seed: options.seed, runs: options.runs });
          groupId ??= recorder.id;
          // A stored batch runs only what it lacks (nothing, if complete); its results are read back whole.
          const missing = existing ? await store.missingRuns(existing) : [[0, options.runs] as const];
          let elapsedMs = 0;
          for (const [start, end] of missing) {
            const part = await session.batch(compiled, { runs: end - start, runStart: start, seed: options.seed, label: input.regime.name, progress: !options.json, onChunk: recorder.chunk });
            elapsedMs += part.elapsedMs;
            if (session.interrupted || !part.complete) break;
          }
          await recorder.flush();
          const result = storedResult(await store.readRuns(recorder.id));
          const complete = !session.interrupted && result.runs === options.runs && result.complete;
          if (missing.length > 0 || !existing) await recorder.finish(complete ? summarizeBatch(result) : undefined, complete, elapsedMs);
          if (!complete) {
            const again = `strata compare ${scenario} --regimes ${regimes.join(',')} --resume ${groupId}`;
            throw new InterruptedError(`interrupted: regime ${input.regime.name} is incomplete in batch ${recorder.id} of group ${groupId}; finish the comparison with the same options and: ${again}`);
          }
          results.push(result);
          ids.push(recorder.id);
        }
      } finally {
        await session.close();
        await store.close();
      }
      const summaries: BatchSummary[] = results.map(summarizeBatch);
      const differences = results.slice(1).map((r) => compareBatches(results[0]!, r));
      if (options.json) {
        const best: Record<string, string> = {};
        for (const metric of Object.keys(summaries[0]!)) {
          const name = bestRegime(metric, summaries, regimes);
          if (name !== null) best[metric] = name;
        }
        const out = {
          scenario: inputs[0]!.scenario.name,
          twin: inputs[0]!.twin.name,
          seed: options.seed,
          runs: options.runs,
          version: VERSION,
          group: groupId,
          differences: Object.fromEntries(
            differences.map((d, i) => [`${regimes[i + 1]}-${regimes[0]}`, Object.fromEntries(Object.entries(d).map(([k, v]) => [k, jsonDifference(v)]))]),
          ),
          // What pairing bought, in one number per regime: the median paired/unpaired half-width ratio over
          // the headline outcomes that vary in both regimes and not identically (the table's closing line).
          pairing: Object.fromEntries(
            differences.map((d, i) => {
              const { median, over } = medianPairingGain(HEADLINE.flatMap(([metric]) => (d[metric] ? [pairingGain(d[metric])] : [])));
              return [`${regimes[i + 1]}-${regimes[0]}`, { medianPairedOverUnpaired: median, over }];
            }),
          ),
          best,
          // Each regime's own summaries last: the comparison comes first in the object.
          regimes: inputs.map((input, i) => ({
            regime: input.regime.name,
            batch: ids[i],
            inputs: input.hashes,
            metrics: Object.fromEntries(Object.entries(summaries[i]!).map(([k, v]) => [k, jsonSummary(v)])),
          })),
        };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(`${inputs[0]!.scenario.title}\ntwin ${inputs[0]!.twin.name} · ${options.runs} runs per regime · seed ${options.seed} · group ${groupId} (batches ${ids.join(', ')})\n\n`);
      process.stdout.write(`${comparisonTable(regimes, summaries, differences, options.all)}\n`);
    });
}

/**
 * An interrupted comparison's batches, by regime: every batch of the group must be a comparison of these
 * inputs (the same documents, seed and runs) — what `--resume` with other options would silently mix is
 * refused, one line naming the regime.
 */
async function groupBatches(store: Store, group: string, inputs: { regime: { name: string }; hashes: { twinHash: string; scenarioHash: string; regimeHash: string } }[], options: CompareOptions): Promise<Map<string, string>> {
  const batches = await store.listBatches({ groupId: group });
  const where = `compare --resume ${group}`;
  if (batches.length === 0) throw new UsageError(`${where}: expected a comparison's group id, got none in this database`);
  const byRegime = new Map<string, string>();
  for (const batch of batches) {
    if (batch.kind !== 'compare') throw new UsageError(`${where}: expected a comparison, got a ${batch.kind}`);
    const input = inputs.find((i) => i.regime.name === batch.label);
    if (!input) throw new UsageError(`${where}: the group holds regime ${batch.label ?? batch.regime}, which --regimes does not name`);
    const same = batch.hashes.twinHash === input.hashes.twinHash && batch.hashes.scenarioHash === input.hashes.scenarioHash && batch.hashes.regimeHash === input.hashes.regimeHash;
    if (!same || batch.seed !== options.seed || batch.runs !== options.runs) {
      throw new UsageError(`${where}: regime ${input.regime.name}: expected the stored batch's inputs, seed and runs (seed ${batch.seed}, ${batch.runs} runs), got different ones; give the options the comparison was started with`);
    }
    byRegime.set(input.regime.name, batch.id);
  }
  return byRegime;
}
