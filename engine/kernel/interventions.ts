/**
 * Timed interventions, packed as [minutes, code, argument] triples so the kernel reads numbers only.
 * With the same seed, a run with an intervention at T has the same history as the plain run up to T:
 * interventions draw no random numbers and are queued before anything else.
 */
export const INTERVENTION_CODES = {
  'isolate-zone': 0,
  'reconnect-zone': 1,
  'revoke-identities': 2,
  'restore-identities': 3,
  'halt-update': 4,
  'resume-update': 5,
  'disconnect-kinds': 6,
  'reconnect-kinds': 7,
  segment: 8,
  unsegment: 9,
  'add-staff': 10,
} as const;
export type InterventionAction = keyof typeof INTERVENTION_CODES;
/** The actions by code: INTERVENTION_ACTIONS[INTERVENTION_CODES[a]] === a. */
export const INTERVENTION_ACTIONS = Object.keys(INTERVENTION_CODES) as InterventionAction[];

export interface Intervention {
  atMinutes: number;
  action: InterventionAction;
  /** isolate/reconnect-zone: a zone index; disconnect/reconnect-kinds: a bit mask of NODE_KINDS indices; add-staff: staff per queue. */
  argument?: number;
}

export function packInterventions(list: readonly Intervention[]): Float64Array {
  const out = new Float64Array(list.length * 3);
  list.forEach((x, i) => out.set([x.atMinutes, INTERVENTION_CODES[x.action], x.argument ?? 0], i * 3));
  return out;
}
