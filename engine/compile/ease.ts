import type { CvssRating } from '../model/cvss.js';

/**
 * How easy an exploit is, in (0, 1]: the CVSS v3.1 exploitability product AV × AC × PR × UI divided by its
 * maximum (FIRST, CVSS v3.1 Specification §7.4, weights in §7.4 Table 16; 8.22 × 0.85 × 0.77 × 0.85 × 0.85 =
 * 3.887 is the highest exploitability sub-score). A traversal's delay is divided by it: an AC:H exploit
 * takes 0.44/0.77 ≈ 1.75 times longer than the same exploit at AC:L. v4.0 vectors are mapped onto the
 * same weights (AT:P halves the ease: the attack needs conditions the attacker does not control).
 */
const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 } as const;
const AC = { L: 0.77, H: 0.44 } as const;
const PR = { N: 0.85, L: 0.62, H: 0.27 } as const;
/** PR when the scope changes (v3.0 and v3.1 §7.4): low and high privileges weigh more, none the same. */
const PR_SCOPE_CHANGED = { N: 0.85, L: 0.68, H: 0.5 } as const;
const UI = { N: 0.85, R: 0.62, P: 0.62, A: 0.62 } as const;
const MAX = AV.N * AC.L * PR.N * UI.N;

export function exploitEase(rating: CvssRating): number {
  // v4.0 has no Scope metric (its subsequent-system impacts SC/SI/SA do not match /S:C).
  const scopeChanged = rating.version !== '4.0' && /\/S:C(\/|$)/.test(rating.vector);
  const pr = (scopeChanged ? PR_SCOPE_CHANGED : PR)[rating.privilegesRequired];
  const ease = (AV[rating.attackVector] * AC[rating.attackComplexity] * pr * UI[rating.userInteraction]) / MAX;
  const requirements = rating.version === '4.0' && /\/AT:P(\/|$)/.test(rating.vector) ? 0.5 : 1;
  return ease * requirements;
}

/**
 * Relative ease of moving along each relation once the target is exploitable or the credential is held.
 * Assumptions (no public effect sizes; the seed documents argue the direction, not the size): IP and
 * credential paths are the attacker's main roads; radio pairing needs proximity; a data flow (HL7, DICOM)
 * is a narrower channel than a shell.
 */
export const RELATION_EASE = { network: 1, radio: 0.5, data: 0.25, identity: 1, update: 1, management: 1 } as const;

/** Identity and management edges under MFA (assumption: MFA stops most credential replay, not all). */
export const MFA_EASE = 0.1;
/** Identity and management edges under least privilege (assumption: fewer accounts can move laterally). */
export const LEAST_PRIVILEGE_EASE = 0.2;
/**
 * A management command pushed through an allow-listing on-premises gateway (assumption: the gateway forwards
 * only the command types and signed configurations it allows, so one attacker's push in ten gets through —
 * one that looks like an allowed drug-library update).
 */
export const ALLOWLIST_PASS = 0.1;
