import { randomBytes } from 'node:crypto';
import { DOUBLE, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { ConflictStoreError, DamagedStoreError, InvalidArgumentStoreError, UnknownBatchStoreError } from './errors.js';
import { canonicalJson, sha256Hex } from './hash.js';
import { complementRanges } from './ranges.js';
import { storedRanges } from './runs.js';
import type { BatchDocuments, BatchHashes, BatchInfo, BatchKind, BatchStatus, BeginBatchInfo, FinishBatchInfo, ListFilter } from './types.js';

/** Rows of `batches` ↔ BatchInfo. Every function here runs on the Store's one connection, one call at a time. */

const SELECT_INFO = `
  SELECT b.id, b.kind, b.group_id, b.label, b.twin, b.scenario, b.regime, b.twin_hash, b.scenario_hash, b.regime_hash,
         b.seed::DOUBLE AS seed, b.runs, b.until_precision, b.settings, b.strata_version, b.metric_names, b.status,
         epoch_ms(b.created_at)::DOUBLE AS created_ms, epoch_ms(b.finished_at)::DOUBLE AS finished_ms, b.elapsed_ms,
         (SELECT count(*) FROM runs r WHERE r.batch_id = b.id)::INTEGER AS stored_runs`;

type Row = Record<string, unknown>;

function toInfo(row: Row): BatchInfo {
  return {
    id: String(row.id),
    kind: row.kind as BatchKind,
    groupId: String(row.group_id),
    label: row.label === null ? null : String(row.label),
    twin: String(row.twin),
    scenario: String(row.scenario),
    regime: String(row.regime),
    hashes: { twinHash: String(row.twin_hash), scenarioHash: String(row.scenario_hash), regimeHash: String(row.regime_hash) },
    seed: Number(row.seed),
    runs: Number(row.runs),
    untilPrecision: row.until_precision === null ? null : Number(row.until_precision),
    settings: row.settings === null || row.settings === undefined ? null : (row.settings as unknown[]).map(String),
    version: String(row.strata_version),
    metricNames: (row.metric_names as unknown[]).map(String),
    status: row.status as BatchStatus,
    createdAt: new Date(Number(row.created_ms)).toISOString(),
    finishedAt: row.finished_ms === null ? null : new Date(Number(row.finished_ms)).toISOString(),
    elapsedMs: row.elapsed_ms === null ? null : Number(row.elapsed_ms),
    storedRuns: Number(row.stored_runs),
  };
}

/** A batch's row; `file` (the store's) names where it was looked for when it is not there. */
export async function selectBatch(connection: DuckDBConnection, id: string, where: string, file: string): Promise<{ info: BatchInfo; summaries: unknown }> {
  const rows = (await connection.runAndReadAll(`${SELECT_INFO}, b.summaries FROM batches b WHERE b.id = $id`, { id })).getRowObjectsJS();
  const row = rows[0];
  if (!row) throw new UnknownBatchStoreError(`${where}: no batch "${id}" in ${file}`, id, file);
  return { info: toInfo(row), summaries: row.summaries === null ? null : stored(String(row.summaries), `${file}: batch ${id}'s summaries`) };
}

/** A stored JSON value, or the store's damage named (a trial's edited row gave JSON.parse's own words, exit 1). */
function stored(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DamagedStoreError(`${what}: expected the JSON this Strata stored, got text that is not JSON (${(error as Error).message}): the database has been changed or damaged`);
  }
}

export async function selectBatches(connection: DuckDBConnection, filter: ListFilter): Promise<BatchInfo[]> {
  const conditions: string[] = [];
  const values: Record<string, string> = {};
  if (filter.groupId !== undefined) {
    conditions.push('b.group_id = $group');
    values.group = filter.groupId;
  }
  if (filter.status !== undefined) {
    conditions.push('b.status = $status');
    values.status = filter.status;
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = (await connection.runAndReadAll(`${SELECT_INFO} FROM batches b ${where} ORDER BY b.created_at, b.id`, values)).getRowObjectsJS();
  return rows.map(toInfo);
}

export async function selectDocuments(connection: DuckDBConnection, info: BatchInfo, file: string): Promise<BatchDocuments> {
  const { twinHash, scenarioHash, regimeHash } = info.hashes;
  const rows = (await connection.runAndReadAll(`SELECT hash, json FROM inputs WHERE hash IN ($t, $s, $r)`, { t: twinHash, s: scenarioHash, r: regimeHash })).getRowsJS();
  const byHash = new Map(rows.map((row) => [String(row[0]), String(row[1])]));
  const parse = (hash: string): unknown => stored(byHash.get(hash) ?? 'null', `${file}: batch ${info.id}'s document ${hash.slice(0, 12)}`);
  return { twin: parse(twinHash), scenario: parse(scenarioHash), regime: parse(regimeHash) };
}

/** Eight hex digits: short enough to type, 4 × 10⁹ values so a clash (checked, then redrawn) is rare. */
function newId(): string {
  return randomBytes(4).toString('hex');
}

/** What storing a batch's documents needs: `BeginBatchInfo`'s documents, with the lazily given twin. */
export type DocumentsInfo = Pick<BeginBatchInfo, 'documents' | 'canonical' | 'hashes'>;

/**
 * The documents' hashes, checked against `info.hashes`, and a function storing those the store lacks (in
 * the caller's transaction). The lazily given twin is made only if the store lacks it, then checked.
 */
function documentsOf(info: DocumentsInfo, where: string): { hashes: BatchHashes; store: (connection: DuckDBConnection) => Promise<number> } {
  const lazyTwin = info.canonical?.twin;
  if (lazyTwin && !info.hashes) throw new InvalidArgumentStoreError(`${where}: info.canonical needs info.hashes`);
  const json = { twin: lazyTwin ? undefined : canonicalJson(info.documents.twin), scenario: canonicalJson(info.documents.scenario), regime: canonicalJson(info.documents.regime) };
  const hashes: BatchHashes = { twinHash: json.twin === undefined ? info.hashes!.twinHash : sha256Hex(json.twin), scenarioHash: sha256Hex(json.scenario), regimeHash: sha256Hex(json.regime) };
  const check = (key: keyof BatchHashes, hash: string) => {
    if (info.hashes && info.hashes[key] !== hash) {
      throw new InvalidArgumentStoreError(`${where}: info.hashes.${key} is ${info.hashes[key]} but the document hashes to ${hash} (use contentHash from store/)`);
    }
  };
  for (const key of ['twinHash', 'scenarioHash', 'regimeHash'] as const) check(key, hashes[key]);
  /** A document's text; the lazily given twin is read (and checked) only when the store lacks it. */
  const text = (key: keyof BatchHashes): string => {
    if (key !== 'twinHash') return key === 'scenarioHash' ? json.scenario : json.regime;
    if (json.twin === undefined) {
      json.twin = lazyTwin!();
      check('twinHash', sha256Hex(json.twin));
    }
    return json.twin;
  };
  const store = async (connection: DuckDBConnection): Promise<number> => {
    let written = 0;
    for (const key of ['twinHash', 'scenarioHash', 'regimeHash'] as const) {
      const hash = hashes[key];
      // A document stored before (the same twin's earlier batches) is not sent again: the national twin is 42 MB.
      if ((await connection.runAndReadAll(`SELECT 1 FROM inputs WHERE hash = $hash`, { hash })).currentRowCount > 0) continue;
      const body = text(key);
      await connection.run(`INSERT INTO inputs VALUES ($hash, $json)`, { hash, json: body });
      written += body.length;
    }
    return written;
  };
  return { hashes, store };
}

/** Stores whichever of a batch's documents the store lacks, ahead of the batch; returns the characters written. */
export async function insertDocuments(connection: DuckDBConnection, info: DocumentsInfo): Promise<number> {
  const { store } = documentsOf(info, 'store.putDocuments');
  await connection.run('BEGIN TRANSACTION');
  try {
    const written = await store(connection);
    await connection.run('COMMIT');
    return written;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function insertBatch(connection: DuckDBConnection, info: BeginBatchInfo, file: string): Promise<string> {
  const { hashes, store } = documentsOf(info, 'store.beginBatch');
  await connection.run('BEGIN TRANSACTION');
  try {
    if (info.groupId !== undefined) {
      const group = (await connection.runAndReadAll(`SELECT kind FROM batches WHERE group_id = $group LIMIT 1`, { group: info.groupId })).getRowsJS();
      if (group.length === 0) throw new UnknownBatchStoreError(`store.beginBatch: no group "${info.groupId}" in ${file}`, info.groupId, file);
      if (group[0]![0] !== info.kind) throw new InvalidArgumentStoreError(`store.beginBatch: group "${info.groupId}" is a ${String(group[0]![0])}, not a ${info.kind}`);
    }
    let id = newId();
    while ((await connection.runAndReadAll(`SELECT 1 FROM batches WHERE id = $id OR group_id = $id`, { id })).currentRowCount > 0) id = newId();
    await store(connection);
    // Batches list in the order they were begun (ORDER BY created_at, id): two begun within one millisecond
    // would tie, and the random id would then order them by chance. So a batch's stamp is at least 1 ms past
    // the store's latest (the store has one writer at a time: docs/store.md).
    const latest = (await connection.runAndReadAll(`SELECT epoch_ms(max(created_at))::DOUBLE FROM batches`)).getRowsJS()[0]?.[0];
    const created = Math.max(Date.now(), typeof latest === 'number' ? latest + 1 : -Infinity);
    await connection.run(
      `INSERT INTO batches (id, kind, group_id, label, twin, scenario, regime, twin_hash, scenario_hash, regime_hash, seed, runs,
                            until_precision, settings, strata_version, metric_names, status, created_at)
       VALUES ($id, $kind, $group, $label, $twin, $scenario, $regime, $twin_hash, $scenario_hash, $regime_hash, $seed::BIGINT, $runs::INTEGER,
               $precision, $settings, $version, $names, 'running', epoch_ms($created::BIGINT))`,
      {
        id,
        kind: info.kind,
        group: info.groupId ?? id,
        label: info.label ?? null,
        twin: info.twin,
        scenario: info.scenario,
        regime: info.regime,
        twin_hash: hashes.twinHash,
        scenario_hash: hashes.scenarioHash,
        regime_hash: hashes.regimeHash,
        seed: info.seed,
        runs: info.runs,
        precision: info.untilPrecision ?? null,
        settings: listValue([...(info.settings ?? [])]),
        version: info.version,
        names: listValue([...info.metricNames]),
        created,
      },
      { label: VARCHAR, precision: DOUBLE, settings: LIST(VARCHAR), names: LIST(VARCHAR) },
    );
    await connection.run('COMMIT');
    return id;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The last step of a batch, in its own transaction: `complete` only if every run in [0, runs) is stored,
 * so a batch can never look complete with runs missing, whatever happened to the process before.
 */
export async function updateFinished(connection: DuckDBConnection, info: BatchInfo, finish: FinishBatchInfo, summariesJson: string | null): Promise<void> {
  if (info.status === 'complete' && finish.status !== 'complete') throw new ConflictStoreError(`store.finishBatch: batch ${info.id} is already complete`);
  await connection.run('BEGIN TRANSACTION');
  try {
    if (finish.status === 'complete') {
      const missing = complementRanges(await storedRanges(connection, info.id), info.runs);
      if (missing.length > 0) {
        const count = missing.reduce((sum, [start, end]) => sum + end - start, 0);
        const shown = missing.slice(0, 3).map(([start, end]) => `[${start}, ${end})`).join(', ');
        throw new ConflictStoreError(`store.finishBatch: batch ${info.id} cannot be complete: ${count} of ${info.runs} runs are not stored (${shown}${missing.length > 3 ? ', …' : ''})`);
      }
    }
    await connection.run(
      `UPDATE batches SET status = $status, summaries = $summaries, elapsed_ms = $elapsed, finished_at = epoch_ms($finished::BIGINT) WHERE id = $id`,
      { status: finish.status, summaries: summariesJson, elapsed: finish.elapsedMs, finished: Date.now(), id: info.id },
      { summaries: VARCHAR },
    );
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Changes how many runs a batch asked for — for a batch that stops when precise enough, after its last
 * round. Refused on a complete batch, and when runs at or past the new count are stored (they would
 * belong to no batch).
 */
export async function updateRequestedRuns(connection: DuckDBConnection, info: BatchInfo, runs: number): Promise<void> {
  if (info.status === 'complete') throw new ConflictStoreError(`store.setRequestedRuns: batch ${info.id} is complete; its runs cannot change`);
  const beyond = (await connection.runAndReadAll(`SELECT max(run)::INTEGER FROM runs WHERE batch_id = $id AND run >= ${runs}`, { id: info.id })).getRowsJS();
  const last = beyond[0]?.[0];
  if (last !== null && last !== undefined) throw new ConflictStoreError(`store.setRequestedRuns: batch ${info.id} already stores run ${String(last)}, past the ${runs} asked for`);
  await connection.run(`UPDATE batches SET runs = ${runs} WHERE id = $id`, { id: info.id });
}
