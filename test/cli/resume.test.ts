import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, interruptOnceStored, strata, tempDir } from './cli.js';

/**
 * Killing `strata run` mid-batch (SIGINT and SIGKILL) loses no finished runs, never leaves a partial batch
 * marked complete, and `--resume` completes it to results byte-identical with an uninterrupted batch.
 */
const RUNS = 12_000;
const ARGS = ['run', 'wannacry-down', '--twin', 'ward', '--runs', String(RUNS), '--workers', '1', '--seed', '5'];


describe('interrupting and resuming a batch', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const reference = join(dir, 'reference.duckdb');
  const clean = JSON.parse(strata([...ARGS, '--json', '--db', reference]).stdout);
  const expected = exportCsv(reference, clean.batch, dir);

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`after ${signal}: finished runs are kept, the batch is not complete, and --resume finishes it identically`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      // Once the progress says 2,000 runs are stored (a commit is complete, not part way into the log).
      const { code, stderr, reported } = await interruptOnceStored(ARGS, db, signal, 2000);
      expect(reported, stderr).toBeGreaterThanOrEqual(2000);
      if (signal === 'SIGINT') {
        expect(code).toBe(130);
        expect(stderr).toMatch(/strata run --resume [0-9a-z]+/);
      }
      const [batch] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
      expect(batch.status).not.toBe('complete');
      expect(batch.storedRuns).toBeGreaterThanOrEqual(reported);
      expect(batch.storedRuns).toBeLessThan(RUNS);
      // The message counts what the store holds (a resumed batch's earlier runs too), not one session's runs.
      // Its time so far is kept (a SIGKILL leaves none: the batch was never finished).
      if (signal === 'SIGINT') expect(batch.elapsedMs).toBeGreaterThan(0);
      if (signal === 'SIGINT') expect(stderr).toContain(`interrupted: ${batch.storedRuns.toLocaleString('en-GB')} of ${RUNS.toLocaleString('en-GB')} runs are stored in batch ${batch.id}`);
      const resumed = strata(['run', '--resume', batch.id, '--json', '--db', db]);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout).metrics).toEqual(clean.metrics);
      // --json says its timing as a fresh batch's does (the stored documents compiled, no cache).
      expect(JSON.parse(resumed.stdout).timing).toMatchObject({ cache: 'off', prepareMs: expect.any(Number), batchStartMs: expect.any(Number), peakRssMB: expect.any(Number) });
      const [after] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
      expect(after.status).toBe('complete');
      // Every session's time: the resumed one's added to what was kept.
      expect(after.elapsedMs).toBeGreaterThan(batch.elapsedMs ?? 0);
      expect(exportCsv(db, batch.id, dir)).toBe(expected);
    });
  }
});

describe('resuming an --until-precision batch', { timeout: 120_000 }, () => {
  // On the ward, ±5% is reached at the end of round 3 (800 runs) of a cap of 100,000; ±2% with a cap of 12,800
  // stops at 6,400 runs with four means out of reach (each would need more than 4× the cap: session.ts).
  const cases = [
    { name: 'stops where the uninterrupted batch stopped, not at its cap', precision: 0.05, cap: [] as string[], runs: 800, reached: true, gaps: [[0, 250], [300, 350], [420, 500]] },
    { name: 'stops where the uninterrupted batch found the rest out of reach', precision: 0.02, cap: ['--runs', '12800'], runs: 6400, reached: false, gaps: [[0, 250], [300, 350], [420, 500], [900, 1500], [3300, 4000]] },
  ] as const;
  it.each(cases)('goes on in the rounds it was running and $name', async ({ precision, cap, runs, reached, gaps }) => {
    const dir = tempDir();
    const db = join(dir, 'precision.duckdb');
    const args = ['run', 'wannacry-down', '--twin', 'ward', '--until-precision', String(precision), ...cap, '--workers', '0', '--json', '--db', db];
    const clean = JSON.parse(strata(args).stdout);
    expect(clean.runs).toBe(runs);
    expect(clean.precision).toMatchObject({ target: precision, reached, cap: cap.length > 0 ? Number(cap[1]) : 100_000 });
    if (reached) expect(clean.precision.missed).toEqual({});
    else for (const miss of Object.values(clean.precision.missed) as { outOfReach: boolean }[]) expect(miss.outOfReach).toBe(true);

    // The same batch as a Ctrl-C in a later round leaves it: its first round and part of each later one stored.
    const { Store } = await import('../../store/index.js');
    const store = await Store.open(db);
    const done = await store.getBatch(clean.batch);
    expect(done.untilPrecision).toBe(precision);
    const stored = await store.readRuns(clean.batch);
    const width = stored.metricNames.length;
    const id = await store.beginBatch({
      kind: 'run',
      twin: done.twin,
      scenario: done.scenario,
      regime: done.regime,
      documents: done.documents,
      hashes: done.hashes,
      seed: done.seed,
      runs: clean.precision.cap,
      untilPrecision: precision,
      version: done.version,
      metricNames: done.metricNames,
    });
    for (const [start, end] of gaps) await store.appendRuns(id, start, stored.rows.slice(start * width, end * width), width);
    await store.finishBatch(id, { status: 'incomplete', summaries: null, elapsedMs: 0 });
    await store.close();

    const resumed = strata(['run', '--resume', id, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout);
    expect(out.runs).toBe(runs);
    expect(out.precision).toEqual(clean.precision);
    expect(out.metrics).toEqual(clean.metrics);
    const [, after] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
    expect(after).toMatchObject({ id, status: 'complete', runs, storedRuns: runs, untilPrecision: precision });
    expect(exportCsv(db, id, dir)).toBe(exportCsv(db, clean.batch, dir));
    expect(strata(['results', 'show', id, '--db', db]).stdout).toContain(`${runs.toLocaleString('en-GB')}/${runs.toLocaleString('en-GB')} runs (until every headline mean is known to ±${precision * 100}%)`);
  });
});

describe('a batch begun by another Strata', { timeout: 60_000 }, () => {
  it('is not resumed when its engine differs (its runs would mix two models); one stored before versions carried a digest is', async () => {
    const dir = tempDir();
    const db = join(dir, 'other.duckdb');
    const clean = JSON.parse(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '40', '--workers', '0', '--json', '--db', db]).stdout);
    const shown = JSON.parse(strata(['results', 'show', clean.batch, '--json', '--db', db]).stdout);
    expect(shown.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const set = async (version: string) => {
      const instance = await DuckDBInstance.create(db);
      const connection = await instance.connect();
      for (const sql of [`DELETE FROM runs WHERE run >= 25`, `UPDATE batches SET status = 'incomplete', strata_version = '${version}'`]) await connection.run(sql);
      connection.closeSync();
      instance.closeSync();
    };
    await set('0.1.0+000000000000');
    const refused = strata(['run', '--resume', clean.batch, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^strata: run --resume ${clean.batch}: batch ${clean.batch} was begun by Strata 0\\.1\\.0\\+000000000000 and this is \\S+: its engine has changed since, so its remaining runs would come from another model; start it again \\(its stored runs stay in the database: strata results show ${clean.batch} --db \\S+ and strata results export ${clean.batch} --db \\S+ read it\\)\\n$`));
    // Complete under another engine: nothing to resume, and said so (it read "its remaining runs").
    const instance = await DuckDBInstance.create(db);
    const connection = await instance.connect();
    await connection.run(`UPDATE batches SET status = 'complete'`);
    connection.closeSync();
    instance.closeSync();
    expect(strata(['run', '--resume', clean.batch, '--db', db]).stderr).toContain(`its engine has changed since, so there is nothing to resume; strata results show ${clean.batch} --db ${db} and strata results export ${clean.batch} --db ${db} read it`);
    await set('0.1.0');
    const resumed = strata(['run', '--resume', clean.batch, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).metrics).toEqual(clean.metrics);
  });
});

describe('a results database from schema 2', { timeout: 60_000 }, () => {
  it('is upgraded when opened, and said once; an unfinished batch begun before is resumed with a word on its precision', async () => {
    const dir = tempDir();
    const db = join(dir, 'old.duckdb');
    const clean = JSON.parse(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '60', '--workers', '0', '--json', '--db', db]).stdout);
    // What the previous release left: schema 2 (no until_precision), this batch interrupted at 25 runs.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db);
    const connection = await instance.connect();
    for (const sql of [
      `DELETE FROM runs WHERE run >= 25`,
      `UPDATE batches SET status = 'incomplete', runs = 60`,
      // Schema 2 had neither version 3's until_precision nor version 4's settings.
      'ALTER TABLE batches DROP COLUMN settings',
      'ALTER TABLE batches DROP COLUMN until_precision',
      `UPDATE meta SET value = '2' WHERE key = 'schema_version'`,
    ]) await connection.run(sql);
    connection.closeSync();
    instance.closeSync();

    const listed = strata(['results', 'list', '--db', db]);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe(`strata: upgraded ${db} from results-database schema 2 to this Strata's; a Strata that writes schema 2 can no longer open it\n`);
    expect(strata(['results', 'list', '--db', db]).stderr).toBe('');

    const resumed = strata(['run', '--resume', clean.batch, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toBe(`strata: batch ${clean.batch} was begun before this database recorded --until-precision; if it ran until a precision, it now runs to its 60 requested runs\n`);
    expect(JSON.parse(resumed.stdout).metrics).toEqual(clean.metrics);

    // A database a newer Strata wrote is bad input (exit 2, upgrade), not this Strata's fault (it exited 1).
    const newer = await DuckDBInstance.create(db);
    const writer = await newer.connect();
    await writer.run(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`);
    writer.closeSync();
    newer.closeSync();
    const refused = strata(['results', 'list', '--db', db]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/^strata: .* has store schema version 99, newer than this Strata's \(\d+\); upgrade Strata to read it\n$/)]);
  });
});

/**
 * A batch whose runs take the room's decisions (`--decide`, kept with its settings) resumes taking them: the
 * runs it lacks are the decided runs, so the export is the uninterrupted decided batch's — and differs from the
 * plain batch's, so a resume that dropped the decisions would fail here.
 */
describe('resuming a batch that takes decisions', { timeout: 120_000 }, () => {
  const runs = 40_000;
  const args = ['run', 'crowdstrike-update', '--twin', 'ward', '--runs', String(runs), '--workers', '1', '--seed', '5', '--decide', 'halt-update@20'];
  const dir = tempDir();
  const reference = join(dir, 'reference.duckdb');
  const clean = JSON.parse(strata([...args, '--json', '--db', reference]).stdout);
  const plain = JSON.parse(strata([...args.slice(0, -2), '--json', '--db', reference]).stdout);

  it('takes the stored decisions in the runs it lacks, and refuses --decide given again', async () => {
    expect(clean.settings).toEqual(['decide=halt-update@20']);
    expect(clean.metrics.disrupted.mean).toBeLessThan(plain.metrics.disrupted.mean);
    const db = join(dir, 'interrupted.duckdb');
    const { code, reported, stderr } = await interruptOnceStored(args, db, 'SIGINT', 4000);
    expect(code, stderr).toBe(130);
    const [batch] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
    expect(batch.storedRuns).toBeGreaterThanOrEqual(reported);
    expect(batch.storedRuns).toBeLessThan(runs);
    expect(strata(['run', '--resume', batch.id, '--decide', 'halt-update@20', '--db', db])).toMatchObject({ code: 2 });
    const resumed = strata(['run', '--resume', batch.id, '--json', '--db', db]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).metrics).toEqual(clean.metrics);
    expect(JSON.parse(resumed.stdout).settings).toEqual(['decide=halt-update@20']);
    expect(exportCsv(db, batch.id, dir)).toBe(exportCsv(reference, clean.batch, dir));
  });
});
