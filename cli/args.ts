import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';

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
