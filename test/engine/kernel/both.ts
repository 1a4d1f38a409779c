import type { Scenario } from '../../../engine/model/scenario.js';
import type { Compiled } from '../../../engine/compile/model.js';
import { runKernel, type RunOptions } from '../../../engine/kernel/kernel.js';
import { metricNames } from '../../../engine/kernel/metrics.js';
import { runReference } from '../../../engine/kernel/reference.js';
import { KernelState } from '../../../engine/kernel/state.js';

/** The two kernels under one signature, so each spec runs on both. */
export type Kernel = (compiled: Compiled, seed: number, run: number, options?: RunOptions) => Record<string, number>;

const states = new WeakMap<object, KernelState>();

export const fast: Kernel = ({ model, meta }, seed, run, options) => {
  let state = states.get(model);
  if (!state) states.set(model, (state = new KernelState(model)));
  const row = runKernel(model, state, seed, run, options);
  return Object.fromEntries(metricNames(meta).map((name, i) => [name, row[i]!]));
};

export const reference: Kernel = ({ model, meta }, seed, run, options) => {
  const row = runReference(model, seed, run, options?.interventions);
  return Object.fromEntries(metricNames(meta).map((name, i) => [name, row[i]!]));
};

export const KERNELS = { fast, reference } as const;

/**
 * medjack-up's threat read as a contagion: a worm over the same entries, exploits and relations, with the
 * pivot time the scenario had before its operators (lognormal, median 6 h, σ 1.2). An intrusion is played by
 * operators now (kernel/operators.ts), which the reference kernel does not model; this keeps every relation,
 * revocation and site-scoped response exercised on both kernels and in the coupling tests.
 */
export function asContagion(scenario: Scenario): Scenario {
  const threat = scenario.threat;
  if (threat.kind !== 'intrusion') return scenario;
  const { entries, exploits, relations, payload } = threat;
  return { ...scenario, threat: { kind: 'worm', entries, exploits, relations, payload, spread: { dist: 'lognormal', medianMinutes: 360, sigma: 1.2 }, killSwitchBlindShare: 0 } };
}
