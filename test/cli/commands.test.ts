import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, strata, strataAsync, tempDir } from './cli.js';

const dir = tempDir();
const db = join(dir, 'results.duckdb');

describe('strata run', () => {
  it('prints one JSON object with intervals and quantiles, and stores the batch', () => {
    const { code, stdout, stderr } = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '60', '--workers', '0', '--json', '--db', db]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 20170512, runs: 60 });
    expect(Object.keys(out.inputs).sort()).toEqual(['regimeHash', 'scenarioHash', 'twinHash']);
    const m = out.metrics.compromised;
    expect(m.ci95[0]).toBeLessThanOrEqual(m.mean);
    expect(m.ci95[1]).toBeGreaterThanOrEqual(m.mean);
    expect(m.p05).toBeLessThanOrEqual(m.p50);
    const list = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout);
    expect(list.some((b: { id: string; status: string }) => b.id === out.batch && b.status === 'complete')).toBe(true);
  });

  it('gives the same numbers on one worker and in-process', () => {
    const a = JSON.parse(strata(['run', 'crowdstrike-update', '--twin', 'ward', '--runs', '40', '--workers', '0', '--json', '--db', db]).stdout);
    const b = JSON.parse(strata(['run', 'crowdstrike-update', '--twin', 'ward', '--runs', '40', '--workers', '1', '--json', '--db', db]).stdout);
    expect(b.metrics).toEqual(a.metrics);
  });

  it('prints a table by default', () => {
    const { code, stdout } = strata(['run', 'medjack-up', '--twin', 'ward', '--runs', '30', '--workers', '0', '--db', db]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Nodes compromised/);
    expect(stdout).toMatch(/95% CI of mean/);
  });

  it('refuses an unknown scenario, listing the known ones, with exit 2', () => {
    const { code, stderr } = strata(['run', 'wannacry', '--db', db]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/crowdstrike-update, medjack-up, supplier-ransomware, vendor-cloud-down, wannacry-down/);
  });

  it('reports every bad option value, a line each, with exit 2, before any work', () => {
    const fresh = join(tempDir(), 'new.duckdb');
    const { code, stderr } = strata(['run', 'wannacry-down', '--runs', '-5', '--workers', '-1', '--seed', 'x', '--db', fresh]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'strata: --runs: expected an integer from 1 to 10000000, got "-5"',
      expect.stringMatching(/^strata: --workers: expected an integer from 0 to \d+, got "-1"$/),
      expect.stringMatching(/^strata: --seed: expected an integer from 0 to \d+, got "x"$/),
    ]);
    expect(existsSync(fresh)).toBe(false);
    // A flag given again and again is one problem: its last value (commander keeps the last).
    const repeated = strata(['run', 'wannacry-down', ...Array.from({ length: 70 }, (_, i) => ['--runs', `x${i}`]).flat()]);
    expect([repeated.code, repeated.stderr]).toEqual([2, 'strata: --runs: expected an integer from 1 to 10000000, got "x69"\n']);
    // With commander's own error (an unknown option) after them: the bad values first, then it.
    const mixed = strata(['run', 'wannacry-down', '--runs', '0', '--frob']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.trim().split('\n')).toEqual(['strata: --runs: expected an integer from 1 to 10000000, got "0"', expect.stringMatching(/^strata: unknown option '--frob'.* \(run strata run --help for usage\)$/)]);
    // An unknown command points to the help of them all.
    expect(strata(['frobnicate']).stderr).toMatch(/\(run strata --help for usage\)\n$/);
    // An empty item in a list of regimes is refused, not dropped; a convert to an unknown format names the forms.
    expect(strata(['compare', 'wannacry-down', '--regimes', 'baseline,,charter'])).toMatchObject({ code: 2, stderr: 'strata: compare: --regimes: expected regimes separated by single commas, got an empty item in "baseline,,charter"\n' });
    expect(strata(['twin', 'convert', 'ward', '-o', join(tempDir(), 'ward.txt')]).stderr).toMatch(/^strata: twin convert: -o: expected a file ending in \.yaml, \.yml, \.json, \.graphml or \.gexf, got ".*ward\.txt"\n$/);
  });

  it("reports the problems of every bad document on the command line at once: scenario, twin file and regimes", () => {
    const files = tempDir();
    const scenario = join(files, 'bad-scenario.yaml');
    writeFileSync(scenario, readFileSync('scenarios/wannacry-down.yaml', 'utf8').replace(/^horizonHours:.*$/m, 'horizonHours: "a week"'));
    const twin = join(files, 'bad-twin.yaml');
    writeFileSync(twin, 'schema: strata.twin/v1\nname: t\nowners: [{ id: trust, kind: operator }]\nnodes: 5\n');
    const regime = join(files, 'bad-regime.yaml');
    writeFileSync(regime, 'schema: strata.regime/v1\nname: r\ntitle: r\ncontrols:\n  patchCoverage: 2\n');
    const run = strata(['run', scenario, '--twin', twin, '--regime', regime, '--db', join(files, 'r.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `strata: ${scenario}: horizonHours: expected number, got "a week"`,
      `strata: ${twin}: nodes: expected array, got 5`,
      `strata: ${regime}: controls.patchCoverage: expected at most 1, got 2`,
    ]);
    const compare = strata(['compare', scenario, '--regimes', `baseline,${regime}`, '--db', join(files, 'r.duckdb')]);
    expect(compare.code).toBe(2);
    expect(compare.stderr.trim().split('\n')).toEqual([`strata: ${scenario}: horizonHours: expected number, got "a week"`, `strata: ${regime}: controls.patchCoverage: expected at most 1, got 2`]);
  });

  it('leaves no database behind when its inputs fail, and keeps one that was there', () => {
    const fresh = join(tempDir(), 'new.duckdb');
    for (const args of [['run', 'wannacry', '--db', fresh], ['run', 'wannacry-down', '--twin', join(dir, 'no-such-twin.yaml'), '--db', fresh]]) {
      const { code, stderr } = strata(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect([existsSync(fresh), existsSync(`${fresh}.wal`)], args.join(' ')).toEqual([false, false]);
    }
    // The shared database holds batches already: a bad call keeps it whole.
    expect(strata(['run', 'wannacry', '--db', db]).code).toBe(2);
    expect(JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout).length).toBeGreaterThan(0);
  });

  it("gives commander's own errors on one line with exit 2: a bad value, an unknown command or option, too many workers, too fine a precision", () => {
    for (const [args, says] of [
      [['run', 'wannacry-down', '--runs', '-3'], /--runs: expected an integer from 1 to/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['run', 'wannacry-down', '--frob'], /unknown option '--frob'/],
      [['run', 'wannacry-down', '--workers', '1000'], /--workers: expected an integer from 0 to \d+, got "1000"/],
      [['run', 'wannacry-down', '--until-precision', '1e-300'], /--until-precision: expected a number from 0\.001 up to 1/],
    ] as [string[], RegExp][]) {
      const { code, stderr } = strata(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^strata: /);
      expect(stderr).toMatch(says);
    }
  });

  it('refuses a scenario or inputs given with --resume (the batch uses its own), naming them', () => {
    const { code, stderr } = strata(['run', 'wannacry-down', '--resume', 'abcd1234', '--runs', '5', '--twin', 'ward', '--db', db]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('run --resume abcd1234: expected no scenario or inputs (the batch\'s own are used), got the scenario wannacry-down, --twin, --runs');
  });

  it('refuses a mistyped --db on commands that only read or resume, creating nothing', () => {
    const typo = join(dir, 'resluts.duckdb');
    for (const args of [['results', 'list'], ['results', 'show', 'abcd1234'], ['run', '--resume', 'abcd1234']]) {
      const { code, stderr } = strata([...args, '--db', typo]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`--db ${typo}: expected an existing results database, got no such file`);
    }
    expect(existsSync(typo)).toBe(false);
    // Given through the environment, the message names the variable.
    const fromEnv = strata(['results', 'list'], { env: { STRATA_DB: typo } });
    expect(fromEnv.stderr).toBe(`strata: results: STRATA_DB ${typo}: expected an existing results database, got no such file\n`);
  });

  it("names the --set option and what it expected when a twin generator refuses a parameter, in every command that takes --set", () => {
    const beds = 'strata: --set params.beds: expected an integer from 1 to 100000, got -4\n';
    for (const args of [
      ['run', 'medjack-up', '--runs', '20'],
      ['trace', 'medjack-up'],
      ['compare', 'medjack-up', '--regimes', 'baseline,segmented', '--runs', '20'],
      ['sensitivity', 'medjack-up'],
    ]) {
      const { code, stderr } = strata([...args, '--set', 'params.beds=-4', ...(args[0] === 'trace' ? [] : ['--db', join(dir, 'params.duckdb')])]);
      expect([code, stderr], args[0]).toEqual([2, beds]);
    }
    const sweep = strata(['sweep', 'medjack-up', '--runs', '20', '--set', 'params.beds=-4,5', '--db', join(dir, 'params.duckdb')]);
    expect([sweep.code, sweep.stderr]).toEqual([2, beds]);
    const text = strata(['run', 'medjack-up', '--runs', '20', '--set', 'params.beds=abc', '--db', join(dir, 'params.duckdb')]);
    expect([text.code, text.stderr]).toEqual([2, 'strata: --set params.beds: expected an integer from 1 to 100000, got "abc"\n']);
    const unknown = strata(['run', 'medjack-up', '--runs', '20', '--set', 'params.nosuch=4', '--db', join(dir, 'params.duckdb')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^strata: --set params\.nosuch: expected one of the acute-trust generator's parameters \(beds, devicesPerBed, [^)]*\), got "nosuch"\n$/);
  });

  it('refuses a malformed twin with exit 2 and one line naming the file and field', () => {
    const twin = join(dir, 'bad.yaml');
    writeFileSync(twin, readFileSync('scenarios/twins/ward.yaml', 'utf8').replace('layer: physical', 'layer: clowd'));
    const { code, stderr } = strata(['run', 'wannacry-down', '--twin', twin, '--runs', '5', '--db', db]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${twin}: nodes[0].layer: expected physical|network|cloud, got "clowd"`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses bad flags with exit 2', () => {
    expect(strata(['run', 'wannacry-down', '--runs', '-3', '--db', db]).code).toBe(2);
    expect(strata(['run', 'wannacry-down', '--set', 'nonsense', '--db', db]).code).toBe(2);
    expect(strata(['frobnicate']).code).toBe(2);
  });
});

describe('what a command set over its documents (--set, --calibration)', () => {
  it('is said in the header and the JSON, kept with the batch, and a field set twice is refused', () => {
    const ran = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '3', '--set', 'controls.patchCoverage=0.7', '--db', db]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.split('\n')[2]).toBe('set: controls.patchCoverage=0.7');
    const json = JSON.parse(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '3', '--set', 'controls.patchCoverage=0.7', '--json', '--db', db]).stdout);
    expect(json.settings).toEqual(['controls.patchCoverage=0.7']);
    // Every metric's unit beside it: times in minutes, as the runs hold them.
    expect(Object.keys(json.units)).toEqual(Object.keys(json.metrics));
    expect([json.units.timeToRecovery, json.units['reached.cloud'], json.units.compromised]).toEqual(['minutes', 'share', 'count']);
    const shown = strata(['results', 'show', json.batch, '--db', db]).stdout;
    expect(shown).toContain('\nset: controls.patchCoverage=0.7\n');
    expect(strata(['results', 'list', '--db', db]).stdout).toMatch(new RegExp(`${json.batch} .* baseline \\+ 1 set`));
    const compared = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,charter', '--set', 'controls.segmentation=0.9', '--runs', '3', '--workers', '0', '--db', db]);
    expect(compared.stdout.split('\n')[2]).toBe('set: controls.segmentation=0.9 (every regime)');
    expect(strata(['run', 'wannacry-down', '--runs', '3', '--set', 'controls.patchCoverage=0.5', '--set', 'controls.patchCoverage=0.7', '--db', db])).toMatchObject({
      code: 2,
      stderr: 'strata: --set controls.patchCoverage=0.7: expected each field set once, got its field again (first --set controls.patchCoverage=0.5)\n',
    });
  });
});

describe('bad --set values in several documents', () => {
  it('are all said at once, one line each (a trial fixed them a document at a time)', () => {
    const bad = ['--set', 'scenario.recovery.staff=-1', '--set', 'controls.patchCoverage=2', '--set', 'twin.nodes.0.count=-1'];
    const ran = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', ...bad, '--db', db]);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim().split('\n').filter((l) => !l.includes('dist/'))).toEqual([
      'strata: ward (with --set): nodes[0].count: expected at least 1, got -1',
      'strata: wannacry-down (with --set): recovery.staff: expected at least 0, got -1',
      'strata: baseline (with --set): controls.patchCoverage: expected at most 1, got 2',
    ]);
    const compared = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,charter', '--runs', '2', ...bad.slice(0, 4), '--db', db]);
    expect(compared.code).toBe(2);
    expect(compared.stderr).toContain('strata: wannacry-down (with --set): recovery.staff: expected at least 0, got -1\n');
    expect(compared.stderr).toContain('strata: charter (with --set): controls.patchCoverage: expected at most 1, got 2\n');
  });

  it("name a scenario's own twin file by its path, not by the twin's name (a trial read \"stmary (with --set)\")", () => {
    const own = join(dir, 'own-twin');
    mkdirSync(own, { recursive: true });
    expect(strata(['twin', 'convert', 'ward', '-o', join(own, 'my-ward.yaml')]).code).toBe(0);
    writeFileSync(join(own, 'worm.yaml'), readFileSync('scenarios/wannacry-down.yaml', 'utf8').replace(/^twin: .*$/m, 'twin: my-ward.yaml'));
    const ran = strata(['run', 'worm.yaml', '--runs', '2', '--set', 'twin.nodes.0.count=abc', '--db', db], { cwd: own });
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim().split('\n').filter((l) => !l.includes('dist/'))).toEqual(['strata: my-ward.yaml (with --set): nodes[0].count: expected number, got "abc"']);
  });
});

describe("the room's decisions over a batch (--decide on run and compare)", () => {
  const decide = ['--decide', 'halt-update@20'];
  const base = ['crowdstrike-update', '--twin', 'ward', '--runs', '12', '--workers', '0', '--seed', '3'];

  it('run takes them in every run, as trace does run by run, and says and keeps them', () => {
    const ran = strata(['run', ...base, ...decide, '--db', db]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.split('\n')[2]).toBe('decided: halt-update@20 (in every run)');
    const json = JSON.parse(strata(['run', ...base, ...decide, '--json', '--db', db]).stdout);
    expect(json.settings).toEqual(['decide=halt-update@20']);
    expect(json.decisions).toEqual(['halt-update@20']);
    // The batch's runs are the traced runs with the same decisions: runs 0 to 11, each a trace's disrupted count.
    let total = 0;
    for (let run = 0; run < 12; run++) {
      const trace = JSON.parse(strata(['trace', 'crowdstrike-update', '--twin', 'ward', '--seed', '3', '--run', String(run), ...decide]).stdout);
      total += trace.outcome.disrupted;
    }
    expect(json.metrics.disrupted.mean).toBeCloseTo(total / 12, 12);
    const plain = JSON.parse(strata(['run', ...base, '--json', '--db', db]).stdout);
    expect(plain.metrics.disrupted.mean).toBeGreaterThan(json.metrics.disrupted.mean);
    expect(strata(['results', 'show', json.batch, '--db', db]).stdout).toContain('\nset: nothing (the documents as named)\ndecided: halt-update@20 (in every run)\n');
    expect(strata(['results', 'list', '--db', db]).stdout).toMatch(new RegExp(`${json.batch} .* baseline \\+ 1 decided`));
  }, 120_000);

  it('compare sets one regime beside itself taking them, paired, and refuses several regimes', () => {
    const out = JSON.parse(strata(['compare', ...base, '--regimes', 'baseline', ...decide, '--json', '--db', db]).stdout);
    expect(out.compared).toEqual([{ key: 'baseline+decisions-baseline', b: 'baseline+decisions', a: 'baseline', index: 1 }]);
    expect(out.decisions).toEqual(['halt-update@20']);
    expect(out.regimes.map((r: { label: string }) => r.label)).toEqual(['baseline', 'baseline+decisions']);
    const difference = out.differences['baseline+decisions-baseline'].disrupted;
    expect(difference.meanDifference).toBeLessThan(0);
    expect(difference.ci95[1]).toBeLessThan(0);
    // Its group resumes only with the same decisions (they change no document: the stored settings tell them apart).
    const other = strata(['compare', ...base, '--regimes', 'baseline', '--decide', 'halt-update@30', '--resume', out.group, '--db', db]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('baseline+decisions: expected the stored batch\'s inputs, seed, runs and decisions, got different ones: decisions (stored: --decide halt-update@20);');
    expect(JSON.parse(strata(['compare', ...base, '--regimes', 'baseline', ...decide, '--resume', out.group, '--json', '--db', db]).stdout).differences).toEqual(out.differences);
    // Two decisions at different minutes, given in the other order: the same runs, so the same group resumes.
    const two = JSON.parse(strata(['compare', ...base, '--regimes', 'baseline', '--decide', 'halt-update@20', '--decide', 'add-staff:2@600', '--json', '--db', db]).stdout);
    const swapped = strata(['compare', ...base, '--regimes', 'baseline', '--decide', 'add-staff:2@600', '--decide', 'halt-update@20', '--resume', two.group, '--json', '--db', db]);
    expect(swapped.code, swapped.stderr).toBe(0);
    expect(JSON.parse(swapped.stdout).differences).toEqual(two.differences);
    // Its decided member is listed by its label alone (it said "baseline+decisions + 1 decided").
    expect(strata(['results', 'list', '--db', db]).stdout).toMatch(new RegExp(`${out.regimes[1].batch} .* baseline\\+decisions  `));
    // Exporting the group's id exports its first member: said, with the others' ids.
    const exported = strata(['results', 'export', out.group, '-o', join(dir, 'group.csv'), '--db', db]);
    expect(exported.stderr).toContain(`strata: batch ${out.group} is one compare member (baseline) of group ${out.group}; its other members are exported by their own ids (${out.regimes[1].batch} (baseline+decisions)), or all together with --group`);
    // --group: every member in one table, member, batch and label before each run's outcomes.
    const whole = strata(['results', 'export', out.group, '--group', '-o', join(dir, 'whole.csv'), '--db', db]);
    expect(whole.code, whole.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'whole.csv'), 'utf8').trim().split('\n');
    expect(rows[0]!.startsWith('member,batch,label,run,compromised.physical,')).toBe(true);
    expect(rows).toHaveLength(1 + 2 * 12);
    expect(rows[1]!.startsWith(`1,${out.group},baseline,0,`)).toBe(true);
    expect(rows[13]!.startsWith(`2,${out.regimes[1].batch},baseline+decisions,0,`)).toBe(true);
    // Each column's unit beside it (CSV on the Web metadata), as the stderr line says.
    const metadata = join(dir, 'whole.csv-metadata.json');
    expect(whole.stderr).toContain(`each column's unit in ${metadata}`);
    const columns = (JSON.parse(readFileSync(metadata, 'utf8')) as { tableSchema: { columns: { titles: string; 'schema:unitText'?: string }[] } }).tableSchema.columns;
    expect(columns.map((c) => c.titles).join(',')).toBe(rows[0]);
    expect(columns.find((c) => c.titles === 'timeToRecovery')!['schema:unitText']).toBe('minutes');
    expect(strata(['results', 'export', 'deadbeef', '--group', '-o', join(dir, 'none.csv'), '--db', db]).code).toBe(2);
    expect(strata(['results', 'export', out.group, '--group', '-o', join(dir, 'g.json'), '--db', db])).toMatchObject({ code: 2, stderr: expect.stringContaining('expected csv or parquet') });
    // On stdout as a file would hold it; a member's id names its group.
    expect(strata(['results', 'export', out.group, '--group', '-o', '-', '--db', db]).stdout).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
    expect(strata(['results', 'export', out.regimes[1].batch, '--group', '-o', join(dir, 'm.csv'), '--db', db]).stderr).toContain(`expected a group id, got batch ${out.regimes[1].batch}, a member of group ${out.group}`);
    const shown = strata(['compare', ...base, '--regimes', 'baseline', ...decide, '--db', db]);
    expect(shown.stdout.split('\n')[2]).toBe('decided: halt-update@20 (baseline+decisions only)');
    expect(strata(['compare', ...base, '--regimes', 'baseline,charter', ...decide, '--db', db])).toMatchObject({
      code: 2,
      stderr: 'strata: compare: --decide compares one regime with and without the decisions: expected one regime in --regimes, got 2 in "baseline,charter"\n',
    });
    // A decision the scenario cannot take is refused before anything runs, one line each.
    const bad = strata(['compare', 'wannacry-down', '--twin', 'ward', '--runs', '4', '--regimes', 'baseline', '--decide', 'halt-update@20', '--decide', 'isolate-zone:nowhere@5', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(2);
    expect(bad.stderr).toContain('--decide "halt-update@20": expected a scenario with a faulty update for halt-update');
  }, 120_000);
});

describe('strata compare, sweep, trace, twin, schema, results', () => {
  it('compare shows staged rollouts cutting CrowdStrike disruption, with an interval that excludes zero', () => {
    const { code, stdout } = strata(['compare', 'crowdstrike-update', '--regimes', 'baseline,staged-rollout', '--runs', '100', '--workers', '0', '--json', '--db', db]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const d = out.differences['staged-rollout-baseline'].disrupted;
    expect(d.ci95[1]).toBeLessThan(0);
    expect(out.best.disrupted).toBe('staged-rollout');
    // Told apart from baseline (its interval excludes 0): not listed; a metric whose best is not told from the
    // other regime lists that one, where the difference's interval contains 0.
    expect(out.notToldApart.disrupted).toBeUndefined();
    expect(Object.keys(out.notToldApart).length).toBeGreaterThan(0);
    for (const [metric, close] of Object.entries(out.notToldApart as Record<string, string[]>)) {
      expect(close).toEqual([out.best[metric] === 'baseline' ? 'staged-rollout' : 'baseline']);
      const { ci95 } = out.differences['staged-rollout-baseline'][metric];
      expect(ci95[0] <= 0 && ci95[1] >= 0, metric).toBe(true);
    }
    // Each regime's entry carries the label best and the differences' keys use, and the version its digest.
    expect(out.regimes.map((r: { label: string }) => r.label)).toEqual(['baseline', 'staged-rollout']);
    // And which two each key compares ("staged-rollout-baseline" alone could split at either hyphen).
    expect(out.compared).toEqual([{ key: 'staged-rollout-baseline', b: 'staged-rollout', a: 'baseline', index: 1 }]);
    expect(out.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  });

  it('sweep says which --set it read as fixed when none sweeps, and quotes a blank metric', () => {
    expect(strata(['sweep', 'medjack-up', '--set', 'controls.patchCoverage=0.5', '--runs', '2', '--db', db])).toMatchObject({
      code: 2,
      stderr: 'strata: sweep: expected exactly one --set path=lo..hi:step or path=a,b,c (two or more values), got none (--set path=value fixes a value: controls.patchCoverage=0.5)\n',
    });
    expect(strata(['sweep', 'medjack-up', '--set', 'controls.mfa=true,false', '--metrics', '', '--runs', '2', '--db', db])).toMatchObject({ code: 2, stderr: 'strata: sweep: --metrics: unknown metric "" (see docs/metrics.md)\n' });
  });

  it('compare refuses a regime named twice (one difference under one key); --version gives the digest batches store', () => {
    expect(strata(['compare', 'wannacry-down', '--regimes', 'baseline,charter,charter'])).toMatchObject({ code: 2, stderr: 'strata: compare: --regimes: expected each compared regime once, got charter more than once in "baseline,charter,charter"\n' });
    expect(strata(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}\n$/);
  });

  it('compare stores two different regime files of one name under the names given, so a group export tells them apart, and resumes them', () => {
    const fresh = join(dir, 'same-name.duckdb');
    const charter = readFileSync('scenarios/regimes/charter.yaml', 'utf8');
    for (const [sub, text] of [['a', charter.replace('patchCoverage: 0.8', 'patchCoverage: 0.5')], ['b', charter]] as const) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'charter.yaml'), text);
    }
    const [a, b] = [join(dir, 'a', 'charter.yaml'), join(dir, 'b', 'charter.yaml')];
    const compared = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', `baseline,${a},${b}`, '--runs', '2', '--workers', '0', '--json', '--db', fresh]);
    expect(compared.code, compared.stderr).toBe(0);
    const group = JSON.parse(compared.stdout).group as string;
    const labels = () => (JSON.parse(strata(['results', 'list', '--json', '--db', fresh]).stdout) as { groupId: string; label: string }[]).filter((m) => m.groupId === group).map((m) => m.label);
    // Both were "charter" (the documents' name), merged by anything that pivots on the label.
    expect(labels()).toEqual(['baseline', a, b]);
    // One of them beside a regime of another name keeps its document's name.
    const alone = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', `baseline,${a}`, '--runs', '2', '--workers', '0', '--json', '--db', fresh]);
    const aloneOut = JSON.parse(alone.stdout);
    expect(aloneOut.regimes.map((r: { label: string; regime: string }) => r.regime)).toEqual(['baseline', 'charter']);
    // And the table and keys name it as the store does, not by the path typed (a trial: "patched.yaml − baseline").
    expect(aloneOut.regimes.map((r: { label: string }) => r.label)).toEqual(['baseline', 'charter']);
    expect(Object.keys(aloneOut.differences)).toEqual(['charter-baseline']);
    const table = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', `baseline,${a}`, '--runs', '2', '--workers', '0', '--resume', aloneOut.group, '--db', fresh]);
    expect(table.stdout).toMatch(/charter − baseline/);
    expect(table.stdout).not.toContain(a);
    expect(strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', `baseline,${a},${b}`, '--runs', '2', '--workers', '0', '--resume', group, '--db', fresh]).code).toBe(0);
    // The same document given two ways is two members too: told apart as given.
    const twoWays = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,charter,scenarios/regimes/charter.yaml', '--runs', '2', '--workers', '0', '--json', '--db', fresh]);
    const twoWaysGroup = JSON.parse(twoWays.stdout).group as string;
    expect((JSON.parse(strata(['results', 'list', '--json', '--db', fresh]).stdout) as { groupId: string; label: string }[]).filter((m) => m.groupId === twoWaysGroup).map((m) => m.label)).toEqual(['baseline', 'charter', 'scenarios/regimes/charter.yaml']);
  });

  it('compare reports what pairing bought: the paired/unpaired ratio and the correlation, or null', () => {
    const { code, stdout } = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,charter', '--runs', '40', '--workers', '0', '--json', '--db', db]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const differences = Object.values(out.differences['charter-baseline']) as { pairedOverUnpaired: number | null; correlation: number | null; pairing: string | null; n: number }[];
    // Every metric has its object, as docs/metrics.md lists it: one with fewer than two runs valued in both
    // regimes too (a time of something that happened in no run), its fields null and its n said.
    const few = Object.entries(out.differences['charter-baseline'] as Record<string, { n: number }>).filter(([, d]) => d.n < 2);
    expect(few.length).toBeGreaterThan(0);
    for (const [, d] of few) expect(d).toEqual({ meanDifference: null, ci95: [null, null], unpairedCi95: [null, null], relativeChange: null, pairedOverUnpaired: null, correlation: null, pairing: null, n: d.n });
    for (const d of differences) {
      expect(d).toHaveProperty('n');
      expect(d).toHaveProperty('pairedOverUnpaired');
      expect(d).toHaveProperty('correlation');
      // A ratio above 1 is t-quantile rounding or sampling noise on an uncorrelated metric, never far above.
      if (d.pairedOverUnpaired !== null) expect(d.pairedOverUnpaired).toBeGreaterThanOrEqual(0);
      if (d.pairedOverUnpaired !== null) expect(d.pairedOverUnpaired).toBeLessThanOrEqual(1.5);
      if (d.correlation !== null) expect(Math.abs(d.correlation)).toBeLessThanOrEqual(1 + 1e-12);
    }
    expect(differences.some((d) => d?.pairing === 'varying')).toBe(true);
    const median = out.pairing['charter-baseline'].medianPairedOverUnpaired;
    expect(median === null || (median >= 0 && median <= 1.5)).toBe(true);
  });

  it('compare of a regime with itself says identical, never NaN', () => {
    const args = ['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,baseline', '--runs', '20', '--workers', '0', '--db', db];
    const out = JSON.parse(strata([...args, '--json']).stdout);
    const differences = Object.values(out.differences['baseline-baseline']) as { pairedOverUnpaired: number | null; correlation: number | null; pairing: string | null; n: number }[];
    for (const d of differences) {
      // Fewer than two runs valued in both: no pairing to speak of (every field null, n said).
      if (d.n < 2) continue;
      expect(d.pairedOverUnpaired).toBeNull();
      expect(d.pairing).toBe('identical');
      expect(d.correlation === null || d.correlation === 1).toBe(true);
    }
    expect(out.pairing['baseline-baseline']).toEqual({ medianPairedOverUnpaired: null, over: 0 });
    const { code, stdout } = strata(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/identical in every run/);
    expect(stdout).toMatch(/baseline: no outcome varies in both\./);
    expect(stdout).not.toMatch(/NaN/);
  });

  it('sweep runs a batch per value', () => {
    const { code, stdout } = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,0.5,1', '--runs', '30', '--workers', '0', '--json', '--db', db]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.values.map((v: { value: number }) => v.value)).toEqual([0, 0.5, 1]);
    expect(out.values[2].metrics.compromised.mean).toBeLessThan(out.values[0].metrics.compromised.mean);
    // Its table says, as run and compare do, where the time to full recovery counts the horizon (a trial).
    const table = strata(['sweep', 'wannacry-down', '--set', 'controls.patchCoverage=0,1', '--runs', '10', '--workers', '0', '--db', db]).stdout;
    // Named by the swept field: "100% (0)" read as a share at a share of 0 (a trial).
    expect(table).toMatch(/\nTime to full recovery: runs not fully recovered by the horizon, which count until it \(censored\): \d+ of 10 runs at controls\.patchCoverage = 0\.\n/);
    // The same value twice would be two identical batches read as two points: refused.
    expect(strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0.1,0.10', '--runs', '2', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--set controls.patchCoverage: expected each value once, got "0.10" again (the same as "0.1")'),
    });
  });

  it('compare and sweep report every bad regime and every bad value at once, each once, before any work', () => {
    const fresh = join(dir, 'every-variant.duckdb');
    const regime = join(dir, 'r1.yaml');
    writeFileSync(regime, 'schema: strata.regime/v1\nname: r1\ntitle: R1\ncontrols:\n  patchCoverage: 5\n');
    const compare = strata(['compare', 'wannacry-down', '--twin', 'ward', '--regimes', `baseline,nosuch,other,${regime},nosuch`, '--runs', '2', '--db', fresh]);
    expect(compare.code).toBe(2);
    const lines = compare.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    // Said of the option that named it, with the name given (not as if the name were a file).
    expect(lines[0]).toMatch(/^strata: --regimes: expected a regime file or one of all-controls, baseline, .*, got "nosuch"$/);
    expect(lines[1]).toMatch(/^strata: --regimes: expected a regime file or one of .*, got "other"$/);
    expect(lines[2]).toBe(`strata: ${regime}: controls.patchCoverage: expected at most 1, got 5`);
    const sweep = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0..2:0.5', '--runs', '2', '--db', fresh]);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toBe('strata: baseline (with --set): controls.patchCoverage: expected at most 1, got 1.5\nstrata: baseline (with --set): controls.patchCoverage: expected at most 1, got 2\n');
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a calibration of another scenario, says when it is applied to another twin, and names its bad parameters as its own', () => {
    const fresh = join(dir, 'calibration-checks.duckdb');
    const tracked = readFileSync('scenarios/calibration/wannacry-down.nhs-england.yaml', 'utf8');
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const other = strata(['compare', 'medjack-up', '--twin', 'ward', '--regimes', 'baseline,segmented', '--runs', '2', '--calibration', 'scenarios/calibration/wannacry-down.nhs-england.yaml', '--db', fresh]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('strata: scenarios/calibration/wannacry-down.nhs-england.yaml: scenario: expected the scenario run, "medjack-up", got "wannacry-down" (a calibration is fitted to one scenario)\n');
    // Another twin: applied (a national fit taken to one ward may be meant), and said once.
    const ward = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', 'scenarios/calibration/wannacry-down.nhs-england.yaml', '--db', fresh]);
    expect(ward.code, ward.stderr).toBe(0);
    expect(ward.stderr).toBe('strata: scenarios/calibration/wannacry-down.nhs-england.yaml was fitted on twin nhs-england; its parameters are applied to twin ward\n');
    const word = write('word.yaml', tracked.replace('scenario.threat.entries.0.share: 0.1277', 'scenario.threat.entries.0.share: abc'));
    const path = write('path.yaml', tracked.replace('scenario.threat.entries.0.share: 0.1277', 'scenari.threat.x: 1').replace('twin: nhs-england', 'twin: ward'));
    const bad = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', word, '--db', fresh]);
    expect(bad.code).toBe(2);
    // Said of the file's own field (it was "wannacry-down (with FILE): threat.entries[0].share"), as is a key the scenario does not have.
    expect(bad.stderr.trim().split('\n').at(-1)).toBe(`strata: ${word}: parameters.scenario.threat.entries.0.share: expected number, got "abc"`);
    const misspelt = write('misspelt.yaml', tracked.replace('scenario.threat.entries.0.share: 0.1277', 'scenario.threat.entrees.0.share: 0.1277').replace('twin: nhs-england', 'twin: ward'));
    const unknownKey = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', misspelt, '--set', 'scenario.recovery.staff=-1', '--db', fresh]);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr.trim().split('\n')).toEqual([
      // The misspelt key's own parameter, not the calibrated `entries` its "did you mean" names.
      `strata: ${misspelt}: parameters.scenario.threat.entrees.0.share: expected only known fields for kind: worm, got unknown field "entrees" (did you mean "entries"?)`,
      `strata: wannacry-down (with ${misspelt} and --set): recovery.staff: expected at least 0, got -1`,
    ]);
    // A --set of a field the calibration also set is the user's value, not the file's; a key written controls.… is said as written.
    const over = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', 'scenarios/calibration/wannacry-down.nhs-england.yaml', '--set', 'scenario.threat.entries.0.share=2', '--db', fresh]);
    expect(over.stderr.trim().split('\n').at(-1)).toBe('strata: wannacry-down (with scenarios/calibration/wannacry-down.nhs-england.yaml and --set): threat.entries[0].share: expected at most 1, got 2');
    const controls = write('controls.yaml', 'schema: strata.calibration/v1\nscenario: wannacry-down\nparameters:\n  controls.patchCoverage: 2\n');
    expect(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', controls, '--db', fresh]).stderr).toBe(`strata: ${controls}: parameters.controls.patchCoverage: expected at most 1, got 2\n`);
    const unknown = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--calibration', path, '--db', fresh]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`strata: ${path}: parameters.scenari.threat.x: expected a path starting twin., scenario., regime., params. or controls., got "scenari"\n`);
  });

  it('names the option or argument that gave a name that is neither a file nor a built-in', () => {
    const fresh = join(dir, 'unknown-names.duckdb');
    const run = strata(['run', 'wannacry-down', '--twin', 'nosuch-twin', '--regime', 'nosuch-regime', '--runs', '2', '--db', fresh]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'strata: --twin: expected a twin file or one of ward, acute-trust, nhs-england, got "nosuch-twin"',
      expect.stringMatching(/^strata: --regime: expected a regime file or one of all-controls, .*, got "nosuch-regime"$/),
    ]);
    const scenario = strata(['run', 'nosuch-scenario', '--runs', '2', '--db', fresh]);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/^strata: scenario: expected a scenario file or one of crowdstrike-update, .*, got "nosuch-scenario"\n$/);
    const sweep = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--regime', 'nosuch-regime', '--set', 'controls.patchCoverage=0,1', '--runs', '2', '--db', fresh]);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(/^strata: --regime: expected a regime file .*, got "nosuch-regime"\n$/);
    expect(existsSync(fresh)).toBe(false);
  });

  it('sweep refuses an unknown metric before any value runs, a list of more than 1,000 values, and a fixed value of the swept field', () => {
    const fresh = join(dir, 'sweep-metric.duckdb');
    const bad = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,1', '--metrics', 'compromised,nosuch', '--runs', '30', '--workers', '0', '--db', fresh]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('strata: sweep: --metrics: unknown metric "nosuch" (see docs/metrics.md)');
    expect(JSON.parse(strata(['results', 'list', '--json', '--db', fresh]).stdout)).toEqual([]);
    const many = Array.from({ length: 1001 }, (_, i) => i / 1000).join(',');
    const long = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', `controls.patchCoverage=${many}`, '--runs', '2', '--db', fresh]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/^strata: --set controls\.patchCoverage: expected at most 1,000 values, got more\n$/);
    const twice = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,1', '--set', 'controls.patchCoverage=2', '--runs', '2', '--db', fresh]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('strata: sweep: --set controls.patchCoverage=2: expected a field other than the swept controls.patchCoverage, got the same field\n');
    // A twin field's bad value is found when its turn comes: the message says where the values before it are.
    const late = strata(['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'twin.nodes.3.count=1,-1', '--runs', '2', '--workers', '0', '--db', fresh]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/^strata: ward \(with --set\): nodes\[3\]\.count: expected at least 1, got -1 \(group (\w+) holds the values before twin\.nodes\.3\.count=-1; fix it and run again with --resume \1\)\n$/);
  });

  it('a command group without its subcommand shows its help on stderr as a usage error (exit 2); help asked for is exit 0', () => {
    for (const group of ['results', 'twin']) {
      const { code, stdout, stderr } = strata([group]);
      expect(code, group).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^Usage: strata ${group} \\[options\\] \\[command\\]`));
    }
    for (const args of [['results', '--help'], ['help', 'results']]) {
      const { code, stdout } = strata(args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toMatch(/^Usage: strata results/);
    }
  });

  it('trace prints one run as JSON', () => {
    const { code, stdout } = strata(['trace', 'wannacry-down', '--twin', 'ward', '--run', '2']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.schema).toBe('strata.trace/v1');
    expect(doc.events.length).toBeGreaterThan(0);
  });

  it('twin validate, inspect and convert', () => {
    expect(strata(['twin', 'validate', 'scenarios/twins/ward.yaml']).code).toBe(0);
    const inspect = JSON.parse(strata(['twin', 'inspect', 'ward', '--json']).stdout);
    expect(inspect.byLayer.physical).toBeGreaterThan(0);
    const graphml = join(dir, 'ward.graphml');
    expect(strata(['twin', 'convert', 'scenarios/twins/ward.yaml', '-o', graphml]).code).toBe(0);
    expect(strata(['twin', 'validate', graphml]).code).toBe(0);
  });

  it('schema prints the JSON Schema', () => {
    const schema = JSON.parse(strata(['schema', 'regime']).stdout);
    expect(schema.title).toBe('strata.regime/v1');
    expect(strata(['schema', 'nope']).code).toBe(2);
  });

  it('results show and export CSV and Parquet', () => {
    const run = JSON.parse(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '20', '--workers', '0', '--json', '--db', db]).stdout);
    expect(strata(['results', 'show', run.batch, '--db', db]).stdout).toContain(run.batch);
    for (const format of ['csv', 'parquet', 'json']) {
      const file = join(dir, `out.${format}`);
      expect(strata(['results', 'export', run.batch, '--format', format, '-o', file, '--db', db]).code).toBe(0);
      expect(existsSync(file)).toBe(true);
    }
    expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')[0]).toContain('compromised');
    // An unknown id is said of the database looked in; a subcommand's usage error points to its own help.
    const unknown = strata(['results', 'show', 'ffffffff', '--db', db]);
    expect([unknown.code, unknown.stderr]).toEqual([2, `strata: no batch "ffffffff" in ${db} (strata results list --db ${db} shows the batches it holds)\n`]);
    // An export of an unknown id says so first, not that no format was given (a trial was told about the format).
    expect(strata(['results', 'export', 'ffffffff', '--db', db]).stderr).toBe(`strata: no batch "ffffffff" in ${db} (strata results list --db ${db} shows the batches it holds)\n`);
    const usage = strata(['results', 'export', '--db', db]);
    expect([usage.code, usage.stderr]).toEqual([2, "strata: missing required argument 'id' (run strata results export --help for usage)\n"]);
    // Without --format, the -o file's extension says it; with neither, one line says what is needed.
    const inferred = join(dir, 'inferred.PARQUET');
    expect(strata(['results', 'export', run.batch, '-o', inferred, '--db', db]).code).toBe(0);
    expect(readFileSync(inferred).subarray(0, 4).toString('latin1')).toBe('PAR1');
    const unsaid = strata(['results', 'export', run.batch, '-o', join(dir, 'out.txt'), '--db', db]);
    expect([unsaid.code, unsaid.stderr]).toEqual([2, `strata: results export: --format expected csv, parquet or json (-o ${join(dir, 'out.txt')} does not end in .csv, .parquet or .json)\n`]);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
    const clash = strata(['results', 'export', run.batch, '--format', 'csv', '-o', join(dir, 'clash.parquet'), '--db', db]);
    expect([clash.code, clash.stderr]).toEqual([2, `strata: results export: -o expected a file named for --format csv (.csv), got ${join(dir, 'clash.parquet')}\n`]);
    expect(existsSync(join(dir, 'clash.parquet'))).toBe(false);
    // -o - writes to stdout, byte for byte the file; no file named "-".
    const piped = strata(['results', 'export', run.batch, '--format', 'csv', '-o', '-', '--db', db], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(readFileSync(join(dir, 'out.csv'), 'utf8'));
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(piped.stderr).toContain("a CSV on stdout carries no units: -o FILE writes each column's unit beside it");
    // The database itself as the export (a trial's turned it into a CSV, exit 0): refused before any work, the database kept.
    const copy = join(dir, 'copy.csv');
    copyFileSync(db, copy);
    const over = strata(['results', 'export', run.batch, '-o', copy, '--db', copy]);
    expect([over.code, over.stderr]).toEqual([2, `strata: results export: -o: ${copy}: expected a file other than the results database, ${copy}, which it would replace\n`]);
    expect(readFileSync(copy)).toEqual(readFileSync(db));
  });

  it('refuses an option that takes one value given twice, naming the values (the last won in silence); repeatable ones repeat', () => {
    const twice = strata(['run', 'wannacry-down', '--runs', '3', '--runs', '4', '--twin', 'ward', '--twin=acute-trust', '--db', join(tempDir(), 'x.duckdb')]);
    expect([twice.code, twice.stderr]).toEqual([2, 'strata: --twin: expected once (it takes one value), got 2: "ward", "acute-trust"\nstrata: --runs: expected once (it takes one value), got 2: "3", "4"\n']);
    // A short flag's value attached (-ob.csv) counts too; an empty --resume id is said, not a new batch started.
    expect(strata(['results', 'export', 'abc', '-o', 'a.csv', '-ob.csv', '--db', join(tempDir(), 'z.duckdb')]).stderr).toBe('strata: --output: expected once (it takes one value), got 2: "a.csv", "b.csv"\n');
    expect(strata(['run', '--resume', '', '--db', join(tempDir(), 'z.duckdb')])).toMatchObject({ code: 2, stderr: 'strata: run: --resume: expected the id the interrupted batch or group printed, got ""\n' });
    const repeated = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--workers', '0', '--set', 'controls.patchCoverage=0.5', '--set', 'controls.mfa=true', '--json', '--json', '--db', join(tempDir(), 'y.duckdb')]);
    expect(repeated.code, repeated.stderr).toBe(0);
  });

  it('says in one line, not a stack, that its output could not be written (a full disk)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const out = spawnSync(process.execPath, [BIN, 'trace', 'wannacry-down', '--twin', 'ward'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect([out.status, out.stderr]).toEqual([1, 'strata: stdout: expected to write the output, got ENOSPC (no space left on device, write)\n']);
    } finally {
      closeSync(full);
    }
  });

  it('a --db the file system refuses, and --runs with --until-precision (a cap, not ignored)', () => {
    const refused = strata(['results', 'list', '--db', '/dev/null']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('strata: /dev/null is a device, not a results database file\n');
    // Empty values said as such (the store said "file must be a non-empty string"); an empty STRATA_DB is no setting.
    expect(strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--db', ''])).toMatchObject({ code: 2, stderr: 'strata: --db: expected a results database file, got ""\n' });
    const emptyEnv = strata(['results', 'list'], { cwd: tempDir(), env: { STRATA_DB: '' } });
    expect([emptyEnv.code, emptyEnv.stderr]).toEqual([2, 'strata: results: the default database strata.duckdb: expected an existing results database, got no such file\n']);
    const call = strata(['run', 'wannacry-down', '--twin', 'ward', '--until-precision', '0.01', '--runs', '50', '--workers', '0', '--json', '--db', db]);
    const capped = JSON.parse(call.stdout);
    expect(strata(['results', 'show', '', '--db', db])).toMatchObject({ code: 2, stderr: 'strata: results show: expected a batch id (strata results list shows them), got ""\n' });
    expect(capped.runs).toBe(50);
    // A cap reached before the precision is said, in the JSON and on stderr, naming what missed it and by how much.
    expect(capped.precision).toMatchObject({ target: 0.01, reached: false, cap: 50 });
    expect(Object.keys(capped.precision.missed).length).toBeGreaterThan(0);
    for (const miss of Object.values(capped.precision.missed) as { relativeHalfWidth: number; runs: number }[]) {
      expect(miss.relativeHalfWidth).toBeGreaterThan(0.01);
      expect(miss.runs).toBeLessThanOrEqual(50);
    }
    expect(call.stderr).toMatch(/^strata: precision ±1% NOT reached in 50 runs \(the cap\): .+ ±\d/);
    const text = strata(['run', 'wannacry-down', '--twin', 'ward', '--until-precision', '0.01', '--runs', '50', '--workers', '0', '--db', db]);
    expect(text.stdout.split('\n')[2]).toMatch(/^precision ±1% NOT reached in 50 runs \(the cap; --runs raises it\): /);
    // Reached: said, and nothing on stderr.
    const reached = strata(['run', 'wannacry-down', '--twin', 'ward', '--until-precision', '0.05', '--workers', '0', '--db', db]);
    expect(reached.stdout.split('\n')[2]).toBe('every headline mean known to ±5% (95%) after 800 runs');
    expect(reached.stderr).toBe('');
  });
});

describe('strata calibrate', () => {
  const targets = (extra: object) => {
    const file = join(dir, `targets-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'strata.targets/v1',
        scenario: 'wannacry-down',
        twin: 'ward',
        draws: 4,
        runsPerDraw: 2,
        accept: 0.5,
        validationRuns: 10,
        parameters: [{ path: 'scenario.threat.spread.medianMinutes', prior: [5, 120], why: 'test' }],
        targets: [{ metric: 'compromised', value: 6, source: 'test' }],
        ...extra,
      }),
    );
    return file;
  };

  it('fits, refines the closest draws, checks, and writes a calibration file the same for the same seed', () => {
    const file = targets({ rounds: 2, estimate: { method: 'refined-best', candidates: 2, runs: 3 } });
    const outputs = [join(dir, 'cal-a.yaml'), join(dir, 'cal-b.yaml')];
    for (const output of outputs) {
      const { code, stderr } = strata(['calibrate', 'wannacry-down', '--targets', file, '--seed', '3', '--workers', '0', '--output', output]);
      expect(code, stderr).toBe(0);
    }
    const text = readFileSync(outputs[0]!, 'utf8');
    expect(text).toContain('schema: strata.calibration/v1');
    expect(text).toContain('refinedDistances');
    const value = Number(/scenario\.threat\.spread\.medianMinutes: ([\d.]+)/.exec(text)![1]);
    expect(value).toBeGreaterThanOrEqual(5);
    expect(value).toBeLessThanOrEqual(120);
    // Reproducible from the seed: only the elapsed time differs.
    const strip = (t: string) => t.replace(/elapsedSeconds: \d+/, '');
    expect(strip(readFileSync(outputs[1]!, 'utf8'))).toBe(strip(text));
  });

  it('never replaces the default (tracked) calibration file unless told to, and says so before any work', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'scenarios', 'calibration'), { recursive: true });
    const existing = join(cwd, 'scenarios', 'calibration', 'wannacry-down.ward.yaml');
    writeFileSync(existing, 'schema: strata.calibration/v1\n');
    const started = Date.now();
    const { code, stderr } = strata(['calibrate', 'wannacry-down', '--targets', targets({}), '--workers', '0'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^strata: calibrate: scenarios\/calibration\/wannacry-down\.ward\.yaml: expected a new file .* with -o FILE, or replace it with --force\n$/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(readFileSync(existing, 'utf8')).toBe('schema: strata.calibration/v1\n');
  });

  it('refuses a bad targets file with exit 2, one line per problem naming the file and field', () => {
    const file = targets({ estimate: { method: 'refined-best' } });
    const { code, stderr } = strata(['calibrate', 'wannacry-down', '--targets', file, '--workers', '0']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([`strata: ${file}: estimate.candidates: expected number, got nothing (required)`, `strata: ${file}: estimate.runs: expected number, got nothing (required)`]);
  });

  it('calibrates a scenario given by its file, and the calibration it writes is taken by run on that file', () => {
    const scenario = join(dir, 'my-wannacry.yaml');
    writeFileSync(scenario, readFileSync('scenarios/wannacry-down.yaml', 'utf8'));
    const output = join(dir, 'cal-from-path.yaml');
    const fitted = strata(['calibrate', scenario, '--targets', targets({}), '--workers', '0', '--output', output]);
    expect(fitted.code, fitted.stderr).toBe(0);
    // The document's own name, not the path typed (which --calibration could never match).
    expect(readFileSync(output, 'utf8')).toMatch(/^scenario: wannacry-down$/m);
    const run = strata(['run', scenario, '--twin', 'ward', '--runs', '3', '--calibration', output, '--db', join(dir, 'cal-from-path.duckdb')]);
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  it("names the targets file's field for a parameter path that is no number field, and a prior the field refuses, before any runs", () => {
    const output = join(dir, 'never-written.yaml');
    const file = targets({
      parameters: [
        { path: 'scenario.nosuch', prior: [0.1, 0.5], why: 'test' },
        { path: 'scenario.clinical.downtimeCapacity', prior: [0.5, 2], why: 'test' },
        { path: 'scenario.threat.entries.9.share', prior: [0.1, 0.5], why: 'test' },
        { path: 'controls.nosuch', prior: [0.1, 0.5], why: 'test' },
        { path: 'scenario.threat.spread.medianMinutes', prior: [5, 120], why: 'test' },
      ],
    });
    const { code, stdout, stderr } = strata(['calibrate', 'wannacry-down', '--targets', file, '--workers', '0', '--output', output]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      `strata: ${file}: parameters[0].path: scenario: expected only known fields, got unknown field "nosuch"`,
      `strata: ${file}: parameters[1].prior: scenario.clinical.downtimeCapacity: expected at most 1, got 2`,
      `strata: ${file}: parameters[2].path: expected a list index of "threat.entries" (0 to 2), got "9"`,
      `strata: ${file}: parameters[3].path: regime.controls: expected only known fields, got unknown field "nosuch"`,
      '',
    ]);
    expect(existsSync(output)).toBe(false);
  });

  it('refuses priors that pass one by one but clash together, naming the two and the rule, before any runs', () => {
    // A staged rollout's waves must increase: a first wave up to 0.08 and a second down to 0.05 pass alone
    // (against the other's value in the regime, 0.1 and 0.01) and clash at that corner. Before, a draw
    // there stopped the calibration in its middle, or was never drawn.
    const output = join(dir, 'never-written-clash.yaml');
    const file = targets({
      scenario: 'crowdstrike-update',
      regime: 'staged-rollout',
      parameters: [
        { path: 'controls.stagedRollout.waves.0', prior: [0.01, 0.08], why: 'test' },
        { path: 'controls.stagedRollout.haltAfterFailures', prior: [1, 30], why: 'test' },
        { path: 'controls.stagedRollout.waves.1', prior: [0.05, 0.4], why: 'test' },
      ],
      targets: [{ metric: 'disrupted', value: 6, source: 'test' }],
    });
    const { code, stdout, stderr } = strata(['calibrate', 'crowdstrike-update', '--targets', file, '--workers', '0', '--output', output]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(
      `strata: ${file}: parameters: expected priors the documents accept in every combination, got a clash at parameters[0] (controls.stagedRollout.waves.0) at 0.08 with parameters[2] (controls.stagedRollout.waves.1) at 0.05: controls.stagedRollout.waves: expected increasing cumulative shares ending at 1, got [0.08, 0.05, 0.5, 1]\n`,
    );
    expect(existsSync(output)).toBe(false);
  });

  it('writes its progress as whole lines when stderr is not a terminal (no carriage returns), and Ctrl-C on a line of its own', async () => {
    const file = targets({ rounds: 2, estimate: { method: 'refined-best', candidates: 2, runs: 3 } });
    const every = strata(['calibrate', 'wannacry-down', '--targets', file, '--workers', '0', '--output', join(dir, 'cal-lines.yaml')], { env: { STRATA_LOG_INTERVAL_S: '0' } });
    expect(every.code, every.stderr).toBe(0);
    expect(every.stderr).not.toContain('\r');
    expect(every.stderr.split('\n')).toEqual([...[1, 2].flatMap((round) => [1, 2, 3, 4].map((draw) => expect.stringMatching(new RegExp(`^calibrate: round ${round}/2, draw ${draw}/4, best distance \\d+\\.\\d{3}$`)))), 'calibrate: refining 1/2', 'calibrate: refining 2/2', '']);
    // At a long interval (the default 30 s could pass on a loaded machine): the first draw, each round's last and the refinement's last.
    const sparse = strata(['calibrate', 'wannacry-down', '--targets', file, '--workers', '0', '--output', join(dir, 'cal-lines.yaml')], { env: { STRATA_LOG_INTERVAL_S: '3600' } });
    expect(sparse.code, sparse.stderr).toBe(0);
    expect(sparse.stderr.replace(/best distance [\d.]+/g, 'best distance D')).toBe(
      'calibrate: round 1/2, draw 1/4, best distance D\ncalibrate: round 1/2, draw 4/4, best distance D\ncalibrate: round 2/2, draw 4/4, best distance D\ncalibrate: refining 2/2\n',
    );

    const long = targets({ draws: 10_000, runsPerDraw: 20 });
    const child = strataAsync(['calibrate', 'wannacry-down', '--targets', long, '--workers', '0', '--output', join(dir, 'never-written.yaml')], { env: { STRATA_LOG_INTERVAL_S: '0' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    for (let waited = 0; waited < 60_000 && !/draw 2\//.test(stderr) && child.exitCode === null; waited += 20) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).not.toContain('\r');
    const lines = stderr.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('strata: calibrate: interrupted; nothing was written (a calibration is not resumable: run it again)');
    expect(lines.slice(0, -2).every((line) => /^calibrate: round 1\/1, draw \d+\/10000, best distance [\d.]+$/.test(line))).toBe(true);
    expect(existsSync(join(dir, 'never-written.yaml'))).toBe(false);
  }, 120_000);

  it("names the targets file's field for an unknown metric (every one, on the first draw), a reversed prior and another scenario", () => {
    const output = join(dir, 'never-written.yaml');
    const metrics = targets({ targets: [{ metric: 'compromisd', value: 6, source: 'test' }, { metric: ['disrupted', 'nosuch'], value: 1, source: 'test' }] });
    const unknown = strata(['calibrate', 'wannacry-down', '--targets', metrics, '--workers', '0', '--output', output]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n').filter((line) => line.startsWith('strata:'))).toEqual([
      `strata: ${metrics}: targets[0].metric: expected a metric of this scenario and twin (docs/metrics.md), got "compromisd" (did you mean "compromised"?)`,
      `strata: ${metrics}: targets[1].metric[1]: expected a metric of this scenario and twin (docs/metrics.md), got "nosuch"`,
    ]);
    const prior = targets({ parameters: [{ path: 'scenario.threat.spread.medianMinutes', prior: [120, 5], why: 'test' }] });
    const reversed = strata(['calibrate', 'wannacry-down', '--targets', prior, '--workers', '0', '--output', output]);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toBe(`strata: ${prior}: parameters[0].prior: expected [low, high] with low < high, got [120,5]\n`);
    const other = strata(['calibrate', 'medjack-up', '--targets', targets({}), '--workers', '0', '--output', output]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/: scenario: expected the scenario calibrated, "medjack-up", got "wannacry-down"\n$/);
    // A twin or regime that is none, said of the targets file's field.
    const noTwin = targets({ twin: 'nosuch' });
    expect(strata(['calibrate', 'wannacry-down', '--targets', noTwin, '--workers', '0', '--output', output]).stderr).toBe(`strata: ${noTwin}: twin: expected a twin file or one of ward, acute-trust, nhs-england, got neither\n`);
    expect(existsSync(output)).toBe(false);
  });
});

describe('strata serve', () => {
  it('refuses a port in use and an address this machine lacks as bad input, exit 2, not an internal error', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const db = join(tempDir(), 'serve.duckdb');
      const busy = strata(['serve', '--port', String(port), '--db', db]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(`strata: serve: --port ${port}: expected a free port, got one in use on 127.0.0.1 (--port 0 takes any free one)\n`);
      const nowhere = strata(['serve', '--host', '256.1.1.1', '--port', '0', '--db', db]);
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toMatch(/^strata: serve: --host 256\.1\.1\.1: expected an address of this machine, got /);
    } finally {
      taken.close();
    }
  });
});
