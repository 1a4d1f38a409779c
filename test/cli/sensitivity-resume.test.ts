import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, killRepeatedly, strata, tempDir } from './cli.js';

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
  it('after three SIGKILLs at random points: --resume GROUP finishes it, every point and the analysis identical to an uninterrupted run', async () => {
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
    // Killed three times, each at a random point within 5 MB of log past its process's first write (before
    // DuckDB's 16 MB checkpoint): the analysis, then each resume.
    const { group, growths } = await killRepeatedly(ARGS, db, 3, [300_000, 5_000_000]);
    const killed = points(db);
    expect(killed.filter((b) => b.status === 'complete').length, `killed after ${growths.join(', ')} bytes`).toBeLessThan(6);

    // Options it would not reproduce are refused before anything runs: a different seed names the first point.
    const other = strata([...ARGS.slice(0, -1), '5', '--resume', group, '--db', db]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^strata: sensitivity --resume \w+: trajectory 1, start: expected the stored batch's inputs, seed, runs and decisions/);

    const resumed = strata([...ARGS, '--resume', group, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(analysis(resumed.stdout)).toEqual(analysis(clean.stdout));
    expect(points(db).map((b) => [b.label, exportCsv(db, b.id, dir)])).toEqual(expected);
    expect(points(db).every((b) => b.status === 'complete')).toBe(true);
  });
});
