import { describe, expect, it } from 'vitest';
import { runBatch } from '../../engine/batch/batch.js';
import { compile } from '../../engine/compile/compile.js';
import { loadScenarioFile } from '../../engine/model/load-file.js';
import { pairedComparison, wilsonInterval } from '../../engine/stats/index.js';
import { resolveRegime, resolveScenario } from '../../scenarios/index.js';

/**
 * The seed scenarios behave qualitatively as their real-world counterparts on the built-in twins, and every
 * seed regime moves them the way it should. These are structure checks, not calibration: thresholds sit far
 * from the observed values (noted beside each) so that recalibrating a delay or a share does not trip them,
 * while a broken path (MedJack stuck on the devices, a hub that segmentation cannot close, a rollout that
 * does not halt) does.
 *
 * Statistics. Every regime is run on the same run seeds as baseline (common random numbers), so a control
 * that does not touch a threat's path leaves every run bit-identical: those checks are exact. Differences
 * are judged by the 95% paired t interval of the per-run differences (engine/stats pairedComparison) lying
 * wholly on one side of zero, plus a relative size; shares of runs by a 95% Wilson interval, which stays
 * honest at 0 or n successes. 100 runs a case (crowdstrike: 200, it is cheap): the effects asserted are
 * tens of standard errors wide at that size, so the checks are not flaky, and the file stays in seconds.
 */

const TWIN = 'acute-trust';
const SEED = 1;
const RUNS = 100;

type Columns = Record<string, Float64Array>;
const cache = new Map<string, Promise<Columns>>();

/** Per-run metric columns of a scenario × regime on the acute-trust twin (in-process, cached). */
function outcomes(scenarioName: string, regime: string, runs = RUNS): Promise<Columns> {
  const key = `${scenarioName}/${regime}/${runs}`;
  let result = cache.get(key);
  if (!result) {
    result = (async () => {
      const { scenario, twin } = resolveScenario(scenarioName, TWIN);
      const batch = await runBatch(compile(twin, scenario, resolveRegime(regime)), { runs, seed: SEED, workers: 0 });
      const width = batch.metricNames.length;
      const columns: Columns = {};
      batch.metricNames.forEach((name, j) => {
        const column = new Float64Array(runs);
        for (let r = 0; r < runs; r++) column[r] = batch.rows[r * width + j]!;
        columns[name] = column;
      });
      return columns;
    })();
    cache.set(key, result);
  }
  return result;
}

const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** A `reachedAt.*` column with "never" (NaN) counted as the horizon, so runs can be paired whatever happens. */
const censored = (xs: Float64Array, horizonMinutes: number): Float64Array => xs.map((x) => (Number.isNaN(x) ? horizonMinutes : x));
const MEDJACK_HORIZON = loadScenarioFile('scenarios/medjack-up.yaml').horizonHours * 60;
/** Runs in which the metric is > 0 (for `lost.<owner>`: the owner lost something) or not NaN (`reachedAt.*`). */
const share = (xs: Float64Array, hit: (x: number) => boolean = (x) => x > 0) => wilsonInterval(xs.filter(hit).length, xs.length);
/** Paired comparison of `regime` against baseline on one metric (B − A, A = baseline). */
async function versusBaseline(scenarioName: string, regime: string, metric: string, runs = RUNS) {
  const [a, b] = await Promise.all([outcomes(scenarioName, 'baseline', runs), outcomes(scenarioName, regime, runs)]);
  return pairedComparison(a[metric]!, b[metric]!);
}
/** Every metric of every run identical to baseline: the regime's controls are not on this threat's path. */
async function identicalToBaseline(scenarioName: string, regime: string, runs = RUNS): Promise<void> {
  const [a, b] = await Promise.all([outcomes(scenarioName, 'baseline', runs), outcomes(scenarioName, regime, runs)]);
  for (const metric of Object.keys(a)) {
    expect(Array.from(b[metric]!), `${scenarioName}/${regime}: ${metric}`).toEqual(Array.from(a[metric]!));
  }
}

describe('medjack-up on acute-trust: one operator climbs from a hijacked device toward the directory, EHR, PACS and vendor clouds', () => {
  // Rewritten for operator-driven intrusions (kernel/operators.ts). The old checks encoded a contagion that
  // compromised ~3,300 nodes in every run and reached the cloud in minutes; TrapX describes a handful of
  // hijacked devices used as a foothold and to take data out, which is what these now assert.
  it('takes a handful of hosts, climbs out of the device layer in most runs and takes records in some', async () => {
    const o = await outcomes('medjack-up', 'baseline');
    // Observed (1,000 runs, the CLI's seed): median 4 nodes compromised (p95 8), the cloud reached in ~64% of
    // runs, records taken in over half — up to the trust's 499,200 patients, never more (one catchment, once).
    const sorted = Float64Array.from(o.compromised!).sort();
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(20);
    expect(Math.max(...o.compromised!)).toBeLessThan(200);
    expect(mean(o['crossings.up']!)).toBeGreaterThan(0.5);
    const cloud = share(o['reached.cloud']!);
    expect(cloud.lo).toBeGreaterThan(0.25);
    expect(cloud.hi).toBeLessThan(0.9);
    expect(share(o.recordsExposed!).lo).toBeGreaterThan(0.05);
    expect(Math.max(...o.recordsExposed!)).toBeLessThanOrEqual(499_200);
    // Stealthy: compromise, no disruption.
    expect(mean(o.disrupted!)).toBe(0);
  });

  it.each(['least-privilege', 'charter', 'all-controls'])('is held lower by %s (MFA and least privilege on credential moves)', async (regime) => {
    // Observed (500 runs): the cloud reached in ~1% of runs instead of ~64%, the first cross-layer hop hours
    // later; records exposed −68% under least-privilege. Asserted only for all-controls (EDR and backups
    // besides), the one far enough from zero at 100 runs in every version measured.
    const [a, b] = await Promise.all([outcomes('medjack-up', 'baseline'), outcomes('medjack-up', regime)]);
    expect(pairedComparison(a['reached.cloud']!, b['reached.cloud']!).paired.hi).toBeLessThan(0);
    expect(share(b['reached.cloud']!).hi).toBeLessThan(0.2);
    if (regime === 'all-controls') expect((await versusBaseline('medjack-up', regime, 'recordsExposed')).paired.hi).toBeLessThan(0);
    expect(pairedComparison(censored(a['reachedAt.cloud']!, MEDJACK_HORIZON), censored(b['reachedAt.cloud']!, MEDJACK_HORIZON)).paired.lo).toBeGreaterThan(0);
  });

  it('is barely touched by segmentation, which closes network flows, not credential moves', async () => {
    // The operator's route is identity and management links; segmentation keeps every VLAN's flow to the
    // servers. Observed (100 runs): records exposed −2% (interval spans 0), cloud reach −6 points.
    const records = await versusBaseline('medjack-up', 'segmented', 'recordsExposed');
    expect(Math.abs(records.relativeChange)).toBeLessThan(0.3);
    const [a, b] = await Promise.all([outcomes('medjack-up', 'baseline'), outcomes('medjack-up', 'segmented')]);
    expect(mean(b['reached.cloud']!) - mean(a['reached.cloud']!)).toBeGreaterThan(-0.2);
  });

  it('is not touched at all by staged rollouts', () => identicalToBaseline('medjack-up', 'staged-rollout'));
});

describe('wannacry-down on acute-trust: a worm from the DMZ down to devices', () => {
  it('encrypts hosts and crosses down to devices under baseline', async () => {
    const o = await outcomes('wannacry-down', 'baseline');
    // Observed (1,000 runs, the CLI's seed): ~1,110 hosts encrypted on average, varying from run to run (CV
    // 0.42: the worm leaves its entry subnet in most runs, not all; it was ~1,320 in every run before issue 11).
    expect(mean(o.disrupted!)).toBeGreaterThan(300);
    expect(mean(o['crossings.down']!)).toBeGreaterThan(1);
    expect(mean(o.appointmentsCancelled!)).toBeGreaterThan(100);
  });

  it.each<[string, number]>([
    // Observed reductions in hosts encrypted (1,000 runs): segmented −93%, charter −96% (before issue 11:
    // −73% and −56%, when every vulnerable host fell in every run).
    ['segmented', -0.5],
    ['charter', -0.3],
    ['all-controls', -0.8],
  ])('encrypts fewer hosts under %s', async (regime, atMost) => {
    const disrupted = await versusBaseline('wannacry-down', regime, 'disrupted');
    expect(disrupted.paired.hi).toBeLessThan(0);
    expect(disrupted.relativeChange).toBeLessThan(atMost);
    expect((await versusBaseline('wannacry-down', regime, 'appointmentsCancelled')).paired.hi).toBeLessThan(0);
  });

  it('is contained by segmentation instead of rerouted through the server VLAN', async () => {
    // Were the server VLAN's flows to every VLAN essential, segmentation would leave the count unchanged
    // and multiply down-crossings (the worm routed via the servers): observed before the fix, 1,320 → 1,320
    // hosts and ~15 → ~155 down-crossings. Now 1,321 → 362 hosts, and down-crossings stay of the same order.
    const [a, b] = await Promise.all([outcomes('wannacry-down', 'baseline'), outcomes('wannacry-down', 'segmented')]);
    expect(mean(b.compromised!)).toBeLessThan(0.5 * mean(a.compromised!));
    expect(mean(b['crossings.down']!)).toBeLessThan(3 * mean(a['crossings.down']!));
  });

  it('encrypts fewest under all-controls', async () => {
    const all = mean((await outcomes('wannacry-down', 'all-controls')).disrupted!);
    for (const regime of ['segmented', 'charter']) expect(all).toBeLessThan(mean((await outcomes('wannacry-down', regime)).disrupted!));
  });

  it.each(['least-privilege', 'staged-rollout'])('is not touched at all by %s (a worm uses no credentials and no update channel)', (regime) =>
    identicalToBaseline('wannacry-down', regime),
  );
});

describe('crowdstrike-update on acute-trust: a faulty update from the cloud down to every endpoint', () => {
  const RUNS_CS = 200;

  it('is cut by more than half by a staged rollout, with a paired interval far from zero', async () => {
    // The CLI's `strata compare crowdstrike-update --regimes baseline,staged-rollout` reports this
    // comparison. Observed: ~2,280 hosts down at baseline (the sensor as deployed), 3 under staged-rollout (the canary's halt rule).
    for (const regime of ['staged-rollout', 'all-controls']) {
      const disrupted = await versusBaseline('crowdstrike-update', regime, 'disrupted', RUNS_CS);
      expect(disrupted.meanA).toBeGreaterThan(500);
      expect(disrupted.paired.hi).toBeLessThan(0);
      expect(disrupted.relativeChange).toBeLessThan(-0.5);
      expect(disrupted.relativeChange).toBeLessThan(-0.9); // observed −99.9%: the canary catches it
      const appointments = await versusBaseline('crowdstrike-update', regime, 'appointmentsCancelled', RUNS_CS);
      expect(appointments.paired.hi).toBeLessThan(0);
    }
  });

  it('recovers faster under the Charter (backups), with as many hosts down', async () => {
    // Observed: time to recovery −44%, appointments −48%; the same hosts crash (no rollout control).
    const recovery = await versusBaseline('crowdstrike-update', 'charter', 'timeToRecovery', RUNS_CS);
    expect(recovery.paired.hi).toBeLessThan(0);
    expect(recovery.relativeChange).toBeLessThan(-0.2);
    const disrupted = await versusBaseline('crowdstrike-update', 'charter', 'disrupted', RUNS_CS);
    expect(disrupted.meanDifference).toBe(0);
  });

  it.each(['segmented', 'least-privilege'])('is not touched at all by %s (an update needs no network path or credential)', (regime) =>
    identicalToBaseline('crowdstrike-update', regime, RUNS_CS),
  );
});

describe('wannacry-down on nhs-england', () => {
  it(
    'enters at many trusts in every run, in well under a second a run',
    async () => {
      const { scenario, twin } = resolveScenario('wannacry-down', 'nhs-england');
      const compiled = compile(twin, scenario, resolveRegime('baseline'));
      // The trusts' entries, split by region (NAO HC 414 ¶2.2): share 0.1 of the 272 internet-facing SMBv1
      // hosts of trusts in the North and Midlands and East = 27 entries, 0.02 of the other 200 = 4.
      expect(compiled.model.entryParams[0]).toBe(27);
      expect(compiled.model.entryParams[3]).toBe(4);
      // Observed over 20 runs: 0.3–0.6 s a run on one thread, 39–45 trusts infected, 159–172 affected.
      const batch = await runBatch(compiled, { runs: 5, seed: SEED, workers: 0 });
      const width = batch.metricNames.length;
      const column = (name: string): number[] => Array.from({ length: 5 }, (_, r) => batch.rows[r * width + batch.metricNames.indexOf(name)]!);
      for (const infected of column('trustsInfected')) expect(infected).toBeGreaterThan(10);
      for (const affected of column('trustsAffected')) expect(affected).toBeGreaterThan(1);
    },
    120_000,
  );
});
