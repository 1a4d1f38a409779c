import type { NumericField } from './field-schema.js';
import type { ParameterRange } from './ranges.js';

/**
 * The range an uncertain parameter gets when nothing better (a calibration prior, `--range`) is known
 * (docs/sensitivity.md "Ranges"). A share x in [0, 1] varies evenly over [x/2, min(1, 2x)]; a share of 0
 * over [0, ½] (none to half) and a share of 1 over [½, 1]. Any other positive quantity — a median delay, a
 * rate, a staff count — varies by equal factors over [x/2, 2x]: half to double, no figure being closer
 * than that to its assumed value. Ranges are clipped to the field's own bounds. A quantity at 0 that is
 * not a share has no scale to take a range from, and is left fixed unless given one.
 */
export type DefaultRange = { range: ParameterRange; rule: string } | { range: null; reason: string };

export function defaultRange(value: number, field: NumericField): DefaultRange {
  if (field.share) {
    if (value === 0) return { range: { low: 0, high: 0.5, scale: 'linear', integer: false }, rule: 'share at 0: uniform over [0, 0.5]' };
    if (value === 1) return { range: { low: 0.5, high: 1, scale: 'linear', integer: false }, rule: 'share at 1: uniform over [0.5, 1]' };
    return { range: { low: value / 2, high: Math.min(1, 2 * value), scale: 'linear', integer: false }, rule: 'share: uniform over [x/2, min(1, 2x)]' };
  }
  if (value === 0) return { range: null, reason: 'it is 0, with no scale to take a default range from (give one with --range)' };
  if (value < 0) return { range: null, reason: 'it is negative, with no default rule (give a range with --range)' };
  const low = Math.max(value / 2, field.minimum ?? -Infinity, field.exclusiveMinimum ?? -Infinity);
  const high = Math.min(2 * value, field.maximum ?? Infinity, field.exclusiveMaximum ?? Infinity);
  if (field.integer ? Math.ceil(low) >= Math.floor(high) : low >= high) return { range: null, reason: `its field's bounds leave no range around ${value}` };
  return { range: { low, high, scale: 'log', integer: field.integer }, rule: `log-uniform over [x/2, 2x]${field.integer ? ', rounded' : ''}` };
}
