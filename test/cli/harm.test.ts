import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata, tempDir } from './cli.js';

const db = join(tempDir(), 'results.duckdb');

describe('strata harm', () => {
  it('prints the same-score, different-harm table for the insulin pumps\' CVE on acute-trust, with every source', () => {
    const { code, stdout, stderr } = strata(['harm', 'CVE-2019-10964']);
    expect(code, stderr).toBe(0);
    // Members, members expected to carry the flaw, patients attached to them.
    expect(stdout).toMatch(/insulin-pump +39 +39 +39 +8\.8 \(v3\.0\)/);
    expect(stdout).toContain('7.1 (v3.0)');
    expect(stdout).toContain('CISA ICSMA-19-178-01');
    expect(stdout).toMatch(/integrity +bolus or basal rate altered/);
  });

  it('--json: per kind the ratings in context and the harm paths at the regime\'s rates', () => {
    const base = JSON.parse(strata(['harm', 'CVE-2019-10964', '--json']).stdout);
    const held = JSON.parse(strata(['harm', 'CVE-2019-10964', '--regime', 'dose-limits', '--json']).stdout);
    expect(base).toMatchObject({ cve: 'CVE-2019-10964', twin: 'acute-trust', regime: 'baseline' });
    const integrity = (x: typeof base) => x.kinds[0].harm.find((h: { effect: string }) => h.effect === 'integrity').seriousOrWorse;
    expect(integrity(held)).toBeLessThan(integrity(base));
  });

  it('on a flaw of IT systems only: the same score, and no patient harm', () => {
    // A share of the kind carries it: an expected count beside the members, said under the table.
    const text = strata(['harm', 'CVE-2017-0144']).stdout;
    expect(text).toMatch(/clinical-workstation +3,003 +900\.9 +0 +8\.1/);
    expect(text).toContain("carrying: the members expected to carry the flaw in a run, the kind's members times the twin's share");
    const out = JSON.parse(strata(['harm', 'CVE-2017-0144', '--json']).stdout);
    expect(out.kinds.map((k: { kind: string }) => k.kind)).toContain('server');
    for (const k of out.kinds) expect(k.harm).toEqual([]);
  });

  it('refuses a malformed id or a CVE the twin does not carry, in one line, exit 2', () => {
    for (const args of [['harm', 'CVE-19'], ['harm', 'CVE-2099-12345']]) {
      const { code, stderr } = strata(args);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('vendor-cloud-down: a vendor cloud reaching the patient', () => {
  it('harms patients in the baseline; least privilege at the vendor cuts the harm, paired intervals excluding 0', () => {
    const { code, stdout, stderr } = strata(['compare', 'vendor-cloud-down', '--regimes', 'baseline,vendor-access,dose-limits', '--runs', '100', '--workers', '0', '--json', '--db', db]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    const baseline = out.regimes[0].metrics;
    expect(out.regimes[0].regime).toBe('baseline');
    expect(baseline.safetyEventsSerious.mean).toBeGreaterThan(0);
    expect(baseline.patientsExposedAltered.mean).toBeGreaterThan(0);
    const vendor = out.differences['vendor-access-baseline'];
    for (const metric of ['safetyEvents', 'safetyEventsSerious', 'patientsExposedAltered']) expect(vendor[metric].ci95[1], metric).toBeLessThan(0);
    // Dose limits do not stop the attack, they catch a share of its harm: the same patients exposed, fewer harmed.
    const limits = out.differences['dose-limits-baseline'];
    expect(limits.safetyEventsSerious.ci95[1]).toBeLessThan(0);
    expect(limits.patientsExposedAltered).toMatchObject({ meanDifference: 0 });
  });
});
