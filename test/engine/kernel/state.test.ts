import { describe, expect, it } from 'vitest';
import { compileInputs, loadInputs } from '../../../cli/inputs.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { HEALTHY, KernelState, SERIES_PER_POINT } from '../../../engine/kernel/state.js';

/**
 * A run's state is reset for the next run by what must be reset (kernel/state.ts): members compromised
 * are stamped with the run, not timed and filled back. Runs in a reused state must equal runs in a fresh one,
 * metrics and series.
 */
describe('the run state', () => {
  // wannacry-down on acute-trust: outbreaks that differ run to run, restores by staff.
  const { model } = compileInputs(loadInputs('wannacry-down', {}));
  // The metrics and the series (members compromised now, by layer, is read from the stamp).
  const points = 48;
  const outcome = (state: KernelState, run: number) => {
    const series = new Float64Array(points * SERIES_PER_POINT);
    const metrics = Array.from(runKernel(model, state, 3, run, { series, seriesPoints: points }));
    return { metrics, series: Array.from(series) };
  };
  const fresh = (run: number) => outcome(new KernelState(model), run);

  it('gives every run the same metrics in a reused state as in a fresh one', () => {
    const reused = new KernelState(model);
    for (let run = 0; run < 30; run++) expect(outcome(reused, run), `run ${run}`).toEqual(fresh(run));
  });

  it('starts its stamps again after 2³¹ − 1 runs without mistaking an old stamp for this run', () => {
    const state = new KernelState(model);
    outcome(state, 0);
    // Jump to the last stamp: the next reset wraps to 1, and stamp 1 was the first run's — cleared, not reused.
    state.run = 0x7fffffff - 1;
    for (let run = 1; run < 3; run++) expect(outcome(state, run), `run ${run}`).toEqual(fresh(run));
    // Run 2 has stamp 1, run 0's: every member stamped 1 now was compromised in run 2 (so is not healthy).
    expect(state.run).toBe(1);
    const stamped = [...state.compromisedIn.keys()].filter((i) => state.compromisedIn[i] === state.run);
    expect(stamped.length).toBeGreaterThan(0);
    expect(stamped.filter((i) => state.state[i] === HEALTHY)).toEqual([]);
    expect(outcome(state, 3)).toEqual(fresh(3));
  });
});
