import { describe, expect, it } from 'vitest';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { Session } from '../../cli/session.js';

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
