import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, interruptOnceStored, strata, tempDir } from './cli.js';

/**
 * Killing `strata run` mid-batch (SIGINT and SIGKILL) loses no finished runs, never leaves a partial batch
 * marked complete, and `--resume` completes it to results byte-identical with an uninterrupted batch.
 */
const RUNS = 12_000;
const ARGS = ['run', 'wannacry-down', '--twin', 'ward', '--runs', String(RUNS), '--workers', '1', '--seed', '5'];


describe('interrupting and resuming a batch', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const reference = join(dir, 'reference.duckdb');
  const clean = JSON.parse(strata([...ARGS, '--json', '--db', reference]).stdout);
  const expected = exportCsv(reference, clean.batch, dir);

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`after ${signal}: finished runs are kept, the batch is not complete, and --resume finishes it identically`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      // Once the progress says 2,000 runs are stored (a commit is complete, not part way into the log).
      const { code, stderr, reported } = await interruptOnceStored(ARGS, db, signal, 2000);
      expect(reported, stderr).toBeGreaterThanOrEqual(2000);
      if (signal === 'SIGINT') {
        expect(code).toBe(130);
        expect(stderr).toMatch(/strata run --resume [0-9a-z]+/);
      }
      const [batch] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
      expect(batch.status).not.toBe('complete');
      expect(batch.storedRuns).toBeGreaterThanOrEqual(reported);
      expect(batch.storedRuns).toBeLessThan(RUNS);
      // The message counts what the store holds (a resumed batch's earlier runs too), not one session's runs.
      if (signal === 'SIGINT') expect(stderr).toContain(`interrupted: ${batch.storedRuns} of ${RUNS} runs are stored in batch ${batch.id}`);
      const resumed = strata(['run', '--resume', batch.id, '--json', '--db', db]);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout).metrics).toEqual(clean.metrics);
      const [after] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
      expect(after.status).toBe('complete');
      expect(exportCsv(db, batch.id, dir)).toBe(expected);
    });
  }
});
