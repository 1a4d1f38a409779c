import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Counts this thread's garbage collections over a stretch of code, from Node's `gc` performance entries
 * (no --expose-gc needed). Entries arrive asynchronously, so `stop()` waits a turn of the event loop.
 * Other threads (Piscina workers) have heaps of their own and are not seen here.
 */
export interface GcCounts {
  minor: number;
  major: number;
  /** Incremental marking steps and weak-callback processing. */
  other: number;
  pauseMs: number;
}

export interface GcCounter {
  stop(): Promise<GcCounts>;
}

export function countGc(): GcCounter {
  const counts: GcCounts = { minor: 0, major: 0, other: 0, pauseMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) add(counts, entry);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const entry of observer.takeRecords()) add(counts, entry);
      observer.disconnect();
      return counts;
    },
  };
}

function add(counts: GcCounts, entry: PerformanceEntry): void {
  const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
  else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
  else counts.other++;
  counts.pauseMs += entry.duration;
}
