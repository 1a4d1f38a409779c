import { INTERVENTION_ACTIONS as ACTIONS, type Intervention, type InterventionAction } from '../engine/kernel/interventions.js';
import { NODE_KINDS } from '../engine/model/vocabulary.js';
import { UsageError } from './errors.js';

/**
 * The room's decisions as `strata trace --decide` takes them: `ACTION[:TARGET]@MINUTES`, e.g.
 * `isolate-zone:trust/lab@100`, `disconnect-kinds:lab-analyser+imaging-modality@5`, `add-staff:5@1440`,
 * `halt-update@30`. Every timed intervention of the kernel (docs/engine.md "Interventions"), with its target
 * named as the user knows it (a zone's id, node kinds, a number of staff) and checked against the twin.
 */
const ZONE_ACTIONS: readonly InterventionAction[] = ['isolate-zone', 'reconnect-zone'];
const KIND_ACTIONS: readonly InterventionAction[] = ['disconnect-kinds', 'reconnect-kinds'];

/** One problem per bad decision, each naming it; a UsageError (exit 2) when any is bad. */
export function parseDecisions(texts: readonly string[], zones: readonly string[], twin: string): Intervention[] {
  const problems: string[] = [];
  const out: Intervention[] = [];
  for (const text of texts) {
    const decision = parseDecision(text, zones, twin);
    if (typeof decision === 'string') problems.push(`--decide ${JSON.stringify(text)}: ${decision}`);
    else out.push(decision);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return out;
}

/** A decision, or what was expected of it. */
function parseDecision(text: string, zones: readonly string[], twin: string): Intervention | string {
  const match = /^([a-z-]+)(?::([^@]+))?@(.+)$/.exec(text.trim());
  if (!match) return 'expected ACTION[:TARGET]@MINUTES (e.g. isolate-zone:trust/lab@100, halt-update@30)';
  const [, name, target, at] = match as unknown as [string, string, string | undefined, string];
  if (!(ACTIONS as string[]).includes(name)) return `expected an action of ${ACTIONS.join(', ')}, got ${JSON.stringify(name)}`;
  const action = name as InterventionAction;
  const atMinutes = Number(at);
  if (!/^\d+(\.\d+)?$/.test(at) || !Number.isFinite(atMinutes)) return `expected the minute it is taken, a number ≥ 0, got ${JSON.stringify(at)}`;
  if (ZONE_ACTIONS.includes(action)) {
    if (target === undefined) return `expected ${action}:ZONE@MINUTES, with a zone of twin ${twin}`;
    const zone = zones.indexOf(target);
    if (zone < 0) return `expected a zone of twin ${twin} (${zones.length === 0 ? 'it has none' : `${zones.slice(0, 6).join(', ')}${zones.length > 6 ? ', …' : ''}`}), got ${JSON.stringify(target)}`;
    return { atMinutes, action, argument: zone };
  }
  if (KIND_ACTIONS.includes(action)) {
    if (target === undefined) return `expected ${action}:KIND[+KIND…]@MINUTES`;
    let mask = 0;
    for (const kind of target.split('+')) {
      const k = (NODE_KINDS as readonly string[]).indexOf(kind);
      if (k < 0) return `expected node kinds joined by + (${NODE_KINDS.slice(0, 4).join(', ')}, … as docs/model.md lists them), got ${JSON.stringify(kind)}`;
      mask |= 1 << k;
    }
    return { atMinutes, action, argument: mask };
  }
  if (action === 'add-staff') {
    const staff = Number(target);
    if (target === undefined || !/^\d+$/.test(target) || staff < 1) return `expected add-staff:N@MINUTES, N a whole number of staff ≥ 1, got ${JSON.stringify(target ?? '')}`;
    return { atMinutes, action, argument: staff };
  }
  if (target !== undefined) return `expected ${action}@MINUTES (it takes no target), got :${target}`;
  return { atMinutes, action };
}
