import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { parseCvss, type CvssRating } from '../../../engine/model/cvss.js';

/**
 * parseCvss: CVSS v3.0, v3.1 and v4.0 base vectors → score and exploitability metrics, or a one-line
 * explanation. Known scores are FIRST's published values (CVSS v3.1 specification §7 and its examples
 * document; the CVSS v4.0 calculator); what is refused follows the vector-string rules of the v3.1
 * specification §6 and v4.0 specification §7 (prefix, every base metric, each metric once, values from
 * the metric tables, `/`-separated with nothing else).
 */

function rating(vector: string): CvssRating {
  const parsed = parseCvss(vector);
  if (typeof parsed === 'string') throw new Error(`expected ${vector} to parse, got: ${parsed}`);
  return parsed;
}

describe('parseCvss scores', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 3.9],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 2.2], // CVE-2017-0144 (EternalBlue), NVD
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 3.9], // CVE-2014-0160 (Heartbleed), FIRST examples
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 3.9],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0, 0.1],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 3.9],
  ])('v3 %s as %d (exploitability %d)', (vector, baseScore, exploitability) => {
    const parsed = rating(vector);
    expect(parsed.baseScore).toBe(baseScore);
    expect(parsed.exploitability).toBe(exploitability);
    expect(parsed.version).toBe(vector.slice(5, 8));
  });

  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
  ])('v4.0 %s as %d, without a v3 exploitability sub-score', (vector, baseScore) => {
    const parsed = rating(vector);
    expect(parsed.version).toBe('4.0');
    expect(parsed.baseScore).toBe(baseScore);
    expect(parsed.exploitability).toBeUndefined();
  });

  it('keeps the exploitability metrics the compile step needs', () => {
    expect(rating('CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:U/C:H/I:H/A:H')).toMatchObject({
      attackVector: 'A',
      attackComplexity: 'H',
      privilegesRequired: 'L',
      userInteraction: 'R',
    });
    expect(rating('CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject({
      attackVector: 'P',
      attackComplexity: 'L',
      privilegesRequired: 'H',
      userInteraction: 'A',
    });
  });

  it('accepts metrics in another order and threat/environmental metrics after the base', () => {
    expect(rating('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:H/AV:N').baseScore).toBe(8.1);
    expect(rating('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X').baseScore).toBe(8.1);
  });
});

describe('parseCvss refuses', () => {
  it.each([
    ['an empty string', ''],
    ['a word', 'high'],
    ['a bare score', '8.1'],
    ['no prefix', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a CVSS:2.0 prefix', 'CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C'],
    ['a v2 vector under a v3.1 prefix', 'CVSS:3.1/AV:N/AC:L/Au:N/C:C/I:C/A:C'],
    ['a v2 vector under a v4.0 prefix', 'CVSS:4.0/AV:N/AC:L/Au:N/C:C/I:C/A:C'],
    ['a v3.1 vector under a v4.0 prefix', 'CVSS:4.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a v4.0 vector under a v3.1 prefix', 'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    ['a CVSS:3.2 prefix', 'CVSS:3.2/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['the prefix alone', 'CVSS:3.1/'],
    ['the prefix without its slash', 'CVSS:3.1'],
    ['a leading space', ' CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['missing base metrics', 'CVSS:3.1/AV:N/AC:H/PR:N'],
    ['a missing v4.0 subsequent-system metric', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N'],
    ['an unknown metric value', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:Q'],
    ['an unknown metric', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y'],
    ['lower case', 'CVSS:3.1/av:n/ac:h/pr:n/ui:n/s:u/c:h/i:h/a:h'],
    ['a v4.0 metric under v3.1', 'CVSS:3.1/AV:N/AC:H/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a metric without a value', 'CVSS:3.1/AV:/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['reserved words as metrics', 'CVSS:3.1/__proto__:N/constructor:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
  ])('%s', (_, vector) => {
    let parsed: ReturnType<typeof parseCvss> | undefined;
    expect(() => (parsed = parseCvss(vector))).not.toThrow();
    expect(typeof parsed).toBe('string');
    expect(parsed as string).toMatch(/^expected .+, got .+/);
    expect(parsed as string).not.toMatch(/[\r\n]/);
  });

  // The library behind parseCvss is lenient here. A repeated metric makes a rating ambiguous (which AV
  // counts?), and FIRST's calculator refuses it; stray separators and whitespace are not vector strings.
  it.each([
    ['a metric given twice with different values', 'CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N'],
    ['a metric given twice with the same value', 'CVSS:3.1/AV:N/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a v4.0 metric given twice', 'CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/AV:N'],
    ['a trailing slash', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/'],
    ['an empty component', 'CVSS:3.1//AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a trailing newline', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H\n'],
    ['a trailing space', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H '],
  ])('%s (a non-conforming vector string)', (_, vector) => {
    expect(typeof parseCvss(vector)).toBe('string');
  });

  it('a very long vector, quickly and with a clipped message', () => {
    const vector = `CVSS:3.1/${'AV:N/'.repeat(100_000)}`;
    const started = performance.now();
    const parsed = parseCvss(vector);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(typeof parsed).toBe('string');
    expect((parsed as string).length).toBeLessThan(300);
  });
});

describe('parseCvss on random vectors', () => {
  // Vectors stitched from real and broken pieces. Whatever comes in, parseCvss returns a rating with a
  // score in [0, 10] or a one-line explanation; it never throws.
  const PREFIXES = ['CVSS:3.0/', 'CVSS:3.1/', 'CVSS:4.0/', 'CVSS:2.0/', 'CVSS:3.1', ''];
  const METRICS = ['AV', 'AC', 'AT', 'PR', 'UI', 'S', 'C', 'I', 'A', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA', 'E', 'RL', 'RC', 'CR', 'MAV', 'MS', 'Au', 'XX', '', 'constructor'];
  const VALUES = ['N', 'A', 'L', 'P', 'H', 'R', 'U', 'C', 'X', 'Q', 'toString', '', ':', '/', 'N:N'];

  it('never throw, over 5,000 seeded vectors', () => {
    const rng = seedrandom('strata/cvss-fuzz/1');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
    const thrown: string[] = [];
    let scored = 0;
    for (let i = 0; i < 5000; i++) {
      const parts = Array.from({ length: Math.floor(rng() * 14) }, () => (rng() < 0.9 ? `${pick(METRICS)}:${pick(VALUES)}` : pick(VALUES)));
      const vector = pick(PREFIXES) + parts.join(rng() < 0.95 ? '/' : '//');
      try {
        const parsed = parseCvss(vector);
        if (typeof parsed === 'string') expect(parsed).not.toMatch(/[\r\n]/);
        else {
          scored++;
          expect(parsed.baseScore).toBeGreaterThanOrEqual(0);
          expect(parsed.baseScore).toBeLessThanOrEqual(10);
        }
      } catch (error) {
        thrown.push(`${JSON.stringify(vector)}: ${String(error)}`);
      }
    }
    expect(thrown.slice(0, 10)).toEqual([]);
    expect(scored).toBeGreaterThanOrEqual(0);
  });

  it('never throw on every complete v3.1 vector with one metric replaced', () => {
    const base = ['AV:N', 'AC:H', 'PR:N', 'UI:N', 'S:U', 'C:H', 'I:H', 'A:H'];
    const thrown: string[] = [];
    for (let i = 0; i < base.length; i++) {
      for (const value of ['N', 'A', 'L', 'P', 'H', 'R', 'U', 'C', 'X', '', 'ZZ']) {
        const metrics = [...base];
        metrics[i] = `${base[i]!.split(':')[0]}:${value}`;
        const vector = `CVSS:3.1/${metrics.join('/')}`;
        try {
          parseCvss(vector);
        } catch (error) {
          thrown.push(`${vector}: ${String(error)}`);
        }
      }
    }
    expect(thrown).toEqual([]);
  });
});
