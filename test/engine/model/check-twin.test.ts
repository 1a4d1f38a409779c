import { describe, expect, it } from 'vitest';
import { hint } from '../../../engine/model/check-twin.js';

describe('hint', () => {
  const services = ['pathology', 'pharmacy', 'radiology', 'emergency'];

  it('names the nearest id within a few edits', () => {
    expect(hint('pathalogy', services)).toBe(' (did you mean "pathology"?)');
  });

  it('names the one id a shortened id begins, however many edits away', () => {
    // "patho" is four insertions from "pathology": past the edit cap, but plainly meant.
    expect(hint('patho', services)).toBe(' (did you mean "pathology"?)');
    expect(hint('Radio', services)).toBe(' (did you mean "radiology"?)');
  });

  it('says nothing when a prefix is ambiguous, too short, or nothing is close', () => {
    expect(hint('p', services)).toBe('');
    expect(hint('pha', ['pharmacy', 'phantom-ward'])).toBe('');
    expect(hint('cardiology-outpatients', services)).toBe('');
  });
});
