import { describe, expect, it } from 'vitest';
import { compileVulnerabilities } from '../../../engine/compile/vulnerabilities.js';
import { ETERNAL_BLUE, expand, MS08_067, node, tinyTwin } from './tiny.js';

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

  it('turns a vulnerability held by a share of a group into each member\'s chance of carrying it in a run', () => {
    // Was: the share dealt systematically to exactly that many members, the same ones every run. Now each
    // member carries it with that probability, drawn per run (kernel/estate.ts; drawn in estate.test.ts).
    const group = tinyTwin({ nodes: [node('pcs', { count: 10, vulns: [{ ...MS08_067, share: 0.5 }] }), node('both', { vulns: [{ ...MS08_067, share: 0.5 }, { ...ETERNAL_BLUE, share: 0.5 }] })] });
    const { exploitEase, carryChance } = compileVulnerabilities(group, expand(group), ['CVE-2008-4250', 'CVE-2017-0144'], {});
    expect([...carryChance]).toEqual([...Array(10).fill(0.5), 0.75]); // 1 − (1 − 0.5)²
    expect([...exploitEase]).toEqual(Array(11).fill(1)); // the easiest it may carry
  });
});

describe('compileVulnerabilities: patching', () => {
  it('gives each member that may carry an exploited flaw patchCoverage as its chance of being patched, nothing without it', () => {
    // Was: exactly patchCoverage of a group patched, the same members every run. Now a per-run draw per member.
    const twin = tinyTwin({ nodes: [node('pcs', { count: 10, vulns: [{ ...MS08_067, share: 0.4 }] }), node('clean', { count: 3 })] });
    const expanded = expand(twin);
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 0.3 }).patchChance]).toEqual([...Array(10).fill(Math.fround(0.3)), 0, 0, 0]);
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], {}).patchChance]).toEqual(Array(13).fill(0));
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2017-0144'], { patchCoverage: 1 }).patchChance]).toEqual(Array(13).fill(0));
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
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1, patchSupportedOnly: true }).patchChance]).toEqual([1, 0, 0]);
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1 }).patchChance]).toEqual([1, 1, 1]);
    // Patching leaves the ease as it was (the kernel reads the run's draw).
    expect([...compileVulnerabilities(twin, expanded, ['CVE-2008-4250'], { patchCoverage: 1 }).exploitEase]).toEqual([1, 1, 1]);
  });
});
