import type { RunRange } from './ranges.js';

/**
 * `run`: one batch. `compare`: one batch per regime. `sweep`: one batch per value of a swept parameter.
 * `sensitivity`: one batch per design point of a Morris screening (docs/sensitivity.md). A new kind needs a
 * schema migration (store/schema.ts): the table checks the kind.
 */
export const BATCH_KINDS = ['run', 'compare', 'sweep', 'sensitivity'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/**
 * `running`: begun, not finished — still going, or its process was killed (resume it).
 * `incomplete`: finished early on purpose (Ctrl-C, a time limit) — resumable too.
 * `complete`: every run in [0, runs) is stored; only `finishBatch` sets it, and only when that holds.
 */
export const BATCH_STATUSES = ['running', 'incomplete', 'complete'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const EXPORT_FORMATS = ['csv', 'parquet', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The validated documents a batch ran on. The store keeps them as canonical JSON, keyed by content hash. */
export interface BatchDocuments {
  twin: unknown;
  scenario: unknown;
  regime: unknown;
}

/** sha256 (hex) of each document's canonical JSON: `contentHash(document)`. */
export interface BatchHashes {
  twinHash: string;
  scenarioHash: string;
  regimeHash: string;
}

/** What `beginBatch` records before the first run is stored. */
export interface BeginBatchInfo {
  kind: BatchKind;
  /** An existing group to join (the first batch id of a compare, sweep or sensitivity analysis); omitted: a new group, this batch's id. */
  groupId?: string;
  /** The batch's place in its group: the regime name of a compare, the swept value of a sweep, the design point of a sensitivity analysis. */
  label?: string;
  twin: string;
  scenario: string;
  regime: string;
  documents: BatchDocuments;
  /**
   * The twin's canonical JSON when the caller already has it (`canonicalJson` of the document: the national
   * twin read back from the compiled-model cache), in place of `documents.twin`. It needs `hashes`: it is
   * read only if the store does not hold that twin yet, and then checked against `hashes.twinHash`.
   */
  canonical?: { twin: () => string };
  /** If given, checked against the store's own `contentHash` of each document (refused if they differ). */
  hashes?: BatchHashes;
  seed: number;
  /** Runs requested; run indices are 0 .. runs - 1. */
  runs: number;
  /**
   * A batch that runs until its headline means are known to ± this relative precision (`run
   * --until-precision`): `runs` is then its cap until it ends (setRequestedRuns).
   */
  untilPrecision?: number;
  /**
   * What the command set over the named documents, as given: `calibration=FILE`, then each `--set path=value`
   * (a sweep's swept value is its label). The documents' hashes already tell a changed document apart; this says
   * how it was changed.
   */
  settings?: readonly string[];
  /** The Strata that ran the batch: its package version and a digest of its model's sources (cli/version.ts engineVersion; `0.1.0` alone before 2026-12-04). */
  version: string;
  /** One per outcome column, in the kernel's order (`metricNames(meta)`). */
  metricNames: readonly string[];
}

export interface FinishBatchInfo {
  status: 'complete' | 'incomplete';
  /** JSON-serialisable summaries (e.g. `summarizeMetric` per metric); NaN is written as null. */
  summaries: unknown;
  /** Wall time of the batch as the caller measured it (a resumed batch: the caller's total). */
  elapsedMs: number;
}

export interface BatchInfo {
  id: string;
  kind: BatchKind;
  groupId: string;
  label: string | null;
  twin: string;
  scenario: string;
  regime: string;
  hashes: BatchHashes;
  seed: number;
  runs: number;
  /** BeginBatchInfo.untilPrecision, or null. */
  untilPrecision: number | null;
  /** BeginBatchInfo.settings ([] for none); null for a batch stored before the store recorded them (schema 4). */
  settings: string[] | null;
  /** The Strata release that ran the batch. */
  version: string;
  metricNames: string[];
  status: BatchStatus;
  /** ISO 8601, UTC. */
  createdAt: string;
  finishedAt: string | null;
  elapsedMs: number | null;
  /** Runs stored so far (equals `runs` when complete). */
  storedRuns: number;
}

export interface BatchRecord extends BatchInfo {
  /** As given to `finishBatch`; null until then. */
  summaries: unknown;
  /** The twin, scenario and regime as stored (parsed canonical JSON): enough to resume the batch. */
  documents: BatchDocuments;
}

/** A batch's stored runs in run order: `rows` is row-major, runs.length × metricNames.length. */
export interface StoredRuns {
  runs: number[];
  rows: Float64Array;
  metricNames: string[];
}

export interface ListFilter {
  groupId?: string;
  status?: BatchStatus;
}

export type { RunRange };
