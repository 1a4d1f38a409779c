export { Store, type StoreOptions } from './store.js';
export { DEFAULT_STORE_FILE, csvMetadataFile, storeFile } from './file.js';
export { canonicalJson, contentHash } from './hash.js';
export { complementRanges, type RunRange } from './ranges.js';
export { SCHEMA_VERSION } from './schema.js';
export {
  StoreError,
  InvalidArgumentStoreError,
  UnknownBatchStoreError,
  MissingStoreError,
  NotAStoreError,
  LockedStoreError,
  NewerSchemaStoreError,
  ConflictStoreError,
  ClosedStoreError,
  DamagedStoreError,
} from './errors.js';
export {
  BATCH_KINDS,
  BATCH_STATUSES,
  EXPORT_FORMATS,
  type BatchKind,
  type BatchStatus,
  type ExportFormat,
  type BatchDocuments,
  type BatchHashes,
  type BeginBatchInfo,
  type FinishBatchInfo,
  type BatchInfo,
  type BatchRecord,
  type StoredRuns,
  type ListFilter,
} from './types.js';
