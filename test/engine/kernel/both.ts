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
