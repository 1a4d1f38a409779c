import cvssCalculator from 'ae-cvss-calculator';

const { fromVector } = cvssCalculator;

/**
 * CVSS vectors are parsed and scored by ae-cvss-calculator, never by hand. What the model keeps is the base
 * score and the exploitability metrics (attack vector, complexity, privileges, user interaction) that the
 * compile step turns into time-to-compromise (FIRST, CVSS v3.1 specification §2.1; CVSS v4.0 §2.1).
 */
export interface CvssRating {
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
  /** N(etwork), A(djacent), L(ocal), P(hysical). */
  attackVector: 'N' | 'A' | 'L' | 'P';
  /** L(ow) or H(igh). */
  attackComplexity: 'L' | 'H';
  /** N(one), L(ow), H(igh). */
  privilegesRequired: 'N' | 'L' | 'H';
  /** v3: N(one) or R(equired); v4: N(one), P(assive) or A(ctive). */
  userInteraction: 'N' | 'R' | 'P' | 'A';
  /** v3.x only: the exploitability sub-score (0–3.9), undefined for v4.0. */
  exploitability?: number;
}

const PREFIXES = { 'CVSS:3.0/': '3.0', 'CVSS:3.1/': '3.1', 'CVSS:4.0/': '4.0' } as const;

const cache = new Map<string, CvssRating | string>();

/**
 * Parses and scores a CVSS v3.0, v3.1 or v4.0 base vector; returns an explanation when it cannot. Results are
 * memoised by vector: a national twin repeats a handful of vectors tens of thousands of times.
 */
export function parseCvss(vector: string): CvssRating | string {
  let rating = cache.get(vector);
  if (rating === undefined) {
    rating = scoreCvss(vector);
    if (cache.size < 10_000) cache.set(vector, rating);
  }
  return rating;
}

function scoreCvss(vector: string): CvssRating | string {
  const prefix = (Object.keys(PREFIXES) as (keyof typeof PREFIXES)[]).find((p) => vector.startsWith(p));
  if (!prefix) return `expected a CVSS vector starting CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, got ${JSON.stringify(clip(vector))}`;
  let parsed: ReturnType<typeof fromVector>;
  try {
    parsed = fromVector(vector);
  } catch {
    parsed = null;
  }
  if (!parsed) return `expected a well-formed CVSS vector, got ${JSON.stringify(clip(vector))} (unknown metric or value)`;
  if (!parsed.isBaseFullyDefined()) return `expected every base metric in the CVSS vector, got ${JSON.stringify(clip(vector))}`;
  const scores = parsed.calculateScores() as { base?: number; exploitability?: number };
  if (typeof scores.base !== 'number' || !Number.isFinite(scores.base)) {
    return `expected a CVSS vector that scores, got ${JSON.stringify(clip(vector))}`;
  }
  const metric = (name: string): string => (parsed.getComponentByString(name) as { shortName: string }).shortName;
  const version = PREFIXES[prefix];
  return {
    version,
    vector,
    baseScore: scores.base,
    attackVector: metric('AV') as CvssRating['attackVector'],
    attackComplexity: metric('AC') as CvssRating['attackComplexity'],
    privilegesRequired: metric('PR') as CvssRating['privilegesRequired'],
    userInteraction: metric('UI') as CvssRating['userInteraction'],
    exploitability: version === '4.0' ? undefined : scores.exploitability,
  };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
