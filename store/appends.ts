import type { DuckDBConnection } from '@duckdb/node-api';
import { firstLine, wrapError } from './errors.js';
import { DuplicateRunError, appendNewRuns, mergeRuns, type RunBlock } from './runs.js';
import type { Shape } from './store.js';
import { checkAppend } from './validate.js';

/** An `appendRuns` call waiting for its turn; it settles on its own, whatever happens to the others. */
export interface PendingAppend extends RunBlock {
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes a group of appends that queued up together: the new runs of all of them in one transaction (one
 * commit, whatever the chunk count); if any run was stored before, each append merged on its own instead.
 * An append that fails its checks (unknown batch, wrong width, past the batch's runs) is rejected alone.
 */
export async function writeAppends(connection: DuckDBConnection, group: readonly PendingAppend[], shapeOf: (id: string) => Promise<Shape>): Promise<void> {
  const ready: PendingAppend[] = [];
  for (const append of group) {
    try {
      const shape = await shapeOf(append.batchId);
      checkAppend(append.runStart, append.rows, append.width, shape.metricNames.length, shape.runs);
      if (append.rows.length === 0) append.resolve(0);
      else ready.push(append);
    } catch (error) {
      append.reject(wrapError('store.appendRuns', error));
    }
  }
  if (ready.length === 0) return;
  try {
    await appendNewRuns(connection, ready);
    for (const append of ready) append.resolve(append.rows.length / append.width);
    return;
  } catch (error) {
    if (!(error instanceof DuplicateRunError)) {
      for (const append of ready) append.reject(wrapError('store.appendRuns', error));
      return;
    }
  }
  for (const append of ready) {
    try {
      append.resolve(await mergeAfterRollback(connection, append));
    } catch (error) {
      append.reject(wrapError('store.appendRuns', error));
    }
  }
}

/**
 * mergeRuns, once more after a ROLLBACK if DuckDB reports the connection's transaction aborted. Under load,
 * about one group in sixty left it so after the failed append (seen as "Current transaction is aborted"
 * on the next merge, which then failed a valid append); the merge itself is one transaction, so running it
 * again is safe.
 */
async function mergeAfterRollback(connection: DuckDBConnection, block: RunBlock): Promise<number> {
  try {
    return await mergeRuns(connection, block);
  } catch (error) {
    if (!/transaction is aborted/i.test(firstLine(error))) throw error;
    await connection.run('ROLLBACK').catch(() => undefined);
    return mergeRuns(connection, block);
  }
}
