import type { DuckDBConnection } from '@duckdb/node-api';
import { NewerSchemaStoreError, NotAStoreError } from './errors.js';
import { BATCH_KINDS } from './types.js';

/**
 * The store's tables (docs/store.md "Schema"). Bump SCHEMA_VERSION with every change and add the step
 * from the previous version to MIGRATIONS; a file with a newer version is refused, never guessed at.
 */
export const SCHEMA_VERSION = 4;

const TABLES = ['meta', 'inputs', 'batches', 'runs'] as const;

/**
 * The batches table. Its kinds are a CHECK, which DuckDB cannot alter in place: adding a kind rebuilds the
 * table (MIGRATIONS), so the DDL takes the table's name and the kinds (a migration names its own, so it
 * stays what it was when later kinds are added).
 */
function createBatches(table: string, kinds: readonly string[]): string {
  return `CREATE TABLE ${table} (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')})),
    group_id VARCHAR NOT NULL,
    label VARCHAR,
    twin VARCHAR NOT NULL,
    scenario VARCHAR NOT NULL,
    regime VARCHAR NOT NULL,
    twin_hash VARCHAR NOT NULL,
    scenario_hash VARCHAR NOT NULL,
    regime_hash VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    runs INTEGER NOT NULL,
    strata_version VARCHAR NOT NULL,
    metric_names VARCHAR[] NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('running', 'incomplete', 'complete')),
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    elapsed_ms DOUBLE,
    summaries VARCHAR
  )`;
}

/**
 * Version 3's column: the relative precision a `run --until-precision` batch runs to (null for any other),
 * so `--resume` goes on in the same rounds and stops where the uninterrupted batch would have. Added last,
 * in a new store as in a migrated one, so both have the same column order.
 */
const ADD_UNTIL_PRECISION = `ALTER TABLE batches ADD COLUMN until_precision DOUBLE`;
/** The values a batch's command set over its documents (`--calibration FILE`, each `--set path=value`), in order. */
const ADD_SETTINGS = `ALTER TABLE batches ADD COLUMN settings VARCHAR[]`;

const CREATE = [
  `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  // Content-addressed: a sweep of twenty batches over one twin stores the twin once.
  `CREATE TABLE inputs (hash VARCHAR PRIMARY KEY, json VARCHAR NOT NULL)`,
  createBatches('batches', BATCH_KINDS),
  ADD_UNTIL_PRECISION,
  ADD_SETTINGS,
  // One row per run; outcomes[k] is the batch's metric_names[k] (1-based, as SQL lists are).
  `CREATE TABLE runs (
    batch_id VARCHAR NOT NULL,
    run INTEGER NOT NULL,
    outcomes DOUBLE[] NOT NULL,
    PRIMARY KEY (batch_id, run)
  )`,
];

/** Steps from version v to v + 1, indexed by v. */
const MIGRATIONS: Record<number, readonly string[]> = {
  // 1 → 2: the kind 'sensitivity' (strata sensitivity). Rebuilt under a new name, rows copied column by
  // column, the old table dropped and the new one renamed: every row and value kept.
  1: [createBatches('batches_v2', ['run', 'compare', 'sweep', 'sensitivity']), `INSERT INTO batches_v2 SELECT * FROM batches`, `DROP TABLE batches`, `ALTER TABLE batches_v2 RENAME TO batches`],
  // 2 → 3: the precision of an --until-precision batch; null for the batches already stored (a batch begun
  // before it cannot say whether it was one: resumed, it runs to its requested runs as it did then).
  2: [ADD_UNTIL_PRECISION],
  // 3 → 4: the settings a batch's command gave (`--set`, `--calibration`); null for batches stored before.
  3: [ADD_SETTINGS],
};

/**
 * Creates the tables in an empty database, checks (and migrates) an existing store, refuses anything else.
 * Returns the version an existing store was migrated from, if it was.
 */
export async function ensureSchema(connection: DuckDBConnection, file: string, readOnly: boolean): Promise<number | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary`,
  );
  const tables = new Set(reader.getRowsJS().map((row) => String(row[0])));
  if (tables.size === 0) {
    if (readOnly) throw new NotAStoreError(`store.open: ${file} is an empty DuckDB database, not a Strata results store`);
    await transaction(connection, [...CREATE, `INSERT INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}'), ('created_at', '${new Date().toISOString()}')`]);
    return undefined;
  }
  if (!tables.has('meta')) throw new NotAStoreError(`store.open: ${file} is a DuckDB database but not a Strata results store (no meta table)`);
  const versionRows = (await connection.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`)).getRowsJS();
  const version = Number(versionRows[0]?.[0]);
  if (!Number.isInteger(version) || version < 1) throw new NotAStoreError(`store.open: ${file} has no valid store schema version; it is not a Strata results store`);
  if (version > SCHEMA_VERSION) {
    throw new NewerSchemaStoreError(`store.open: ${file} has store schema version ${version}, newer than this Strata's (${SCHEMA_VERSION}); upgrade Strata to read it`);
  }
  const missing = TABLES.filter((table) => !tables.has(table));
  if (version === SCHEMA_VERSION && missing.length > 0) throw new NotAStoreError(`store.open: ${file} is missing store tables: ${missing.join(', ')}`);
  if (version < SCHEMA_VERSION) {
    if (readOnly) throw new NewerSchemaStoreError(`store.open: ${file} has store schema version ${version}; open it once read-write to upgrade it to ${SCHEMA_VERSION}`);
    const steps: string[] = [];
    for (let v = version; v < SCHEMA_VERSION; v++) steps.push(...(MIGRATIONS[v] ?? []));
    // From when a batch's null until_precision means "not a precision batch": before it, "not recorded".
    if (version < 3) steps.push(`INSERT INTO meta VALUES ('${UNTIL_PRECISION_SINCE}', '${new Date().toISOString()}')`);
    await transaction(connection, [...steps, `UPDATE meta SET value = '${SCHEMA_VERSION}' WHERE key = 'schema_version'`]);
    return version;
  }
  return undefined;
}

/** The meta key holding when a store migrated to version 3 began recording until_precision (absent: from its creation). */
export const UNTIL_PRECISION_SINCE = 'until_precision_since';

async function transaction(connection: DuckDBConnection, statements: readonly string[]): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const statement of statements) await connection.run(statement);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}
