import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { InvalidArgumentStoreError, LockedStoreError, MissingStoreError, NotAStoreError, StoreError, firstLine } from './errors.js';
import { fileKind } from '../engine/file-kind.js';

export interface OpenDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Releases this process's claim on the file; call after closing the instance. */
  release: () => void;
}

/**
 * DuckDB locks a file against other processes but lets two instances in one process open the same file,
 * each with its own cache and WAL — a way to corrupt it. So this process keeps its own list.
 */
const openHere = new Set<string>();

/** Opens (creating if needed and writable) a DuckDB file, turning DuckDB's IO errors into one-line typed ones. */
export async function openDatabase(file: string, readOnly: boolean): Promise<OpenDatabase> {
  const key = resolve(file);
  if (openHere.has(key)) throw new LockedStoreError(`store.open: ${file} is already open in this process; close it first`);
  // An existing file must be a DuckDB database before DuckDB sees it. DuckDB reads a SQLite file through an
  // extension it would try to fetch, and opens a .csv, .json or .parquet file as an in-memory database
  // over it: a batch stored there was lost without a word (found by a new-user trial). An empty file is
  // left to DuckDB, which refuses it.
  // A device, FIFO or socket (/dev/null, a named pipe) is no file a database can live in: said as what it is,
  // not in DuckDB's words ('Could not fsync file').
  const special = specialFile(file);
  if (special) throw new NotAStoreError(`store.open: ${file} is ${special}, not a results database file`);
  const header = headerOf(file);
  if (header && header.length > 0) {
    if (header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) throw new NotAStoreError(`store.open: ${file} is a SQLite database, not a Strata results database (a DuckDB file)`);
    if (!header.subarray(DUCKDB_MAGIC_AT, DUCKDB_MAGIC_AT + DUCKDB_MAGIC.length).equals(DUCKDB_MAGIC)) throw new NotAStoreError(`store.open: ${file} is not a Strata results database (not a DuckDB file)`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, {
      access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
      // Everything the store uses (parquet, json) is built in; never reach for the network.
      autoinstall_known_extensions: 'false',
    });
  } catch (error) {
    throw openError(file, error);
  }
  openHere.add(key);
  try {
    const connection = await instance.connect();
    return { instance, connection, release: () => openHere.delete(key) };
  } catch (error) {
    instance.closeSync();
    openHere.delete(key);
    throw openError(file, error);
  }
}

function openError(file: string, error: unknown): StoreError {
  const message = firstLine(error);
  if (/Could not set lock on file/i.test(message)) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    return new LockedStoreError(
      `store.open: ${file} is open in another strata process${pid ? ` (PID ${pid})` : ''}; wait for it to finish, or use another file (--db or STRATA_DB)`,
      { cause: error },
    );
  }
  if (/not a valid DuckDB database file/i.test(message)) return new NotAStoreError(`store.open: ${file} is not a Strata results database (not a DuckDB file)`, { cause: error });
  if (/database does not exist/i.test(message)) return new MissingStoreError(`store.open: no results database at ${file}`, { cause: error });
  if (/Is a directory/i.test(message)) return new NotAStoreError(`store.open: ${file} is a directory, not a results database file`, { cause: error });
  if (/No such file or directory/i.test(message)) {
    // The directory may exist and still take no new file (/proc, a pseudo file system): said as it is.
    const directory = dirname(resolve(file));
    const why = existsSync(directory) ? `${directory} takes no new file` : 'its directory does not exist';
    return new InvalidArgumentStoreError(`store.open: cannot create ${file}: ${why}`, { cause: error });
  }
  // A database cut short or damaged (a partial copy): the file is the user's to replace, not Strata's fault.
  if (/Could not read enough bytes|checksum|Corrupt/i.test(message)) return new NotAStoreError(`store.open: ${file} is a damaged or truncated results database (${message.replace(/^[A-Za-z ]+Error: /, '')})`, { cause: error });
  if (/version number/i.test(message)) return new NotAStoreError(`store.open: ${file} was written by a different DuckDB storage version (${message.replace(/^[A-Za-z ]+Error: /, '')})`, { cause: error });
  // The file system refused the path (no permission, a read-only place): the
  // user's to fix. Other I/O errors (a full disk, a failed log replay) stay Strata's (exit 1).
  if (/Permission denied|Read-only file system/i.test(message)) return new InvalidArgumentStoreError(`store.open: cannot open or create ${file} as a results database (${message.replace(/^[A-Za-z ]+Error: /, '')})`, { cause: error });
  return new StoreError(`store.open: ${file}: ${message}`, { cause: error });
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** A DuckDB file's main header: an 8-byte checksum, then these four bytes (DuckDB's storage format). */
const DUCKDB_MAGIC = Buffer.from('DUCK', 'latin1');
const DUCKDB_MAGIC_AT = 8;

/** What a path is when it is neither a regular file nor a directory (a device, a named pipe, a socket); else undefined. */
function specialFile(file: string): string | undefined {
  let stats;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // DuckDB says what is wrong with a path that cannot be looked at
  }
  if (!stats || stats.isFile() || stats.isDirectory()) return undefined;
  return fileKind(stats);
}

/** The first bytes of a file (up to 16), or undefined when there is no file to read (missing, a directory). */
function headerOf(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const bytes = Buffer.alloc(16);
    return bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
