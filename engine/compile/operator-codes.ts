import { OPERATOR_ACTIONS } from '../model/vocabulary.js';

/**
 * The operators' codes the kernel reads (kernel/operators.ts), apart from their compilation
 * (compile/operators.ts), so loading the kernel does not load the schemas that compilation imports.
 */

/** Action codes: indices into OPERATOR_ACTIONS (exfiltration has no delay of its own: records ÷ rate). */
export const ACTION = Object.fromEntries(OPERATOR_ACTIONS.map((a, i) => [a, i])) as { [K in (typeof OPERATOR_ACTIONS)[number]]: number };
export const STRATEGY = { goalDirected: 0, opportunistic: 1 } as const;
