import { describe, expect, it } from 'vitest';
import { node, tinyTwin } from '../compile/tiny.js';

const VULN = { cve: 'CVE-2017-0144', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'test' };

describe('shareNodeFields (through twinFromValue)', () => {
  const twin = tinyTwin({ nodes: [node('a', { vulns: [VULN], tags: ['windows'] }), node('b', { vulns: [VULN], tags: ['windows'] }), node('c', { vulns: [{ ...VULN, share: 0.5 }] })] });
  const [a, b, c] = twin.nodes as [(typeof twin.nodes)[0], (typeof twin.nodes)[0], (typeof twin.nodes)[0]];

  it('holds equal lists and recovery settings once, unequal ones apart', () => {
    expect(a.vulns).toBe(b.vulns);
    expect(a.tags).toBe(b.tags);
    expect(a.recovery).toBe(c.recovery);
    expect(a.vulns).not.toBe(c.vulns);
    expect(c.vulns[0]!.share).toBe(0.5);
  });

  it('freezes what it shares, so a change meant for one entry throws instead of reaching the others', () => {
    expect(() => (a.tags as string[]).push('x')).toThrow(TypeError);
    expect(() => ((a.vulns[0] as { share: number }).share = 0.1)).toThrow(TypeError);
    expect(b.vulns[0]!.share).toBe(1);
  });
});
