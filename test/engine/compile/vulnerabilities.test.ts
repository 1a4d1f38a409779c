import { describe, expect, it } from 'vitest';
import { compileVulnerabilities } from '../../../engine/compile/vulnerabilities.js';
import { ETERNAL_BLUE, expand, indicesOf, MS08_067, node, tinyTwin } from './tiny.js';

const windowsXp = [{ name: 'Microsoft Windows', supported: false }];

describe('compileVulnerabilities: exploit ease', () => {
  const twin = tinyTwin({
    nodes: [
      node('eternal', { vulns: [ETERNAL_BLUE] }),
      node('conficker', { vulns: [MS08_067] }),
      node('both', { vulns: [ETERNAL_BLUE, MS08_067] }),
      node('clean'),
    ],
  });

  it('is the CVSS ease of the vulnerability the threat exploits, 0 for the others', () => {
    const { exploitEase } = compileVulnerabilities(twin, expand(twin), ['CVE-2017-0144'], {});
    // EternalBlue AC:H: 0.44 / 0.77 (CVSS v3.1 §7.4), stored as a 32-bit float.
    expect([...exploitEase]).toEqual([Math.fround(0.44 / 0.77), 0, Math.fround(0.44 / 0.77), 0]);
  });

  it('takes the easiest of the exploited vulnerabilities a member carries', () => {
    const { exploitEase } = compileVulnerabilities(twin, expand(twin), ['CVE-2017-0144', 'CVE-2008-4250'], {});
    expect([...exploitEase]).toEqual([Math.fround(0.44 / 0.77), 1, 1, 0]);
  });

  it('deals a vulnerability held by a share of a group to exactly that share, spread evenly', () => {
    const group = tinyTwin({ nodes: [node('pcs', { count: 10, vulns: [{ ...MS08_067, share: 0.5 }] })] });
    const { exploitEase } = compileVulnerabilities(group, expand(group), ['CVE-2008-4250'], {});
    const carriers = indicesOf(exploitEase);
    expect(carriers).toHaveLength(5);
    // Systematic sampling at share 1/2: exactly one of each consecutive pair carries it.
    for (let k = 0; k < 10; k += 2) expect(carriers.filter((i) => i === k || i === k + 1)).toHaveLength(1);
  });
});

describe('compileVulnerabilities: patching', () => {
  it('patches exactly patchCoverage of a fully vulnerable group, and nothing without it', () => {
    const twin = tinyTwin({ nodes: [node('pcs', { count: 10, vulns: [MS08_067] })] });
    const expanded = expand(twin);
    expect(indicesOf(compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 0.3 }).patched)).toHaveLength(3);
    expect(indicesOf(compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 0.8 }).patched)).toHaveLength(8);
    expect(indicesOf(compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1 }).patched)).toHaveLength(10);
    expect(indicesOf(compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], {}).patched)).toHaveLength(0);
  });

  it('patches only members that carry an exploited vulnerability', () => {
    const twin = tinyTwin({ nodes: [node('pcs', { count: 10, vulns: [{ ...MS08_067, share: 0.4 }] }), node('clean', { count: 3 })] });
    const { exploitEase, patched } = compileVulnerabilities(twin, expand(twin), ['CVE-2008-4250'], { patchCoverage: 1 });
    expect(indicesOf(patched)).toEqual(indicesOf(exploitEase));
    expect(indicesOf(patched)).toHaveLength(4);
    const other = compileVulnerabilities(twin, expand(twin), ['CVE-2017-0144'], { patchCoverage: 1 });
    expect(indicesOf(other.patched)).toEqual([]);
  });

  it('skips unsupported software (tag or software entry) only under patchSupportedOnly', () => {
    const twin = tinyTwin({
      nodes: [
        node('supported', { vulns: [MS08_067] }),
        node('tagged', { vulns: [MS08_067], tags: ['unsupported-os'] }),
        node('xp', { vulns: [MS08_067], software: windowsXp }),
      ],
    });
    const expanded = expand(twin);
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1, patchSupportedOnly: true }).patched]).toEqual([1, 0, 0]);
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1 }).patched]).toEqual([1, 1, 1]);
    // Patching leaves the ease as it was (the kernel reads `patched`).
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1 }).exploitEase]).toEqual([1, 1, 1]);
  });

  it('patches the same members every time (a hash of the node id, no random state)', () => {
    const twin = tinyTwin({ nodes: [node('pcs', { count: 50, vulns: [MS08_067] })] });
    const once = compileVulnerabilities(twin, expand(twin), ['CVE-2008-4250'], { patchCoverage: 0.37 });
    const again = compileVulnerabilities(twin, expand(twin), ['CVE-2008-4250'], { patchCoverage: 0.37 });
    expect([...again.patched]).toEqual([...once.patched]);
    expect([18, 19]).toContain(indicesOf(once.patched).length); // floor or ceil of 0.37 × 50
  });
});
