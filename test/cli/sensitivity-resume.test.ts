import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, interruptAfter, strata, tempDir } from './cli.js';

/**
 * A sensitivity analysis killed part way, finished with the same command and `--resume GROUP`: every design
 * point's export and the analysis itself identical to an uninterrupted run's (group.ts).
 */
const ARGS = [
  'sensitivity',
  'wannacry-down',
  '--twin',
  'ward',
  '--param',
  'scenario.threat.killSwitchBlindShare',
  '--param',
  'scenario.threat.entries.0.share',
  '--trajectories',
  '2',
  '--runs',
  '4000',
  '--workers',
  '1',
  '--seed',
  '4',
];

interface Batch {
  id: string;
  groupId: string;
  label: string;
  status: string;
}

describe('interrupting and resuming a sensitivity analysis', { timeout: 240_000 }, () => {
  it('after SIGKILL: --resume GROUP finishes it, every point and the analysis identical to an uninterrupted run', async () => {
    const dir = tempDir();
    const points = (db: string) => (JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as Batch[]).sort((a, b) => a.label.localeCompare(b.label));
    // The analysis without what names its batches.
    const analysis = (stdout: string) => ({ ...JSON.parse(stdout), group: undefined });

    const reference = join(dir, 'reference.duckdb');
    const clean = strata([...ARGS, '--json', '--db', reference]);
    expect(clean.code, clean.stderr).toBe(0);
    const expected = points(reference).map((b) => [b.label, exportCsv(reference, b.id, dir)]);
    expect(expected).toHaveLength(6);

    const db = join(dir, 'killed.duckdb');
    await interruptAfter(ARGS, db, 'SIGKILL', 800_000);
    const killed = points(db);
    expect(killed.length < 6 || killed.some((b) => b.status !== 'complete')).toBe(true);
    // Killed again while resuming: the resume resumes.
    await interruptAfter([...ARGS, '--resume', killed[0]!.groupId], db, 'SIGKILL', 800_000);
    const again = points(db);
    expect(again.filter((b) => b.status === 'complete').length).toBeLessThan(6);

    // Options it would not reproduce are refused before anything runs: a different seed names the first point.
    const other = strata([...ARGS.slice(0, -1), '5', '--resume', killed[0]!.groupId, '--db', db]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^strata: sensitivity --resume \w+: trajectory 1, start: expected the stored batch's inputs, seed and runs/);

    const resumed = strata([...ARGS, '--resume', killed[0]!.groupId, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(analysis(resumed.stdout)).toEqual(analysis(clean.stdout));
    expect(points(db).map((b) => [b.label, exportCsv(db, b.id, dir)])).toEqual(expected);
    expect(points(db).every((b) => b.status === 'complete')).toBe(true);
  });
});
