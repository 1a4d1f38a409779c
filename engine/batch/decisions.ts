import { INTERVENTION_ACTIONS, type Intervention, type InterventionAction } from '../kernel/interventions.js';
import type { Compiled } from '../compile/model.js';
import { NODE_KINDS, THREAT_KINDS } from '../model/vocabulary.js';

/**
 * The room's decisions as people write them: `ACTION[:TARGET]@MINUTES`, e.g. `isolate-zone:trust/lab@100`,
 * `disconnect-kinds:lab-analyser+imaging-modality@5`, `add-staff:5@1440`, `halt-update@30` — every timed
 * intervention of the kernel (docs/engine.md "Interventions"), its target named as the user knows it (a
 * zone's id, node kinds, a number of staff) and checked against the twin. `strata trace --decide`, the
 * server's `/api/trace?decide=` and the dashboard's what-ifs all read them here; this module imports nothing
 * from Node, so the page's bundle takes it as it is.
 */

const DECISION_SYNTAX = 'ACTION[:TARGET]@MINUTES';
const ZONE_ACTIONS: readonly InterventionAction[] = ['isolate-zone', 'reconnect-zone'];
const KIND_ACTIONS: readonly InterventionAction[] = ['disconnect-kinds', 'reconnect-kinds'];

/** How a decision taken in every run of a batch is kept among its stored settings: `decide=ACTION[:TARGET]@MINUTES`. */
export const DECISION_SETTING = 'decide=';

/** The settings entries of decisions taken in every run of a batch (`--decide`, as given). */
export function decisionSettings(decide: readonly string[] | undefined): string[] {
  return (decide ?? []).map((d) => `${DECISION_SETTING}${d.trim()}`);
}

/** The decisions among a batch's stored settings, as given to --decide. */
export function decisionsOf(settings: readonly string[] | null | undefined): string[] {
  return (settings ?? []).filter((s) => s.startsWith(DECISION_SETTING)).map((s) => s.slice(DECISION_SETTING.length));
}

/**
 * Whether two lists of decisions (as given to --decide) take the same runs: the same list, or the same decisions
 * in another order where no two fall at the same minute — a run takes them in time order and draws nothing for
 * them; at one minute, in the order given (kernel.ts queues them first, in that order). A group's resume
 * accepts the one as the other (it had refused any reordering).
 */
export function sameDecisions(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.every((d, i) => d === b[i])) return true;
  const [x, y] = [[...a].sort(), [...b].sort()];
  if (!x.every((d, i) => d === y[i])) return false;
  // As numbers: `@100` and `@1e2` are one minute.
  const minutes = a.map((d) => Number(d.slice(d.lastIndexOf('@') + 1)));
  return minutes.every(Number.isFinite) && new Set(minutes).size === minutes.length;
}

/** A batch's settings in two: what changed its documents (`--set`, `--calibration`), and its decisions. */
export function splitSettings(settings: readonly string[] | null | undefined): { set: string[]; decided: string[] } {
  return { set: (settings ?? []).filter((s) => !s.startsWith(DECISION_SETTING)), decided: decisionsOf(settings) };
}

/** The most staff one decision adds to each queue: the scenario's own limit on a queue's staff. */
export const MAX_STAFF = 1_000_000;

/**
 * What a decision is checked against: the twin's zones (by index), and where known the node kinds it has, the
 * run's horizon and the scenario's threat, so that a decision that cannot act (a kind the twin lacks, a
 * minute after the run's end, halting an update in a worm) is refused, not taken in silence.
 */
export interface DecisionContext {
  twin: string;
  zones: readonly string[];
  kinds?: readonly string[];
  horizonMinutes?: number;
  threat?: string;
}

/** What each action takes as its target: a zone, node kinds, a number of staff, or nothing. */
export function targetOf(action: InterventionAction): 'zone' | 'kinds' | 'staff' | null {
  if (ZONE_ACTIONS.includes(action)) return 'zone';
  if (KIND_ACTIONS.includes(action)) return 'kinds';
  return action === 'add-staff' ? 'staff' : null;
}

/** A decision, or what was expected of it (one line, starting "expected"). */
export function parseDecision(text: string, context: DecisionContext): Intervention | string {
  const { twin, zones } = context;
  const match = /^([^:@]+)(?::([^@]+))?@(.+)$/.exec(text.trim());
  if (!match) return `expected ${DECISION_SYNTAX} (e.g. isolate-zone:trust/lab@100, halt-update@30)`;
  const [, name, target, at] = match as unknown as [string, string, string | undefined, string];
  if (!(INTERVENTION_ACTIONS as string[]).includes(name)) return `expected an action of ${INTERVENTION_ACTIONS.join(', ')}, got ${JSON.stringify(name)}`;
  const action = name as InterventionAction;
  const atMinutes = Number(at);
  if (!/^\d+(\.\d+)?$/.test(at) || !Number.isFinite(atMinutes)) return `expected the minute it is taken, a number ≥ 0, got ${JSON.stringify(at)}`;
  const horizon = context.horizonMinutes;
  if (horizon !== undefined && atMinutes > horizon) return `expected a minute within the run (0 to ${horizon.toLocaleString('en-GB')}, its horizon; later changes nothing), got ${at}`;
  if ((action === 'halt-update' || action === 'resume-update') && context.threat !== undefined && context.threat !== 'faulty-update') {
    return `expected a scenario with a faulty update for ${action} (it acts on the update's rollout), got ${/^[aeiou]/.test(context.threat) ? 'an' : 'a'} ${context.threat}`;
  }
  const takes = targetOf(action);
  if (takes === 'zone') {
    if (target === undefined) return `expected ${action}:ZONE@MINUTES, with a zone of twin ${twin}`;
    const zone = zones.indexOf(target);
    if (zone < 0) return `expected a zone of twin ${twin} (${zones.length === 0 ? 'it has none' : `${zones.slice(0, 6).join(', ')}${zones.length > 6 ? ', …' : ''}`}), got ${JSON.stringify(target)}`;
    return { atMinutes, action, argument: zone };
  }
  if (takes === 'kinds') {
    if (target === undefined) return `expected ${action}:KIND[+KIND…]@MINUTES`;
    let mask = 0;
    for (const kind of target.split('+')) {
      const k = (NODE_KINDS as readonly string[]).indexOf(kind);
      if (k < 0) return `expected node kinds joined by + (${NODE_KINDS.slice(0, 4).join(', ')}, … as docs/model.md lists them), got ${JSON.stringify(kind)}`;
      const present = context.kinds;
      if (present !== undefined && !present.includes(kind)) return `expected a kind twin ${twin} has (${present.slice(0, 6).join(', ')}${present.length > 6 ? ', …' : ''}), got ${JSON.stringify(kind)}`;
      mask |= 1 << k;
    }
    return { atMinutes, action, argument: mask };
  }
  if (takes === 'staff') {
    const staff = Number(target);
    if (target === undefined || !/^\d+$/.test(target) || staff < 1 || staff > MAX_STAFF) {
      return `expected add-staff:N@MINUTES, N a whole number of staff from 1 to ${MAX_STAFF.toLocaleString('en-GB')}, got ${JSON.stringify(target ?? '')}`;
    }
    return { atMinutes, action, argument: staff };
  }
  if (target !== undefined) return `expected ${action}@MINUTES (it takes no target), got :${target}`;
  return { atMinutes, action };
}

/** The decisions of a list, and one line per bad one naming it (`prefix "TEXT": expected …`). */
export function parseDecisions(texts: readonly string[], context: DecisionContext, prefix: string): { decisions: Intervention[]; problems: string[] } {
  const decisions: Intervention[] = [];
  const problems: string[] = [];
  for (const text of texts) {
    const decision = parseDecision(text, context);
    if (typeof decision === 'string') problems.push(`${prefix}${JSON.stringify(text)}: ${decision}`);
    else decisions.push(decision);
  }
  return { decisions, problems };
}

/** The node kinds of a disconnect/reconnect-kinds mask, in NODE_KINDS order. */
export function kindsOf(mask: number): string[] {
  return NODE_KINDS.filter((_, k) => (mask & (1 << k)) !== 0);
}

/** The target as written after the colon, or null for an action that takes none. */
function targetText(action: InterventionAction, argument: number, zones: readonly string[]): string | null {
  const takes = targetOf(action);
  if (takes === 'zone') return zones[argument] ?? `zone ${argument}`;
  if (takes === 'kinds') return kindsOf(argument).join('+');
  if (takes === 'staff') return String(argument);
  return null;
}

/** A decision written back as parseDecision reads it. */
export function formatDecision(d: Intervention, zones: readonly string[]): string {
  const target = targetText(d.action, d.argument ?? 0, zones);
  return `${d.action}${target === null ? '' : `:${target}`}@${+d.atMinutes.toFixed(2)}`;
}

/** A decision as the trace names it (an event's detail): its action and what it acts on. */
export function decisionDetail(action: InterventionAction, argument: number, zones: readonly string[]): string {
  const target = targetText(action, argument, zones);
  return target === null ? action : `${action} ${targetOf(action) === 'kinds' ? kindsOf(argument).join(', ') : target}`;
}

/** A decision in words, for a page: "zone trust/lab isolated", "every lab-analyser disconnected", … */
/** Each action as the room would say it, for a choice of action ("What if the room had decided to …"). */
export const ACTION_WORDS: Record<InterventionAction, string> = {
  'isolate-zone': 'isolate a zone',
  'reconnect-zone': 'reconnect a zone',
  'revoke-identities': 'revoke identities',
  'restore-identities': 'restore identities',
  'halt-update': 'halt the update',
  'resume-update': 'resume the update',
  'disconnect-kinds': 'disconnect every device of a kind',
  'reconnect-kinds': 'reconnect every device of a kind',
  segment: 'segment the network',
  unsegment: 'lift segmentation',
  'add-staff': 'add recovery staff',
};

export function describeDecision(action: InterventionAction, argument: number, zones: readonly string[]): string {
  const zone = zones[argument] ?? `zone ${argument}`;
  const kinds = kindsOf(argument).map((kind) => kind.replaceAll('-', ' ')).join(', ');
  switch (action) {
    case 'isolate-zone':
      return `zone ${zone} isolated`;
    case 'reconnect-zone':
      return `zone ${zone} reconnected`;
    case 'disconnect-kinds':
      return `every ${kinds} disconnected`;
    case 'reconnect-kinds':
      return `every ${kinds} reconnected`;
    case 'revoke-identities':
      return 'identities revoked';
    case 'restore-identities':
      return 'identities restored';
    case 'halt-update':
      return 'the update halted';
    case 'resume-update':
      return 'the update resumed';
    case 'segment':
      return 'the network segmented';
    case 'unsegment':
      return 'segmentation lifted';
    case 'add-staff':
      return `${argument.toLocaleString('en-GB')} more staff on each recovery queue`;
  }
}

/**
 * A traced decision's detail (decisionDetail: "isolate-zone trust/lab", "disconnect-kinds lab-analyser, pacs",
 * "add-staff 2") in words, as describeDecision says it ("zone trust/lab isolated"); the detail as it is where it
 * names no action, zone or kind it knows.
 */
export function describeDetail(detail: string, zones: readonly string[]): string {
  const space = detail.indexOf(' ');
  const action = space < 0 ? detail : detail.slice(0, space);
  if (!(INTERVENTION_ACTIONS as readonly string[]).includes(action)) return detail;
  const target = space < 0 ? '' : detail.slice(space + 1);
  const kind = targetOf(action as InterventionAction);
  let argument = 0;
  if (kind === 'zone') argument = zones.indexOf(target);
  else if (kind === 'staff') argument = Number(target);
  else if (kind === 'kinds') {
    for (const name of target.split(', ')) {
      const k = (NODE_KINDS as readonly string[]).indexOf(name);
      if (k < 0) return detail;
      argument |= 1 << k;
    }
  }
  if (argument < 0 || !Number.isFinite(argument)) return detail;
  return describeDecision(action as InterventionAction, argument, zones);
}

/** The node kinds present in a compiled model (its members' kind codes), in NODE_KINDS order. */
function kindsPresent(kindCodes: ArrayLike<number>): string[] {
  const seen = new Uint8Array(NODE_KINDS.length);
  for (let i = 0; i < kindCodes.length; i++) seen[kindCodes[i]!] = 1;
  return NODE_KINDS.filter((_, k) => seen[k] === 1);
}

/** The context of a compiled run: its twin's zones and kinds, its horizon and its threat. */
export function decisionContext({ model, meta }: Compiled): DecisionContext {
  return { twin: meta.twin, zones: meta.zones, kinds: kindsPresent(model.kind), horizonMinutes: model.horizonMinutes, threat: THREAT_KINDS[model.threat] };
}
