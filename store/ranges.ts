/** A half-open range of run indices, [start, end). */
export type RunRange = [start: number, end: number];

/**
 * The ranges of [0, total) not covered by `stored`: the runs a resumed batch still has to do.
 * `stored` must be sorted and disjoint (as `storedRanges` returns them).
 */
export function complementRanges(stored: readonly RunRange[], total: number): RunRange[] {
  const missing: RunRange[] = [];
  let next = 0;
  for (const [start, end] of stored) {
    if (start > next) missing.push([next, Math.min(start, total)]);
    next = Math.max(next, end);
    if (next >= total) break;
  }
  if (next < total) missing.push([next, total]);
  return missing;
}
