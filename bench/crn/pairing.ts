import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from '../../cli/args.js';
import { HEADLINE } from '../../cli/format.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { BatchRunner, type BatchResult } from '../../engine/batch/batch.js';
import { compareBatches } from '../../engine/batch/summarize.js';
import { medianPairingGain, pairingGain, type PairingKind } from '../../engine/stats/pairing-gain.js';
import { argument, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';
import { revision } from '../harness/revision.js';

/**
 * What common random numbers buy in the comparisons policy analysts run: for each comparison below, on
 * acute-trust, every headline outcome's paired over unpaired 95% half-width and the run-to-run correlation
 * of the two regimes — the figures `strata compare` prints beside each difference, computed through the
 * same calls (loadInputs, compileInputs, a BatchRunner, compareBatches, pairingGain). A ratio ≤ 0.5 is
 * the pairing doing its job (the interval of four times the runs); near 1, the regimes' runs are as good as
 * independent. Writes bench/results/crn-pairing.json (quick: crn-pairing.quick.json) and prints the table
 * on stderr; stdout carries the one JSON line of per-comparison medians.
 *
 *   node --import tsx bench/crn/pairing.ts [--runs 1000] [--seed 20170512] [--workers N]
 *
 * The seed is fixed (the CLI's default), not varied by launch: figures before and after a kernel change
 * must come from the same run seeds.
 */
export const COMPARISONS = [
  { scenario: 'wannacry-down', regime: 'charter' },
  { scenario: 'wannacry-down', regime: 'segmented' },
  { scenario: 'medjack-up', regime: 'least-privilege' },
  { scenario: 'crowdstrike-update', regime: 'staged-rollout' },
] as const;
const REFERENCE = 'baseline';
const TWIN = 'acute-trust';
/** A paired interval at most half as wide as the unpaired one: worth four times the runs. */
const GOOD_RATIO = 0.5;

export interface MetricPairing {
  metric: string;
  label: string;
  kind: PairingKind;
  /** Paired over unpaired (Welch) 95% half-width: the figure `strata compare` reports. */
  pairedOverUnpaired: number | null;
  /** sd(B − A) / √(sd_A² + sd_B²): shared/tools/crn-ratio.mjs's definition (no t quantiles). */
  sdRatio: number | null;
  correlation: number | null;
  /**
   * The smallest ratio any pairing could give with these two spreads: |sd_A − sd_B| / √(sd_A² + sd_B²), at
   * correlation 1. When one regime's spread dwarfs the other's (an outcome a control mostly removes), this
   * floor is above 0.5 and no coupling can reach it.
   */
  floor: number | null;
  atMostHalf: boolean | null;
  /** B − A is 0 in every run. */
  identicallyZero: boolean;
  meanDifference: number;
  n: number;
}

export interface ComparisonPairing {
  scenario: string;
  reference: string;
  regime: string;
  medianPairedOverUnpaired: number | null;
  /** Outcomes that vary in both regimes and not identically (the ones the median is over). */
  varying: number;
  atMostHalf: number;
  identicallyZero: number;
  metrics: MetricPairing[];
}

const here = dirname(fileURLToPath(import.meta.url));

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const runs = Number(argument(options.args, 'runs', options.quick ? '12' : '1000'));
  const seed = Number(argument(options.args, 'seed', String(DEFAULT_SEED)));
  const workers = Number(argument(options.args, 'workers', options.quick ? '0' : '2'));
  if (!Number.isInteger(runs) || runs < 2) throw new TypeError(`bench/crn/pairing: --runs must be an integer ≥ 2, got ${runs}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new TypeError(`bench/crn/pairing: --seed must be a non-negative integer, got ${seed}`);

  const started = performance.now();
  const runner = new BatchRunner({ workers });
  const batches = new Map<string, BatchResult>();
  const batch = async (scenario: string, regime: string): Promise<BatchResult> => {
    const key = `${scenario}/${regime}`;
    let result = batches.get(key);
    if (!result) {
      result = await runner.run(compileInputs(loadInputs(scenario, { twin: TWIN, regime })), { runs, seed });
      if (!result.complete) throw new Error(`bench/crn/pairing: ${key} did not finish`);
      batches.set(key, result);
    }
    return result;
  };
  const comparisons: ComparisonPairing[] = [];
  try {
    for (const { scenario, regime } of COMPARISONS) {
      const differences = compareBatches(await batch(scenario, REFERENCE), await batch(scenario, regime));
      const metrics: MetricPairing[] = HEADLINE.filter(([metric]) => differences[metric]).map(([metric, label]) => {
        const d = differences[metric]!;
        const gain = pairingGain(d);
        const spread = Math.hypot(d.sdA, d.sdB);
        return {
          metric,
          label,
          kind: gain.kind,
          pairedOverUnpaired: gain.pairedOverUnpaired,
          sdRatio: d.sdDifference > 0 && spread > 0 ? d.sdDifference / spread : null,
          correlation: gain.correlation,
          floor: spread > 0 ? Math.abs(d.sdA - d.sdB) / spread : null,
          atMostHalf: gain.pairedOverUnpaired === null ? null : gain.pairedOverUnpaired <= GOOD_RATIO,
          identicallyZero: d.sdDifference === 0 && d.meanDifference === 0,
          meanDifference: d.meanDifference,
          n: d.n,
        };
      });
      const { median, over } = medianPairingGain(metrics.map((m) => ({ kind: m.kind, pairedOverUnpaired: m.pairedOverUnpaired, correlation: m.correlation })));
      comparisons.push({
        scenario,
        reference: REFERENCE,
        regime,
        medianPairedOverUnpaired: median,
        varying: over,
        atMostHalf: metrics.filter((m) => m.kind === 'varying' && m.atMostHalf).length,
        identicallyZero: metrics.filter((m) => m.identicallyZero).length,
        metrics,
      });
    }
  } finally {
    await runner.close();
  }
  const elapsedMs = performance.now() - started;

  console.error(report(comparisons, runs, seed));
  const results = join(here, '..', 'results');
  mkdirSync(results, { recursive: true });
  const record = {
    name: 'crn-pairing',
    twin: TWIN,
    runs,
    seed,
    node: process.version,
    date: new Date().toISOString(),
    revision: revision(),
    definition:
      'pairedOverUnpaired: paired t 95% half-width (n − 1 df) over the Welch 95% half-width (Welch–Satterthwaite df) on the same runs; ' +
      'sdRatio: sd(B − A) / √(sdA² + sdB²) (shared/tools/crn-ratio.mjs), equal up to the ratio of the two t quantiles. ' +
      `Medians over the headline outcomes of kind "varying"; atMostHalf: pairedOverUnpaired ≤ ${GOOD_RATIO}.`,
    elapsedMs: Math.round(elapsedMs),
    comparisons,
  };
  writeFileSync(join(results, `crn-pairing${options.quick ? '.quick' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);

  const out: Measurements = { runs, seed, elapsedMs: Math.round(elapsedMs) };
  for (const c of comparisons) {
    const key = `${c.scenario}.${c.regime}`;
    out[`medianRatio.${key}`] = c.medianPairedOverUnpaired === null ? null : round(c.medianPairedOverUnpaired, 4);
    out[`varying.${key}`] = c.varying;
    out[`atMostHalf.${key}`] = c.atMostHalf;
    out[`identicallyZero.${key}`] = c.identicallyZero;
  }
  return out;
}

function report(comparisons: readonly ComparisonPairing[], runs: number, seed: number): string {
  const fixed = (x: number | null, digits: number) => (x === null ? '—' : x !== 0 && Math.abs(x) < 0.01 ? x.toPrecision(2) : x.toFixed(digits));
  const header = ['comparison', 'outcome', 'paired/unpaired', 'sd ratio', 'r', 'floor', '≤ 0.5', 'note'];
  const rows = comparisons.flatMap((c) => [
    ...c.metrics.map((m) => [
      `${c.scenario}: ${c.regime} − ${c.reference}`,
      m.metric,
      fixed(m.pairedOverUnpaired, 3),
      fixed(m.sdRatio, 3),
      fixed(m.correlation, 2),
      fixed(m.floor, 3),
      m.atMostHalf === null ? '' : m.atMostHalf ? 'yes' : 'no',
      m.identicallyZero ? 'difference ≡ 0' : m.kind === 'varying' ? '' : m.kind,
    ]),
    [`${c.scenario}: ${c.regime} − ${c.reference}`, `median (of ${c.varying} varying)`, fixed(c.medianPairedOverUnpaired, 3), '', '', '', `${c.atMostHalf}/${c.varying}`, ''],
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 || i === 7 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [`crn-pairing: ${TWIN}, ${runs} runs per regime, seed ${seed}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

main(import.meta.url, measure);
