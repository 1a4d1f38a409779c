import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strata, tempDir } from './cli.js';

const dir = tempDir();
const db = join(dir, 'results.duckdb');

// CrowdStrike on the ward: a faulty update, so what each parameter does is plain. The recovery start delay
// sets how long things stay down; the diversion threshold only moves ambulance diversion; the safety-event
// rate of altered pumps moves none of the ranked outcomes, so with coupled runs its effects are exactly 0.
// The scenario gains a harm rate for infusion pumps marked as an assumption (a faulty Windows update alters no pump).
const scenario = join(dir, 'crowdstrike-harm.yaml');
writeFileSync(
  scenario,
  readFileSync(join(import.meta.dirname, '../../scenarios/crowdstrike-update.yaml'), 'utf8') +
    ['  harm:', '    - kinds: [infusion-pump]', '      effect: integrity', '      perPatientHour:', '        negligible: 0', '        minor: 0', '        serious: 0 # assumption', '        critical: 0', '        catastrophic: 0', "      source: 'assumption: a test'", ''].join('\n'),
);
const rate = 'scenario.clinical.harm.0.perPatientHour.serious';
const small = ['--twin', 'ward', '--trajectories', '3', '--runs', '10', '--db', db];
const chosen = [...['--param', 'scenario.recovery.startDelay', '--param', 'scenario.clinical.diversionBelowCapacity', '--param', rate], ...['--range', `${rate}=0:0.1`]];

interface Index {
  path: string;
  muStar: number;
  mu: number;
  sigma: number;
}
type Outcome = { metric: string; ranked: true; indices: Index[] } | { metric: string; ranked: false; reason: string };

describe('strata sensitivity', () => {
  it('ranks parameters by μ* per outcome (--json), draws the tornado (--svg) and stores every design point', () => {
    const svg = join(dir, 'tornado.svg');
    const { code, stdout, stderr } = strata(['sensitivity', scenario, ...small, ...chosen, '--workers', '0', '--json', '--svg', svg]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ scenario: 'crowdstrike-update', twin: 'ward', method: 'morris', trajectories: 3, levels: 4, runs: 10, points: 12 });
    // A delay stands for its median; the default range halves and doubles it, on a log scale.
    expect(out.parameters.map((p: { path: string }) => p.path)).toEqual(['scenario.recovery.startDelay.medianMinutes', 'scenario.clinical.diversionBelowCapacity', rate]);
    expect(out.parameters[0]).toMatchObject({ baseline: 120, low: 60, high: 240, scale: 'log' });
    expect(out.parameters[2]).toMatchObject({ low: 0, high: 0.1, rangeFrom: '--range' });
    // The design as run: each point's values, within the ranges, and the parameter moved to reach it.
    expect(out.design.values).toHaveLength(12);
    expect(out.design.moved.filter((m: string | null) => m === null)).toHaveLength(3);
    for (const values of out.design.values as number[][]) {
      values.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(out.parameters[i].low);
        expect(v).toBeLessThanOrEqual(out.parameters[i].high);
      });
    }
    const outcome = (metric: string) => (out.outcomes as Outcome[]).find((o) => o.metric === metric)!;
    const top = (metric: string) => (outcome(metric) as Extract<Outcome, { ranked: true }>).indices[0]!;
    expect(top('timeToRecovery').path).toBe('scenario.recovery.startDelay.medianMinutes');
    expect(top('timeToRecovery').mu).toBeGreaterThan(0);
    // Diversion rises with its threshold and with a later start of the recovery (each queue's staff start once,
    // so the start delay sets how long the department stays below it): both move it, in that direction.
    const diversion = (outcome('diversionHours') as Extract<Outcome, { ranked: true }>).indices;
    for (const path of ['scenario.clinical.diversionBelowCapacity', 'scenario.recovery.startDelay.medianMinutes']) expect(diversion.find((i) => i.path === path)!.mu, path).toBeGreaterThan(0);
    for (const o of out.outcomes as Outcome[]) {
      if (o.ranked) expect(o.indices.find((i) => i.path === rate)).toMatchObject({ muStar: 0, mu: 0, sigma: 0 });
    }
    // Nothing is compromised by a faulty update: said, not ranked.
    expect(outcome('compromised')).toMatchObject({ ranked: false, reason: 'the same at every design point: 0' });

    const chart = readFileSync(svg, 'utf8');
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart.trim().endsWith('</svg>')).toBe(true);
    expect(chart).toContain('Time to full recovery (h)');
    expect(chart).toContain('recovery.startDelay.medianMinutes');

    const batches = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { kind: string; groupId: string; status: string; runs: number }[];
    const points = batches.filter((b) => b.groupId === out.group);
    expect(points).toHaveLength(12);
    expect(points.every((b) => b.kind === 'sensitivity' && b.status === 'complete' && b.runs === 10)).toBe(true);

    // Coupled and seeded: the same indices on a worker thread as in-process.
    const again = JSON.parse(strata(['sensitivity', scenario, ...small, ...chosen, '--workers', '1', '--json']).stdout);
    expect({ ...again, group: null }).toEqual({ ...out, group: null });
  });

  it('finds the marked parameters itself and prints a table, saying which it left fixed and why', () => {
    const { code, stdout, stderr } = strata(['sensitivity', scenario, '--twin', 'ward', '--trajectories', '2', '--runs', '4', '--workers', '0', '--db', db]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Morris: 2 trajectories \(the most spread of 20\), 4 levels/);
    expect(stdout).toMatch(/scenario\.recovery\.staff +8 +4 – 16 \(log, whole\)/);
    expect(stdout).toMatch(/Marked uncertain but left fixed:\n {2}scenario\.clinical\.harm\.0\.perPatientHour\.serious: it is 0/);
    expect(stdout).toMatch(/parameter +μ\* +μ +σ +se/);
    expect(stdout).toMatch(/Not ranked:/);
  });

  it('refuses bad parameters and flags with exit 2 and one line naming the path', () => {
    const cases: [string[], RegExp][] = [
      [['--param', 'scenario.threat.nothing'], /^strata: sensitivity: --param scenario\.threat\.nothing: expected a numeric field of the scenario crowdstrike-update, got no such field$/],
      // A true/false control is said as one (it read "no such field").
      [['--param', 'controls.doseErrorReduction'], /^strata: sensitivity: --param controls\.doseErrorReduction: expected a numeric field of the regime baseline, got a true\/false field, not set in it \(compare regimes with and without it, or strata sweep with --set controls\.doseErrorReduction=true,false\)$/],
      [['--range', 'scenario.recovery.staff=9:3'], /--range scenario\.recovery\.staff=9:3: expected path=low:high with low < high/],
      [['--levels', '3'], /--levels: expected an even number/],
      [['--metrics', 'compromised,nope'], /--metrics: .*unknown nope/],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = strata(['sensitivity', 'crowdstrike-update', '--twin', 'ward', '--runs', '2', '--workers', '0', '--db', db, ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(stderr.trim(), flags.join(' ')).toMatch(message);
    }
  });
});
