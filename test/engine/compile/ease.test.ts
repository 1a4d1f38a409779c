import { describe, expect, it } from 'vitest';
import { exploitEase, LEAST_PRIVILEGE_EASE, MFA_EASE, RELATION_EASE } from '../../../engine/compile/ease.js';
import { parseCvss, type CvssRating } from '../../../engine/model/cvss.js';

/**
 * exploitEase against values computed by hand from the CVSS v3.1 specification (FIRST, §7.4 "Metric
 * Values", Table 16): AV N 0.85, A 0.62, L 0.55, P 0.2; AC L 0.77, H 0.44; PR N 0.85, L 0.62 (0.68 if
 * Scope is Changed), H 0.27 (0.5 if Scope is Changed); UI N 0.85, R 0.62. Ease is AV × AC × PR × UI over
 * its maximum, AV:N/AC:L/PR:N/UI:N = 0.85 × 0.77 × 0.85 × 0.85. The expected values are written as the
 * products themselves, so each weight can be checked against the specification by eye — and every weight
 * appears in at least one case where it does not cancel, so changing any of them fails a test.
 */

function rating(vector: string): CvssRating {
  const parsed = parseCvss(vector);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const MAX = 0.85 * 0.77 * 0.85 * 0.85;

describe('exploitEase (CVSS v3.1 §7.4)', () => {
  it.each([
    // CVE-2017-0144, EternalBlue (NVD; scenarios/twins/catalogue.ts and ward.yaml):
    // (0.85*0.44*0.85*0.85)/(0.85*0.77*0.85*0.85) = 0.44/0.77 = 0.5714…
    ['EternalBlue CVE-2017-0144', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', (0.85 * 0.44 * 0.85 * 0.85) / MAX],
    // CVE-2008-4250, MS08-067 (NVD): the maximum, (0.85*0.77*0.85*0.85)/(0.85*0.77*0.85*0.85) = 1
    ['MS08-067 CVE-2008-4250', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 1],
    // CVE-2019-10964, Medtronic MiniMed radio (NVD; catalogue.ts and ward.yaml), adjacent network:
    // (0.62*0.77*0.85*0.85)/(0.85*0.77*0.85*0.85) = 0.62/0.85 = 0.7294…
    ['MiniMed CVE-2019-10964', 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', (0.62 * 0.77 * 0.85 * 0.85) / MAX],
    // Low privileges, scope unchanged: (0.85*0.77*0.62*0.85)/(0.85*0.77*0.85*0.85) = 0.62/0.85 = 0.7294…
    ['PR:L, scope unchanged', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', (0.85 * 0.77 * 0.62 * 0.85) / MAX],
    // Low privileges, scope changed (an escape from the vulnerable component, e.g. a hypervisor or container):
    // (0.85*0.77*0.68*0.85)/(0.85*0.77*0.85*0.85) = 0.68/0.85 = 0.8
    ['PR:L, scope changed', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', (0.85 * 0.77 * 0.68 * 0.85) / MAX],
    // High privileges, scope unchanged: (0.85*0.77*0.27*0.85)/(0.85*0.77*0.85*0.85) = 0.27/0.85 = 0.3176…
    ['PR:H, scope unchanged', 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', (0.85 * 0.77 * 0.27 * 0.85) / MAX],
    // High privileges, scope changed: (0.85*0.77*0.5*0.85)/(0.85*0.77*0.85*0.85) = 0.5/0.85 = 0.5882…
    ['PR:H, scope changed', 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', (0.85 * 0.77 * 0.5 * 0.85) / MAX],
    // Local, user opens a file: (0.55*0.77*0.85*0.62)/(0.85*0.77*0.85*0.85) = 0.55*0.62/0.85² = 0.4719…
    ['AV:L/UI:R', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', (0.55 * 0.77 * 0.85 * 0.62) / MAX],
    // Physical, hard, high privileges, user interaction: (0.2*0.44*0.27*0.62)/(0.85*0.77*0.85*0.85) = 0.03113…
    ['AV:P/AC:H/PR:H/UI:R', 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', (0.2 * 0.44 * 0.27 * 0.62) / MAX],
    // v3.0 weighs the same and changes PR with scope too (v3.0 specification §8.4):
    // (0.62*0.44*0.68*0.85)/(0.85*0.77*0.85*0.85) = 0.2861…
    ['v3.0, AV:A/AC:H/PR:L/S:C', 'CVSS:3.0/AV:A/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H', (0.62 * 0.44 * 0.68 * 0.85) / MAX],
    // Scope read wherever it is written, and an environmental MS:C is not the base scope:
    ['metrics reordered, S:C first', 'CVSS:3.1/S:C/PR:L/AV:N/AC:L/UI:N/C:H/I:H/A:H', (0.85 * 0.77 * 0.68 * 0.85) / MAX],
    ['an environmental MS:C', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C', (0.85 * 0.77 * 0.62 * 0.85) / MAX],
  ])('%s (%s)', (_name, vector, expected) => {
    expect(exploitEase(rating(vector))).toBeCloseTo(expected, 12);
  });

  it('maps v4.0 onto the same weights, UI:P and UI:A as R, AT:P halving the ease', () => {
    // (0.62*0.77*0.85*0.85)/(0.85*0.77*0.85*0.85) = 0.7294… (test/fixtures/model/base-twin.yaml's vector)
    expect(exploitEase(rating('CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N'))).toBeCloseTo((0.62 * 0.77 * 0.85 * 0.85) / MAX, 12);
    // (0.85*0.77*0.85*0.62)/(0.85*0.77*0.85*0.85) × 0.5 = 0.3647…
    expect(exploitEase(rating('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'))).toBeCloseTo(((0.85 * 0.77 * 0.85 * 0.62) / MAX) * 0.5, 12);
    // v4.0 has no Scope: SC:H (subsequent system) leaves PR:L at 0.62: (0.55*0.44*0.62*0.62)/(0.85*0.77*0.85*0.85)
    expect(exploitEase(rating('CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H'))).toBeCloseTo((0.55 * 0.44 * 0.62 * 0.62) / MAX, 12);
  });

  it.each([
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H',
    'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H',
    'CVSS:3.0/AV:P/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H',
  ])('agrees with the exploitability sub-score ae-cvss-calculator gives %s (8.22 × the product)', (vector) => {
    // §7.1: Exploitability = 8.22 × AV × AC × PR × UI; the library reports it to one decimal. An
    // independent implementation, so a wrong weight here shows up as a disagreement of 0.1 or more.
    const r = rating(vector);
    expect(Math.abs(exploitEase(r) * 8.22 * MAX - r.exploitability!)).toBeLessThanOrEqual(0.05 + 1e-9);
  });
});

describe('relation and control ease (assumptions, docs/engine.md "Exploit ease")', () => {
  it('keeps the documented values', () => {
    expect(RELATION_EASE).toEqual({ network: 1, radio: 0.5, data: 0.25, identity: 1, update: 1, management: 1 });
    expect(MFA_EASE).toBe(0.1);
    expect(LEAST_PRIVILEGE_EASE).toBe(0.2);
  });
});
