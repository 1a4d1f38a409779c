import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { unitsOf, type Unit } from '../engine/batch/units.js';
import { runChunks } from './runs.js';
import { csvMetadataFile } from './file.js';
import { quoteIdentifier, quoteLiteral } from './sql.js';
import type { BatchInfo, ExportFormat } from './types.js';

/** What an export says about its batch (in the JSON document, in the Parquet footer): no documents. */
export type ExportedBatch = BatchInfo & { summaries: unknown };

/**
 * A batch's runs as a wide table: a `run` column, then one column per metric named as the kernel names it
 * (`compromised.physical`, `lost.<owner>`). NaN ("never") leaves the file as NULL — an empty CSV field, a
 * Parquet null, a JSON null — because CSV has no NaN, and pandas and R read NULL as NaN/NA anyway.
 * Each column's unit goes with it: in the JSON document (`units`), in the Parquet footer (`strata_units`), and
 * beside a CSV in its CSVW metadata file (csvMetadataFile). The file is written beside the target and renamed
 * over it, so a failed export leaves no half file.
 */
export async function exportRuns(connection: DuckDBConnection, batch: ExportedBatch, format: ExportFormat, file: string): Promise<void> {
  const units = unitsOf(batch.metricNames);
  await writeAtomically(file, async (partial) => {
    if (format === 'json') await writeJson(connection, batch, units, partial);
    else await connection.run(`COPY (${wideSelect(batch)}) TO ${quoteLiteral(partial)} (${copyOptions(format, { strata_batch: batch, strata_units: units })})`);
  });
  if (format === 'csv') await writeCsvMetadata(file, `Strata batch ${batch.id}: ${batch.scenario} on ${batch.twin}, regime ${batch.regime}, seed ${batch.seed}`, [RUN_COLUMN], batch.metricNames, units);
}

/**
 * A group's members (a comparison's regimes, a sweep's values) in one table: `member` (1, 2, … in the group's
 * order), `batch` and `label` (the regime or swept value) before each member's runs, so pandas or R can pivot
 * on them. Members must report the same outcomes (a sweep over a twin parameter may not); CSV and Parquet only.
 */
export async function exportGroupRuns(connection: DuckDBConnection, members: readonly BatchInfo[], format: 'csv' | 'parquet', file: string): Promise<void> {
  const selects = members.map((m, i) => {
    const columns = m.metricNames.map((name, k) => `nullif(outcomes[${k + 1}], 'NaN'::DOUBLE) AS ${quoteIdentifier(name)}`);
    return `SELECT ${i + 1} AS member, ${quoteLiteral(m.id)} AS batch, ${quoteLiteral(m.label ?? m.regime)} AS label, run, ${columns.join(', ')} FROM runs WHERE batch_id = ${quoteLiteral(m.id)}`;
  });
  const units = unitsOf(members[0]!.metricNames);
  await writeAtomically(file, (partial) =>
    connection.run(`COPY (SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY member, run) TO ${quoteLiteral(partial)} (${copyOptions(format, { strata_group: members, strata_units: units })})`),
  );
  if (format === 'csv') {
    const first = members[0]!;
    await writeCsvMetadata(file, `Strata ${first.kind} ${first.groupId}: ${members.map((m) => m.label ?? m.regime).join(', ')}; ${first.scenario} on ${first.twin}, seed ${first.seed}`, GROUP_COLUMNS, first.metricNames, units);
  }
}

/** Writes `file` through a temporary file beside it, renamed over it once whole; removed if `write` fails. */
async function writeAtomically(file: string, write: (partial: string) => Promise<unknown>): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await write(partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

type Column = { name: string; datatype: 'integer' | 'string'; description: string };

const RUN_COLUMN: Column = { name: 'run', datatype: 'integer', description: 'The run index in its batch (0-based); the same index draws the same randomness under every regime.' };
const GROUP_COLUMNS: Column[] = [
  { name: 'member', datatype: 'integer', description: "The member's place in its group (1, 2, …)." },
  { name: 'batch', datatype: 'string', description: "The member's batch id." },
  { name: 'label', datatype: 'string', description: 'The regime of a comparison, the swept value of a sweep, the design point of a sensitivity analysis.' },
  RUN_COLUMN,
];

const UNIT_MEANING: Record<Unit, string> = {
  minutes: 'minutes from the start of the run (tables show hours)',
  hours: 'hours',
  share: 'a share, 0 to 1',
  count: 'a count',
};

/**
 * A CSV's data dictionary as W3C CSV on the Web metadata (Model for Tabular Data and Metadata on the Web §5.2):
 * each column's title, type and unit (`schema:unitText`), and that an empty field is NaN ("never"). CSV has
 * no place for units; this file is where tools that read CSVW look, and people can read it too.
 */
async function writeCsvMetadata(file: string, title: string, leading: Column[], metrics: readonly string[], units: Record<string, Unit>): Promise<void> {
  // A column's CSVW name must be a URI-template variable name (letters, digits, _ and .; others %-encoded).
  const name = (title: string) => title.replace(/[^A-Za-z0-9_.]/g, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  const columns = [
    ...leading.map((c) => ({ name: name(c.name), titles: c.name, datatype: c.datatype, 'dc:description': c.description })),
    ...metrics.map((m) => ({
      name: name(m),
      titles: m,
      datatype: 'double',
      null: '',
      'schema:unitText': units[m],
      'dc:description': `${UNIT_MEANING[units[m]!]}; empty: never happened in that run (docs/metrics.md)`,
    })),
  ];
  const metadata = { '@context': 'http://www.w3.org/ns/csvw', url: basename(file), 'dc:title': title, tableSchema: { columns } };
  await writeAtomically(csvMetadataFile(file), (partial) => writeFile(partial, `${JSON.stringify(metadata, null, 2)}\n`));
}

function wideSelect(batch: ExportedBatch): string {
  const columns = batch.metricNames.map((name, m) => `nullif(outcomes[${m + 1}], 'NaN'::DOUBLE) AS ${quoteIdentifier(name)}`);
  return `SELECT run, ${columns.join(', ')} FROM runs WHERE batch_id = ${quoteLiteral(batch.id)} ORDER BY run`;
}

function copyOptions(format: 'csv' | 'parquet', footer: Record<string, unknown>): string {
  if (format === 'csv') return `FORMAT csv, HEADER true`;
  // The batch's (or group's) description and the units travel in the Parquet footer (keys `strata_batch` or
  // `strata_group`, and `strata_units`), readable with pyarrow.parquet.read_schema(file).metadata or DuckDB's
  // parquet_kv_metadata().
  const pairs = Object.entries(footer).map(([key, value]) => `${key}: ${quoteLiteral(JSON.stringify(value))}`);
  return `FORMAT parquet, COMPRESSION zstd, KV_METADATA {${pairs.join(', ')}}`;
}

/** `{ "batch": {…}, "units": {…}, "runs": [{ "run": 0, "<metric>": value | null, … }, …] }` (JSON has no NaN or ±Infinity: both are null), written a chunk at a time. */
async function writeJson(connection: DuckDBConnection, batch: ExportedBatch, units: Record<string, Unit>, file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    const names = batch.metricNames.map((name) => JSON.stringify(name));
    const width = names.length;
    await handle.write(`{"batch":${JSON.stringify(batch)},\n"units":${JSON.stringify(units)},\n"runs":[`);
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
