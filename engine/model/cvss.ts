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

/** The vector's shape: a known prefix and `/METRIC:VALUE` parts, nothing else (no spaces, no empty parts). */
const SHAPE = /^CVSS:(3\.0|3\.1|4\.0)(\/[A-Z]{1,3}:[A-Z]{1,2})+$/;

function scoreCvss(vector: string): CvssRating | string {
  const prefix = (Object.keys(PREFIXES) as (keyof typeof PREFIXES)[]).find((p) => vector.startsWith(p));
  if (!prefix) return `expected a CVSS vector starting CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, got ${JSON.stringify(clip(vector))}`;
  if (!SHAPE.test(vector)) return `expected a CVSS vector of /METRIC:VALUE parts, got ${JSON.stringify(clip(vector))}`;
  const names = vector.slice(prefix.length).split('/').map((part) => part.slice(0, part.indexOf(':')));
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) return `expected each CVSS metric once, got ${repeated} twice in ${JSON.stringify(clip(vector))}`;
  const version = PREFIXES[prefix];
  try {
    // Force the version the prefix names: the library otherwise tries every version until one parses.
    const parsed = fromVector(vector, prefix.slice(0, -1) as never);
    if (!parsed) return `expected a well-formed CVSS ${version} vector, got ${JSON.stringify(clip(vector))} (unknown metric or value)`;
    if (!parsed.isBaseFullyDefined()) return `expected every base metric of CVSS ${version}, got ${JSON.stringify(clip(vector))}`;
    const scores = parsed.calculateScores() as { base?: number; exploitability?: number };
    if (typeof scores.base !== 'number' || !Number.isFinite(scores.base)) {
      return `expected a CVSS vector that scores, got ${JSON.stringify(clip(vector))}`;
    }
    const metric = (name: string): string => (parsed.getComponentByString(name) as { shortName: string }).shortName;
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
  } catch {
    return `expected a well-formed CVSS ${version} vector, got ${JSON.stringify(clip(vector))} (unknown metric or value)`;
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
