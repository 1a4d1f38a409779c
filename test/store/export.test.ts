import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/index.js';
import { batchInfo, metricNamesOf, outcomeRows } from './fixtures/batch.js';

/** Exports read back with DuckDB itself and compared, cell by cell, to what the store holds. */

const RUNS = 1000;
const WIDTH = 40;
let dir: string;
let store: Store;
let id: string;
let reader: DuckDBConnection;
let readerInstance: DuckDBInstance;
const names = metricNamesOf(WIDTH);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-export-'));
  store = await Store.open(join(dir, 'strata.duckdb'));
  id = await store.beginBatch(batchInfo(RUNS, WIDTH));
  // Runs 0..899 only: an export of a batch still running writes what is stored.
  await store.appendRuns(id, 0, outcomeRows(0, 900, WIDTH), WIDTH);
  readerInstance = await DuckDBInstance.create(':memory:');
  reader = await readerInstance.connect();
});

afterAll(async () => {
  await store.close();
  reader.closeSync();
  readerInstance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** Every exported cell equals the stored double; stored NaN is exported as null. */
function expectMatchesStored(rows: Record<string, unknown>[]): void {
  const expected = outcomeRows(0, 900, WIDTH);
  expect(rows.length).toBe(900);
  let nulls = 0;
  rows.forEach((row, i) => {
    expect(Number(row.run)).toBe(i);
    names.forEach((name, m) => {
      const want = expected[i * WIDTH + m]!;
      const got = row[name];
      if (Number.isNaN(want)) {
        expect(got, `run ${i} ${name}`).toBeNull();
        nulls++;
      } else {
        expect(Number(got), `run ${i} ${name}`).toBe(want);
      }
    });
  });
  expect(nulls).toBeGreaterThan(0);
}

describe('Store.exportBatch', () => {
  it('writes CSV that read_csv reads back to the stored values (NaN as an empty field)', async () => {
    const file = join(dir, 'runs.csv');
    await store.exportBatch(id, 'csv', file);
    const header = readFileSync(file, 'utf8').split('\n', 1)[0]!;
    expect(header.startsWith('run,compromised.physical,"lost.St ""Elsewhere"" Trust",blocked.mfa,')).toBe(true);
    const result = await reader.runAndReadAll(`SELECT * FROM read_csv($file, header = true) ORDER BY run`, { file });
    expect(result.columnNames()).toEqual(['run', ...names]);
    expectMatchesStored(result.getRowObjectsJS());
  });

  it("writes each CSV column's unit beside it, as CSV on the Web metadata (FILE-metadata.json)", async () => {
    const file = join(dir, 'units.csv');
    await store.exportBatch(id, 'csv', file);
    type Column = { name: string; titles: string; datatype: string; null?: string; 'schema:unitText'?: string };
    const metadata = JSON.parse(readFileSync(`${file}-metadata.json`, 'utf8')) as { '@context': string; url: string; tableSchema: { columns: Column[] } };
    expect(metadata['@context']).toBe('http://www.w3.org/ns/csvw');
    expect(metadata.url).toBe('units.csv');
    const columns = metadata.tableSchema.columns;
    // One entry per CSV column, in the header's order, titled as the header names it.
    expect(columns.map((c) => c.titles)).toEqual(['run', ...names]);
    expect(columns[0]).toMatchObject({ name: 'run', datatype: 'integer' });
    const byTitle = new Map(columns.map((c) => [c.titles, c]));
    expect(byTitle.get('compromised.physical')).toMatchObject({ name: 'compromised.physical', datatype: 'double', null: '', 'schema:unitText': 'count' });
    // A name outside a URI template's variable characters is %-encoded; its title keeps it as written.
    expect(byTitle.get('lost.St "Elsewhere" Trust')!.name).toBe('lost.St%20%22Elsewhere%22%20Trust');
    const units = new Set(columns.slice(1).map((c) => c['schema:unitText']));
    expect([...units].every((u) => ['minutes', 'hours', 'share', 'count'].includes(u!))).toBe(true);
    expect(units.size).toBeGreaterThan(1);
  });

  it('writes no CSV when its metadata cannot be written beside it, and leaves no partial file', async () => {
    const sub = join(dir, 'blocked');
    mkdirSync(join(sub, 'runs.csv-metadata.json'), { recursive: true });
    await expect(store.exportBatch(id, 'csv', join(sub, 'runs.csv'))).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['runs.csv-metadata.json']);
  });

  it('writes Parquet that read_parquet reads back to the stored values (NaN as null), with the batch in its footer', async () => {
    const file = join(dir, 'runs.parquet');
    await store.exportBatch(id, 'parquet', file);
    const result = await reader.runAndReadAll(`SELECT * FROM read_parquet($file) ORDER BY run`, { file });
    expect(result.columnNames()).toEqual(['run', ...names]);
    expect(result.columnTypes().slice(1).every((type) => type.toString() === 'DOUBLE')).toBe(true);
    expectMatchesStored(result.getRowObjectsJS());
    const meta = (await reader.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata($file) WHERE decode(key) = 'strata_batch'`, { file })).getRowsJS();
    expect(JSON.parse(String(meta[0]![0]))).toMatchObject({ id, status: 'running', seed: 42, storedRuns: 900 });
    const units = (await reader.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata($file) WHERE decode(key) = 'strata_units'`, { file })).getRowsJS();
    expect(Object.keys(JSON.parse(String(units[0]![0])) as object)).toEqual(names);
  });

  it('writes one JSON document with the batch and its runs (NaN as null)', async () => {
    const file = join(dir, 'runs.json');
    await store.exportBatch(id, 'json', file);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { batch: { id: string; metricNames: string[] }; units: Record<string, string>; runs: Record<string, unknown>[] };
    expect(document.batch.id).toBe(id);
    expect(Object.keys(document.units)).toEqual(names);
    expect(document.units['compromised.physical']).toBe('count');
    expect(document.batch.metricNames).toEqual(names);
    expectMatchesStored(document.runs);
  });

  it('overwrites an existing export and leaves no partial file behind', async () => {
    const file = join(dir, 'again.csv');
    await store.exportBatch(id, 'csv', file);
    await store.exportBatch(id, 'csv', file);
    expect(readFileSync(file, 'utf8').split('\n').length).toBe(902);
    await expect(store.exportBatch(id, 'parquet', join(dir, 'no-such-dir', 'x.parquet'))).rejects.toThrow(/store\.exportBatch/);
    // Both exports above wrote through a partial file beside their target: none is left.
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
