import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockedStoreError, Store } from '../../store/index.js';
import { batchInfo, outcomeRows } from './fixtures/batch.js';
import { expectSameRows } from './fixtures/same-rows.js';

/** A second strata process: killed with SIGKILL mid-batch, or holding the file's lock. */

const WRITER = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
const RUNS = 20_000;
const CHUNK = 500;
const WIDTH = 40;

let dir: string;
let file: string;
let child: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
  file = join(dir, 'strata.duckdb');
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the writer fixture and returns a function that waits for the next stdout line matching a pattern. */
function startWriter(args: string[]): { next: (pattern: RegExp) => Promise<RegExpMatchArray> } {
  child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const lines = createInterface({ input: child.stdout! });
  const buffered: string[] = [];
  let waiter: (() => void) | undefined;
  lines.on('line', (line) => {
    buffered.push(line);
    waiter?.();
  });
  const exited = new Promise<never>((_, reject) => child!.once('exit', (code, signal) => reject(new Error(`writer exited (${code ?? signal}): ${stderr}`))));
  exited.catch(() => undefined);
  return {
    async next(pattern) {
      for (;;) {
        const line = buffered.shift();
        if (line !== undefined) {
          const match = line.match(pattern);
          if (match) return match;
          continue;
        }
        await Promise.race([new Promise<void>((resolve) => (waiter = resolve)), exited]);
      }
    },
  };
}

async function kill(): Promise<void> {
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child!.kill('SIGKILL');
  await exited;
}

describe('Store across processes', () => {
  it('survives SIGKILL mid-batch: not complete, stored runs intact, resumable to equal a clean batch', async () => {
    const writer = startWriter(['append', file, String(RUNS), String(CHUNK), String(WIDTH)]);
    const id = (await writer.next(/^batch ([0-9a-f]{8})$/))[1]!;
    const acked: [number, number][] = [];
    while (acked.length < 5) {
      const [, start, end] = await writer.next(/^ack (\d+) (\d+)$/);
      acked.push([Number(start), Number(end)]);
    }
    // The writer keeps appending: the kill may land inside a transaction.
    await kill();

    const store = await Store.open(file);
    const batch = await store.getBatch(id);
    expect(batch.status).toBe('running');
    expect(batch.storedRuns).toBeLessThan(RUNS);

    const stored = await store.readRuns(id);
    const present = new Set(stored.runs);
    // Every acknowledged chunk is there; every stored chunk is whole (a chunk is one transaction).
    const ackedMissing = acked.filter(([start, end]) => !present.has(start) || !present.has(end - 1));
    expect(ackedMissing).toEqual([]);
    const partial: number[] = [];
    for (let start = 0; start < RUNS; start += CHUNK) {
      let count = 0;
      for (let run = start; run < start + CHUNK; run++) if (present.has(run)) count++;
      if (count !== 0 && count !== CHUNK) partial.push(start);
    }
    expect(partial).toEqual([]);
    // Stored outcomes are exactly what was appended.
    const expected = new Float64Array(stored.rows.length);
    stored.runs.forEach((run, i) => expected.set(outcomeRows(run, 1, WIDTH), i * WIDTH));
    expectSameRows(stored.rows, expected);

    // missingRuns is exactly the complement of what is stored.
    const missing = await store.missingRuns(id);
    const missingRuns = missing.flatMap(([start, end]) => Array.from({ length: end - start }, (_, i) => start + i));
    const complement = Array.from({ length: RUNS }, (_, run) => run).filter((run) => !present.has(run));
    expect(missingRuns).toEqual(complement);
    console.log(`store crash test: killed with ${stored.runs.length} of ${RUNS} runs stored in ${missing.length} gap(s)`);
    await expect(store.finishBatch(id, { status: 'complete', summaries: null, elapsedMs: 0 })).rejects.toThrow(/cannot be complete/);

    // Resume in the writer's chunking, then compare with a batch that was never interrupted.
    for (const [start, end] of missing) {
      for (let first = start; first < end; first += CHUNK) {
        const count = Math.min(CHUNK, end - first);
        await store.appendRuns(id, first, outcomeRows(first, count, WIDTH), WIDTH);
      }
    }
    await store.finishBatch(id, { status: 'complete', summaries: { resumed: true }, elapsedMs: 1 });
    const clean = await store.beginBatch(batchInfo(RUNS, WIDTH));
    await store.appendRuns(clean, 0, outcomeRows(0, RUNS, WIDTH), WIDTH);
    await store.finishBatch(clean, { status: 'complete', summaries: null, elapsedMs: 1 });

    const resumed = await store.readRuns(id);
    const uninterrupted = await store.readRuns(clean);
    expect(resumed.runs).toEqual(uninterrupted.runs);
    expectSameRows(resumed.rows, uninterrupted.rows);
    expect(await store.getBatch(id)).toMatchObject({ status: 'complete', storedRuns: RUNS });
    await store.close();
  });

  it('says another strata process has the file open', async () => {
    const writer = startWriter(['hold', file]);
    await writer.next(/^open$/);
    const error = await Store.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedStoreError);
    expect((error as Error).message).toMatch(/is open in another strata process \(PID \d+\)/);
    await expect(Store.open(file, { readOnly: true })).rejects.toBeInstanceOf(LockedStoreError);
    await kill();
    const store = await Store.open(file);
    await store.close();
  });
});
