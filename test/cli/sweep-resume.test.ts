import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, killRepeatedly, strata, tempDir } from './cli.js';

/** A sweep killed part way, finished with the same command and `--resume GROUP`: exports identical (group.ts). */
const ARGS = ['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,0.5,0.9', '--runs', '6000', '--workers', '1', '--seed', '4'];

describe('interrupting and resuming a sweep', { timeout: 240_000 }, () => {
  it('after three SIGKILLs at random points: --resume GROUP finishes it, every value identical to an uninterrupted sweep', async () => {
    const dir = tempDir();
    const reference = join(dir, 'reference.duckdb');
    const clean = JSON.parse(strata([...ARGS, '--json', '--db', reference]).stdout) as { values: { value: number; batch: string }[] };
    const expected = clean.values.map((p) => exportCsv(reference, p.batch, dir));

    const db = join(dir, 'killed.duckdb');
    // Killed three times, each at a random point within 5 MB of log past its process's first write (before
    // DuckDB's 16 MB checkpoint): the sweep, then each resume.
    const { group, growths } = await killRepeatedly(ARGS, db, 3, [300_000, 5_000_000]);
    const killed = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { status: string }[];
    expect(killed.filter((b) => b.status === 'complete').length, `killed after ${growths.join(', ')} bytes`).toBeLessThan(3);
    const resumed = strata([...ARGS, '--resume', group, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as typeof clean;
    expect(out.values.map((p, i) => exportCsv(db, p.batch, dir) === expected[i])).toEqual([true, true, true]);
  });
});
