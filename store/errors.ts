/**
 * Errors raised by the results store. Messages start with the method that raised them
 * (`store.getBatch: no batch "1f3a9c2e" in ./strata.duckdb`) and fit on one line, so the CLI can print
 * them as they are; tests check the class, not the wording.
 */

/** Base class of every error raised by `store/`. Anything DuckDB throws is wrapped in one (as `cause`). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** An argument is out of its domain: a negative seed, a width that is not the batch's, an unknown format. */
export class InvalidArgumentStoreError extends StoreError {
  override name = 'InvalidArgumentStoreError';
}

/** No batch (or group) with that id in this store. */
export class UnknownBatchStoreError extends StoreError {
  override name = 'UnknownBatchStoreError';
  constructor(
    message: string,
    readonly id: string,
    /** The store's file, where it was looked for. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The file does not exist and the store was opened read-only (nothing to read). */
export class MissingStoreError extends StoreError {
  override name = 'MissingStoreError';
}

/** The file exists but is not a DuckDB database, or is a DuckDB database that is not a Strata store. */
export class NotAStoreError extends StoreError {
  override name = 'NotAStoreError';
}

/** Another process (or this one) has the file open; DuckDB allows one writer per file. */
export class LockedStoreError extends StoreError {
  override name = 'LockedStoreError';
}

/** The file was written by a newer Strata whose store schema this one does not know. */
export class NewerSchemaStoreError extends StoreError {
  override name = 'NewerSchemaStoreError';
}

/**
 * A write would break an invariant: a re-appended run whose outcomes differ from the stored ones (the
 * caller's runs are not deterministic), or a batch marked complete while runs are missing.
 */
export class ConflictStoreError extends StoreError {
  override name = 'ConflictStoreError';
}

/** A stored value is not what this Strata wrote (a row edited by hand, a disk's damage): named, not parsed as it is. */
export class DamagedStoreError extends StoreError {
  override name = 'DamagedStoreError';
}

/** The store was closed. */
export class ClosedStoreError extends StoreError {
  override name = 'ClosedStoreError';
}

/** The first line of an error's message: DuckDB appends context (`LINE 1: ...`) that the CLI need not print. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.trim();
}

/** Passes store errors through and wraps anything else (a DuckDB error) with where it came from. */
export function wrapError(where: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError(`${where}: ${firstLine(error)}`, { cause: error });
}
