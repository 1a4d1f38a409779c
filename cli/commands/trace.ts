import type { Command } from 'commander';
import { collect, DECIDE_HELP, DEFAULT_SEED, integer, MAX_RUNS } from '../args.js';
import { summary } from './index.js';

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .argument('<scenario>', 'a built-in scenario name or a scenario file')
    .description(summary('trace'))
    .option('--twin <twin>', "the twin (default: the scenario's own)")
    .option('--regime <regime>', 'the control regime', 'baseline')
    .option('--run <index>', 'the run index within the batch (a batch holds at most 10,000,000 runs)', integer('--run', 0, MAX_RUNS - 1), 0)
    .option('--seed <seed>', 'the batch seed', integer('--seed', 0), DEFAULT_SEED)
    .option('--calibration <file>', 'apply a calibration (strata calibrate) before any --set')
    .option('--set <path=value>', 'override a value in the twin, scenario or regime (repeatable)', collect, [])
    .option('--decide <decision>', DECIDE_HELP, collect, [])
    .action(async (scenario: string, options: { twin?: string; regime: string; run: number; seed: number; set: string[]; decide: string[] }) => {
      // The schemas and the engine, loaded only to run (not for --help).
      const [{ traceRun }, { prepareInputs }, { parseDecisions }, { decisionContext }] = await Promise.all([import('../../engine/batch/trace.js'), import('../model-cache.js'), import('../decisions.js'), import('../../engine/batch/decisions.js')]);
      // Through the compiled-model cache, as run does, saying what a slow preparation does (nhs-england: a
      // trace was silent for 13 s, and built the twin again on every call).
      const { compiled } = await prepareInputs(scenario, { ...options, say: (line) => void process.stderr.write(`strata: ${line}\n`) });
      // The run's history before each decision is the plain run's (docs/engine.md "Interventions").
      const decisions = parseDecisions(options.decide, decisionContext(compiled));
      process.stdout.write(`${JSON.stringify(traceRun(compiled, options.seed, options.run, decisions))}\n`);
    });
}
