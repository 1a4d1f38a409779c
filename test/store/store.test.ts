import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ClosedStoreError,
  ConflictStoreError,
  DamagedStoreError,
  InvalidArgumentStoreError,
  LockedStoreError,
  MissingStoreError,
  NewerSchemaStoreError,
  NotAStoreError,
  SCHEMA_VERSION,
  Store,
  UnknownBatchStoreError,
  canonicalJson,
  contentHash,
} from '../../store/index.js';
import { batchInfo, outcomeRows } from './fixtures/batch.js';
import { expectSameRows } from './fixtures/same-rows.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-store-'));
  file = join(dir, 'strata.duckdb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Store: batches and runs', () => {
  it('round-trips 1,000 runs × 40 metrics, NaN included, across a close and reopen', async () => {
    const width = 40;
    const rows = outcomeRows(0, 1000, width);
    expect(rows.some(Number.isNaN)).toBe(true);
    let store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(1000, width));
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    for (let start = 0; start < 1000; start += 250) await store.appendRuns(id, start, rows.subarray(start * width, (start + 250) * width), width);
    await store.finishBatch(id, { status: 'complete', summaries: { compromised: { mean: 1.5, sd: NaN } }, elapsedMs: 1234.5 });
    await store.close();

    store = await Store.open(file, { readOnly: true });
    const stored = await store.readRuns(id);
    expect(stored.runs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(stored.metricNames).toEqual(batchInfo(1000, width).metricNames);
    expectSameRows(stored.rows, rows);
    const batch = await store.getBatch(id);
    expect(batch).toMatchObject({ id, kind: 'run', groupId: id, status: 'complete', runs: 1000, storedRuns: 1000, seed: 42, elapsedMs: 1234.5, version: '0.1.0' });
    expect(batch.summaries).toEqual({ compromised: { mean: 1.5, sd: null } });
    await store.close();
  });

  it('makes appends idempotent and refuses a re-append with different outcomes', async () => {
    const store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(300, 5));
    expect(await store.appendRuns(id, 0, outcomeRows(0, 200, 5), 5)).toBe(200);
    expect(await store.appendRuns(id, 0, outcomeRows(0, 200, 5), 5)).toBe(0);
    // Overlapping: 100 already stored, 100 new.
    expect(await store.appendRuns(id, 100, outcomeRows(100, 200, 5), 5)).toBe(100);
    const changed = outcomeRows(50, 10, 5);
    changed[7] = changed[7]! + 1e-9;
    await expect(store.appendRuns(id, 50, changed, 5)).rejects.toBeInstanceOf(ConflictStoreError);
    const stored = await store.readRuns(id);
    expect(stored.runs.length).toBe(300);
    expectSameRows(stored.rows, outcomeRows(0, 300, 5));
    await store.close();
  });

  it('reports missing runs after a partial write and refuses to mark the batch complete', async () => {
    const store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(1000, 3));
    expect(await store.missingRuns(id)).toEqual([[0, 1000]]);
    await store.appendRuns(id, 100, outcomeRows(100, 100, 3), 3);
    await store.appendRuns(id, 500, outcomeRows(500, 250, 3), 3);
    await store.appendRuns(id, 200, outcomeRows(200, 50, 3), 3);
    expect(await store.missingRuns(id)).toEqual([
      [0, 100],
      [250, 500],
      [750, 1000],
    ]);
    await expect(store.finishBatch(id, { status: 'complete', summaries: null, elapsedMs: 1 })).rejects.toBeInstanceOf(ConflictStoreError);
    expect((await store.getBatch(id)).status).toBe('running');
    await store.finishBatch(id, { status: 'incomplete', summaries: null, elapsedMs: 1 });
    const batch = await store.getBatch(id);
    expect(batch).toMatchObject({ status: 'incomplete', storedRuns: 400 });
    // Resume: the rest, then complete.
    for (const [start, end] of await store.missingRuns(id)) await store.appendRuns(id, start, outcomeRows(start, end - start, 3), 3);
    expect(await store.missingRuns(id)).toEqual([]);
    await store.finishBatch(id, { status: 'complete', summaries: { done: true }, elapsedMs: 2 });
    expectSameRows((await store.readRuns(id)).rows, outcomeRows(0, 1000, 3));
    await store.close();
  });

  it('queues appends made without awaiting each (as onChunk does) and copies their rows', async () => {
    const store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(400, 4));
    const reused = new Float64Array(100 * 4);
    const pending: Promise<number>[] = [];
    for (const start of [300, 0, 200, 100]) {
      reused.set(outcomeRows(start, 100, 4));
      pending.push(store.appendRuns(id, start, reused, 4));
    }
    expect(await Promise.all(pending)).toEqual([100, 100, 100, 100]);
    expectSameRows((await store.readRuns(id)).rows, outcomeRows(0, 400, 4));
    await store.close();
  });

  it('settles each queued append on its own: a bad one or an overlapping one does not fail the rest', async () => {
    const store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(300, 4));
    const results = await Promise.allSettled([
      store.appendRuns(id, 0, outcomeRows(0, 100, 4), 4),
      store.appendRuns(id, 100, outcomeRows(100, 100, 3), 3),
      store.appendRuns(id, 50, outcomeRows(50, 100, 4), 4),
      store.appendRuns('0badc0de', 0, outcomeRows(0, 1, 4), 4),
      store.appendRuns(id, 200, outcomeRows(200, 100, 4), 4),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([100, 'InvalidArgumentStoreError', 50, 'UnknownBatchStoreError', 100]);
    // The width-3 append of [100, 200) was refused; [100, 150) came with the overlapping one.
    expect(await store.missingRuns(id)).toEqual([[150, 200]]);
    const stored = await store.readRuns(id);
    expectSameRows(stored.rows, new Float64Array([...outcomeRows(0, 150, 4), ...outcomeRows(200, 100, 4)]));
    await store.close();
  });

  it('lists and gets batches with groups, labels, hashes and documents', async () => {
    const store = await Store.open(file);
    const single = await store.beginBatch(batchInfo(10, 2));
    const info = batchInfo(10, 2, { kind: 'compare', label: 'baseline' });
    const first = await store.beginBatch(info);
    const second = await store.beginBatch({ ...info, groupId: first, label: 'mfa', regime: 'mfa', documents: { ...info.documents, regime: { name: 'mfa', controls: { mfa: true } } } });
    await expect(store.beginBatch({ ...info, kind: 'sweep', groupId: first })).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.beginBatch({ ...info, groupId: 'feedbeef' })).rejects.toBeInstanceOf(UnknownBatchStoreError);

    const all = await store.listBatches();
    expect(all.map((b) => b.id)).toEqual([single, first, second]);
    expect(all.map((b) => b.status)).toEqual(['running', 'running', 'running']);
    const group = await store.listBatches({ groupId: first });
    expect(group.map((b) => [b.id, b.kind, b.label])).toEqual([
      [first, 'compare', 'baseline'],
      [second, 'compare', 'mfa'],
    ]);
    const batch = await store.getBatch(second);
    expect(batch.hashes).toEqual({ twinHash: contentHash(info.documents.twin), scenarioHash: contentHash(info.documents.scenario), regimeHash: contentHash({ name: 'mfa', controls: { mfa: true } }) });
    expect(batch.documents.regime).toEqual({ name: 'mfa', controls: { mfa: true } });
    expect(batch.documents.twin).toEqual(info.documents.twin);
    expect(Date.parse(batch.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(batch.finishedAt).toBeNull();
    expect(batch.summaries).toBeNull();
    await store.close();
  });

  it('lists batches in the order they were begun, even when begun within one millisecond', async () => {
    const store = await Store.open(file);
    // Every batch begun at the same clock reading: ordered by stamp then random id, they would come out in
    // the order of their ids (20 batches sorted by chance: 1 in 20!).
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 3));
    const ids: string[] = [];
    try {
      for (let i = 0; i < 20; i++) ids.push(await store.beginBatch(batchInfo(10, 2)));
    } finally {
      now.mockRestore();
    }
    const listed = await store.listBatches();
    expect(listed.map((b) => b.id)).toEqual(ids);
    const stamps = listed.map((b) => Date.parse(b.createdAt));
    expect(stamps[0]).toBe(Date.UTC(2026, 11, 3));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBe(1);
    await store.close();
  });

  it('checks hashes a caller passes against the documents', async () => {
    const store = await Store.open(file);
    const info = batchInfo(10, 2);
    const hashes = { twinHash: contentHash(info.documents.twin), scenarioHash: contentHash(info.documents.scenario), regimeHash: contentHash(info.documents.regime) };
    await expect(store.beginBatch({ ...info, hashes })).resolves.toMatch(/^[0-9a-f]{8}$/);
    await expect(store.beginBatch({ ...info, hashes: { ...hashes, regimeHash: '0'.repeat(64) } })).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await store.close();
  });

  it('stores documents ahead of a batch, once, making a lazily given twin only if it lacks it', async () => {
    const store = await Store.open(file);
    const info = batchInfo(10, 2);
    const twinJson = canonicalJson(info.documents.twin);
    const hashes = { twinHash: contentHash(info.documents.twin), scenarioHash: contentHash(info.documents.scenario), regimeHash: contentHash(info.documents.regime) };
    let made = 0;
    const lazy = { hashes, documents: { ...info.documents, twin: null }, canonical: { twin: () => (made++, twinJson) } };
    const all = twinJson.length + canonicalJson(info.documents.scenario).length + canonicalJson(info.documents.regime).length;
    expect(await store.putDocuments(lazy)).toBe(all);
    expect(made).toBe(1);
    // Stored now: nothing written again, the twin not made again — by a second call nor by the batch.
    expect(await store.putDocuments(lazy)).toBe(0);
    const id = await store.beginBatch({ ...info, ...lazy });
    expect(made).toBe(1);
    expect((await store.getBatch(id)).documents.twin).toEqual(info.documents.twin);
    // A lazily given twin that does not hash to its stated hash is refused, and nothing of it is stored.
    const other = { ...lazy, hashes: { ...hashes, twinHash: '0'.repeat(64) } };
    await expect(store.putDocuments(other)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await store.close();
  });

  it('lets a batch that stopped early shrink its requested runs, then complete', async () => {
    const store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(100_000, 2));
    await store.appendRuns(id, 0, outcomeRows(0, 400, 2), 2);
    await expect(store.setRequestedRuns(id, 300)).rejects.toBeInstanceOf(ConflictStoreError);
    await store.setRequestedRuns(id, 400);
    await expect(store.appendRuns(id, 400, outcomeRows(400, 1, 2), 2)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await store.finishBatch(id, { status: 'complete', summaries: null, elapsedMs: 1 });
    expect(await store.getBatch(id)).toMatchObject({ runs: 400, storedRuns: 400, status: 'complete' });
    await expect(store.setRequestedRuns(id, 500)).rejects.toBeInstanceOf(ConflictStoreError);
    await store.close();
  });

  it('rejects an unknown batch id with a typed error naming it', async () => {
    const store = await Store.open(file);
    for (const call of [
      () => store.getBatch('0badc0de'),
      () => store.readRuns('0badc0de'),
      () => store.missingRuns('0badc0de'),
      () => store.appendRuns('0badc0de', 0, new Float64Array(2), 2),
      () => store.finishBatch('0badc0de', { status: 'complete', summaries: null, elapsedMs: 0 }),
      () => store.exportBatch('0badc0de', 'csv', join(dir, 'x.csv')),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnknownBatchStoreError);
      expect((error as UnknownBatchStoreError).id).toBe('0badc0de');
      expect((error as Error).message).toContain('"0badc0de"');
    }
    await store.close();
  });

  it('validates arguments at the boundary', async () => {
    const store = await Store.open(file);
    await expect(store.beginBatch(batchInfo(0, 2))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    for (const untilPrecision of [0, -0.1, NaN, Infinity]) await expect(store.beginBatch(batchInfo(10, 2, { untilPrecision }))).rejects.toThrow('info.untilPrecision must be a number > 0');
    await expect(store.beginBatch(batchInfo(10, 2, { kind: 'compare', untilPrecision: 0.05 }))).rejects.toThrow('info.untilPrecision is for a run batch, not a compare');
    await expect(store.beginBatch(batchInfo(10, 2, { seed: -1 }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.beginBatch(batchInfo(10, 2, { metricNames: ['a.b', 'A.B'] }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.beginBatch(batchInfo(10, 2, { metricNames: ['run', 'x'] }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.beginBatch(batchInfo(10, 2, { kind: 'run', groupId: 'abcd1234' }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.beginBatch(batchInfo(10, 2, { documents: { twin: { x: NaN }, scenario: {}, regime: {} } }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    const id = await store.beginBatch(batchInfo(10, 2));
    await expect(store.appendRuns(id, 0, new Float64Array(6), 3)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.appendRuns(id, 0, new Float64Array(5), 2)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.appendRuns(id, 9, new Float64Array(4), 2)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.appendRuns(id, -1, new Float64Array(2), 2)).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.exportBatch(id, 'xlsx' as 'csv', join(dir, 'x'))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await expect(store.finishBatch(id, { status: 'running' as 'complete', summaries: null, elapsedMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await store.close();
    await expect(store.listBatches()).rejects.toBeInstanceOf(ClosedStoreError);
    await store.close();
  });
});

describe('Store: opening files', () => {
  it('refuses a file that is not a DuckDB database with a one-line error', async () => {
    writeFileSync(file, 'run,compromised\n0,3\n');
    const error = await Store.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAStoreError);
    expect((error as Error).message).toMatch(/^store\.open: .*strata\.duckdb is not a Strata results database/);
    expect((error as Error).message).not.toContain('\n');
    // And it leaves the file alone.
    await expect(Store.open(file)).rejects.toBeInstanceOf(NotAStoreError);
  });

  it('refuses a data file DuckDB would open as a database over it (.csv, .json, .parquet), leaving it as it was', async () => {
    const store = await Store.open(file);
    const parquet = join(dir, 'results.parquet');
    await store.close();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT 1 AS run, 3.0 AS compromised) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const csv = join(dir, 'results.csv');
    const json = join(dir, 'results.json');
    writeFileSync(csv, 'run,compromised\n0,3\n');
    writeFileSync(json, '[{"run":0,"compromised":3}]\n');
    for (const data of [csv, json, parquet]) {
      const before = readFileSync(data);
      const error = await Store.open(data).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotAStoreError);
      expect((error as Error).message).toBe(`store.open: ${data} is not a Strata results database (not a DuckDB file)`);
      await expect(Store.open(data, { readOnly: true })).rejects.toBeInstanceOf(NotAStoreError);
      expect(readFileSync(data).equals(before)).toBe(true);
    }
  });

  it('refuses a results database cut short as damaged (bad input), in one line', async () => {
    const store = await Store.open(file);
    await store.close();
    const whole = readFileSync(file);
    const cut = join(dir, 'cut.duckdb');
    writeFileSync(cut, whole.subarray(0, Math.min(100_000, whole.length - 1)));
    const error = await Store.open(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAStoreError);
    expect((error as Error).message).toMatch(/^store\.open: .*cut\.duckdb is a damaged or truncated results database \(/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names a stored value this Strata did not write (summaries or a document edited), not JSON.parse\'s words', async () => {
    for (const [edit, field] of [
      [`UPDATE batches SET summaries = '{not json'`, 'summaries'],
      [`UPDATE inputs SET json = '{not json'`, 'document [0-9a-f]{12}'],
    ] as const) {
      // A database of its own for each edit, so the second is read past the first.
      const damaged = join(dir, `damaged-${field.length}.duckdb`);
      const store = await Store.open(damaged);
      const id = await store.beginBatch(batchInfo(2, 3));
      await store.finishBatch(id, { status: 'incomplete', summaries: { compromised: { mean: 1 } }, elapsedMs: 1 });
      await store.close();
      const instance = await DuckDBInstance.create(damaged);
      const connection = await instance.connect();
      await connection.run(edit);
      connection.closeSync();
      instance.closeSync();
      const reopened = await Store.open(damaged);
      const error = await reopened.getBatch(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DamagedStoreError);
      expect((error as Error).message).toMatch(new RegExp(`^${damaged.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: batch ${id}'s ${field}: expected the JSON this Strata stored, got text that is not JSON \\(.*\\): the database has been changed or damaged$`));
      await reopened.close();
    }
  });

  it('refuses a DuckDB database that is not a store, and a directory', async () => {
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE patients (id INTEGER)');
    connection.closeSync();
    instance.closeSync();
    await expect(Store.open(file)).rejects.toBeInstanceOf(NotAStoreError);
    await expect(Store.open(dir)).rejects.toBeInstanceOf(NotAStoreError);
  });

  it('refuses a SQLite file by name (not by a failed extension download), and a missing directory or one that takes no file as bad input', async () => {
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080)]));
    const error = await Store.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAStoreError);
    expect((error as Error).message).toBe(`store.open: ${file} is a SQLite database, not a Strata results database (a DuckDB file)`);
    const missing = join(dir, 'no', 'such', 'r.duckdb');
    await expect(Store.open(missing)).rejects.toThrow(new InvalidArgumentStoreError(`store.open: cannot create ${missing}: its directory does not exist`));
    // A directory that exists but takes no new file is named as such, not as missing.
    await expect(Store.open('/proc/r.duckdb')).rejects.toThrow(new InvalidArgumentStoreError('store.open: cannot create /proc/r.duckdb: /proc takes no new file'));
  });

  it('refuses a store written with a newer schema', async () => {
    await (await Store.open(file)).close();
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run(`UPDATE meta SET value = '${SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`);
    connection.closeSync();
    instance.closeSync();
    const error = await Store.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NewerSchemaStoreError);
    expect((error as Error).message).toContain(`version ${SCHEMA_VERSION + 1}`);
  });

  it('refuses a second open of the same file in this process, and a missing file read-only', async () => {
    const store = await Store.open(file);
    await expect(Store.open(file)).rejects.toBeInstanceOf(LockedStoreError);
    await store.close();
    const again = await Store.open(file);
    await again.close();
    await expect(Store.open(join(dir, 'none.duckdb'), { readOnly: true })).rejects.toBeInstanceOf(MissingStoreError);
  });

  it('refuses writes on a store opened read-only', async () => {
    await (await Store.open(file)).close();
    const store = await Store.open(file, { readOnly: true });
    await expect(store.beginBatch(batchInfo(10, 2))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    expect(await store.listBatches()).toEqual([]);
    await store.close();
  });
});
