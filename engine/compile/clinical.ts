import type { Controls } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { CompiledModel } from './model.js';

/**
 * The share of a service kept on paper: what the estate already had in the incident (the scenario's) and
 * what a regime adds on top, as independent fallbacks: 1 − (1 − a)(1 − b). Either alone is kept exactly.
 */
export function downtimeCapacity(scenario: number, regime: number): number {
  if (scenario === 0) return regime;
  if (regime === 0) return scenario;
  return 1 - (1 - scenario) * (1 - regime);
}

/** The clinical parameters: downtime capacity (scenario and regime combined) and the diversion threshold (harm: harm.ts). */
export function compileClinical(clinical: Scenario['clinical'], controls: Pick<Controls, 'downtimeCapacity'>): Pick<CompiledModel, 'downtimeCapacity' | 'diversionBelow'> {
  return {
    downtimeCapacity: downtimeCapacity(clinical.downtimeCapacity, controls.downtimeCapacity ?? 0),
    diversionBelow: clinical.diversionBelowCapacity,
  };
}
