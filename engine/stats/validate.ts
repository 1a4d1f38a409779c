import { InvalidArgumentStatsError } from './errors.js';

/**
 * Checks at the boundary of the public functions. Each names the function and the option, so a message
 * reads `bands: options.lower must be in [0, 1], got 2`.
 */

export function checkProbability(p: number, name: string, where: string): void {
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentStatsError(`${where}: ${name} must be in [0, 1], got ${p}`);
}

/** A confidence level: strictly between 0 and 1 (a 100% interval is unbounded, a 0% one is empty). */
export function checkLevel(level: number, where: string): void {
  if (!(level > 0 && level < 1)) throw new InvalidArgumentStatsError(`${where}: options.level must be in (0, 1), got ${level}`);
}

export function checkInteger(value: number, name: string, where: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentStatsError(`${where}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Thrown from loops that meet a NaN: a NaN has no place in an ordering and would silently poison a sum. */
export function nanError(where: string, index: number): InvalidArgumentStatsError {
  return new InvalidArgumentStatsError(`${where}: values[${index}] is NaN`);
}
