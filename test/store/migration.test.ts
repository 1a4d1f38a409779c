import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentStoreError, NewerSchemaStoreError, SCHEMA_VERSION, Store } from '../../store/index.js';
import { batchInfo, outcomeRows } from './fixtures/batch.js';
import { expectSameRows } from './fixtures/same-rows.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-migration-'));
  file = join(dir, 'strata.duckdb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function withDatabase<T>(work: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    return await work(async (sql) => (await connection.runAndReadAll(sql)).getRowsJS());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Turns a store into what schema version 1 wrote: the same tables, but `batches` checks the three kinds
 * it knew. The DDL is the table's own, with the kinds cut back, so the fixture cannot drift from the schema.
 */
async function downgradeToVersion1(): Promise<void> {
  await downgradeToVersion2();
  await withDatabase(async (run) => {
    const [[sql]] = (await run(`SELECT sql FROM duckdb_tables() WHERE table_name = 'batches'`)) as [[string]];
    const v1 = sql.replace(/'run', 'compare', 'sweep', 'sensitivity'/, `'run', 'compare', 'sweep'`).replace(/CREATE TABLE batches/i, 'CREATE TABLE batches_v1');
    expect(v1).not.toContain('sensitivity');
    for (const statement of [v1, 'INSERT INTO batches_v1 SELECT * FROM batches', 'DROP TABLE batches', 'ALTER TABLE batches_v1 RENAME TO batches', `UPDATE meta SET value = '1' WHERE key = 'schema_version'`]) await run(statement);
  });
}

/** What schema version 3 wrote: batches without version 4's settings (its last column). */
async function downgradeToVersion3(): Promise<void> {
  await withDatabase(async (run) => {
    for (const statement of ['ALTER TABLE batches DROP COLUMN settings', `UPDATE meta SET value = '3' WHERE key = 'schema_version'`]) await run(statement);
  });
}

/** What schema version 2 wrote: batches without version 3's until_precision (then its last column). */
async function downgradeToVersion2(): Promise<void> {
  await downgradeToVersion3();
  await withDatabase(async (run) => {
    for (const statement of ['ALTER TABLE batches DROP COLUMN until_precision', `UPDATE meta SET value = '2' WHERE key = 'schema_version'`]) await run(statement);
  });
}

describe('Store: schema migrations', () => {
  it('migrates a version 3 store: its batches\' settings not recorded (null), a new batch\'s kept', async () => {
    let store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(100, 4));
    const before = await store.getBatch(id);
    expect(before.settings).toEqual([]);
    await store.close();
    await downgradeToVersion3();
    store = await Store.open(file);
    expect(store.upgradedFrom).toBe(3);
    expect(await store.getBatch(id)).toEqual({ ...before, settings: null });
    const set = await store.beginBatch(batchInfo(100, 4, { settings: ['calibration=cal.yaml', 'controls.patchCoverage=0.7'] }));
    expect((await store.getBatch(set)).settings).toEqual(['calibration=cal.yaml', 'controls.patchCoverage=0.7']);
    await store.close();
  });

  it('migrates a version 2 store: batches and runs kept, their precision null, a new batch\'s kept', async () => {
    let store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(100, 4));
    await store.appendRuns(id, 0, outcomeRows(0, 100, 4), 4);
    await store.finishBatch(id, { status: 'complete', summaries: { compromised: { mean: 2 } }, elapsedMs: 12 });
    const before = await store.getBatch(id);
    expect(before.untilPrecision).toBeNull();
    await store.close();
    await downgradeToVersion2();
    await withDatabase(async (run) => expect(await run(`SELECT count(*)::INTEGER FROM duckdb_columns() WHERE table_name = 'batches' AND column_name = 'until_precision'`)).toEqual([[0]]));

    store = await Store.open(file);
    expect(store.upgradedFrom).toBe(2);
    // From now on a null precision means "not a precision batch"; the batch above was begun before.
    const since = await store.untilPrecisionSince();
    expect(since! > before.createdAt).toBe(true);
    // The settings were not recorded then either: null.
    expect(await store.getBatch(id)).toEqual({ ...before, settings: null });
    expectSameRows((await store.readRuns(id)).rows, outcomeRows(0, 100, 4));
    const precise = await store.beginBatch(batchInfo(1000, 4, { untilPrecision: 0.05 }));
    expect((await store.getBatch(precise)).untilPrecision).toBe(0.05);
    await store.close();
    await withDatabase(async (run) => expect(await run(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([[String(SCHEMA_VERSION)]]));
    // Opened again, it is current: nothing migrated, the date kept.
    store = await Store.open(file);
    expect(store.upgradedFrom).toBeUndefined();
    expect(await store.untilPrecisionSince()).toBe(since);
    await store.close();
  });

  it('a new store migrated nothing and has recorded precisions from its start', async () => {
    const store = await Store.open(file);
    expect(store.upgradedFrom).toBeUndefined();
    expect(await store.untilPrecisionSince()).toBeNull();
    await store.close();
  });


  it('migrates a version 1 store: batches and runs kept, sensitivity batches accepted, other kinds still refused', async () => {
    let store = await Store.open(file);
    const id = await store.beginBatch(batchInfo(100, 4));
    await store.appendRuns(id, 0, outcomeRows(0, 100, 4), 4);
    await store.finishBatch(id, { status: 'complete', summaries: { compromised: { mean: 2 } }, elapsedMs: 12 });
    const before = await store.getBatch(id);
    await store.close();
    await downgradeToVersion1();
    // A version 1 table refuses the new kind: what the migration is for.
    await expect(withDatabase((run) => run(`UPDATE batches SET kind = 'sensitivity'`))).rejects.toThrow(/CHECK/i);

    store = await Store.open(file);
    const after = await store.getBatch(id);
    expect(after).toEqual({ ...before, settings: null });
    expectSameRows((await store.readRuns(id)).rows, outcomeRows(0, 100, 4));
    const point = await store.beginBatch(batchInfo(10, 4, { kind: 'sensitivity', label: 'trajectory 1, point 0' }));
    await store.beginBatch(batchInfo(10, 4, { kind: 'sensitivity', groupId: point }));
    expect((await store.listBatches({ groupId: point })).map((b) => b.kind)).toEqual(['sensitivity', 'sensitivity']);
    await expect(store.beginBatch(batchInfo(10, 4, { kind: 'bogus' as never }))).rejects.toBeInstanceOf(InvalidArgumentStoreError);
    await store.close();

    await withDatabase(async (run) => {
      expect(await run(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([[String(SCHEMA_VERSION)]]);
      expect(await run(`SELECT table_name FROM duckdb_tables() ORDER BY table_name`)).toEqual([['batches'], ['inputs'], ['meta'], ['runs']]);
      await expect(run(`UPDATE batches SET kind = 'bogus'`)).rejects.toThrow(/CHECK/i);
    });
  });

  it('leaves a version 1 store alone when opened read-only, and says how to upgrade it', async () => {
    await (await Store.open(file)).close();
    await downgradeToVersion1();
    const error = await Store.open(file, { readOnly: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NewerSchemaStoreError);
    expect((error as Error).message).toMatch(/version 1; open it once read-write/);
    await withDatabase(async (run) => expect(await run(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([['1']]));
  });
});
