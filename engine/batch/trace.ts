import type { Compiled } from '../compile/model.js';
import { INTERVENTION_ACTIONS, packInterventions, type Intervention } from '../kernel/interventions.js';
import { decisionDetail, kindsOf } from './decisions.js';
import { runKernel } from '../kernel/kernel.js';
import { metricNames } from '../kernel/metrics.js';
import { KernelState } from '../kernel/state.js';
import { TRACE_KINDS, TraceBuffer, T_ACTION, T_BLOCKED, T_COMPROMISE, T_DISCONNECT, T_DISRUPT, T_HALT, T_INTERVENTION, T_ISOLATE, T_REVOKE } from '../kernel/trace.js';
import { OPERATOR_ACTIONS } from '../model/scenario.js';
import { CONTROL_NAMES } from '../compile/model.js';
import { entryOfMember } from '../model/expand.js';
import { LAYERS, NODE_KINDS, RELATIONS } from '../model/vocabulary.js';

/**
 * One run's event trace as a JSON document: what `strata trace` prints and the dashboard animates. Node
 * indices become ids here, at the engine's edge; only nodes that appear in the trace are listed.
 */
export interface TraceDocument {
  schema: 'strata.trace/v1';
  twin: string;
  scenario: string;
  regime: string;
  seed: number;
  run: number;
  horizonMinutes: number;
  nodes: { id: string; layer: string; kind: string; zone: string | null; site: string | null }[];
  /** Each event: minutes, kind, node (index into `nodes`, or null), from (index or null), detail. */
  events: { t: number; kind: string; node: number | null; from: number | null; detail: string | null; crossing: 'up' | 'down' | null }[];
  /**
   * Each service whose capacity fell below 1 in the run: its capacity (share of normal, 0–1) every
   * `serviceStepMinutes` from minute 0 to the horizon, its kind, unit and demand per hour.
   */
  serviceStepMinutes: number;
  services: { id: string; kind: string; unit: string; demandPerHour: number; site: string | null; capacity: number[] }[];
  outcome: Record<string, number | null>;
}

/** At most this many points of a service's capacity series in a trace (hourly up to ~166 days). */
const MAX_SERVICE_POINTS = 4001;

export function memberName(compiled: Compiled, index: number): string {
  const { entryStart, entryIds, entryCounts } = compiled.meta;
  const lo = entryOfMember(entryStart, index);
  return entryCounts[lo] === 1 ? entryIds[lo]! : `${entryIds[lo]}#${index - entryStart[lo]!}`;
}

export function traceRun(compiled: Compiled, seed: number, run: number, interventions: readonly Intervention[] = []): TraceDocument {
  const { model, meta } = compiled;
  const trace = new TraceBuffer();
  const hours = Math.ceil(model.horizonMinutes / 60);
  const points = Math.min(MAX_SERVICE_POINTS, hours + 1);
  const serviceStepMinutes = points > 1 ? model.horizonMinutes / (points - 1) : 0;
  const serviceSeries = new Float64Array(points * model.serviceCount);
  const state = new KernelState(model);
  const row = runKernel(model, state, seed, run, { trace, interventions: packInterventions(interventions), serviceSeries, serviceSeriesPoints: points });
  const services: TraceDocument['services'] = [];
  for (let s = 0; s < model.serviceCount; s++) {
    if (state.services.minimum[s]! >= 1) continue;
    const capacity = Array.from({ length: points }, (_, p) => serviceSeries[p * model.serviceCount + s]!);
    const site = model.serviceSite[s]!;
    services.push({
      id: meta.services[s]!,
      kind: meta.serviceKinds[model.serviceKind[s]!]!,
      unit: meta.serviceUnits[s]!,
      demandPerHour: model.serviceDemand[s]!,
      site: site >= 0 ? meta.sites[site]! : null,
      capacity: capacity.map((c) => Number(c.toFixed(6))),
    });
  }
  const listed = new Map<number, number>();
  const nodes: TraceDocument['nodes'] = [];
  const ref = (index: number): number | null => {
    if (index < 0) return null;
    let at = listed.get(index);
    if (at === undefined) {
      listed.set(index, (at = nodes.length));
      nodes.push({
        id: memberName(compiled, index),
        layer: LAYERS[model.layer[index]!]!,
        kind: NODE_KINDS[model.kind[index]!]!,
        zone: model.zone[index]! >= 0 ? meta.zones[model.zone[index]!]! : null,
        site: model.site[index]! >= 0 ? meta.sites[model.site[index]!]! : null,
      });
    }
    return at;
  };
  const events: TraceDocument['events'] = [];
  for (let i = 0; i < trace.length; i++) {
    const kind = trace.kind[i]!;
    // An operator's action is recorded as (host, target): shown as the target (or the host, for an action on
    // it alone) reached from the host, with the action's name.
    const acts = kind === T_ACTION && trace.from[i]! >= 0;
    // A disconnection's node is its site (-1: estate-wide), said in its detail; it names no member.
    const node = acts ? trace.from[i]! : kind === T_DISCONNECT ? -1 : trace.node[i]!;
    const from = acts ? trace.node[i]! : kind === T_ACTION ? -1 : trace.from[i]!;
    const detail = trace.detail[i]!;
    const nodeRef = ref(node);
    // For zone isolation, disconnection, revocation, a halt and interventions `from` carries a zone, a kind
    // mask or a site (-1: estate-wide), not a node; `detail` is 1 when the response is applied, 0 when lifted.
    const carriesNode = kind !== T_ISOLATE && kind !== T_DISCONNECT && kind !== T_INTERVENTION && kind !== T_REVOKE && kind !== T_HALT;
    const fromRef = carriesNode ? ref(from) : null;
    // A halt: 1 by a response or decision, 2 by the staged rollout's halt rule.
    const lifted = detail === 0 ? ' (lifted)' : kind === T_HALT && detail === 2 ? ' (halt rule)' : '';
    let text: string | null = null;
    if (kind === T_BLOCKED) text = CONTROL_NAMES[detail] ?? null;
    else if (kind === T_ISOLATE) text = `${meta.zones[from] ?? ''}${lifted}`;
    else if (kind === T_DISCONNECT) {
      const site = trace.node[i]!;
      text = `${kindsOf(from).join(', ')}${detail === 0 ? ' reconnected' : ' disconnected'}${site >= 0 ? ` at ${meta.sites[site] ?? ''}` : ''}`;
    }
    else if (kind === T_REVOKE || kind === T_HALT) text = `${from >= 0 ? (meta.sites[from] ?? '') : 'estate'}${lifted}`;
    else if ((kind === T_COMPROMISE || kind === T_DISRUPT) && detail >= 0) text = RELATIONS[detail] ?? null;
    else if (kind === T_ACTION) text = OPERATOR_ACTIONS[detail] ?? null;
    else if (kind === T_INTERVENTION) text = interventionText(detail, from, meta.zones);
    const crossing = kind !== T_ACTION && carriesNode && node >= 0 && from >= 0 && model.layer[node] !== model.layer[from] ? (model.layer[from]! < model.layer[node]! ? 'up' : 'down') : null;
    events.push({ t: trace.time[i]!, kind: TRACE_KINDS[kind]!, node: nodeRef, from: fromRef, detail: text, crossing });
  }
  const names = metricNames(meta);
  return {
    schema: 'strata.trace/v1',
    twin: meta.twin,
    scenario: meta.scenario,
    regime: meta.regime,
    seed,
    run,
    horizonMinutes: model.horizonMinutes,
    nodes,
    events,
    serviceStepMinutes,
    services,
    outcome: Object.fromEntries(names.map((n, i) => [n, Number.isFinite(row[i]) ? row[i]! : null])),
  };
}

/** A decision as the trace names it: its action and what it acts on (a zone, kinds, staff). */
function interventionText(code: number, argument: number, zones: readonly string[]): string | null {
  const action = INTERVENTION_ACTIONS[code];
  return action === undefined ? null : decisionDetail(action, argument, zones);
}
