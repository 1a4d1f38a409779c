import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, interruptAfter, interruptOnceStored, killRepeatedly, strata, tempDir } from './cli.js';

/**
 * A comparison killed part way is finished with the same command and `--resume GROUP`: batches already
 * complete are read back, the interrupted one runs only what it lacks, the regimes not yet begun are run
 * in the same group — and every regime's export is byte-identical to an uninterrupted comparison's.
 */
const RUNS = 6000;
const ARGS = ['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,segmented,charter', '--runs', String(RUNS), '--workers', '1', '--seed', '9'];

describe('interrupting and resuming a comparison', { timeout: 240_000 }, () => {
  const dir = tempDir();
  const reference = join(dir, 'reference.duckdb');
  const clean = JSON.parse(strata([...ARGS, '--json', '--db', reference]).stdout) as { group: string; regimes: { regime: string; batch: string }[]; differences: unknown };
  const expected = clean.regimes.map((r) => exportCsv(reference, r.batch, dir));

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`after ${signal === 'SIGINT' ? 'SIGINT' : 'three SIGKILLs at random points'}: --resume GROUP finishes it, every regime's export identical`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      if (signal === 'SIGINT') {
        const { code, stderr } = await interruptAfter(ARGS, db, signal, 400_000);
        expect(code).toBe(130);
        expect(stderr).toMatch(/finish the comparison with: strata compare wannacry-down --regimes baseline,segmented,charter --twin ward --runs 6000 --seed 9 --resume [0-9a-f]+/);
      } else {
        // The comparison, then each resume, killed at a random point within 5 MB of log past its first write.
        await killRepeatedly(ARGS, db, 3, [300_000, 5_000_000]);
      }
      const batches = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { id: string; groupId: string; status: string }[];
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.length < 3 || batches.some((b) => b.status !== 'complete')).toBe(true);
      const group = batches[0]!.groupId;
      // Other options than the comparison's own are refused, not mixed in.
      const wrong = strata([...ARGS.map((a) => (a === '9' ? '10' : a)), '--resume', group, '--db', db]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/expected the stored batch's inputs, seed, runs and decisions, got different ones: seed \(stored 9, given 10\);/);

      const resumed = strata([...ARGS, '--resume', group, '--json', '--db', db]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const out = JSON.parse(resumed.stdout) as typeof clean;
      expect(out.group).toBe(group);
      expect(out.differences).toEqual(clean.differences);
      expect(out.regimes.map((r, i) => exportCsv(db, r.batch, dir) === expected[i])).toEqual([true, true, true]);
      const after = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { groupId: string; status: string }[];
      expect(after.filter((b) => b.groupId === group).map((b) => b.status)).toEqual(['complete', 'complete', 'complete']);
    });
  }
});

describe('resuming a comparison whose scenario file has changed since', { timeout: 120_000 }, () => {
  it('is refused, naming the scenario; its unfinished members finish from their stored documents, and the group exports', async () => {
    const dir = tempDir();
    const db = join(dir, 'edited.duckdb');
    const file = join(dir, 'scenario.yaml');
    const original = readFileSync(resolve('scenarios/wannacry-down.yaml'), 'utf8');
    writeFileSync(file, original);
    const args = ['compare', file, '--twin', 'ward', '--regimes', 'baseline,segmented,charter', '--runs', String(RUNS), '--workers', '1', '--seed', '3'];
    // Stopped once the runs land: at least one member unfinished.
    const { code } = await interruptOnceStored(args, db, 'SIGINT', 1000);
    expect(code).toBe(130);
    const listed = () => JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { id: string; groupId: string; status: string }[];
    const before = listed();
    const group = before[0]!.groupId;
    const unfinished = before.filter((b) => b.status !== 'complete').map((b) => b.id);
    expect(unfinished.length).toBeGreaterThan(0);
    writeFileSync(file, original.replace(/^name: .*$/m, 'name: wannacry-down-edited'));
    const refused = strata([...args, '--resume', group, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('got different ones: scenario (or a --set or --calibration of it); give the options the compare was started with.');
    expect(refused.stderr).toContain(`what it stored can be exported (strata results export ${group} --group --db ${db})`);
    // Every unfinished member is named, with the database; a complete one is not.
    for (const id of unfinished) expect(refused.stderr).toContain(`strata run --resume ${id} --db ${db}`);
    for (const b of before.filter((x) => x.status === 'complete')) expect(refused.stderr).not.toContain(`run --resume ${b.id}`);
    // Those commands finish them from the documents stored with them, and the group exports whole.
    for (const id of unfinished) expect(strata(['run', '--resume', id, '--db', db]).code).toBe(0);
    expect(listed().every((b) => b.status === 'complete')).toBe(true);
    expect(strata(['results', 'export', group, '--group', '-o', join(dir, 'all.csv'), '--db', db]).code).toBe(0);
    // Made by another engine, with a member not yet begun (the interrupt came before charter): refused, saying
    // what would mix and what reads what is stored.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db);
    const connection = await instance.connect();
    await connection.run(`UPDATE batches SET strata_version = '0.1.0+000000000000'`);
    connection.closeSync();
    instance.closeSync();
    writeFileSync(file, original);
    const other = strata([...args, '--resume', group, '--db', db]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`so the group's members yet to run would come from another model than those stored; start the compare again without --resume (strata results export ${group} --group --db ${db} reads its runs)`);
  });
});

describe('resuming a comparison names its members by position, in the order it began them', { timeout: 120_000 }, () => {
  it('keeps a regime compared with itself apart, refuses another order or list, and says when a complete group gains a member', () => {
    const dir = tempDir();
    const db = join(dir, 'order.duckdb');
    const base = ['compare', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--workers', '0', '--db', db];
    // The reference against itself (a check that pairing holds): two members with one label.
    const twice = JSON.parse(strata([...base, '--regimes', 'baseline,baseline', '--json']).stdout) as { group: string };
    // Resumed with another list: refused, naming the stored order (a trial's resume dropped a member and added one, exit 0).
    const other = strata([...base, '--regimes', 'baseline,segmented', '--resume', twice.group]);
    expect([other.code, other.stderr]).toEqual([2, `strata: compare --resume ${twice.group}: expected its members in the order the compare began them (baseline, baseline), got baseline, segmented\n`]);
    const again = strata([...base, '--regimes', 'baseline,baseline', '--resume', twice.group, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout).filter((b: { groupId: string }) => b.groupId === twice.group)).toHaveLength(2);
    // A complete group resumed with one more regime gains it, and says so.
    const pair = JSON.parse(strata([...base, '--regimes', 'baseline,charter', '--json']).stdout) as { group: string };
    const swapped = strata([...base, '--regimes', 'charter,baseline', '--resume', pair.group]);
    expect(swapped.code).toBe(2);
    const more = strata([...base, '--regimes', 'baseline,charter,segmented', '--resume', pair.group, '--json']);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stderr).toContain(`note: group ${pair.group}'s 2 stored members are complete; segmented is added to it (as after an interruption between members)`);
  });
});
