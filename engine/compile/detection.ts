import type { ExpandedTwin } from '../model/expand.js';
import { hashUnit, memberCarries } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { packDelay } from './delay.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

/** Detection is this many times faster on a node with EDR when the regime does not say (assumption). */
export const DEFAULT_EDR_SPEEDUP = 4;

/**
 * The scenario's detection delays and, per member, how many times faster detection is: the EDR speed-up
 * on members that carry `edr` in the twin or fall in the regime's `edrCoverage` share of their group
 * (systematic sampling, the same members in every run), 1 elsewhere.
 */
export function compileDetection(
  twin: Twin,
  expanded: ExpandedTwin,
  scenario: Scenario,
  controls: Pick<Controls, 'edrCoverage' | 'edrDetectionSpeedup'>,
): Pick<CompiledModel, 'detectSpeedup' | 'detectCompromised' | 'detectDisrupted'> {
  const detectSpeedup = shared(Float32Array, expanded.nodeCount);
  const edrSpeedup = controls.edrDetectionSpeedup ?? DEFAULT_EDR_SPEEDUP;
  twin.nodes.forEach((node, e) => {
    const start = expanded.entryStart[e]!;
    const hasEdr = node.controls.includes('edr');
    const edrOffset = hashUnit(`${node.id}/edr`);
    for (let k = 0; k < node.count; k++) {
      const edr = hasEdr || (controls.edrCoverage !== undefined && memberCarries(controls.edrCoverage, k, edrOffset));
      detectSpeedup[start + k] = edr ? edrSpeedup : 1;
    }
  });
  return {
    detectSpeedup,
    detectCompromised: packDelay(scenario.detection.compromised),
    detectDisrupted: packDelay(scenario.detection.disrupted),
  };
}
