import { open, rename, rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runChunks } from './runs.js';
import { quoteIdentifier, quoteLiteral } from './sql.js';
import type { BatchInfo, ExportFormat } from './types.js';

/** What an export says about its batch (in the JSON document, in the Parquet footer): no documents. */
export type ExportedBatch = BatchInfo & { summaries: unknown };

/**
 * A batch's runs as a wide table: a `run` column, then one column per metric named as the kernel names it
 * (`compromised.physical`, `lost.<owner>`). NaN ("never") leaves the file as NULL — an empty CSV field, a
 * Parquet null, a JSON null — because CSV has no NaN, and pandas and R read NULL as NaN/NA anyway.
 * The file is written beside the target and renamed over it, so a failed export leaves no half file.
 */
export async function exportRuns(connection: DuckDBConnection, batch: ExportedBatch, format: ExportFormat, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    if (format === 'json') await writeJson(connection, batch, partial);
    else await connection.run(`COPY (${wideSelect(batch)}) TO ${quoteLiteral(partial)} (${copyOptions(batch, format)})`);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * A group's members (a comparison's regimes, a sweep's values) in one table: `member` (1, 2, … in the group's
 * order), `batch` and `label` (the regime or swept value) before each member's runs, so pandas or R can pivot
 * on them. Members must report the same outcomes (a sweep over a twin parameter may not); CSV and Parquet only.
 */
export async function exportGroupRuns(connection: DuckDBConnection, members: readonly BatchInfo[], format: 'csv' | 'parquet', file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  const selects = members.map((m, i) => {
    const columns = m.metricNames.map((name, k) => `nullif(outcomes[${k + 1}], 'NaN'::DOUBLE) AS ${quoteIdentifier(name)}`);
    return `SELECT ${i + 1} AS member, ${quoteLiteral(m.id)} AS batch, ${quoteLiteral(m.label ?? m.regime)} AS label, run, ${columns.join(', ')} FROM runs WHERE batch_id = ${quoteLiteral(m.id)}`;
  });
  const options = format === 'csv' ? 'FORMAT csv, HEADER true' : `FORMAT parquet, COMPRESSION zstd, KV_METADATA {strata_group: ${quoteLiteral(JSON.stringify(members))}}`;
  try {
    await connection.run(`COPY (SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY member, run) TO ${quoteLiteral(partial)} (${options})`);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

function wideSelect(batch: ExportedBatch): string {
  const columns = batch.metricNames.map((name, m) => `nullif(outcomes[${m + 1}], 'NaN'::DOUBLE) AS ${quoteIdentifier(name)}`);
  return `SELECT run, ${columns.join(', ')} FROM runs WHERE batch_id = ${quoteLiteral(batch.id)} ORDER BY run`;
}

function copyOptions(batch: ExportedBatch, format: 'csv' | 'parquet'): string {
  if (format === 'csv') return `FORMAT csv, HEADER true`;
  // The batch's description travels in the Parquet footer (key `strata_batch`), readable with
  // pyarrow.parquet.read_schema(file).metadata or DuckDB's parquet_kv_metadata().
  return `FORMAT parquet, COMPRESSION zstd, KV_METADATA {strata_batch: ${quoteLiteral(JSON.stringify(batch))}}`;
}

/** `{ "batch": {…}, "runs": [{ "run": 0, "<metric>": value | null, … }, …] }` (JSON has no NaN or ±Infinity: both are null), written a chunk at a time. */
async function writeJson(connection: DuckDBConnection, batch: ExportedBatch, file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    const names = batch.metricNames.map((name) => JSON.stringify(name));
    const width = names.length;
    await handle.write(`{"batch":${JSON.stringify(batch)},\n"runs":[`);
    let first = true;
    for await (const chunk of runChunks(connection, batch.id, width)) {
      const lines: string[] = [];
      for (let i = 0; i < chunk.runs.length; i++) {
        const fields = [`"run":${chunk.runs[i]}`];
        for (let m = 0; m < width; m++) {
          const value = chunk.rows[i * width + m]!;
          fields.push(`${names[m]}:${Number.isFinite(value) ? String(value) : 'null'}`);
        }
        lines.push(`${first ? '\n' : ',\n'}{${fields.join(',')}}`);
        first = false;
      }
      await handle.write(lines.join(''));
    }
    await handle.write(']}\n');
  } finally {
    await handle.close();
  }
}
