/**
 * Errors raised by the statistics modules. Messages start with the function that raised them
 * (`meanInterval: options.level must be in (0, 1), got 1.2`); tests check the class, not the wording.
 */

/** Base class of every error raised by `engine/stats`. */
export class StatsError extends Error {
  override name = 'StatsError';
}

/** An argument or option is out of its domain: a probability outside [0, 1], a NaN value, a bad stride. */
export class InvalidArgumentStatsError extends StatsError {
  override name = 'InvalidArgumentStatsError';
}

/** The values are well-formed but too few for the statistic asked (a standard deviation of one run). */
export class InsufficientDataStatsError extends StatsError {
  override name = 'InsufficientDataStatsError';
}
