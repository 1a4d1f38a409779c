import { CONTROL, RESPONSE_CODE, THREAT_CODE } from '../compile/model.js';
import { RELATIONS } from '../model/vocabulary.js';

/**
 * The kernels' vocabulary: every code the fast kernel and the reference kernel compare against, derived
 * from the model's vocabularies (engine/model/vocabulary.ts, compile/model.ts) rather than copied as
 * literals, so reordering a vocabulary cannot silently change what a code means.
 */

/** Event kinds of the main queue. */
export const E_ENTRY = 0;
export const E_ATTEMPT = 1;
export const E_SCAN = 2;
export const E_PAYLOAD = 3;
export const E_DETECT = 4;
export const E_READY = 5;
export const E_RESTORE_DONE = 6;
export const E_AUTO_RESTORE = 7;
export const E_RESPONSE = 8;
export const E_WAVE = 9;
export const E_ARRIVAL = 10;
export const E_INTERVENTION = 11;
/** An operator's action completes (aux: the operator), or idle operators wake (aux -1). */
export const E_ACTION = 12;
/** A worm's kill switch goes live. */
export const E_KILL_SWITCH = 13;
/** The national alert goes out: estate-wide responses start (escalation). */
export const E_ESCALATE = 14;
/** A recovery team starts (aux: the team). */
export const E_TEAM = 15;
/** A response's checks are done (aux: the response; node: its zone or site, -1 estate-wide): lift it if its reason is still gone. */
export const E_LIFT = 16;
/** A payload pushed through the management plane lands (node: the pushing host; aux: the edge). */
export const E_PUSH = 17;
/** A staged rollout's halt rule takes effect (its delay after the failure that reached the threshold). */
export const E_HALT_RULE = 18;
/** A recovery queue's staff start (aux: the queue): its members detected so far wait in it until then. */
export const E_QUEUE_START = 19;

/** Kinds of a node-indexed queue entry (static-spread models). */
export const N_ATTEMPT = 0;
export const N_RESTORE = 1;

/** Candidates a scanner's probe draws from its whole reach list before an exact pick among the healthy (scan.ts). */
export const SCAN_CANDIDATES = 8;

/** Relation codes: indices into RELATIONS. */
export const NETWORK = RELATIONS.indexOf('network');
export const IDENTITY = RELATIONS.indexOf('identity');
export const MANAGEMENT = RELATIONS.indexOf('management');
export const RADIO = RELATIONS.indexOf('radio');

export const WORM = THREAT_CODE.worm;

/** Response codes (CompiledModel.responseParams). */
export const R_ISOLATE = RESPONSE_CODE['isolate-zone'];
export const R_REVOKE = RESPONSE_CODE['revoke-identities'];
export const R_HALT = RESPONSE_CODE['halt-update'];
export const R_DISCONNECT = RESPONSE_CODE['disconnect-kind'];

/** Why the update stopped: not halted, by a response or decision, by the staged rollout's halt rule. */
export const NOT_HALTED = 0;
export const HALTED = 1;
export const HALTED_BY_ROLLOUT = 2;

/** Which control stopped the update: the staged rollout's halt rule, or a response or decision. */
export function haltControl(halted: number): number {
  return halted === HALTED_BY_ROLLOUT ? CONTROL.stagedRollout : CONTROL.updateHalt;
}

/** In a member's third word of KernelState.staticMembers: its edge rows are filled. */
export const STATIC_KEYED = 1 << 30;
/** A member's site + 1, in that word: the bits between its layer and STATIC_KEYED (sites stay below 2²⁸). */
export const STATIC_SITES = (STATIC_KEYED >> 2) - 1;
/** Where a member's kind sits in its static row's last word, above its owner's loss column (KernelState.staticMembers). */
export const STATIC_KIND_SHIFT = 26;
export const STATIC_LOST = (1 << STATIC_KIND_SHIFT) - 1;
