import type { DuckDBConnection } from '@duckdb/node-api';
import { insertBatch, insertDocuments, selectBatch, selectBatches, selectDocuments, updateFinished, updateRequestedRuns } from './batches.js';
import type { DocumentsInfo } from './batches.js';
import { ClosedStoreError, InvalidArgumentStoreError, UnknownBatchStoreError, wrapError } from './errors.js';
import { exportGroupRuns, exportRuns } from './export.js';
import { DEFAULT_STORE_FILE } from './file.js';
import { openDatabase, type OpenDatabase } from './open.js';
import { complementRanges, type RunRange } from './ranges.js';
import { readRunRows, storedRanges } from './runs.js';
import { writeAppends, type PendingAppend } from './appends.js';
import { ensureSchema, UNTIL_PRECISION_SINCE } from './schema.js';
import type { BatchInfo, BatchRecord, BeginBatchInfo, ExportFormat, FinishBatchInfo, ListFilter, StoredRuns } from './types.js';
import { MAX_RUNS, checkBeginInfo, checkExport, checkFinish, checkId } from './validate.js';

export interface StoreOptions {
  /** Open for reading only: several readers may share a file, but not with a writer. Default false. */
  readOnly?: boolean;
}

/** A batch's shape, cached so an append does not query it (only setRequestedRuns changes it). */
export interface Shape {
  runs: number;
  metricNames: string[];
}

/**
 * The results database: one DuckDB file holding every batch with its inputs, per-run outcomes and
 * summaries (docs/store.md). Every method is async and rejects with a StoreError. Calls are queued and
 * take effect one at a time, in call order, on one connection — so a batch runner may fire `appendRuns`
 * from `onChunk` without awaiting each (the rows are copied when the call is made). Appends that queue up
 * behind a slow commit are written together in the next transaction: one commit for many chunks.
 */
export class Store {
  readonly file: string;
  readonly readOnly: boolean;
  #db: OpenDatabase | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #shapes = new Map<string, Shape>();
  /** Appends waiting in the last queued task, which later appends may join until it starts. */
  #openGroup: PendingAppend[] | undefined;

  /**
   * The schema version this open migrated the file from (undefined: it was current, or new). A migrated
   * file can no longer be read by the Strata releases of its old version: the CLI says so (cli/args.ts).
   */
  readonly upgradedFrom: number | undefined;

  private constructor(file: string, readOnly: boolean, db: OpenDatabase, upgradedFrom: number | undefined) {
    this.file = file;
    this.readOnly = readOnly;
    this.#db = db;
    this.upgradedFrom = upgradedFrom;
  }

  /** Opens `file` (default ./strata.duckdb), creating it and its tables if it does not exist. */
  static async open(file: string = DEFAULT_STORE_FILE, options: StoreOptions = {}): Promise<Store> {
    if (typeof file !== 'string' || file.length === 0) throw new InvalidArgumentStoreError('store.open: file must be a non-empty string');
    const readOnly = options.readOnly ?? false;
    if (typeof readOnly !== 'boolean') throw new InvalidArgumentStoreError('store.open: options.readOnly must be a boolean');
    const db = await openDatabase(file, readOnly);
    let upgradedFrom: number | undefined;
    try {
      upgradedFrom = await ensureSchema(db.connection, file, readOnly);
    } catch (error) {
      closeDatabase(db);
      throw wrapError('store.open', error);
    }
    return new Store(file, readOnly, db, upgradedFrom);
  }

  /**
   * When this store began recording a batch's `untilPrecision` (ISO 8601), if it was migrated to it: a batch
   * created before then reads null whether or not it ran until a precision. Null for a store that always did.
   */
  async untilPrecisionSince(): Promise<string | null> {
    return this.#task('store.untilPrecisionSince', async (connection) => {
      const rows = (await connection.runAndReadAll(`SELECT value FROM meta WHERE key = $key`, { key: UNTIL_PRECISION_SINCE })).getRowsJS();
      return rows.length > 0 ? String(rows[0]![0]) : null;
    });
  }

  /** Records a new batch as `running` and returns its id (eight hex digits). */
  async beginBatch(info: BeginBatchInfo): Promise<string> {
    this.#writable('store.beginBatch');
    checkBeginInfo(info);
    const id = await this.#task('store.beginBatch', (connection) => insertBatch(connection, info, this.file));
    this.#shapes.set(id, { runs: info.runs, metricNames: [...info.metricNames] });
    return id;
  }

  /**
   * Stores whichever of a batch's documents the store lacks, before the batch begins (a group's first member
   * stores the national twin's 42 MB here, before its model is compiled, rather than beside it); returns the
   * characters written. `beginBatch` stores them too when not done first.
   */
  async putDocuments(info: DocumentsInfo): Promise<number> {
    this.#writable('store.putDocuments');
    return this.#task('store.putDocuments', (connection) => insertDocuments(connection, info));
  }

  /**
   * Stores runs runStart .. runStart + rows.length / width - 1 (rows row-major, `width` metrics each)
   * atomically; returns how many were not stored before. Re-appending stored runs is a no-op if their
   * outcomes are equal and a ConflictStoreError if not.
   */
  async appendRuns(id: string, runStart: number, rows: Float64Array, width: number): Promise<number> {
    this.#writable('store.appendRuns');
    checkId('store.appendRuns', id);
    if (!(rows instanceof Float64Array)) throw new InvalidArgumentStoreError('store.appendRuns: rows must be a Float64Array');
    const copy = rows.slice();
    return new Promise<number>((resolve, reject) => {
      const append: PendingAppend = { batchId: id, runStart, rows: copy, width, resolve, reject };
      if (this.#openGroup) return void this.#openGroup.push(append);
      const group = [append];
      this.#task('store.appendRuns', async (connection) => {
        if (this.#openGroup === group) this.#openGroup = undefined;
        await writeAppends(connection, group, (id) => this.#shape(connection, id, 'store.appendRuns'));
      }).catch((error: unknown) => group.forEach((pending) => pending.reject(error)));
      this.#openGroup = group;
    });
  }

  /** Marks a batch `complete` (refused unless every run is stored) or `incomplete`, with its summaries. */
  async finishBatch(id: string, result: FinishBatchInfo): Promise<void> {
    this.#writable('store.finishBatch');
    checkId('store.finishBatch', id);
    const summariesJson = checkFinish(result);
    await this.#task('store.finishBatch', async (connection) => {
      const { info } = await selectBatch(connection, id, 'store.finishBatch', this.file);
      await updateFinished(connection, info, result, summariesJson);
    });
  }

  /** Batches in the order they were begun, optionally one group's or one status's. */
  async listBatches(filter: ListFilter = {}): Promise<BatchInfo[]> {
    return this.#task('store.listBatches', (connection) => selectBatches(connection, filter));
  }

  /** A batch's description, summaries (null until finished) and the documents it ran on. */
  async getBatch(id: string): Promise<BatchRecord> {
    checkId('store.getBatch', id);
    return this.#task('store.getBatch', async (connection) => {
      const { info, summaries } = await selectBatch(connection, id, 'store.getBatch', this.file);
      return { ...info, summaries, documents: await selectDocuments(connection, info, this.file) };
    });
  }

  /**
   * Changes the runs a batch asked for, before it is finished: a batch that stops once precise enough
   * begins with its ceiling and ends with the runs it took. Refused if runs at or past `runs` are stored.
   */
  async setRequestedRuns(id: string, runs: number): Promise<void> {
    this.#writable('store.setRequestedRuns');
    checkId('store.setRequestedRuns', id);
    if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new InvalidArgumentStoreError(`store.setRequestedRuns: runs must be an integer in [1, ${MAX_RUNS}]`);
    await this.#task('store.setRequestedRuns', async (connection) => {
      const { info } = await selectBatch(connection, id, 'store.setRequestedRuns', this.file);
      await updateRequestedRuns(connection, info, runs);
      this.#shapes.set(id, { runs, metricNames: info.metricNames });
    });
  }

  /** The stored runs in run order (a batch cut short has gaps: see `runs`). */
  async readRuns(id: string): Promise<StoredRuns> {
    checkId('store.readRuns', id);
    return this.#task('store.readRuns', async (connection) => {
      const shape = await this.#shape(connection, id, 'store.readRuns');
      const { runs, rows } = await readRunRows(connection, id, shape.metricNames.length);
      return { runs, rows, metricNames: [...shape.metricNames] };
    });
  }

  /** The [start, end) ranges of run indices not yet stored, in order: what a resume has to run. */
  async missingRuns(id: string): Promise<RunRange[]> {
    checkId('store.missingRuns', id);
    return this.#task('store.missingRuns', async (connection) => {
      const shape = await this.#shape(connection, id, 'store.missingRuns');
      return complementRanges(await storedRanges(connection, id), shape.runs);
    });
  }

  /** Writes the batch's runs as a wide table (`run`, then one column per metric; NaN → null) to `file`. */
  async exportBatch(id: string, format: ExportFormat, file: string): Promise<void> {
    checkId('store.exportBatch', id);
    checkExport(format, file);
    await this.#task('store.exportBatch', async (connection) => {
      const { info, summaries } = await selectBatch(connection, id, 'store.exportBatch', this.file);
      await exportRuns(connection, { ...info, summaries }, format, file);
    });
  }

  /**
   * Every member of group `groupId` in one file (export.ts exportGroupRuns), in the group's order; refused for
   * an unknown group, for JSON, and for members whose outcomes differ. Returns the members.
   */
  async exportGroup(groupId: string, format: ExportFormat, file: string): Promise<BatchInfo[]> {
    checkId('store.exportGroup', groupId);
    checkExport(format, file);
    return this.#task('store.exportGroup', async (connection) => {
      const members = await selectBatches(connection, { groupId });
      if (members.length === 0) throw new UnknownBatchStoreError(`store.exportGroup: no group "${groupId}" in ${this.file}`, groupId, this.file);
      if (format === 'json') throw new InvalidArgumentStoreError('store.exportGroup: expected csv or parquet for a group (one table of every member\'s runs), got json');
      const names = members[0]!.metricNames.join('\u0000');
      const other = members.find((m) => m.metricNames.join('\u0000') !== names);
      if (other) throw new InvalidArgumentStoreError(`store.exportGroup: expected members reporting the same outcomes, got ${other.id} (${other.label ?? other.regime}) with others than ${members[0]!.id}'s; export each by its id`);
      await exportGroupRuns(connection, members, format, file);
      return members;
    });
  }

  /** After every call made before it: checkpoints the WAL into the file and releases it. Closing twice is harmless. */
  async close(): Promise<void> {
    if (!this.#db) return;
    await this.#task('store.close', async (connection) => {
      const db = this.#db!;
      this.#db = undefined;
      try {
        if (!this.readOnly) await connection.run('CHECKPOINT');
      } catch {
        // The WAL is replayed on the next open; nothing is lost without the checkpoint.
      } finally {
        closeDatabase(db);
      }
    }).catch((error: unknown) => {
      if (!(error instanceof ClosedStoreError)) throw error;
    });
  }

  #writable(where: string): void {
    if (this.readOnly) throw new InvalidArgumentStoreError(`${where}: ${this.file} was opened read-only`);
  }

  async #shape(connection: DuckDBConnection, id: string, where: string): Promise<Shape> {
    let shape = this.#shapes.get(id);
    if (!shape) {
      const { info } = await selectBatch(connection, id, where, this.file);
      this.#shapes.set(id, (shape = { runs: info.runs, metricNames: info.metricNames }));
    }
    return shape;
  }

  /** Runs `work` after every call made before it; a failure rejects this call only. */
  #task<T>(where: string, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    this.#openGroup = undefined;
    const result = this.#queue.then(async () => {
      const db = this.#db;
      if (!db) throw new ClosedStoreError(`${where}: the store is closed`);
      try {
        return await work(db.connection);
      } catch (error) {
        throw wrapError(where, error);
      }
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function closeDatabase(db: OpenDatabase): void {
  try {
    db.connection.closeSync();
    db.instance.closeSync();
  } finally {
    db.release();
  }
}

