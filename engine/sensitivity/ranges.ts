import { InvalidArgumentSensitivityError } from './errors.js';

/**
 * Where a parameter moves as its unit coordinate goes from 0 to 1: evenly (`linear`) or by equal factors
 * (`log`: a median of 10 to 20 minutes is as far as 20 to 40). An integer parameter (a staff count) runs
 * at the nearest whole number within the range.
 */
export interface ParameterRange {
  low: number;
  high: number;
  scale: 'linear' | 'log';
  integer: boolean;
}

export function checkRange(range: ParameterRange, where: string): void {
  const fail = (message: string): never => {
    throw new InvalidArgumentSensitivityError(`${where}: ${message}`);
  };
  if (!Number.isFinite(range.low) || !Number.isFinite(range.high) || range.low >= range.high) fail(`expected finite low < high, got ${range.low} and ${range.high}`);
  if (range.scale === 'log' && range.low <= 0) fail(`a log scale needs low > 0, got ${range.low}`);
  if (range.integer && Math.ceil(range.low) > Math.floor(range.high)) fail(`an integer range needs a whole number in [${range.low}, ${range.high}]`);
}

/** The value at unit coordinate `unit` ∈ [0, 1]. */
export function valueAt(range: ParameterRange, unit: number): number {
  const { low, high } = range;
  // The ends exactly, so a range's bounds (a share's 1) are met without rounding error.
  const raw = unit <= 0 ? low : unit >= 1 ? high : range.scale === 'log' ? low * (high / low) ** unit : low + unit * (high - low);
  return range.integer ? Math.min(Math.floor(high), Math.max(Math.ceil(low), Math.round(raw))) : raw;
}

/** The unit coordinate of a value (the inverse of valueAt before rounding): where a rounded value really ran. */
export function unitAt(range: ParameterRange, value: number): number {
  const { low, high } = range;
  return range.scale === 'log' ? Math.log(value / low) / Math.log(high / low) : (value - low) / (high - low);
}
