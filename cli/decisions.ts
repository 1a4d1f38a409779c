import { parseDecisions as parse } from '../engine/batch/decisions.js';
import type { Intervention } from '../engine/kernel/interventions.js';
import { UsageError } from './errors.js';

/**
 * `strata trace --decide ACTION[:TARGET]@MINUTES` (engine/batch/decisions.ts reads them): one problem per bad
 * decision, each naming it; a UsageError (exit 2) when any is bad.
 */
export function parseDecisions(texts: readonly string[], zones: readonly string[], twin: string): Intervention[] {
  const { decisions, problems } = parse(texts, zones, twin, '--decide ');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return decisions;
}
