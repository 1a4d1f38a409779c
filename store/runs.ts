import {
  DOUBLE,
  INTEGER,
  LIST,
  VARCHAR,
  DuckDBDataChunk,
  DuckDBVector,
  listValue,
  type DuckDBConnection,
  type DuckDBDoubleVector,
  type DuckDBIntegerVector,
  type DuckDBListVector,
  type DuckDBVarCharVector,
} from '@duckdb/node-api';
import { ConflictStoreError, StoreError, firstLine } from './errors.js';
import type { RunRange } from './ranges.js';

/**
 * Per-run outcomes live in `runs(batch_id, run, outcomes DOUBLE[])`, one row per run, keyed by
 * (batch_id, run) (docs/store.md "Layout"). Appends take one of two paths:
 *   - new runs (the usual case): DuckDB's appender straight into `runs`, a data chunk at a time, several
 *     appends in one transaction — no SQL to plan, one commit;
 *   - runs already stored (a resume that overlaps, a retry): the appender hits the key, the transaction
 *     rolls back, and each append is merged on its own through a staging table — equal outcomes skipped,
 *     different outcomes refused.
 */

export interface RunBlock {
  batchId: string;
  runStart: number;
  /** Row-major, rows.length / width runs. */
  rows: Float64Array;
  width: number;
}

/** The appender met a run already stored; nothing was written. */
export class DuplicateRunError extends Error {
  override name = 'DuplicateRunError';
}

const CHUNK_TYPES = [VARCHAR, INTEGER, LIST(DOUBLE)];

/** Writes every block in one transaction, or none if any run in them is already stored (DuplicateRunError). */
export async function appendNewRuns(connection: DuckDBConnection, blocks: readonly RunBlock[]): Promise<void> {
  const chunkRows = DuckDBVector.standardSize();
  await connection.run('BEGIN TRANSACTION');
  try {
    const appender = await connection.createAppender('runs');
    let failure: unknown;
    try {
      for (const { batchId, runStart, rows, width } of blocks) {
        const count = rows.length / width;
        for (let first = 0; first < count; first += chunkRows) {
          const n = Math.min(chunkRows, count - first);
          const chunk = DuckDBDataChunk.create(CHUNK_TYPES, n);
          const ids = chunk.getColumnVector(0) as DuckDBVarCharVector;
          const runs = chunk.getColumnVector(1) as DuckDBIntegerVector;
          const outcomes = chunk.getColumnVector(2) as DuckDBListVector;
          for (let i = 0; i < n; i++) {
            ids.setItem(i, batchId);
            runs.setItem(i, runStart + first + i);
            const at = (first + i) * width;
            outcomes.setItem(i, listValue(Array.from(rows.subarray(at, at + width))));
          }
          ids.flush();
          runs.flush();
          outcomes.flush();
          appender.appendDataChunk(chunk);
        }
      }
    } catch (error) {
      failure = error;
    }
    try {
      appender.closeSync();
    } catch (error) {
      failure ??= error;
    }
    if (failure !== undefined) throw failure;
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    if (/Duplicate key|violates primary key/i.test(firstLine(error))) throw new DuplicateRunError(firstLine(error), { cause: error });
    throw error;
  }
}

const stagesOf = new WeakMap<DuckDBConnection, Set<number>>();

function metricColumns(width: number): string[] {
  return Array.from({ length: width }, (_, m) => `m${m}`);
}

/** A temporary table with one DOUBLE column per metric, created once per width and connection. */
async function stageFor(connection: DuckDBConnection, width: number): Promise<string> {
  let stages = stagesOf.get(connection);
  if (!stages) stagesOf.set(connection, (stages = new Set()));
  const name = `strata_stage_${width}`;
  if (!stages.has(width)) {
    await connection.run(`CREATE TEMP TABLE IF NOT EXISTS ${name} (run INTEGER NOT NULL, ${metricColumns(width).map((c) => `${c} DOUBLE`).join(', ')})`);
    stages.add(width);
  }
  return name;
}

/**
 * Merges one block in one transaction and returns how many runs were new. Runs already stored are
 * skipped if their outcomes are equal (NaN equals NaN in DuckDB's comparisons) and refused with
 * ConflictStoreError if not — a resumed batch must reproduce what it stored before.
 */
export async function mergeRuns(connection: DuckDBConnection, block: RunBlock): Promise<number> {
  const { batchId, runStart, rows, width } = block;
  const count = rows.length / width;
  const stage = await stageFor(connection, width);
  const outcomes = `[${metricColumns(width).join(', ')}]`;
  const types = [INTEGER, ...Array.from({ length: width }, () => DOUBLE)];
  const chunkRows = DuckDBVector.standardSize();

  await connection.run('BEGIN TRANSACTION');
  try {
    const appender = await connection.createAppender(stage);
    try {
      for (let first = 0; first < count; first += chunkRows) {
        const n = Math.min(chunkRows, count - first);
        const chunk = DuckDBDataChunk.create(types, n);
        const runColumn = chunk.getColumnVector(0) as DuckDBIntegerVector;
        for (let i = 0; i < n; i++) runColumn.setItem(i, runStart + first + i);
        runColumn.flush();
        for (let m = 0; m < width; m++) {
          const column = chunk.getColumnVector(m + 1) as DuckDBDoubleVector;
          for (let i = 0, at = first * width + m; i < n; i++, at += width) column.setItem(i, rows[at]!);
          column.flush();
        }
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
    const differing = (
      await connection.runAndReadAll(
        `SELECT s.run FROM ${stage} s JOIN runs r ON r.batch_id = $id AND r.run = s.run AND r.run >= ${runStart} AND r.run < ${runStart + count}
         WHERE r.outcomes IS DISTINCT FROM ${outcomes} ORDER BY s.run LIMIT 1`,
        { id: batchId },
      )
    ).getRowsJS();
    if (differing.length > 0) {
      throw new ConflictStoreError(
        `store.appendRuns: run ${String(differing[0]![0])} of batch ${batchId} is already stored with different outcomes; a resumed batch must use the same seed and inputs`,
      );
    }
    const inserted = await connection.run(`INSERT OR IGNORE INTO runs SELECT $id, run, ${outcomes} FROM ${stage}`, { id: batchId });
    await connection.run(`DELETE FROM ${stage}`);
    await connection.run('COMMIT');
    return inserted.rowsChanged;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A batch's stored runs in run order, a DuckDB chunk (≤ 2,048 runs) at a time. */
export async function* runChunks(connection: DuckDBConnection, batchId: string, width: number): AsyncGenerator<{ runs: number[]; rows: Float64Array }> {
  const result = await connection.stream(`SELECT run, outcomes FROM runs WHERE batch_id = $id ORDER BY run`, { id: batchId });
  for await (const chunk of result) {
    const n = chunk.rowCount;
    if (n === 0) continue;
    const runColumn = chunk.getColumnVector(0) as DuckDBIntegerVector;
    const outcomeColumn = chunk.getColumnVector(1) as DuckDBListVector;
    const values = outcomeColumn.childVector as DuckDBDoubleVector;
    const runs = new Array<number>(n);
    const rows = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      const run = runColumn.getItem(i)!;
      runs[i] = run;
      const length = outcomeColumn.getEntryLength(i);
      if (length !== width) throw new StoreError(`store: run ${run} of batch ${batchId} has ${length} outcomes, expected ${width}`);
      const offset = outcomeColumn.getEntryOffset(i);
      for (let m = 0; m < width; m++) rows[i * width + m] = values.getItem(offset + m) ?? NaN;
    }
    yield { runs, rows };
  }
}

export async function readRunRows(connection: DuckDBConnection, batchId: string, width: number): Promise<{ runs: number[]; rows: Float64Array }> {
  const total = await storedRunCount(connection, batchId);
  const runs: number[] = [];
  const rows = new Float64Array(total * width);
  for await (const chunk of runChunks(connection, batchId, width)) {
    rows.set(chunk.rows, runs.length * width);
    for (const run of chunk.runs) runs.push(run);
  }
  return { runs, rows };
}

export async function storedRunCount(connection: DuckDBConnection, batchId: string): Promise<number> {
  const rows = (await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM runs WHERE batch_id = $id`, { id: batchId })).getRowsJS();
  return Number(rows[0]?.[0] ?? 0);
}

/** The stored runs as maximal [start, end) ranges (gaps and islands: run − rank is constant along a range). */
export async function storedRanges(connection: DuckDBConnection, batchId: string): Promise<RunRange[]> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT min(run)::INTEGER, (max(run) + 1)::INTEGER
       FROM (SELECT run, run - row_number() OVER (ORDER BY run) AS island FROM runs WHERE batch_id = $id)
       GROUP BY island ORDER BY 1`,
      { id: batchId },
    )
  ).getRowsJS();
  return rows.map((row) => [Number(row[0]), Number(row[1])]);
}
