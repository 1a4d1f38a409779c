import { InvalidArgumentStoreError } from './errors.js';
import { BATCH_KINDS, EXPORT_FORMATS, type BeginBatchInfo, type ExportFormat, type FinishBatchInfo } from './types.js';

/** Boundary checks: every message names the argument (`store.beginBatch: info.seed must be …`). */

/** Run indices are SQL INTEGERs. */
export const MAX_RUNS = 2 ** 31 - 1;

function fail(message: string): never {
  throw new InvalidArgumentStoreError(message);
}

function text(where: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) fail(`${where}: ${name} must be a non-empty string`);
}

export function checkId(where: string, id: unknown): asserts id is string {
  text(where, 'id', id);
}

export function checkBeginInfo(info: BeginBatchInfo): void {
  const where = 'store.beginBatch';
  if (info === null || typeof info !== 'object') fail(`${where}: info must be an object`);
  if (!(BATCH_KINDS as readonly unknown[]).includes(info.kind)) fail(`${where}: info.kind must be one of ${BATCH_KINDS.join('|')}, got ${JSON.stringify(info.kind)}`);
  if (info.groupId !== undefined) {
    text(where, 'info.groupId', info.groupId);
    if (info.kind === 'run') fail(`${where}: info.groupId is for compare, sweep and sensitivity batches; a run is a group of its own`);
  }
  if (info.label !== undefined) text(where, 'info.label', info.label);
  for (const key of ['twin', 'scenario', 'regime', 'version'] as const) text(where, `info.${key}`, info[key]);
  if (info.documents === null || typeof info.documents !== 'object') fail(`${where}: info.documents must be an object with twin, scenario and regime`);
  for (const key of ['twin', 'scenario', 'regime'] as const) {
    if (info.documents[key] === undefined) fail(`${where}: info.documents.${key} is missing`);
  }
  if (!Number.isSafeInteger(info.seed) || info.seed < 0) fail(`${where}: info.seed must be a non-negative safe integer`);
  if (!Number.isInteger(info.runs) || info.runs < 1 || info.runs > MAX_RUNS) fail(`${where}: info.runs must be an integer in [1, ${MAX_RUNS}]`);
  if (info.untilPrecision !== undefined) {
    if (info.kind !== 'run') fail(`${where}: info.untilPrecision is for a run batch, not a ${info.kind}`);
    if (typeof info.untilPrecision !== 'number' || !(info.untilPrecision > 0 && info.untilPrecision < Infinity)) fail(`${where}: info.untilPrecision must be a number > 0`);
  }
  if (info.settings !== undefined && (!Array.isArray(info.settings) || info.settings.some((x) => typeof x !== 'string'))) fail(`${where}: info.settings must be an array of strings`);
  checkMetricNames(where, info.metricNames);
}

/** Metric names become column names on export, where SQL compares identifiers case-insensitively. */
function checkMetricNames(where: string, names: readonly string[]): void {
  if (!Array.isArray(names) || names.length === 0) fail(`${where}: info.metricNames must be a non-empty array`);
  const seen = new Map<string, string>([['run', 'run']]);
  names.forEach((name, i) => {
    text(where, `info.metricNames[${i}]`, name);
    const folded = name.toLowerCase();
    const clash = seen.get(folded);
    if (clash !== undefined) fail(`${where}: info.metricNames[${i}] ${JSON.stringify(name)} clashes with ${JSON.stringify(clash)} (column names are case-insensitive; "run" is reserved)`);
    seen.set(folded, name);
  });
}

export function checkAppend(runStart: number, rows: Float64Array, width: number, batchWidth: number, batchRuns: number): void {
  const where = 'store.appendRuns';
  if (!(rows instanceof Float64Array)) fail(`${where}: rows must be a Float64Array`);
  if (!Number.isInteger(width) || width < 1) fail(`${where}: width must be a positive integer`);
  if (width !== batchWidth) fail(`${where}: width is ${width} but the batch has ${batchWidth} metrics`);
  if (rows.length % width !== 0) fail(`${where}: rows.length (${rows.length}) is not a multiple of width (${width})`);
  if (!Number.isInteger(runStart) || runStart < 0) fail(`${where}: runStart must be a non-negative integer`);
  const end = runStart + rows.length / width;
  if (end > batchRuns) fail(`${where}: runs [${runStart}, ${end}) go past the batch's ${batchRuns} runs`);
}

export function checkFinish(finish: FinishBatchInfo): string | null {
  const where = 'store.finishBatch';
  if (finish === null || typeof finish !== 'object') fail(`${where}: result must be an object`);
  if (finish.status !== 'complete' && finish.status !== 'incomplete') fail(`${where}: result.status must be complete|incomplete, got ${JSON.stringify(finish.status)}`);
  if (typeof finish.elapsedMs !== 'number' || !Number.isFinite(finish.elapsedMs) || finish.elapsedMs < 0) fail(`${where}: result.elapsedMs must be a non-negative number`);
  if (finish.summaries === undefined) return null;
  try {
    return JSON.stringify(finish.summaries);
  } catch (error) {
    fail(`${where}: result.summaries is not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function checkExport(format: ExportFormat, file: string): void {
  const where = 'store.exportBatch';
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(format)) fail(`${where}: format must be one of ${EXPORT_FORMATS.join('|')}, got ${JSON.stringify(format)}`);
  text(where, 'file', file);
}
