import { decisionContext, parseDecisions } from '../engine/batch/decisions.js';
import { traceRun, type TraceDocument } from '../engine/batch/trace.js';
import type { Compiled } from '../engine/compile/model.js';
import { StrataInputError } from '../engine/model/errors.js';
import { compileInputs, loadInputs, type Inputs } from '../cli/inputs.js';

/**
 * The server's trace thread: compiles a run's inputs (keeping the last few) and traces it, off the event loop,
 * so the page's other requests — a national twin's layout above all — are answered while a run computes.
 */
export interface TraceTask {
  scenario: string;
  twin?: string;
  regime: string;
  seed: number;
  run: number;
  /** The room's decisions, `ACTION[:TARGET]@MINUTES` each (engine/batch/decisions.ts). */
  decide?: string[];
}

const cache = new Map<string, { compiled: Compiled; hashes: Inputs['hashes'] }>();
const CACHE = 4;

/** The trace, or the input problem in words (an error's class does not cross threads). */
export default function trace(task: TraceTask): (TraceDocument & { inputs: Inputs['hashes'] }) | { inputError: string } {
  const key = `${task.scenario}|${task.twin ?? ''}|${task.regime}`;
  let entry = cache.get(key);
  if (!entry) {
    let inputs: Inputs;
    try {
      inputs = loadInputs(task.scenario, { twin: task.twin, regime: task.regime });
    } catch (error) {
      if (error instanceof StrataInputError) return { inputError: error.message };
      throw error;
    }
    entry = { compiled: compileInputs(inputs), hashes: inputs.hashes };
    if (cache.size >= CACHE) cache.delete(cache.keys().next().value!);
    cache.set(key, entry);
  }
  const { decisions, problems } = parseDecisions(task.decide ?? [], decisionContext(entry.compiled), 'decide ');
  if (problems.length > 0) return { inputError: problems.join('; ') };
  return { ...traceRun(entry.compiled, task.seed, task.run, decisions), inputs: entry.hashes };
}
