import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { figureOf } from '../engine/batch/headline.js';
import { unitsOf, type Unit } from '../engine/batch/units.js';
import { isShareMetric } from '../engine/kernel/metrics.js';
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
  const title = `Strata batch ${batch.id}: ${batch.scenario} on ${batch.twin}, regime ${batch.regime}, seed ${batch.seed}`;
  await writeExport(
    file,
    async (partial) => {
      if (format === 'json') await writeJson(connection, batch, units, partial);
      else await connection.run(`COPY (${wideSelect(batch)}) TO ${quoteLiteral(partial)} (${copyOptions(format, { strata_batch: batch, strata_units: units })})`);
    },
    format === 'csv' ? () => csvMetadata(file, title, [RUN_COLUMN], batch.metricNames, units) : undefined,
  );
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
  const first = members[0]!;
  const units = unitsOf(first.metricNames);
  const title = `Strata ${first.kind} ${first.groupId}: ${members.map((m) => m.label ?? m.regime).join(', ')}; ${first.scenario} on ${first.twin}, seed ${first.seed}`;
  await writeExport(
    file,
    (partial) => connection.run(`COPY (SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY member, run) TO ${quoteLiteral(partial)} (${copyOptions(format, { strata_group: members, strata_units: units })})`),
    format === 'csv' ? () => csvMetadata(file, title, GROUP_COLUMNS, first.metricNames, units) : undefined,
  );
}

let partials = 0;

/** A temporary name beside `file`, short whatever its length (the target's own name may be near the limit). */
function partialName(file: string): string {
  return join(dirname(file), `.strata-${process.pid}-${++partials}.partial`);
}

/**
 * Writes `file` through a temporary file beside it, renamed over it once whole, and a CSV's metadata
 * (`metadata`: its text) the same way, just before it: whatever fails, no half file is left, and no metadata
 * beside a file it does not describe (the metadata written is taken away again if the file does not land; an
 * earlier export's stays only with its own file). A failure to clean up does not hide the failure.
 */
async function writeExport(file: string, write: (partial: string) => Promise<unknown>, metadata?: () => string): Promise<void> {
  const partial = partialName(file);
  const metadataFile = csvMetadataFile(file);
  const metadataPartial = partialName(metadataFile);
  let placed = false;
  try {
    await write(partial);
    if (metadata) {
      await writeFile(metadataPartial, metadata());
      await rename(metadataPartial, metadataFile);
      placed = true;
    }
    await rename(partial, file);
  } catch (error) {
    await Promise.allSettled([rm(partial, { force: true }), rm(metadataPartial, { force: true }), ...(placed ? [rm(metadataFile, { force: true })] : [])]);
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
  share: 'a fraction, 0 to 1',
  count: 'a count',
};

/** What a metric's value means in one run, and what an empty field means where one can be (docs/metrics.md). */
function meaning(metric: string, unit: Unit): string {
  const figure = figureOf(metric);
  if (/^day\d+$/.test(figure)) return `${UNIT_MEANING[unit]} of normal capacity; empty: that day fell past the horizon`;
  if (/^backTo\d+$/.test(figure)) return `minutes from the first loss (tables show hours); empty: still below at the horizon, or never below`;
  if (figure === 'timeToRecovery') return 'minutes from the first disruption to the last restoration (tables show hours); the horizon less the first disruption when not all were restored (censored), 0 when nothing was disrupted';
  if (isShareMetric(metric)) return '1 if it happened in the run, else 0 (its mean over runs is a share of runs)';
  if (unit === 'share') return `${UNIT_MEANING[unit]} of normal capacity`;
  if (unit === 'minutes') return `${UNIT_MEANING[unit]}; empty: it never happened in that run`;
  return UNIT_MEANING[unit];
}

/**
 * A CSV's data dictionary as W3C CSV on the Web metadata (Model for Tabular Data and Metadata on the Web §5.2):
 * each column's title, type, unit (`schema:unitText`) and meaning, and that an empty field is null. CSV has no
 * place for units; this file is where tools that read CSVW look, and people can read it too.
 */
function csvMetadata(file: string, title: string, leading: Column[], metrics: readonly string[], units: Record<string, Unit>): string {
  // A column's CSVW name should be a URI-template variable name: letters, digits and _ (others %-encoded), with
  // single dots between them and no leading _ (reserved); the title keeps the header's name as written.
  const name = (header: string) => {
    const encoded = header.replace(/[^A-Za-z0-9_.]/g, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
    return encoded.replace(/^[._]|\.(?=\.|$)/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  };
  const columns = [
    ...leading.map((c) => ({ name: name(c.name), titles: c.name, datatype: c.datatype, 'dc:description': c.description })),
    ...metrics.map((m) => ({ name: name(m), titles: m, datatype: 'double', null: '', 'schema:unitText': units[m], 'dc:description': meaning(m, units[m]!) })),
  ];
  // The CSV's URL relative to this file: its name, %-encoded (a space or # in it would otherwise not resolve).
  const metadata = { '@context': 'http://www.w3.org/ns/csvw', url: encodeURIComponent(basename(file)), 'dc:title': title, tableSchema: { columns } };
  return `${JSON.stringify(metadata, null, 2)}\n`;
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
