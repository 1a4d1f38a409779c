// Regenerates docs/validation.md and its plots from the committed calibration files:
//   npx tsx scripts/validation-report.ts
// It re-runs the calibrated scenario (fixed seed) for the fan charts, so the report is reproducible.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { BatchRunner, type BatchResult } from '../engine/batch/batch.js';
import { bands } from '../engine/stats/bands.js';
import { compileInputs, loadInputs } from '../cli/inputs.js';
import { targetColumn } from '../cli/commands/calibrate.js';
import { metricLabel } from '../engine/calibrate/targets.js';
import { quantile } from '../engine/stats/quantile.js';
import { fanChart, histogram, intervalPlot } from './plots.js';
import { runKernel } from '../engine/kernel/kernel.js';
import { KernelState } from '../engine/kernel/state.js';
import type { Compiled } from '../engine/compile/model.js';

interface Calibration {
  scenario: string;
  twin: string;
  seed: number;
  method: string;
  parameters: Record<string, number>;
  posterior: Record<string, { median: number; p05: number; p95: number; prior: [number, number] }>;
  targets: { metric: string | string[]; label?: string; target: number; bound?: 'equal' | 'at-least'; fitted: boolean; source: string; median: number; p05: number; p95: number; covered: boolean }[];
  diagnostics: Record<string, number>;
  draws: { values: number[]; distance: number; accepted?: boolean; weight?: number }[];
}

const SERIES_POINTS = 85;

async function fan(runner: BatchRunner, scenario: string, twin: string, calibration: string | undefined, runs: number, file: string, title: string) {
  const compiled = compileInputs(loadInputs(scenario, { twin, calibration }));
  const result = await runner.run(compiled, { runs, seed: 1, seriesPoints: SERIES_POINTS });
  // Disrupted members now, summed over the three layers (series columns 3..5 of each point).
  const matrix = new Float64Array(runs * SERIES_POINTS);
  for (let r = 0; r < runs; r++) for (let p = 0; p < SERIES_POINTS; p++) for (let l = 3; l < 6; l++) matrix[r * SERIES_POINTS + p]! += result.series[(r * SERIES_POINTS + p) * 6 + l]!;
  const b = bands(matrix, { timepoints: SERIES_POINTS });
  const hours = Array.from({ length: SERIES_POINTS }, (_, i) => (i * compiled.model.horizonMinutes) / 60 / (SERIES_POINTS - 1));
  writeFileSync(`docs/img/${file}`, fanChart(title, hours, Array.from(b.lower), Array.from(b.median), Array.from(b.upper), 'nodes disrupted now'));
  return { result, compiled };
}

/** The series point at `minutes` (points are evenly spaced over the horizon, both ends included). */
function seriesPoint(horizonMinutes: number, minutes: number): number {
  const point = (minutes * (SERIES_POINTS - 1)) / horizonMinutes;
  if (!Number.isInteger(point)) throw new Error(`no series point at ${minutes} min with ${SERIES_POINTS} points over ${horizonMinutes} min`);
  return point;
}

/**
 * Per run, the share of the members the update failed that are back by `minutes` (from the series: members
 * disrupted now, summed over layers) and by the horizon (the metric `disruptedAtEnd`). Runs where nothing
 * failed are left out.
 */
function restoredShares(result: BatchResult, horizonMinutes: number, minutes: number): { at: number[]; end: number[] } {
  const point = seriesPoint(horizonMinutes, minutes);
  const disrupted = targetColumn(result, 'disrupted');
  const atEnd = targetColumn(result, 'disruptedAtEnd');
  const at: number[] = [];
  const end: number[] = [];
  disrupted.forEach((total, r) => {
    if (total === 0) return;
    let now = 0;
    for (let l = 3; l < 6; l++) now += result.series[(r * SERIES_POINTS + point) * 6 + l]!;
    at.push(1 - now / total);
    end.push(1 - atEnd[r]! / total);
  });
  return { at, end };
}

/**
 * Per run, the units of appointments and of procedures lost from the run's first loss of service capacity
 * to each of DAYS days later (hourly capacity series, trapezoids): what NHS England's weekly updates counted.
 */
function cumulativeLosses(compiled: Compiled, runs: number, seed: number): { appointments: number[][]; procedures: number[][] } {
  const m = compiled.model;
  const points = Math.round(m.horizonMinutes / 60) + 1;
  const series = new Float64Array(points * m.serviceCount);
  const state = new KernelState(m);
  const unit = (s: number) => compiled.meta.serviceUnits[s];
  const appointments: number[][] = DAYS.map(() => []);
  const procedures: number[][] = DAYS.map(() => []);
  for (let r = 0; r < runs; r++) {
    runKernel(m, state, seed, r, { serviceSeries: series, serviceSeriesPoints: points });
    let start = -1;
    for (let h = 0; h < points && start < 0; h++) for (let s = 0; s < m.serviceCount; s++) if (series[h * m.serviceCount + s]! < 1) start = Math.max(0, h - 1);
    DAYS.forEach((day, d) => {
      let apps = 0;
      let procs = 0;
      for (let h = Math.max(0, start); start >= 0 && h < Math.min(points - 1, start + day * 24); h++) {
        for (let s = 0; s < m.serviceCount; s++) {
          const lost = (m.serviceDemand[s]! * (2 - series[h * m.serviceCount + s]! - series[(h + 1) * m.serviceCount + s]!)) / 2;
          if (unit(s) === 'appointments') apps += lost;
          else if (unit(s) === 'procedures') procs += lost;
        }
      }
      appointments[d]!.push(apps);
      procedures[d]!.push(procs);
    });
  }
  return { appointments, procedures };
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toLocaleString('en-GB') : '—');
const runner = new BatchRunner();
const lines: string[] = [];
const file = 'scenarios/calibration/wannacry-down.nhs-england.yaml';
const c = parse(readFileSync(file, 'utf8')) as Calibration;
const paths = Object.keys(c.parameters);
writeFileSync('docs/img/wannacry-targets.svg', intervalPlot('WannaCry on nhs-england: calibrated runs against the NAO record', c.targets.map((t) => ({ label: t.label ?? metricLabel(t.metric), record: t.target, p05: t.p05, p50: t.median, p95: t.p95 }))));
// The final population (the last round's accepted draws); older files without the flag: the closest draws.
const accepted = c.draws.some((d) => d.accepted) ? c.draws.filter((d) => d.accepted) : [...c.draws].sort((a, b) => a.distance - b.distance).slice(0, c.diagnostics.accepted);
paths.forEach((p, j) => {
  const [low, high] = c.posterior[p]!.prior;
  writeFileSync(`docs/img/wannacry-posterior-${j}.svg`, histogram(`Accepted draws: ${p}`, accepted.map((d) => d.values[j]!), low, high));
});
await fan(runner, 'wannacry-down', 'nhs-england', file, 40, 'wannacry-fan.svg', 'WannaCry on nhs-england (calibrated): nodes disrupted, median and 5–95% of runs');
const trustFan = await fan(runner, 'crowdstrike-update', 'acute-trust', undefined, 200, 'crowdstrike-fan.svg', 'CrowdStrike update on acute-trust: nodes down, median and 5–95% of runs');
// CrowdStrike's "over 97% of sensors back online by 25 July" is six days (144 h) after the release of 19 July.
const SIX_DAYS = 144 * 60;
const trustRestored = restoredShares(trustFan.result, trustFan.compiled.model.horizonMinutes, SIX_DAYS);

// CrowdStrike on nhs-england: the GP supplier split (sites cut off from a failed outside service, per owner).
const CROWDSTRIKE_RUNS = 20;
const national = compileInputs(loadInputs('crowdstrike-update', { twin: 'nhs-england' }));
const practices = national.meta.siteKinds.filter((k) => k === 'gp-practice').length;
const split = await runner.run(national, { runs: CROWDSTRIKE_RUNS, seed: 1, seriesPoints: SERIES_POINTS });
const nationalRestored = restoredShares(split, national.model.horizonMinutes, SIX_DAYS);
// Which 24 trusts run the sensor is drawn once per twin, by its seed (scenarios/twins/sensor.ts): the day-six
// share depends on that draw as much as on the run, so it is given over other twin seeds too (a review found
// seed 1 alone meet the record while seeds 2–4 did not).
const TWIN_SEEDS = [2, 3, 4, 5] as const;
const otherTwins: { seed: number; trusts: number[]; at: number[] }[] = [];
for (const twinSeed of TWIN_SEEDS) {
  const other = compileInputs(loadInputs('crowdstrike-update', { twin: 'nhs-england', twinSeed }));
  const result = await runner.run(other, { runs: CROWDSTRIKE_RUNS, seed: 1, seriesPoints: SERIES_POINTS });
  otherTwins.push({ seed: twinSeed, trusts: targetColumn(result, 'trustsInfected'), at: restoredShares(result, other.model.horizonMinutes, SIX_DAYS).at });
}

// Supplier ransomware (out of sample): cumulative units lost from the incident's start, per day, per run.
const SUPPLIER_RUNS = 400;
const DAYS = [7, 14, 28, 35, 70] as const;
const supplier = compileInputs(loadInputs('supplier-ransomware', { twin: 'acute-trust' }));
const supplierBatch = await runner.run(supplier, { runs: SUPPLIER_RUNS, seed: 1 });
const cumulative = cumulativeLosses(supplier, SUPPLIER_RUNS, 1);
const supplierRegimes = await Promise.all(
  ['charter', 'mutual-aid', 'segmented'].map(async (regime) => ({ regime, result: await runner.run(compileInputs(loadInputs('supplier-ransomware', { twin: 'acute-trust', regime })), { runs: SUPPLIER_RUNS, seed: 1 }) })),
);
const SUPPLIER_NATIONAL_RUNS = 20;
const supplierNational = await runner.run(compileInputs(loadInputs('supplier-ransomware', { twin: 'nhs-england' })), { runs: SUPPLIER_NATIONAL_RUNS, seed: 1 });
await runner.close();
const splitRow = (label: string, metric: string, scale: number, unit: (x: number) => string) => {
  const v = targetColumn(split, metric).map((x) => x / scale);
  return `| ${label} | \`${metric}\` | ${unit(quantile(v, 0.5))} | ${unit(quantile(v, 0.05))} – ${unit(quantile(v, 0.95))} |`;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;
const shareRow = (label: string, source: string, values: number[]) => `| ${label} | ${source} | ${pct1(quantile(values, 0.5))} | ${pct1(quantile(values, 0.05))} – ${pct1(quantile(values, 0.95))} | ${quantile(values, 0.05) > 0.97 ? 'yes' : quantile(values, 0.95) > 0.97 ? 'in part' : '**no**'} |`;
const hours = (x: number) => `${fmt(x / 60)} h`;

lines.push(
  '# Validation against the public record',
  '',
  'Generated by `npx tsx scripts/validation-report.ts` from the committed calibration files; the calibration',
  `itself is reproducible with one command and a seed: \`npx strata calibrate ${c.scenario} --targets scenarios/targets/${c.scenario}.${c.twin}.yaml --seed ${c.seed} --force\` (\`--force\` replaces the tracked file; \`-o FILE\` writes elsewhere).`,
  '',
  `## WannaCry (\`${c.scenario}\` on \`${c.twin}\`, 12 May 2017)`,
  '',
  `**Method.** ${c.method}. Diagnostics: ${Object.entries(c.diagnostics).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  '',
  '| parameter | prior | calibrated | posterior 5–95% |',
  '| --- | --- | --- | --- |',
  ...paths.map((p) => `| \`${p}\` | ${c.posterior[p]!.prior.join(' – ')} | ${fmt(c.parameters[p]!)} | ${fmt(c.posterior[p]!.p05)} – ${fmt(c.posterior[p]!.p95)} |`),
  '',
  '| target | metric | public record | source | simulated median | 90% of runs | covered | fitted |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...c.targets.map(
    (t) =>
      `| ${t.label ?? metricLabel(t.metric)} | ${(typeof t.metric === 'string' ? [t.metric] : t.metric).map((x) => `\`${x}\``).join(' + ')} | ${t.bound === 'at-least' ? 'at least ' : ''}${fmt(t.target)} | ${t.source} | ${fmt(t.median)} | ${fmt(t.p05)} – ${fmt(t.p95)} | ${t.covered ? 'yes' : '**no**'} | ${t.fitted ? 'yes' : 'reported only'} |`,
  ),
  '',
  '![targets](img/wannacry-targets.svg)',
  '',
  '![fan chart](img/wannacry-fan.svg)',
  '',
  ...paths.map((p, j) => `![posterior of ${p}](img/wannacry-posterior-${j}.svg)`),
  '',
  '## CrowdStrike (`crowdstrike-update` on `nhs-england`, 19 July 2024)',
  '',
  `Uncalibrated (nothing in it is fitted): ${CROWDSTRIKE_RUNS} runs, seed 1, baseline regime. A GP practice is *cut off* by a supplier when a`,
  "member of the practice exchanges data with, or signs in at, a node of that supplier's that the update",
  `failed (\`sitesCutOff.<owner>\`, docs/metrics.md); shares are of the twin's ${practices.toLocaleString('en-GB')} practices. Record: the GP clinical`,
  'system of one supplier (about 60% of practices) was down in most practices; the other supplier\'s was unaffected',
  '(NHS England and TPP statements, 19 July 2024); over 97% of sensors were back online by 25 July, six days later (CrowdStrike).',
  '',
  '| outcome | metric | simulated median | 90% of runs |',
  '| --- | --- | --- | --- |',
  splitRow('GP practices cut off by supplier A (record: most of its ~60%)', 'sitesCutOff.gp-supplier-a', practices, pct),
  splitRow('GP practices cut off by supplier B (record: none)', 'sitesCutOff.gp-supplier-b', practices, pct),
  splitRow('trusts with a host failed by the update', 'trustsInfected', 1, fmt),
  splitRow('hosts failed by the update', 'disrupted', 1, fmt),
  splitRow('from the first failure to the last restoration (censored at the horizon)', 'timeToRecovery', 1, hours),
  splitRow('every failed host restored within the week (share of runs)', 'recovered', 1, pct),
  '',
  '![fan chart](img/crowdstrike-fan.svg)',
  '',
  `**Recovery against the record.** Share of the hosts the update failed that are back by day six (144 h after the release, 25 July: the`,
  "series of members disrupted now, at its 144 h point) and by the horizon (168 h: `1 − disruptedAtEnd / disrupted`), against CrowdStrike's",
  `"over 97% of Windows sensors back online" by 25 July (G. Kurtz, 25 July 2024). Met: the record is reached in at least 95% of runs;`,
  `in part: in at least 5%. Runs: ${CROWDSTRIKE_RUNS} on \`nhs-england\`, 200 on \`acute-trust\` (seed 1).`,
  '',
  '| twin | restored by | simulated median | 90% of runs | over 97% |',
  '| --- | --- | --- | --- | --- |',
  shareRow('`nhs-england`', 'day six (series at 144 h)', nationalRestored.at),
  shareRow('`nhs-england`', 'the horizon, 168 h (`disruptedAtEnd`)', nationalRestored.end),
  shareRow('`acute-trust`', 'day six (series at 144 h)', trustRestored.at),
  shareRow('`acute-trust`', 'the horizon, 168 h (`disruptedAtEnd`)', trustRestored.end),
  '',
  'Which trusts run the sensor (24 of 236 on `nhs-england`, `sensorTrustShare` 0.1, an assumption) is drawn once per',
  'twin from its seed, so the rows above are one draw of them (twin seed 1). The same day-six share on twins of',
  `other seeds (\`loadInputs\`'s \`twinSeed\`; the CLI builds seed 1; ${CROWDSTRIKE_RUNS} runs each, run seed 1): the verdict depends on which trusts deploy, more than on the run.`,
  '',
  '| twin seed | trusts with a host failed | restored by day six: simulated median | 90% of runs | over 97% |',
  '| --- | --- | --- | --- | --- |',
  ...otherTwins.map((t) => shareRow(String(t.seed), fmt(quantile(t.trusts, 0.5)), t.at)),
  `| all ${TWIN_SEEDS.length + 1} seeds | | ${pct1(quantile([nationalRestored.at, ...otherTwins.map((t) => t.at)].flat(), 0.5))} | ${pct1(quantile([nationalRestored.at, ...otherTwins.map((t) => t.at)].flat(), 0.05))} – ${pct1(quantile([nationalRestored.at, ...otherTwins.map((t) => t.at)].flat(), 0.95))} | ${[nationalRestored.at, ...otherTwins.map((t) => t.at)].every((a) => quantile(a, 0.05) > 0.97) ? 'yes' : '**no**: not on every draw of the deploying trusts'} |`,
  '',
  "CrowdStrike's figure is the share of *all* Windows sensors back online; the model's is the share of the hosts the update",
  'failed that are restored (hosts it did not fail count in neither). The two agree only where nearly every sensor failed.',
  '',
  ...supplierSection(),
  '',
  readFileSync('docs/validation-findings.md', 'utf8'),
);

function supplierSection(): string[] {
  const q = (values: number[]) => `${fmt(quantile(values, 0.5))} | ${fmt(quantile(values, 0.05))} – ${fmt(quantile(values, 0.95))}`;
  const twice = (values: number[]) => values.map((x) => 2 * x);
  const column = (result: BatchResult, metric: string) => targetColumn(result, metric);
  const finite = (values: number[]) => values.filter(Number.isFinite);
  const metricRow = (label: string, metric: string, scale = 1, result: BatchResult = supplierBatch) => {
    const all = column(result, metric);
    const values = finite(all).map((x) => x / scale);
    const never = all.length - values.length;
    return `| ${label} | \`${metric}\` | ${values.length ? q(values) : '— | —'} | ${never ? `${never} of ${all.length} runs: never` : ''} |`;
  };
  const record: Record<number, { appointments: number | null; procedures: number | null; source: string }> = {
    7: { appointments: 700, procedures: 800, source: 'NHS England London, 14 June 2024 update (first week, 3–9 June: "more than 800 planned operations and 700 outpatient appointments")' },
    14: { appointments: 2194, procedures: 1134, source: 'NHS England London, second weekly update (to 16 June), as reported by Digital Health, 21 June 2024' },
    28: { appointments: 4913, procedures: 1391, source: 'NHS England London, 4 July 2024 (to 30 June)' },
    35: { appointments: 6199, procedures: 1491, source: 'NHS England London, 11 July 2024 (to 7 July)' },
    70: { appointments: 10054, procedures: 1693, source: 'NHS England London, 15 August 2024 (to 11 August)' },
  };
  const ratio = (model: number[], rec: number | null) => (rec ? `${(quantile(model, 0.5) / rec).toFixed(2)}×` : '');
  const regimeRow = (label: string, metric: string, scale = 1) =>
    `| ${label} | ${supplierRegimes.map(({ regime, result }) => {
      const a = column(supplierBatch, metric);
      const b = column(result, metric);
      const d = a.map((x, i) => (b[i]! - x) / scale).filter(Number.isFinite);
      return `${regime}: ${fmt(quantile(d, 0.5))} (${fmt(quantile(d, 0.05))} – ${fmt(quantile(d, 0.95))})`;
    }).join('; ')} |`;
  return [
    '## Supplier ransomware (`supplier-ransomware`, out of sample: Synnovis, June 2024)',
    '',
    'Built only from general sources — how pathology networks, laboratory downtime, mutual aid and ransomware',
    'recoveries work (docs/sources.md "Pathology networks and clinical services", the scenario\'s comments) — and',
    'fixed at commit d93f5f5, before the record was looked up. After the first comparison only bug fixes from a review',
    'went in (d70eb3d: a detection during a lift\'s checks calls them off; recovery priority counts `requiredFor`;',
    'capacity figures rounded); no parameter, share or delay moved. The record',
    "is NHS England London's weekly updates for the two most affected trusts (King's College Hospital and Guy's and",
    "St Thomas'), counted from the attack of 3 June 2024. The model: `acute-trust` (one 780-bed trust, the KH03",
    `average), ${SUPPLIER_RUNS} runs, seed 1, baseline regime; days counted from the run's first loss of service capacity`,
    '(the encryption), and its figures doubled for two trusts. Both real trusts are among the largest in England, so',
    'doubling an average trust understates their size: read the ratios as "same order or not".',
    '',
    '| from the attack | outpatient appointments postponed: record | model, 2 trusts: median | 90% of runs | model ÷ record | procedures postponed: record | model, 2 trusts: median | 90% of runs | model ÷ record | source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...DAYS.map((day, d) => {
      const r = record[day]!;
      const apps = twice(cumulative.appointments[d]!);
      const procs = twice(cumulative.procedures[d]!);
      return `| day ${day} | ${fmt(r.appointments!)} | ${q(apps)} | ${ratio(apps, r.appointments)} | ${fmt(r.procedures!)} | ${q(procs)} | ${ratio(procs, r.procedures)} | ${r.source} |`;
    }),
    '',
    '| outcome (one trust) | metric | median | 90% of runs | |',
    '| --- | --- | --- | --- | --- |',
    metricRow('pathology capacity, day 1 of the disruption', 'service.pathology.day1'),
    metricRow('pathology capacity, day 7', 'service.pathology.day7'),
    metricRow('pathology capacity, day 27', 'service.pathology.day27'),
    metricRow('pathology back to 90% (days after the loss)', 'service.pathology.backTo90', 1440),
    metricRow('GP pathology requests back to 90% (days)', 'service.gp-pathology.backTo90', 1440),
    metricRow('blood transfusion capacity, day 7', 'service.transfusion.day7'),
    metricRow('tests not done (trust and its GPs)', 'testsNotDone'),
    metricRow('hours on ambulance diversion', 'diversionHours'),
    metricRow('trusts affected on `nhs-england` (the network hit)', 'trustsAffected', 1, supplierNational),
    metricRow('trusts affected without a host of theirs compromised, `nhs-england`', 'trustsDisruptedWithoutInfection', 1, supplierNational),
    '',
    'Record, qualitative (NHS England London updates): a "significant reduction in the number of tests which can be',
    'processed" in the first fortnight, mutual aid rerouting GP blood tests from the second week and "universal" blood',
    'stocks from NHS Blood and Transplant (14 June); outpatients "operating to similar levels to before" by 4 July (day',
    '31) and "most services … near-normal" by 19 July (day 46); general pathology "fully restored" at the two trusts',
    'and Synnovis\'s core IT systems rebuilt by 15 August (day 73), GP testing then moving back borough by borough;',
    'urgent and emergency care available throughout.',
    '',
    `**Regimes** (paired over the same ${SUPPLIER_RUNS} runs, regime − baseline, median and 5–95% of the per-run differences):`,
    '',
    '| outcome | difference |',
    '| --- | --- |',
    regimeRow('outpatient appointments postponed', 'appointmentsCancelled'),
    regimeRow('procedures postponed', 'proceduresPostponed'),
    regimeRow('pathology capacity, day 7', 'service.pathology.day7'),
    regimeRow('pathology back to 90% (days)', 'service.pathology.backTo90', 1440),
  ];
}
writeFileSync('docs/validation.md', `${lines.join('\n')}\n`);
console.log('wrote docs/validation.md and docs/img/*.svg');
