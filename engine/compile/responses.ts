import type { Scenario } from '../model/scenario.js';
import { NODE_KINDS } from '../model/vocabulary.js';
import { packDelay } from './delay.js';
import { RESPONSE_CODE, type CompiledModel } from './model.js';
import { shared } from './shared.js';

/** A bit mask of NODE_KINDS indices (there are fewer than 31 kinds, so it fits a 32-bit integer). */
export function kindMask(kinds: readonly string[]): number {
  let mask = 0;
  for (const k of kinds) mask |= 1 << NODE_KINDS.indexOf(k as (typeof NODE_KINDS)[number]);
  return mask;
}

/**
 * Per response, in the scenario's order: [code, kind mask, scope (0 estate, 1 site), share] and its packed
 * delay, and whether and after what checks it is lifted; and the escalation rule: how many sites must report before the national alert (Infinity: never),
 * and the alert's delay.
 */
export function compileResponses(
  responses: Scenario['responses'],
  escalation?: Scenario['escalation'],
): Pick<CompiledModel, 'responseParams' | 'responseDelays' | 'responseLifts' | 'liftDelays' | 'escalationSites' | 'escalationDelay'> {
  const responseParams = shared(Float64Array, responses.length * 4);
  const responseDelays = shared(Float64Array, responses.length * 3);
  const responseLifts = shared(Uint8Array, responses.length);
  const liftDelays = shared(Float64Array, responses.length * 3);
  responses.forEach((response, r) => {
    responseParams.set([RESPONSE_CODE[response.action], kindMask(response.kinds ?? []), response.scope === 'site' ? 1 : 0, response.share], r * 4);
    responseDelays.set(packDelay(response.delay), r * 3);
    if (response.lift) {
      responseLifts[r] = 1;
      liftDelays.set(packDelay(response.lift.after), r * 3);
    }
  });
  return { responseParams, responseDelays, responseLifts, liftDelays, escalationSites: escalation?.afterSites ?? Infinity, escalationDelay: packDelay(escalation?.delay) };
}
