import { z } from 'zod';

/**
 * A calibration file (`strata calibrate` writes it; `--calibration` and `strata sensitivity` read it): the
 * fitted parameters by `--set` path, each one's posterior with the prior it was drawn from, and the record of
 * the fit — targets, diagnostics, draws — kept as written. What a command reads is checked field by field;
 * an unknown field at the top is refused (a misspelt `parameter:` would otherwise apply nothing).
 */
const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const quantiles = z.strictObject({
  median: finite.optional(),
  p05: finite.optional(),
  p95: finite.optional(),
  prior: z.tuple([finite, finite]).refine(([low, high]) => low < high, { message: 'expected [low, high] with low below high' }),
});

export const CalibrationFile = z.strictObject({
  schema: z.literal('strata.calibration/v1'),
  // What it was fitted to and how: optional (a calibration written by hand may say only its parameters).
  scenario: z.string().min(1).optional(),
  twin: z.string().min(1).optional(),
  regime: z.string().min(1).optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  strataVersion: z.string().optional(),
  method: z.string().optional(),
  // A path's value is applied as `--set path=value` would be, and checked by the document's schema then.
  // None is a file of priors only (for `strata sensitivity`).
  parameters: z.record(z.string().min(1), z.union([finite, z.string(), z.boolean()])),
  posterior: z.record(z.string().min(1), quantiles).optional(),
  targets: z.array(z.looseObject({})).optional(),
  diagnostics: z.looseObject({}).optional(),
  draws: z.array(z.looseObject({})).optional(),
});

export type CalibrationFile = z.infer<typeof CalibrationFile>;
