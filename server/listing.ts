import type { BatchInfo } from '../store/index.js';

/** How many rows the dashboard's "Stored batches" table lists: a run is a row, a group (its batches) one row. */
export const LISTED_ROWS = 200;

/**
 * The batches of the newest `rows` rows, newest first, as /api/batches gives them: a compare, sweep or
 * sensitivity group counts as one row and comes whole, so its row in the table (viz/src/batches.ts) says
 * what the group holds — a 1,000-value sweep, or a group begun before the window, is not cut part way.
 * `batches` oldest first, as the store lists them.
 */
export function newestBatches(batches: readonly BatchInfo[], rows = LISTED_ROWS): BatchInfo[] {
  const row = (b: BatchInfo) => (b.kind !== 'run' && b.groupId ? `group ${b.groupId}` : b.id);
  const kept = new Set<string>();
  for (let i = batches.length - 1; i >= 0 && kept.size < rows; i--) kept.add(row(batches[i]!));
  return batches.filter((b) => kept.has(row(b))).reverse();
}
