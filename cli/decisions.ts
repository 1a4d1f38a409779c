import { parseDecisions as parse, type DecisionContext } from '../engine/batch/decisions.js';
import type { Intervention } from '../engine/kernel/interventions.js';
import { UsageError } from './errors.js';

/**
 * `strata trace --decide ACTION[:TARGET]@MINUTES` (engine/batch/decisions.ts reads them): one problem per bad
 * decision, each naming it; a UsageError (exit 2) when any is bad.
 */
export function parseDecisions(texts: readonly string[], context: DecisionContext): Intervention[] {
  const { decisions, problems } = parse(texts, context, '--decide ');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return decisions;
}
