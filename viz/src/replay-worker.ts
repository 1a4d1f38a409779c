/// <reference lib="webworker" />
import { traceRun } from '../../engine/batch/trace.js';
import { compile } from '../../engine/compile/compile.js';
import type { Compiled } from '../../engine/compile/model.js';
import type { Intervention } from '../../engine/kernel/interventions.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../engine/model/load.js';

/**
 * The kernel in the browser: a Web Worker compiles the run's documents once, then replays the run with any
 * interventions ("what if the trust isolated this zone at T+3h?") without asking the server. The same
 * compile and kernel as the CLI, so the same seed and run give the same trace, bit for bit.
 */
let compiled: Compiled | undefined;

export type WorkerRequest =
  | { type: 'inputs'; twin: unknown; scenario: unknown; regime: unknown }
  | { type: 'trace'; id: number; seed: number; run: number; interventions: Intervention[] };

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  try {
    if (message.type === 'inputs') {
      const twin = twinFromValue(message.twin, 'twin');
      compiled = compile(twin, scenarioFromValue(message.scenario, 'scenario', twin), regimeFromValue(message.regime, 'regime'));
      postMessage({ type: 'ready' });
    } else if (message.type === 'trace') {
      if (!compiled) throw new Error('no inputs compiled yet');
      const start = performance.now();
      const trace = traceRun(compiled, message.seed, message.run, message.interventions);
      postMessage({ type: 'trace', id: message.id, trace, ms: performance.now() - start });
    }
  } catch (error) {
    postMessage({ type: 'error', message: (error as Error).message });
  }
};
