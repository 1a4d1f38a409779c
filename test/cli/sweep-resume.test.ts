import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, interruptAfter, strata, tempDir } from './cli.js';

/** A sweep killed part way, finished with the same command and `--resume GROUP`: exports identical (group.ts). */
const ARGS = ['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,0.5,0.9', '--runs', '6000', '--workers', '1', '--seed', '4'];

describe('interrupting and resuming a sweep', { timeout: 240_000 }, () => {
  it('after SIGKILL: --resume GROUP finishes it, every value identical to an uninterrupted sweep', async () => {
    const dir = tempDir();
    const reference = join(dir, 'reference.duckdb');
    const clean = JSON.parse(strata([...ARGS, '--json', '--db', reference]).stdout) as { values: { value: number; batch: string }[] };
    const expected = clean.values.map((p) => exportCsv(reference, p.batch, dir));

    const db = join(dir, 'killed.duckdb');
    await interruptAfter(ARGS, db, 'SIGKILL', 1_000_000);

    const batches = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { groupId: string; status: string }[];
    expect(batches.length < 3 || batches.some((b) => b.status !== 'complete')).toBe(true);
    const group = batches[0]!.groupId;
    const resumed = strata([...ARGS, '--resume', group, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as typeof clean;
    expect(out.values.map((p, i) => exportCsv(db, p.batch, dir) === expected[i])).toEqual([true, true, true]);
  });
});
