import type { BatchResult } from '../engine/batch/batch.js';
import { pairedValues, type BatchSummary } from '../engine/batch/summarize.js';
import type { PairedComparison } from '../engine/stats/paired.js';
import { medianPairingGain, pairingGain, type PairingGain } from '../engine/stats/pairing-gain.js';
import type { MetricSummary } from '../engine/stats/summarize.js';
import { ROUND_OFF } from '../engine/stats/round-off.js';
import { bareLabel, figureOf, HEADLINE, isMinutes, timeUnit, unitLabel, type TimeUnit } from '../engine/batch/headline.js';

export { HEADLINE, isMinutes, timeUnit, unitLabel, type TimeUnit };
export { unitOf, unitsOf } from '../engine/batch/units.js';

/** A wall time for people: 42 s, 7 min, 1 h 8 min. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A service's capacity on day N of the disruption (`service.pathology.day7`): NaN only past the horizon. */
export function isDayCapacity(metric: string): boolean {
  return /\.day\d+$/.test(metric);
}


/** A count of runs, exact, with thousands separators: never rounded as `number()` rounds (99,990 read 100,000). */
export function runCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '—';
}

/**
 * How much of an interrupted member is stored: "N of M runs stored", or, when a Ctrl-C came after its last
 * chunk was stored but before it was marked, that all are (a resume then only marks it complete).
 */
export function storedRuns(stored: number, runs: number): string {
  return stored >= runs ? `all ${runCount(runs)} runs stored, not yet marked complete` : `${runCount(stored)} of ${runCount(runs)} runs stored`;
}

export function number(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  // Written out as people read them ("0.000966", "2,500,000"), not "9.66e-4"; only what no table needs is not.
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-6)) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toLocaleString('en-GB', { maximumFractionDigits: 8 });
}

/** The values a summary's row shows, for timeUnit. */
function shownValues(s: MetricSummary | null | undefined): (number | null)[] {
  return s ? [s.mean, s.ci95[0], s.ci95[1], s.p05, s.p50, s.p95] : [];
}

function scaled(s: MetricSummary, unit: TimeUnit | null): MetricSummary {
  // A stored summary's NaN comes back from JSON as null: still no value (an interval over one run), not 0
  // (`results show` printed "277 [0 – 0]" for a time seen in one run: a trial).
  const h = (x: number | null) => (x === null ? NaN : unit ? x / unit.divisor : x);
  return { ...s, mean: h(s.mean), sd: h(s.sd), ci95: [h(s.ci95[0]), h(s.ci95[1])], p05: h(s.p05), p50: h(s.p50), p95: h(s.p95) };
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function metricsToShow(summary: BatchSummary, all: boolean): [string, string][] {
  // Times are shown in hours (scaled): said beside the name, as the headline labels say it.
  if (all) return Object.keys(summary).map((m) => [m, isMinutes(m) ? `${m} (h)` : m]);
  return HEADLINE.filter(([m]) => m in summary);
}

/** The batch table: mean with its 95% interval, and the 5/50/95% quantiles of the runs. */
export function summaryTable(summary: BatchSummary, runs: number, all = false): string {
  const rows = metricsToShow(summary, all).map(([metric, label]) => {
    const raw = summary[metric];
    // A day-N capacity is NaN when day N falls past the horizon; a time back that no run reached, where some
    // run was still below at the end, did not come by the horizon; anything else missing never happened.
    const stillBelow = /\.backTo\d+$/.test(metric) ? summary[metric.replace(/backTo(\d+)$/, 'stillBelow$1')] : undefined;
    if (!raw) return [label, '—', isDayCapacity(metric) ? 'past the horizon' : stillBelow && stillBelow.mean > 0 ? 'not back by the horizon' : 'never happened', '', '', '', ''];
    const unit = timeUnit(metric, shownValues(raw));
    const s = scaled(raw, unit);
    return [unitLabel(label, unit), number(s.mean), `${number(s.ci95[0])} – ${number(s.ci95[1])}`, number(s.p05), number(s.p50), number(s.p95), raw.n < runs ? runCount(raw.n) : ''];
  });
  return table(['outcome', 'mean', '95% CI of mean', 'p05', 'p50', 'p95', 'n*'], rows) + '\n* n: runs where it happened (blank: all runs).' + censoredNote(summary, all) + stillBelowNote([summary], runs, all);
}

/**
 * Under a table with a service's "back to 50% / 90%" rows: over which runs its mean is — those where the service
 * fell below the level and came back — and in how many it was still below at the horizon or never below. Such
 * runs have no value, so the mean (and a difference) is over the runs that came back — which can be the runs
 * where a control mattered least (a trial read "51.5 h, n 37" as two days, with 163 of 200 runs never back).
 * The still-below count is the kind's `stillBelow50|90` share; a batch stored before it had no never-below
 * runs without a value (they read 0), so there the runs without one were all still below.
 */
export function stillBelowNote(
  summaries: BatchSummary[],
  runs: number,
  all: boolean,
  labels: readonly string[] = [],
  shown?: [metric: string, label: string][],
  differences = labels.length > 1,
): string {
  const counts = (xs: number[]) => (labels.length > 1 ? xs.map((b, i) => `${runCount(b)} (${labels[i]})`).join(', ') : runCount(xs[0]!));
  const leave = labels.length > 1 ? `means${differences ? ' and differences' : ''} leave` : 'mean leaves';
  const rows = shown ?? metricsToShow(summaries[0]!, all);
  // Day N falls past the horizon for every service kind in the same runs (it counts from the run's first loss
  // of any service): one line a day, whichever kinds are shown (`--all` showed the same line for each).
  const days = new Map<string, [metric: string, label: string][]>();
  for (const [metric, label] of rows) {
    const day = isDayCapacity(metric) ? /\.day(\d+)$/.exec(metric)![1]! : undefined;
    if (day !== undefined) days.set(day, [...(days.get(day) ?? []), [metric, label]]);
  }
  const pastLines = [...days].flatMap(([day, kinds]) => pastHorizonLine(summaries, runs, day, kinds, labels, leave));
  const lines = rows.flatMap(([metric, label]) => {
    const level = /\.backTo(\d+)$/.exec(metric)?.[1];
    if (level === undefined) return [];
    const still = metric.replace(/backTo(\d+)$/, 'stillBelow$1');
    const below = summaries.map((s) => (s[still] ? Math.round(s[still].mean * s[still].n) : runs - (s[metric]?.n ?? 0)));
    const never = summaries.map((s, i) => runs - (s[metric]?.n ?? 0) - below[i]!);
    // Nothing left out, or nothing to say of a service that fell in no run (its row says "never happened"); one
    // still below in every run is said (a trial's row read "never happened" with all 100 runs still below).
    if (below.every((b) => b === 0) && (never.every((b) => b === 0) || summaries.every((s) => !s[metric]))) return [];
    const left = [
      ...(below.some((b) => b > 0) ? [`still below at the horizon in ${counts(below)}`] : []),
      ...(never.some((b) => b > 0) ? [`never below ${level}% in ${counts(never)}`] : []),
    ];
    return [`${bareLabel(label)}: over the runs where it fell below ${level}% and came back; ${left.join(', ')} of ${runCount(runs)} runs, which its ${leave} out.`];
  });
  return [...pastLines, ...lines].length > 0 ? `\n${[...pastLines, ...lines].join('\n')}` : '';
}

/**
 * Day N's capacities where day N fell past the horizon in some runs but not all: those runs' first loss came
 * within N days of the end, and they have no value, while runs with no loss read 1 — so the mean is over the
 * early incidents and the untouched runs, and may read high (docs/metrics.md). Said with the count, as the
 * "back to" rows say theirs. A batch with no value at all (every run past the horizon: a horizon of N days or
 * less, or every loss late) says so in its row, and here only beside batches that have some.
 */
function pastHorizonLine(summaries: BatchSummary[], runs: number, day: string, kinds: [metric: string, label: string][], labels: readonly string[], leave: string): string[] {
  const [metric, label] = kinds[0]!;
  const some = summaries.filter((s) => s[metric]);
  if (some.length === 0 || some.every((s) => s[metric]!.n === runs)) return [];
  const past = summaries.map((s) => (s[metric] ? runCount(runs - s[metric].n) : 'every run'));
  const counts = labels.length > 1 ? past.map((p, i) => `${p} (${labels[i]})`).join(', ') : past[0]!;
  const what = kinds.length > 1 ? `Capacities on day ${day} (every service kind shown)` : label;
  return [
    `${what}: day ${day} of the disruption fell past the horizon in ${counts} of ${runCount(runs)} runs (a first loss within ${day} ${day === '1' ? 'day' : 'days'} of the end${some.length < summaries.length ? ', or a horizon that short' : ''}), which its ${leave} out; runs with no loss count as 1, so it may read high.`,
  ];
}

/**
 * Under a table showing the time to full recovery, how many of its runs it is censored in: a run not
 * recovered by the horizon counts the horizon (docs/metrics.md), so a mean near the horizon may be mostly
 * runs that never recovered — which the `recovered` share, not in the headline, says.
 */
function censoredNote(summary: BatchSummary, all: boolean): string {
  const recovered = summary.recovered;
  const time = summary.timeToRecovery;
  if (!recovered || !time || !metricsToShow(summary, all).some(([m]) => m === 'timeToRecovery')) return '';
  // 0 in every run because no device was disrupted, while services were: read as "recovered at once" (a trial).
  // The "back to 90%" rows it points to have something to say: a time back in some run, or runs still below.
  const servicesOut = Object.keys(summary).some((m) => /^service\..+\.backTo90$/.test(m) && (summary[m] !== null || (summary[m.replace(/backTo90$/, 'stillBelow90')]?.mean ?? 0) > 0));
  if (time.mean === 0 && time.p95 === 0 && (summary.disrupted?.mean ?? 0) === 0 && servicesOut) {
    return '\nTime to full recovery: no device was disrupted in any run (it counts the restoring of disrupted devices); services that lost capacity are in their "back to 90%" rows.';
  }
  if (recovered.mean === 1) return '';
  return `\nTime to full recovery: ${notRecovered(summary)} were not fully recovered by the horizon and count until it (censored; ${all ? 'the `recovered` row' : '`recovered` with --all'}).`;
}

/**
 * How many runs of a batch were not fully recovered by the horizon, as a count of its runs ("1 of 300 runs";
 * a share read "0.333% of runs"); "" without the `recovered` figure.
 */
export function notRecovered(summary: BatchSummary, short = false): string {
  const recovered = summary.recovered;
  if (!recovered) return '';
  const open = Math.round((1 - recovered.mean) * recovered.n);
  return short ? number(open) : `${number(open)} of ${number(recovered.n)} runs`;
}

/**
 * Paired differences (B − A) against the first regime, each beside what the pairing bought, with the better
 * regime per metric; under the table, the median pairing gain per compared regime.
 */
export function comparisonTable(labels: string[], summaries: BatchSummary[], differences: Record<string, PairedComparison | null>[], all = false, pair?: PairOf): string {
  const header = ['outcome', `${labels[0]} (mean)`, ...labels.slice(1).flatMap((l) => [`${l} − ${labels[0]}`, 'paired/unpaired, r']), 'best'];
  const shown = metricsToShow(summaries[0]!, all);
  // The runs of the batch: a mean or a difference over fewer (a time seen in some runs only) says how many.
  const runs = Math.max(0, ...Object.values(summaries[0]!).map((s) => s?.n ?? 0));
  const over = (n: number) => (n < runs ? ` n ${runCount(n)}` : '');
  const rows = shown.map(([metric, label]) => {
    const unit = timeUnit(metric, [
      ...summaries.flatMap((s) => shownValues(s[metric])),
      ...differences.flatMap((d) => (d[metric] ? [d[metric].meanDifference, d[metric].paired.lo, d[metric].paired.hi] : [])),
    ]);
    const factor = unit ? 1 / unit.divisor : 1;
    const base = summaries[0]![metric];
    const cells = [unitLabel(label, unit), base ? `${number(base.mean * factor)}${over(base.n)}` : '—'];
    for (let i = 1; i < labels.length; i++) {
      const d = differences[i - 1]![metric];
      if (!d) cells.push('—', '');
      else {
        const gain = pairingGain(d);
        // B equal to A in every run but for round-off (pairingGain): 0, not a starred 1e-15; its interval as
        // --json gives it — [0, 0] for an outcome counted, a share's score interval (no run differing still
        // leaves room for a difference: docs/metrics.md), not [0, 0] for both (a trial found the two disagree).
        if (gain.kind === 'identical') {
          const tidy = (x: number) => (Math.abs(x) < 1e-9 ? 0 : x * factor);
          cells.push(`0 [${number(tidy(d.paired.lo))}, ${number(tidy(d.paired.hi))}]${over(d.n)}`);
        }
        else {
          const excludesZero = d.paired.lo > 0 || d.paired.hi < 0;
          cells.push(`${number(d.meanDifference * factor)} [${number(d.paired.lo * factor)}, ${number(d.paired.hi * factor)}]${excludesZero ? ' *' : ''}${over(d.n)}`);
        }
        // Seen in different numbers of runs: the difference is over the runs with one in both, and says so
        // ("identical" alone read as "the regime does not change it" where it removed the event from most runs).
        const nA = base?.n ?? 0;
        const nB = summaries[i]![metric]?.n ?? 0;
        const seen = nA === nB ? '' : `seen in ${runCount(nB)} vs ${runCount(nA)} runs`;
        const cell = pairingCell(gain, labels[0]!, labels[i]!);
        cells.push(!seen ? cell : gain.kind === 'identical' ? `identical where both seen; ${seen}` : `${cell}; ${seen}`);
      }
    }
    cells.push(bestCell(metric, summaries, labels, pair));
    return cells;
  });
  const summary = labels.slice(1).map((label, i) => {
    const gains = shown.flatMap(([metric]) => {
      const d = differences[i]![metric];
      return d ? [pairingGain(d)] : [];
    });
    const { median, over } = medianPairingGain(gains);
    return median === null ? `${label}: no outcome varies in both` : `${label} ${ratio(median)} (of ${over})`;
  });
  // Three or more compared regimes: the differences in one table and what the pairing bought in a second, each
  // half as wide (four regimes made one table 255 columns wide: a trial).
  const split = labels.length > 3;
  const differencesOnly = (r: string[]) => [r[0]!, r[1]!, ...r.slice(2, -1).filter((_, j) => j % 2 === 0), r.at(-1)!];
  const pairingOnly = (r: string[]) => [r[0]!, ...r.slice(2, -1).filter((_, j) => j % 2 === 1)];
  const tables = split
    ? [
        table(differencesOnly(header), rows.map(differencesOnly)),
        '',
        'What the pairing bought, per compared regime:',
        table(['outcome', ...labels.slice(1).map((l) => `${l}: paired/unpaired, r`)], rows.map(pairingOnly)),
      ].join('\n')
    : table(header, rows);
  return [
    tables,
    'Differences are paired over the same runs (common random numbers): mean difference [95% CI of it]; * = interval excludes 0.',
    `n: the runs a mean or a difference is over, where fewer than all ${runCount(runs)}: a mean over the runs with a value in its`,
    'regime, a difference over the runs with one in both (so it need not equal the difference of the two means).',
    'paired/unpaired: width of the paired interval over that of the same runs taken as independent (lower: pairing',
    'helped more); r: correlation of the two regimes across runs (not given over 2 runs, where it is ±1 whatever the',
    'regimes do); "seen in B vs A runs": an outcome that happened in a different number of runs in each (a time).',
    'Where there is no ratio: "identical in every run" (the regime does not change the outcome), "same difference',
    'every run", "both constant" (no run differs from another in either regime), "<regime> constant" (nothing for',
    'the pairing to cancel: both intervals agree).',
    '—: no value, or fewer than two runs with one in both regimes (a time of something that happened in no run or',
    'one; a day-N capacity past the horizon); `strata run` of one regime gives its runs (n). best: the best mean',
    '(every regime tied for it), whether or not its difference excludes 0 (*); blank where no side is better (a',
    'count of blocks or events, when the peak came) or the means are over different runs (a time or a day-N',
    `capacity seen in a different number of runs in each regime).${pair ? ' "≈ R": the paired difference between the best and R has' : ''}`,
    ...(pair ? ['a 95% interval containing 0: the runs do not tell them apart (each pair on its own, no correction for the several).'] : []),
    `Median paired/unpaired over the outcomes above where both regimes and B − A vary: ${summary.join(', ')}.`,
  ].join('\n') + censoredNotes(summaries, labels, all) + stillBelowNote(summaries, runs, all, labels);
}

/**
 * censoredNote for a comparison: the share of runs not fully recovered by the horizon, per regime, where any
 * is — a difference in the time to full recovery is then partly the horizon's (a trial read charter's −131 h
 * against a baseline whose 82% of runs counted the 168 h horizon) — or that no device was disrupted in any.
 */
function censoredNotes(summaries: BatchSummary[], labels: readonly string[], all: boolean): string {
  const notes = summaries.map((s) => censoredNote(s, all));
  if (notes.every((n) => n === '')) return '';
  if (notes.every((n) => n === notes[0])) return notes[0]!;
  if (summaries.every((s) => (s.recovered?.mean ?? 1) === 1)) return notes.find((n) => n !== '')!;
  // Every regime's count, none left out (a trial read "0.333% of runs" for one run of 300, and the regimes at 0
  // were missing).
  const counts = summaries.map((s, i) => `${notRecovered(s, i > 0)} (${labels[i]})`).join(', ');
  return `\nTime to full recovery: not fully recovered by the horizon in ${counts}; those runs count until it (censored; ${all ? 'the `recovered` row' : '`recovered` with --all'}), so a difference in it is partly the horizon's.`;
}

/**
 * The regime with the best mean of an outcome (every one tied for it, comma-separated), or null when there is none to name: losses, counts and
 * durations are better lower; the time something first happens (`…At`) is better later, and so is the share
 * of runs that recovered; counts of blocks and of events, when the peak came and the first detection have no
 * better side. A mean over a different number of runs in each regime is not ranked either (a time that
 * happens in some runs only, "never" best of all; a day-N capacity): its means are over different runs.
 */
export function bestRegime(metric: string, summaries: BatchSummary[], labels: readonly string[]): string | null {
  const best = bestRegimes(metric, summaries);
  return best === null ? null : best.map((i) => labels[i]!).join(', ');
}

/** bestRegime's regimes, by index (every one tied for the best, in order), or null. */
function bestRegimes(metric: string, summaries: BatchSummary[]): number[] | null {
  // When the peak came is no better early or late (a later peak may be a far larger one); nor is the first
  // detection, counted from the start: a regime that lets more hosts fall is found sooner (a review: baseline
  // "best" against segmentation's 47 hosts compromised to its 854).
  if (/^(blocked\.|events$|peakDisruptedAt$|firstDetectedAt$)/.test(metric)) return null;
  const stats = summaries.map((s) => s[metric] ?? null);
  const means = stats.map((s) => s?.mean ?? NaN);
  // Means equal but for round-off (engine/stats/round-off.ts) have no better side either.
  const scale = ROUND_OFF * Math.max(...means.map(Math.abs));
  if (means.some(Number.isNaN) || means.every((m) => Math.abs(m - means[0]!) <= scale)) return null;
  const time = /At$/.test(figureOf(metric));
  // Means over different runs do not compare: a time where it never happened, a service's recovery time where it
  // never came back, a day-N capacity in runs whose disruption began too late to reach day N (a trial: best named
  // over 299 runs against 300).
  if (stats.some((s) => s!.n !== stats[0]!.n)) return null;
  // Later is better for a first time; more is better for recovered runs and for a service's capacity.
  const higher = time || metric === 'recovered' || /^service\..*\.(day\d+|min)$/.test(metric);
  const pick = higher ? Math.max(...means) : Math.min(...means);
  // Regimes tied for the best (but for round-off) are all named, in their order.
  return means.flatMap((m, i) => (Math.abs(m - pick) <= scale ? [i] : []));
}

/** The paired comparison of regimes i and j (j − i) for one metric, over the runs with a value in both; null without two. */
export type PairOf = (i: number, j: number, metric: string) => PairedComparison | null;

/**
 * The compare table's best cell: the best regime (bestRegime), and, given the regimes' runs, the regimes whose
 * paired difference from it has a 95% interval containing 0 — "charter (≈ segmented)": the best mean alone read
 * as a winner where the runs could not tell the two apart (a trial).
 */
export function bestCell(metric: string, summaries: BatchSummary[], labels: readonly string[], pair?: PairOf): string {
  const best = bestRegime(metric, summaries, labels);
  if (best === null) return '';
  const close = pair ? notToldFromBest(metric, summaries, labels, pair) : [];
  return close.length > 0 ? `${best} (≈ ${close.join(', ')})` : best;
}

/**
 * The regimes the runs do not tell from the best (bestRegime's: one regime, or every one tied for it): those
 * outside it whose paired difference from one of the best has a 95% interval containing 0 (two regimes tied at a
 * capacity of 1 beside a third a hair below, its differences from both across 0: a review); [] with no best.
 */
export function notToldFromBest(metric: string, summaries: BatchSummary[], labels: readonly string[], pair: PairOf): string[] {
  const bests = bestRegimes(metric, summaries) ?? [];
  if (bests.length === 0) return [];
  return labels.flatMap((label, i) => {
    if (bests.includes(i)) return [];
    const close = bests.some((b) => {
      const d = pair(b, i, metric);
      return d !== null && d.paired.lo <= 0 && d.paired.hi >= 0;
    });
    return close ? [label] : [];
  });
}

/** A half-width ratio: two decimals, or two significant figures below 0.1 (0.042: a 24× narrower interval). */
export function ratio(x: number): string {
  return x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

/**
 * The pairing gain of one difference, compactly ("0.12, r 0.99"), or why there is none: the runs agree in
 * every run, the difference never changes, or a regime never varies.
 */
export function pairingCell(gain: PairingGain | null, labelA: string, labelB: string): string {
  if (!gain) return '';
  switch (gain.kind) {
    case 'varying':
      // Over 2 runs r is ±1 whatever the regimes do: left out.
      return gain.correlation === null ? ratio(gain.pairedOverUnpaired!) : `${ratio(gain.pairedOverUnpaired!)}, r ${(gain.correlation + 0).toFixed(2).replace('-0.00', '0.00')}`;
    case 'identical':
      return 'identical in every run';
    case 'same-difference':
      return 'same difference every run';
    case 'constant':
      return 'both constant';
    case 'a-constant':
      return `${ratio(gain.pairedOverUnpaired!)}, ${labelA} constant`;
    case 'b-constant':
      return `${ratio(gain.pairedOverUnpaired!)}, ${labelB} constant`;
  }
}

/** JSON numbers: NaN and infinities become null. */
export function jsonSummary(summary: MetricSummary | null): Record<string, unknown> | null {
  if (!summary) return null;
  const clean = (x: number) => (Number.isFinite(x) ? x : null);
  return { mean: clean(summary.mean), sd: clean(summary.sd), ci95: summary.ci95.map(clean), p05: clean(summary.p05), p50: clean(summary.p50), p95: clean(summary.p95), n: summary.n };
}

export function jsonDifference(d: PairedComparison | null, n = 0): Record<string, unknown> {
  // Fewer than two runs with a value in both regimes: the same fields, nothing to say in them.
  if (!d) return { meanDifference: null, ci95: [null, null], unpairedCi95: [null, null], relativeChange: null, pairedOverUnpaired: null, correlation: null, pairing: null, n };
  const clean = (x: number) => (Number.isFinite(x) ? x : null);
  const gain = pairingGain(d);
  return {
    meanDifference: clean(d.meanDifference),
    ci95: [clean(d.paired.lo), clean(d.paired.hi)],
    unpairedCi95: [clean(d.unpaired.lo), clean(d.unpaired.hi)],
    relativeChange: clean(d.relativeChange),
    pairedOverUnpaired: gain.pairedOverUnpaired,
    correlation: gain.correlation,
    pairing: gain.kind,
    n: d.n,
  };
}

/** Every metric's difference of B from A (compareBatches) as --json gives it: an object for each, with n. */
export function jsonDifferences(differences: Record<string, PairedComparison | null>, a: BatchResult, b: BatchResult): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(differences).map(([k, v]) => [k, jsonDifference(v, v ? v.n : pairedValues(a, b, k)[0].length)]));
}
