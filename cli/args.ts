import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';

/** Argument parsers that refuse bad values with a message naming the flag. */
export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name}: expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError(`${name}: expected a number between 0 and 1, got "${value}"`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The documented default seed: the date of WannaCry, 12 May 2017. */
export const DEFAULT_SEED = 20170512;
export const DEFAULT_RUNS = 1000;
export const DEFAULT_WORKERS = availableParallelism();

export function dbPath(option: string | undefined): string {
  return option ?? process.env.STRATA_DB ?? 'strata.duckdb';
}

/**
 * The results database a command only reads (or resumes from): it must exist, so a typo in `--db` is a
 * one-line error rather than a new, empty database.
 */
export function existingDbPath(option: string | undefined, where: string): string {
  const file = dbPath(option);
  if (!existsSync(file)) throw new UsageError(`${where}: --db ${file}: expected an existing results database, got no such file`);
  return file;
}
