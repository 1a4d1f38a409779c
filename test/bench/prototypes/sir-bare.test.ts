import { describe, expect, it } from 'vitest';
import { SirBare } from '../../../bench/prototypes/sir-bare.js';
import { compileSir } from '../../../bench/sir/er-twin.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { M } from '../../../engine/kernel/metrics.js';
import { KernelState } from '../../../engine/kernel/state.js';

/** A G(n, m) edge list from a fixed linear congruential sequence (no self-loops; repeats are harmless). */
function graph(nodes: number, edges: number): Int32Array {
  const pairs = new Int32Array(2 * edges);
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 12) % nodes;
  };
  for (let e = 0; e < edges; e++) {
    const u = next();
    let v = next();
    if (v === u) v = (u + 1) % nodes;
    pairs[2 * e] = u;
    pairs[2 * e + 1] = v;
  }
  return pairs;
}

describe('SirBare: the general path without the model', () => {
  const { model } = compileSir(600, graph(600, 2400));
  const general = { ...model, staticSpread: 0, quietRestore: 0 };

  it("simulates the general path's outbreaks, run for run", () => {
    const bare = new SirBare(model);
    const state = new KernelState(general);
    const sizes: number[] = [];
    for (let r = 0; r < 60; r++) {
      const kernel = runKernel(general, state, 11, r)[M.compromised]!;
      expect(bare.run(11, r)).toBe(kernel);
      sizes.push(kernel);
    }
    // Not a degenerate comparison: outbreaks both die out early and take a large share of the graph.
    expect(Math.min(...sizes)).toBeLessThan(10);
    expect(Math.max(...sizes)).toBeGreaterThan(300);
  });

  it('agrees at a short horizon and with entries tied in time', () => {
    // Outbreaks cut off mid-way (restores and attempts beyond the horizon) and five entries at minute 0.
    for (const variant of [{ horizonMinutes: 3 }, { entryParams: Float64Array.of(5, 0, 0) }, { entryParams: Float64Array.of(5, 0, 10) }]) {
      const plain = { ...model, ...variant };
      const bare = new SirBare(plain);
      const kernel = { ...plain, staticSpread: 0, quietRestore: 0 };
      const state = new KernelState(kernel);
      for (let r = 0; r < 40; r++) expect(bare.run(5, r)).toBe(runKernel(kernel, state, 5, r)[M.compromised]!);
    }
  });

  it('refuses a model it does not simulate', () => {
    expect(() => new SirBare({ ...model, spread: Float64Array.of(0, 2, 0) })).toThrow(/exponential/);
    expect(() => new SirBare({ ...model, staticSpread: 0 })).toThrow(/plain SIR/);
    expect(() => new SirBare({ ...model, killSwitchMinutes: 5 })).toThrow(/plain SIR/);
    expect(() => new SirBare({ ...model, edgeSpread: model.edgeSpread.map((code, k) => (k === 7 ? -code : code)) })).toThrow(/plain SIR/);;
  });
});
