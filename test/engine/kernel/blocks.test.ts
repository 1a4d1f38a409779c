import { describe, expect, it } from 'vitest';
import { compileInputs, loadInputs } from '../../../cli/inputs.js';
import { BLOCK_BYTES, BLOCK_FROM, Blocks } from '../../../engine/kernel/blocks.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { KernelState, SERIES_PER_POINT } from '../../../engine/kernel/state.js';

describe('Blocks', () => {
  it('allocates a small array on its own, a large one from a shared block', () => {
    const blocks = new Blocks();
    const small = blocks.array(Float64Array, 10);
    expect(small.buffer.byteLength).toBe(80);
    const a = blocks.array(Uint8Array, BLOCK_FROM);
    const b = blocks.array(Float64Array, BLOCK_FROM / 8);
    expect(a.buffer).toBe(b.buffer);
    expect(a.buffer.byteLength).toBe(BLOCK_BYTES);
    expect([a.byteOffset, b.byteOffset]).toEqual([0, BLOCK_FROM]);
  });

  it('starts every array on an 8-byte boundary and never lets two overlap', () => {
    const blocks = new Blocks(0);
    const arrays = [blocks.array(Uint8Array, 3), blocks.array(Float64Array, 5), blocks.array(Uint16Array, 7), blocks.array(Int32Array, 9), blocks.array(Float64Array, 2)];
    for (const x of arrays) expect(x.byteOffset % 8).toBe(0);
    arrays.forEach((x, i) => x.fill(i + 1));
    arrays.forEach((x, i) => expect([...x].every((v) => v === i + 1)).toBe(true));
    for (const x of arrays) expect(x.buffer).toBe(arrays[0]!.buffer);
  });

  it('starts a new block when the array does not fit, and gives an array larger than a block its own', () => {
    const blocks = new Blocks();
    const first = blocks.array(Uint8Array, BLOCK_BYTES - 8);
    const next = blocks.array(Uint8Array, 16);
    expect(next.buffer).not.toBe(first.buffer);
    expect(next.byteOffset).toBe(0);
    const huge = blocks.array(Uint8Array, BLOCK_BYTES + 1);
    expect(huge.buffer.byteLength).toBe(BLOCK_BYTES + 8);
    expect(huge.byteOffset).toBe(0);
    // Fresh blocks are zero-filled, like any new typed array.
    expect(huge.every((v) => v === 0)).toBe(true);
  });
});

/**
 * The run state's arrays are carved from blocks only on large twins (each ≥ 1 MiB): on nhs-england, too big
 * for a test. Carving every array, however small, must not change a run: a state with everything in blocks
 * gives the runs of one with nothing in them, metrics and series (an overlap would show here).
 */
describe('a run state carved from blocks', () => {
  for (const scenario of ['wannacry-down', 'medjack-up', 'crowdstrike-update']) {
    it(`runs ${scenario} as a state with separate arrays does`, () => {
      const { model } = compileInputs(loadInputs(scenario, {}));
      const points = 24;
      const outcome = (state: KernelState, run: number) => {
        const series = new Float64Array(points * SERIES_PER_POINT);
        return { metrics: Array.from(runKernel(model, state, 5, run, { series, seriesPoints: points })), series: Array.from(series) };
      };
      const carved = new KernelState(model, new Blocks(0));
      const separate = new KernelState(model, new Blocks(Infinity));
      expect(carved.state.buffer).toBe(carved.scanAvailable.buffer);
      for (let run = 0; run < 8; run++) expect(outcome(carved, run), `run ${run}`).toEqual(outcome(separate, run));
    });
  }
});
