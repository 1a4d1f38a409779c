/**
 * Errors raised by the sensitivity modules. Messages start with the function that raised them
 * (`morrisDesign: options.levels must be an even integer ≥ 2, got 3`); tests check the class, not the wording.
 */

/** Base class of every error raised by `engine/sensitivity`. */
export class SensitivityError extends Error {
  override name = 'SensitivityError';
}

/** An argument or option is out of its domain: an odd number of levels, a range with low ≥ high. */
export class InvalidArgumentSensitivityError extends SensitivityError {
  override name = 'InvalidArgumentSensitivityError';
}
