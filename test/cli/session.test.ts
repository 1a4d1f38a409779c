import { describe, expect, it } from 'vitest';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { precisionDone, precisionMisses, Session } from '../../cli/session.js';

describe('Session.batch streaming to a store', () => {
  it('returns only once every chunk it handed over is committed, so the bar never counts a run the store lacks', async () => {
    const compiled = compileInputs(loadInputs('wannacry-down', { twin: 'ward' }));
    const session = new Session(0);
    const handed: number[] = [];
    const committed: number[] = [];
    try {
      const result = await session.batch(compiled, {
        runs: 300,
        seed: 1,
        label: 'test',
        progress: true,
        // A slow store: each commit lands 50 ms after its chunk.
        onChunk: (runStart) => {
          handed.push(runStart);
          return new Promise<boolean>((resolve) => setTimeout(() => (committed.push(runStart), resolve(true)), 50));
        },
      });
      expect(result.complete).toBe(true);
      expect(handed.length).toBeGreaterThan(0);
      expect(committed.sort((a, b) => a - b)).toEqual(handed.sort((a, b) => a - b));
    } finally {
      await session.close();
    }
  });
});

describe('the --until-precision rule', () => {
  /** Rows of two metrics: `steady` (spread 10%, reachable) and `rare` (0 but in `hits` runs, where it is 1,000). */
  const rows = (runs: number, hits: number) => {
    const out = new Float64Array(runs * 2);
    for (let r = 0; r < runs; r++) {
      out[r * 2] = 100 + 10 * Math.sin(r * 12.9898);
      out[r * 2 + 1] = r % Math.floor(runs / hits) === 0 && r / Math.floor(runs / hits) < hits ? 1000 : 0;
    }
    return out;
  };
  const names = ['steady', 'rare'];

  it('says what a miss would need, and drops a metric that would need more than 4× the cap once 3,200 runs are in', () => {
    const early = precisionMisses(rows(1600, 3), names, names, 0.05, 100_000);
    expect(early.map((m) => [m.metric, m.outOfReach])).toEqual([['rare', false]]); // too few runs to judge it out of reach
    const late = precisionMisses(rows(3200, 3), names, names, 0.05, 100_000);
    expect(late).toHaveLength(1);
    const [rare] = late;
    // Three values of 1,000 in 3,200 runs: a relative half-width near 1.13, so ±5% needs about (1.13 / 0.05)² × 3,200 runs.
    expect(rare!.needs).toBeGreaterThan(4 * 100_000);
    expect(rare!.needs).toBeCloseTo(3200 * (rare!.relativeHalfWidth / 0.05) ** 2, -1);
    expect(rare!.outOfReach).toBe(true);
    expect(precisionDone(late, 3200, 100_000)).toBe(true);
    // Within reach of a larger cap: it holds the batch.
    const capped = precisionMisses(rows(3200, 3), names, names, 0.05, 10_000_000);
    expect(capped[0]!.outOfReach).toBe(false);
    expect(precisionDone(capped, 3200, 10_000_000)).toBe(false);
    expect(precisionDone(capped, 10_000_000, 10_000_000)).toBe(true);
  });

  it('judges a metric with a value in fewer than 30 runs by the runs 30 would take', () => {
    // A time of something seen in 2 runs (NaN in the others): 30 values take about 15× the runs so far.
    const seen = (runs: number) => Float64Array.from({ length: runs }, (_, r) => (r < 2 ? 60 * (r + 1) : NaN));
    const [early] = precisionMisses(seen(3200), ['time'], ['time'], 0.05, 10_000);
    expect(early).toMatchObject({ metric: 'time', runs: 2, needs: 48_000, outOfReach: true });
    expect(Number.isNaN(early!.relativeHalfWidth)).toBe(true);
    const [reachable] = precisionMisses(seen(3200), ['time'], ['time'], 0.05, 100_000);
    expect(reachable).toMatchObject({ needs: 48_000, outOfReach: false });
  });
});
