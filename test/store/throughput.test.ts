import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../../store/index.js';
import { batchInfo, outcomeRows } from './fixtures/batch.js';

/**
 * Printed, not asserted: append and read rates for 10,000 runs × 40 metrics — in one call, in chunks
 * awaited one by one, and in chunks fired without awaiting (as a batch's onChunk does), which the store
 * groups into fewer transactions.
 */
it('prints append throughput for 10,000 runs × 40 metrics', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-throughput-'));
  const runs = 10_000;
  const width = 40;
  const rows = outcomeRows(0, runs, width);
  const store = await Store.open(join(dir, 'strata.duckdb'));
  try {
    const lines: string[] = [];
    const cases = [
      { chunk: runs, awaited: true },
      { chunk: 500, awaited: true },
      { chunk: 100, awaited: true },
      { chunk: 500, awaited: false },
      { chunk: 100, awaited: false },
    ];
    for (const { chunk, awaited } of cases) {
      const id = await store.beginBatch(batchInfo(runs, width));
      const started = performance.now();
      const pending: Promise<number>[] = [];
      for (let start = 0; start < runs; start += chunk) {
        const append = store.appendRuns(id, start, rows.subarray(start * width, (start + chunk) * width), width);
        if (awaited) await append;
        else pending.push(append);
      }
      await Promise.all(pending);
      const appendMs = performance.now() - started;
      const readStarted = performance.now();
      const stored = await store.readRuns(id);
      const readMs = performance.now() - readStarted;
      expect(stored.runs.length).toBe(runs);
      lines.push(
        `store throughput: ${runs} runs × ${width} metrics in chunks of ${chunk}${awaited ? ', each awaited' : ', not awaited'}: append ${appendMs.toFixed(0)} ms (${Math.round(runs / (appendMs / 1000)).toLocaleString('en')} runs/s), read ${readMs.toFixed(0)} ms`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
