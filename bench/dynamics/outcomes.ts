import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from '../../cli/args.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { BatchRunner, type BatchResult } from '../../engine/batch/batch.js';
import { compareBatches } from '../../engine/batch/summarize.js';
import { argument, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { revision } from '../harness/revision.js';

/**
 * Whether the seed scenarios' answers come from their dynamics (issue 11): on acute-trust, 1,000 runs each at
 * the CLI's seed, through the CLI's calls (loadInputs with `--set` overrides, compileInputs, a BatchRunner).
 *
 * - medjack-up: median nodes compromised over its 90 days; the median time to reach the cloud (runs that
 *   never do count as never, so the median is taken over all runs) with every action time as given, ten
 *   times slower, and with four operators instead of one; records exposed against the trust's patients.
 * - wannacry-down: the coefficient of variation of nodes compromised, and its elasticities — d ln E[X] /
 *   d ln θ by a central difference at θ × 1.5 and θ ÷ 1.5, the same run seeds at both ends — to the
 *   subnet and routed spread times and the response delays; and compare's intervals for segmented and
 *   charter against baseline.
 * - vendor-cloud-down (issue 13): the coefficient of variation of the serious-or-worse harm events, and their
 *   elasticities, as above, to the clinicians' noticing, the push's arrival and the responses' delays; and
 *   compare's intervals for vendor access and dose limits against baseline.
 *
 * A report, not a timing: one launch, fixed seed. Writes bench/results/dynamics.json and prints the figures
 * on stderr; stdout carries the one JSON line.
 *
 *   node --import tsx bench/dynamics/outcomes.ts [--runs 1000] [--workers N]
 */
const TWIN = 'acute-trust';
const ACTIONS = ['discover', 'exploit', 'harvest', 'move', 'deploy'] as const;
/** wannacry-down's parameters whose elasticity is reported (their values are read from the scenario). */
const WANNACRY_DYNAMICS = [
  'scenario.threat.spread.medianMinutes',
  'scenario.threat.routedSpread.medianMinutes',
  'scenario.responses.0.delay.medianMinutes',
  'scenario.responses.1.delay.medianMinutes',
  'scenario.detection.disrupted.medianMinutes',
];

/** vendor-cloud-down's parameters whose elasticity on the serious harm is reported. */
const VENDOR_DYNAMICS = [
  'scenario.detection.altered.medianMinutes',
  'scenario.threat.payload.arrival.medianMinutes',
  'scenario.responses.0.delay.medianMinutes',
  'scenario.responses.1.delay.medianMinutes',
  'scenario.recovery.startDelay.medianMinutes',
];

/** The number at a `--set` path (`scenario.` paths only) in the scenario as loaded. */
function valueAt(scenario: string, path: string): number {
  let value: unknown = loadInputs(scenario, { twin: TWIN }).scenario;
  for (const part of path.split('.').slice(1)) value = (value as Record<string, unknown>)[part];
  if (typeof value !== 'number') throw new Error(`${scenario}: ${path} is not a number`);
  return value;
}
const STEP = 1.5;

async function batch(scenario: string, runs: number, workers: number, set: string[] = [], regime = 'baseline'): Promise<BatchResult> {
  const compiled = compileInputs(loadInputs(scenario, { twin: TWIN, regime, set }));
  const runner = new BatchRunner({ workers });
  try {
    return await runner.run(compiled, { runs, seed: DEFAULT_SEED });
  } finally {
    await runner.close();
  }
}

function column(result: BatchResult, metric: string): Float64Array {
  const j = result.metricNames.indexOf(metric);
  const width = result.metricNames.length;
  return Float64Array.from({ length: result.runs }, (_, r) => result.rows[r * width + j]!);
}

/** The median with NaN ("never") counted as +Infinity; Infinity when more than half never happen. */
function medianOrNever(xs: Float64Array): number {
  const sorted = Array.from(xs, (x) => (Number.isNaN(x) ? Infinity : x)).sort((a, b) => a - b);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: Float64Array): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const finite = (x: number): number | null => (Number.isFinite(x) ? round(x, 4) : null);

async function medjack(runs: number, workers: number): Promise<Measurements> {
  const base = await batch('medjack-up', runs, workers);
  const slower = ACTIONS.map((a) => `scenario.threat.actions.${a}.medianMinutes`).map((path) => `${path}=${valueAt('medjack-up', path) * 10}`);
  const slow = await batch('medjack-up', runs, workers, slower);
  const four = await batch('medjack-up', runs, workers, ['scenario.threat.operators=4']);
  const compromised = column(base, 'compromised');
  const cloud = (b: BatchResult): number => medianOrNever(column(b, 'reachedAt.cloud')) / 60;
  const records = column(base, 'recordsExposed');
  return {
    medianCompromised: medianOrNever(compromised),
    p95Compromised: Array.from(compromised).sort((a, b) => a - b)[Math.floor(0.95 * runs)]!,
    cloudShare: round(column(base, 'reached.cloud').reduce((a, b) => a + b, 0) / runs, 4),
    medianHoursToCloud: finite(cloud(base)),
    medianHoursToCloudTenfoldSlower: finite(cloud(slow)),
    slowdownRatio: finite(cloud(slow) / cloud(base)),
    medianHoursToCloudFourOperators: finite(cloud(four)),
    fourOverOne: finite(cloud(four) / cloud(base)),
    maxRecordsExposed: Math.max(...records),
    // The trust's patients: acute-trust's EHR and PACS hold the same 499,200 records (one catchment).
    catchmentPatients: 499_200,
  };
}

async function wannacry(runs: number, workers: number): Promise<Measurements> {
  const base = await batch('wannacry-down', runs, workers);
  const compromised = column(base, 'compromised');
  const out: Measurements = { meanCompromised: round(mean(compromised), 1), cvCompromised: round(sd(compromised) / mean(compromised), 4) };
  for (const path of WANNACRY_DYNAMICS) {
    const value = valueAt('wannacry-down', path);
    const up = mean(column(await batch('wannacry-down', runs, workers, [`${path}=${value * STEP}`]), 'compromised'));
    const down = mean(column(await batch('wannacry-down', runs, workers, [`${path}=${value / STEP}`]), 'compromised'));
    out[`elasticity:${path}`] = round((Math.log(up) - Math.log(down)) / (2 * Math.log(STEP)), 4);
  }
  for (const regime of ['segmented', 'charter']) {
    const other = await batch('wannacry-down', runs, workers, [], regime);
    const c = compareBatches(base, other).compromised!;
    out[`${regime}-baseline`] = `${round(c.meanDifference, 1)} [${round(c.paired.lo, 1)}, ${round(c.paired.hi, 1)}]`;
    out[`${regime}-baseline:halfWidth`] = round(c.paired.halfWidth, 2);
  }
  return out;
}

/** Serious-or-worse harm: its spread across runs, what moves it, and what the regimes change (paired). */
async function vendorCloud(runs: number, workers: number): Promise<Measurements> {
  const name = 'vendor-cloud-down';
  const metric = 'safetyEventsSerious';
  const base = await batch(name, runs, workers);
  const harm = column(base, metric);
  const out: Measurements = { meanSerious: round(mean(harm), 2), cvSerious: round(sd(harm) / mean(harm), 4), meanExposed: round(mean(column(base, 'patientsExposedAltered')), 1) };
  for (const path of VENDOR_DYNAMICS) {
    const value = valueAt(name, path);
    const up = mean(column(await batch(name, runs, workers, [`${path}=${value * STEP}`]), metric));
    const down = mean(column(await batch(name, runs, workers, [`${path}=${value / STEP}`]), metric));
    out[`elasticity:${path}`] = round((Math.log(up) - Math.log(down)) / (2 * Math.log(STEP)), 4);
  }
  for (const regime of ['vendor-access', 'dose-limits']) {
    const c = compareBatches(base, await batch(name, runs, workers, [], regime))[metric]!;
    out[`${regime}-baseline`] = `${round(c.meanDifference, 2)} [${round(c.paired.lo, 2)}, ${round(c.paired.hi, 2)}]`;
  }
  return out;
}

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const runs = options.quick ? 20 : Number(argument(options.args, 'runs', '1000'));
  const workers = Number(argument(options.args, 'workers', options.quick ? '0' : '2'));
  const result = { revision: revision(), runs, medjack: await medjack(runs, workers), wannacry: await wannacry(runs, workers), vendorCloud: await vendorCloud(runs, workers) };
  const medianCompromised = result.medjack.medianCompromised as number;
  const cv = result.wannacry.cvCompromised as number;
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', options.quick ? 'dynamics.quick.json' : 'dynamics.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
  return { medianCompromisedMedjack: medianCompromised, cvCompromisedWannacry: cv };
}

await main(import.meta.url, measure);
