import { describe, expect, it } from 'vitest';
import { bestRegime, comparisonTable, duration, jsonDifference, number, pairingCell, ratio, unitOf } from '../../cli/format.js';
import { pairedComparison } from '../../engine/stats/paired.js';
import type { PairingGain } from '../../engine/stats/pairing-gain.js';
import { summarizeMetric } from '../../engine/stats/summarize.js';

describe('pairing gain in the compare table', () => {
  it('formats ratios with two decimals, or two significant figures below 0.1', () => {
    expect(ratio(0.123)).toBe('0.12');
    expect(ratio(1.004)).toBe('1.00');
    expect(ratio(0.04217)).toBe('0.042');
    expect(ratio(0.00086)).toBe('0.00086');
  });

  it('shows the ratio and r, or why there is none', () => {
    const cell = (gain: PairingGain) => pairingCell(gain, 'baseline', 'charter');
    expect(cell({ kind: 'varying', pairedOverUnpaired: 0.1234, correlation: 0.987 })).toBe('0.12, r 0.99');
    expect(cell({ kind: 'varying', pairedOverUnpaired: 1.02, correlation: -0.05 })).toBe('1.02, r -0.05');
    // Over 2 runs (correlation null) r is left out.
    expect(cell({ kind: 'varying', pairedOverUnpaired: 0.5, correlation: null })).toBe('0.50');
    expect(cell({ kind: 'identical', pairedOverUnpaired: null, correlation: 1 })).toBe('identical in every run');
    expect(cell({ kind: 'same-difference', pairedOverUnpaired: null, correlation: 1 })).toBe('same difference every run');
    expect(cell({ kind: 'constant', pairedOverUnpaired: null, correlation: null })).toBe('both constant');
    expect(cell({ kind: 'a-constant', pairedOverUnpaired: 1, correlation: null })).toBe('1.00, baseline constant');
    expect(cell({ kind: 'b-constant', pairedOverUnpaired: 1, correlation: null })).toBe('1.00, charter constant');
    expect(pairingCell(null, 'baseline', 'charter')).toBe('');
  });

  it('says a service still below in every run is not back by the horizon, not that it never happened', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const summary = { compromised: summarizeMetric([3, 4, 5]), 'service.pathology.backTo90': null, 'service.pathology.stillBelow90': summarizeMetric([1, 1, 1], { share: true }) };
    const text = summaryTable(summary, 3);
    expect(text.split('\n').find((l) => l.startsWith('Pathology back to 90%'))).toMatch(/—\s+not back by the horizon/);
    expect(text).toContain('Pathology back to 90%: over the runs where it fell below 90% and came back; still below at the horizon in 3 of 3 runs, which its mean leaves out.');
  });

  it('says in how many runs day N fell past the horizon, which a day-N mean leaves out, and nothing when none or all did', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const summary = {
      compromised: summarizeMetric([3, 4, 5, 6]),
      // Day 1 inside the horizon in every run, day 7 in three of four (a late first loss), day 27 in none.
      'service.pathology.day1': summarizeMetric([0.2, 0.3, 1, 0.1]),
      'service.pathology.day7': summarizeMetric([0.6, 1, 0.8]),
      'service.pathology.day27': null,
    };
    const text = summaryTable(summary, 4);
    expect(text).toContain('Pathology capacity, day 7 (worst): day 7 of the disruption fell past the horizon in 1 of 4 runs (a first loss within 7 days of the end), which its mean leaves out; runs with no loss count as 1, so it may read high.');
    expect(text).not.toMatch(/day 1 of the disruption fell past/);
    expect(text).not.toMatch(/day 27 of the disruption fell past/);
    expect(text.split('\n').find((l) => l.startsWith('Pathology capacity, day 27'))).toMatch(/—\s+past the horizon/);
  });

  it('says day N past the horizon once a day over every kind shown, and, in a sweep, per value without differences', async () => {
    const { stillBelowNote } = await import('../../cli/format.js');
    const kinds = { 'service.pathology.day7': summarizeMetric([0.6, 1, 0.8]), 'service.radiology.day7': summarizeMetric([0.9, 1, 1]) };
    const both: [string, string][] = [
      ['service.pathology.day7', 'service.pathology.day7'],
      ['service.radiology.day7', 'service.radiology.day7'],
    ];
    // The same runs for every kind (day N counts from the run's first loss of any service): one line.
    expect(stillBelowNote([kinds], 4, true, [], both)).toBe(
      '\nCapacities on day 7 (every service kind shown): day 7 of the disruption fell past the horizon in 1 of 4 runs (a first loss within 7 days of the end), which its mean leaves out; runs with no loss count as 1, so it may read high.',
    );
    // A sweep over the horizon: a value whose horizon is too short has no value in any run; there are no differences.
    const sweep = [{ 'service.pathology.day7': null }, { 'service.pathology.day7': summarizeMetric([0.6, 1, 0.8]) }, { 'service.pathology.day7': summarizeMetric([0.5, 1, 1, 1]) }];
    expect(stillBelowNote(sweep, 4, true, ['h = 150', 'h = 200', 'h = 400'], [['service.pathology.day7', 'Pathology day 7']], false)).toBe(
      '\nPathology day 7: day 7 of the disruption fell past the horizon in every run (h = 150), 1 (h = 200), 0 (h = 400) of 4 runs (a first loss within 7 days of the end, or a horizon that short), which its means leave out; runs with no loss count as 1, so it may read high.',
    );
    // Nothing to say where no batch has a value.
    expect(stillBelowNote([{ 'service.pathology.day7': null }], 4, true, [], [['service.pathology.day7', 'x']])).toBe('');
  });

  it('gives counts of runs exactly, with separators: 99,990 never below did not read 100,000, nor n 99395', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const stored = (n: number, mean: number) => ({ ...summarizeMetric([mean, mean + 1]), n });
    const summary = {
      compromised: summarizeMetric([3, 4]),
      'service.pathology.backTo90': stored(99_395, 600),
      'service.pathology.stillBelow90': { ...summarizeMetric([0, 1], { share: true }), mean: 0, n: 100_000 },
      'service.gp-pathology.backTo90': stored(10, 9900),
      'service.gp-pathology.stillBelow90': { ...summarizeMetric([0, 1], { share: true }), mean: 0, n: 100_000 },
    };
    const text = summaryTable(summary, 100_000);
    expect(text).toContain('never below 90% in 99,990 of 100,000 runs');
    expect(text).toContain('never below 90% in 605 of 100,000 runs');
    expect(text.split('\n').find((l) => l.startsWith('Pathology back to 90%'))).toMatch(/ 99,395$/);
  });

  it("shows a stored time seen in one run with no interval, not '0 – 0' (JSON turned its NaN into null)", async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const stored = JSON.parse(JSON.stringify({ compromised: summarizeMetric([3, 4]), firstCrossingAt: summarizeMetric([186.6]) }));
    const row = summaryTable(stored, 2).split('\n').find((l) => l.startsWith('First cross-layer hop'))!;
    expect(row).toMatch(/^First cross-layer hop \(h\)\s+3\.11\s+— – —\s+3\.11\s+3\.11\s+3\.11\s+1$/);
  });

  it('puts the differences and what pairing bought in two tables when three or more regimes are compared', () => {
    const runs = [[10, 12, 15, 11], [8, 11, 12, 10], [9, 12, 14, 10], [7, 10, 11, 9]];
    const summaries = runs.map((r) => ({ compromised: summarizeMetric(r) }));
    const differences = runs.slice(1).map((r) => ({ compromised: pairedComparison(runs[0]!, r) }));
    const lines = comparisonTable(['baseline', 'charter', 'segmented', 'all-controls'], summaries, differences).split('\n');
    expect(lines[0]).toMatch(/^outcome\s+baseline \(mean\)\s+charter − baseline\s+segmented − baseline\s+all-controls − baseline\s+best$/);
    const second = lines.indexOf('What the pairing bought, per compared regime:');
    expect(lines[second + 1]).toMatch(/^outcome\s+charter: paired\/unpaired, r\s+segmented: paired\/unpaired, r\s+all-controls: paired\/unpaired, r$/);
    expect(lines[second + 3]).toMatch(/^Nodes compromised(\s+\d\.\d\d, r \d\.\d\d){3}$/);
  });

  it('prints a column per regime and the median under the table, never NaN', () => {
    const a = { compromised: [10, 12, 15, 11, 9, 14], disrupted: [3, 3, 3, 3, 3, 3], crossings: [1, 4, 2, 2, 5, 3] };
    const b = { compromised: [8, 11, 12, 10, 7, 12], disrupted: [2, 2, 2, 2, 2, 2], crossings: [1, 4, 2, 2, 5, 3] };
    const summaries = [a, b].map((r) => ({ compromised: summarizeMetric(r.compromised), disrupted: summarizeMetric(r.disrupted), 'crossings.up': summarizeMetric(r.crossings) }));
    const differences = [{ compromised: pairedComparison(a.compromised, b.compromised), disrupted: pairedComparison(a.disrupted, b.disrupted), 'crossings.up': pairedComparison(a.crossings, b.crossings) }];
    const text = comparisonTable(['baseline', 'charter'], summaries, differences);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/charter − baseline\s+paired\/unpaired, r/);
    expect(lines.find((l) => l.startsWith('Nodes compromised'))).toMatch(/0\.\d\d, r 0\.\d\d/);
    expect(lines.find((l) => l.startsWith('Nodes disrupted'))).toMatch(/both constant/);
    expect(lines.find((l) => l.startsWith('Upward layer crossings'))).toMatch(/identical in every run/);
    // Only the compromised row varies in both regimes: its ratio is the median.
    const gain = jsonDifference(differences[0]!.compromised)!.pairedOverUnpaired as number;
    expect(lines.at(-1)).toBe(`Median paired/unpaired over the outcomes above where both regimes and B − A vary: charter ${ratio(gain)} (of 1).`);
    expect(text).not.toMatch(/NaN/);
  });

  it('writes a difference that is 0 but for round-off as 0, unstarred, with no best regime', () => {
    const a = [30, 30, 30, 30];
    const b = a.map((x, i) => x - (i % 2 ? 3.6e-15 : 7.1e-15));
    const summaries = [{ compromised: summarizeMetric(a) }, { compromised: summarizeMetric(b) }];
    const line = comparisonTable(['baseline', 'charter'], summaries, [{ compromised: pairedComparison(a, b) }]).split('\n').find((l) => l.startsWith('Nodes compromised'))!;
    expect(line).toMatch(/^Nodes compromised\s+30\s+0 \[0, 0\]\s+identical in every run\s*$/);
  });

  it('says the runs a mean or a difference is over where fewer than all (a time seen in some runs only)', () => {
    const all = [5, 6, 7, 8, 9, 10];
    // firstCrossingAt (minutes) happened in 4 of baseline's 6 runs, in 3 of charter's, and in both in 2.
    const summaries = [
      { compromised: summarizeMetric(all), firstCrossingAt: summarizeMetric([60, 120, 180, 240]) },
      { compromised: summarizeMetric(all), firstCrossingAt: summarizeMetric([600, 660, 900]) },
    ];
    const differences = [{ compromised: pairedComparison(all, all.map((x) => x + 1)), firstCrossingAt: pairedComparison([60, 180], [600, 900]) }];
    const lines = comparisonTable(['baseline', 'charter'], summaries, differences).split('\n');
    expect(lines.find((l) => l.startsWith('First cross-layer hop'))).toMatch(/^First cross-layer hop \(h\)\s+2\.5 n 4\s+10\.5 \[.*\] n 2\s/);
    expect(lines.find((l) => l.startsWith('Nodes compromised'))).not.toMatch(/ n \d/);
    expect(lines).toContain('n: the runs a mean or a difference is over, where fewer than all 6: a mean over the runs with a value in its');
  });

  it('puts the ratio, the correlation and the kind in --json, null when undefined', () => {
    expect(jsonDifference(pairedComparison([1, 2, 3], [1, 2, 3]))).toMatchObject({ pairedOverUnpaired: null, correlation: 1, pairing: 'identical' });
    expect(jsonDifference(pairedComparison([2, 2, 2], [2, 2, 2]))).toMatchObject({ pairedOverUnpaired: null, correlation: null, pairing: 'identical' });
    expect(jsonDifference(pairedComparison([2, 2, 2], [3, 3, 3]))).toMatchObject({ pairedOverUnpaired: null, correlation: null, pairing: 'constant' });
    const varying = jsonDifference(pairedComparison([1, 2, 3, 4], [1.5, 2, 3.5, 4]))!;
    expect(varying.pairing).toBe('varying');
    expect(varying.pairedOverUnpaired).toBeGreaterThan(0);
    expect(varying.pairedOverUnpaired).toBeLessThan(0.5);
  });
});

describe('the best regime', () => {
  const summary = (values: number[]) => summarizeMetric(values);
  it('is the lowest loss, the latest first time, the highest recovered share, and none for blocks or unequal times', () => {
    const labels = ['baseline', 'charter'];
    const pair = (metric: string, a: number[], b: number[]) => bestRegime(metric, [{ [metric]: summary(a) }, { [metric]: summary(b) }], labels);
    expect(pair('appointmentsCancelled', [5, 6, 7], [1, 2, 3])).toBe('charter');
    expect(pair('firstCrossingAt', [50, 60, 70], [10, 20, 30])).toBe('baseline');
    // The first detection has no better side: sooner may be a larger outbreak found.
    expect(pair('firstDetectedAt', [50, 60, 70], [10, 20, 30])).toBeNull();
    expect(pair('timeToRecovery', [50, 60, 70], [10, 20, 30])).toBe('charter');
    expect(pair('recovered', [0, 0, 1], [1, 1, 1])).toBe('charter');
    expect(pair('blocked.patch', [0, 0, 1], [5, 5, 5])).toBeNull();
    expect(pair('firstCrossingAt', [50, 60, 70], [10])).toBeNull(); // charter crossed in one run of three
    expect(pair('compromised', [3, 3, 3], [3, 3, 3])).toBeNull();
    // A service's capacity: more is better; its time back to a level: less, over the same runs only.
    expect(pair('service.pathology.day7', [0.4, 0.5, 0.6], [0.6, 0.7, 0.8])).toBe('charter');
    expect(pair('service.pathology.min', [0.4, 0.5, 0.6], [0.1, 0.2, 0.3])).toBe('baseline');
    expect(pair('service.pathology.backTo90', [500, 600, 700], [300, 400, 500])).toBe('charter');
    expect(pair('service.pathology.backTo90', [500, 600, 700], [300])).toBeNull();
    expect(pair('service.outpatients.day1', [0.4, 0.5, 0.6], [0.6, 0.7])).toBeNull();
    // When the peak came is no better early or late (a trial: a later peak of 1,040 hosts "beat" one of 81).
    expect(pair('peakDisruptedAt', [300, 306, 310], [290, 295, 300])).toBeNull();
  });

  it('names every regime tied for the best, in order', () => {
    const three = (a: number[], b: number[], c: number[]) => bestRegime('disrupted', [{ disrupted: summary(a) }, { disrupted: summary(b) }, { disrupted: summary(c) }], ['baseline', 'least-privilege', 'all-controls']);
    expect(three([9, 9, 9], [1, 2, 3], [1, 2, 3])).toBe('least-privilege, all-controls');
    expect(three([9, 9, 9], [1, 2, 3], [1, 2, 4])).toBe('least-privilege');
  });
});

describe('a best regime the runs cannot tell from another', () => {
  it('says which regimes its paired difference from the best does not exclude 0 against (a best mean read as a winner)', async () => {
    const { bestCell } = await import('../../cli/format.js');
    const runs = [
      [9, 10, 11, 12],
      [5, 6, 7, 8],
      [5.5, 5.5, 7.5, 7.5],
    ];
    const summaries = runs.map((r) => ({ disrupted: summarizeMetric(r) }));
    const labels = ['baseline', 'charter', 'segmented'];
    const pair = (i: number, j: number) => pairedComparison(runs[i]!, runs[j]!);
    // charter and segmented tie at 6.5: both named, nothing to tell apart.
    expect(bestCell('disrupted', summaries, labels, pair)).toBe('charter, segmented');
    // segmented 6.75 against charter's 6.5, the paired difference's interval across 0.
    runs[2] = [5.5, 6.5, 7.5, 7.5];
    const apart = runs.map((r) => ({ disrupted: summarizeMetric(r) }));
    expect(bestCell('disrupted', apart, labels, pair)).toBe('charter (≈ segmented)');
    // Without the runs, the best mean alone; far from every other regime, no "≈".
    expect(bestCell('disrupted', apart, labels)).toBe('charter');
    runs[2] = [15, 16, 17, 18];
    expect(bestCell('disrupted', runs.map((r) => ({ disrupted: summarizeMetric(r) })), labels, pair)).toBe('charter');
  });

  it('says it of a tie for the best too (a review: two regimes at capacity 1, a third a hair below them)', async () => {
    const { bestCell } = await import('../../cli/format.js');
    const runs = [
      [0.999, 1, 0.998, 1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ];
    const summaries = runs.map((r) => ({ 'service.outpatients.day1': summarizeMetric(r) }));
    const pair = (i: number, j: number) => pairedComparison(runs[i]!, runs[j]!);
    expect(bestCell('service.outpatients.day1', summaries, ['baseline', 'staged-rollout', 'charter'], pair)).toBe('staged-rollout, charter (≈ baseline)');
  });
});

describe('a comparison of an outcome seen in different numbers of runs', () => {
  it('never calls it identical without saying in how many runs each regime saw it', () => {
    // The hop happened in all 4 baseline runs and in 1 of vendor-access's, at the same time in that one run.
    const summaries = [{ firstCrossingAt: summarizeMetric([60, 70, 80, 90]) }, { firstCrossingAt: summarizeMetric([60]) }];
    const differences = [{ firstCrossingAt: pairedComparison([60, 60], [60, 60]) }];
    const line = comparisonTable(['baseline', 'vendor-access'], summaries, differences).split('\n').find((l) => l.startsWith('First cross-layer hop'))!;
    expect(line).toContain('identical where both seen; seen in 1 vs 4 runs');
    expect(line).not.toContain('identical in every run');
  });

  it("says under the table in how many runs a service was still below at the horizon, which a 'back to' mean leaves out", () => {
    const compromised = summarizeMetric([5, 6, 7, 8]);
    const summaries = [
      { compromised, 'service.pathology.backTo90': summarizeMetric([3000, 3100]) },
      { compromised, 'service.pathology.backTo90': summarizeMetric([600, 700, 800, 900]) },
    ];
    const differences = [{ 'service.pathology.backTo90': pairedComparison([3000, 3100], [600, 700]) }];
    const text = comparisonTable(['baseline', 'charter'], summaries, differences);
    // A batch stored before `stillBelow90` (its runs without a value were all still below).
    expect(text).toContain('Pathology back to 90%: over the runs where it fell below 90% and came back; still below at the horizon in 2 (baseline), 0 (charter) of 4 runs, which its means and differences leave out.');
    // With it: runs never below 90% are told apart from runs still below (both have no time back).
    const share = (xs: number[]) => summarizeMetric(xs, { share: true });
    const withShare = [
      { ...summaries[0]!, 'service.pathology.stillBelow90': share([1, 0, 0, 0]) },
      { ...summaries[1]!, 'service.pathology.stillBelow90': share([0, 0, 0, 0]) },
    ];
    expect(comparisonTable(['baseline', 'charter'], withShare, differences)).toContain(
      'Pathology back to 90%: over the runs where it fell below 90% and came back; still below at the horizon in 1 (baseline), 0 (charter), never below 90% in 1 (baseline), 0 (charter) of 4 runs, which its means and differences leave out.',
    );
    // None still below, some never below: said too (a review found the note dropped, and the n column unexplained).
    const neverOnly = [
      { compromised, 'service.pathology.backTo90': summarizeMetric([600, 700, 800]), 'service.pathology.stillBelow90': share([0, 0, 0, 0]) },
      { compromised, 'service.pathology.backTo90': summarizeMetric([600, 700, 800, 900]), 'service.pathology.stillBelow90': share([0, 0, 0, 0]) },
    ];
    expect(comparisonTable(['baseline', 'charter'], neverOnly, differences)).toContain(
      'Pathology back to 90%: over the runs where it fell below 90% and came back; never below 90% in 1 (baseline), 0 (charter) of 4 runs, which its means and differences leave out.',
    );
  });

  it('says under the table, per regime, how many runs the time to full recovery is censored in (as run does)', () => {
    // A trial read charter's −131 h against a baseline most of whose runs counted the horizon: said now.
    const baseRecovered = [...Array<number>(21).fill(1), ...Array<number>(79).fill(0)];
    const base = { timeToRecovery: summarizeMetric(baseRecovered.map((r, i) => (r ? 600 + i : 10_080))), recovered: summarizeMetric(baseRecovered, { share: true }) };
    const charter = { timeToRecovery: summarizeMetric(baseRecovered.map((_, i) => 600 + i)), recovered: summarizeMetric(baseRecovered.map(() => 1), { share: true }) };
    const differences = [{ timeToRecovery: pairedComparison(baseRecovered.map((r, i) => (r ? 600 + i : 10_080)), baseRecovered.map((_, i) => 600 + i)) }];
    const text = comparisonTable(['baseline', 'charter'], [base, charter], differences);
    expect(text).toContain("\nTime to full recovery: not fully recovered by the horizon in 79 of 100 runs (baseline), 0 (charter); those runs count until it (censored; `recovered` with --all), so a difference in it is partly the horizon's.");
    // Every regime recovered in every run: nothing to say.
    expect(comparisonTable(['baseline', 'charter'], [charter, charter], [{ timeToRecovery: pairedComparison([1, 2], [1, 2]) }])).not.toContain('Time to full recovery:');
  });
});

describe('number', () => {
  it('writes numbers out as people read them, to three significant figures, not in e-notation', () => {
    expect([9.66e-4, 0.0123456, 12.345, 1_234_567, 2.5e9].map((x) => number(x))).toEqual(['0.000966', '0.0123', '12.3', '1,230,000', '2,500,000,000']);
    expect([3e-7, 2e15, NaN, Infinity, 0].map((x) => number(x))).toEqual(['3.00e-7', '2.00e+15', '—', '∞', '0']);
  });
});

describe('duration', () => {
  it('reads as seconds, minutes, or hours and minutes', () => {
    expect([0, 42_400, 59_400, 60_000, 7 * 60_000 + 20_000, 68 * 60_000, 24 * 3_600_000 + 1].map(duration)).toEqual(['0 s', '42 s', '59 s', '1 min', '7 min', '1 h 8 min', '24 h 0 min']);
  });
});

describe('summaryTable', () => {
  it('says under the table how many runs the time to full recovery is censored in, and nothing when all recovered', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const recovered = [...Array<number>(21).fill(1), ...Array<number>(79).fill(0)];
    const times = recovered.map((r, i) => (r ? 600 + i : 10_080));
    const summary = { timeToRecovery: summarizeMetric(times), recovered: summarizeMetric(recovered, { share: true }) };
    expect(summaryTable(summary, 100)).toContain('\nTime to full recovery: 79 of 100 runs were not fully recovered by the horizon and count until it (censored; `recovered` with --all).');
    expect(summaryTable(summary, 100, true)).toContain('count until it (censored; the `recovered` row).');
    const all = { timeToRecovery: summarizeMetric([600, 700]), recovered: summarizeMetric([1, 1], { share: true }) };
    expect(summaryTable(all, 2)).not.toContain('censored');
  });

  it('says a time to full recovery of 0 in every run means no device was disrupted, when services lost capacity', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    const zero = summarizeMetric([0, 0, 0]);
    const summary = { timeToRecovery: zero, recovered: summarizeMetric([1, 1, 1], { share: true }), disrupted: zero, 'service.pathology.backTo90': summarizeMetric([600, 6000]) };
    expect(summaryTable(summary, 3)).toContain('\nTime to full recovery: no device was disrupted in any run (it counts the restoring of disrupted devices); services that lost capacity are in their "back to 90%" rows.');
    // Nothing lost anywhere: nothing to explain.
    expect(summaryTable({ ...summary, 'service.pathology.backTo90': null, 'service.pathology.stillBelow90': summarizeMetric([0, 0, 0], { share: true }) }, 3)).not.toContain('Time to full recovery:');
    // Never back at 90% in any run (no values: a null summary, as 2 runs on nhs-england gave): out, and no crash.
    expect(summaryTable({ ...summary, 'service.pathology.backTo90': null, 'service.pathology.stillBelow90': summarizeMetric([1, 1, 1], { share: true }) }, 3)).toContain('no device was disrupted in any run');
  });
});

describe('unitOf', () => {
  it('gives each metric the unit --json and exports hold it in (a trial found times unlabelled)', () => {
    const units = ['compromised', 'reached.cloud', 'reachedAt.cloud', 'timeToRecovery', 'diversionHours', 'service.pathology.day7', 'service.pathology.hoursBelow50', 'service.pathology.backTo90', 'harm.kind.infusion-pump.hoursDown', 'recovered', 'safetyEvents'].map(unitOf);
    expect(units).toEqual(['count', 'share', 'minutes', 'minutes', 'hours', 'share', 'hours', 'minutes', 'hours', 'share', 'count']);
  });

  it("reads the unit from the figure, not from a twin's ids (a service 'out-of-hours', an owner 'Meet At.home')", () => {
    const units = ['service.out-of-hours.day7', 'service.out-of-hours.lost', 'service.out-of-hours.backTo90', 'service.out-of-hours.hoursBelow50', 'lost.Meet At.home', 'harm.owner.Out of Hours Ltd.exposed', 'harm.owner.Out of Hours Ltd.hoursDown', 'sitesCutOff.Hours Co'].map(unitOf);
    expect(units).toEqual(['share', 'count', 'minutes', 'hours', 'count', 'count', 'hours', 'count']);
  });
});

describe('times under an hour', () => {
  it('picks hours, minutes or seconds for a row from every value it shows', async () => {
    const { timeUnit, unitLabel } = await import('../../cli/format.js');
    expect(timeUnit('compromised', [0.5])).toBeNull();
    expect(timeUnit('firstCrossingAt', [0.06, 0.02])).toEqual({ divisor: 1 / 60, unit: 's' });
    expect(timeUnit('firstCrossingAt', [0.06, 59.9])).toEqual({ divisor: 1, unit: 'min' });
    // One value of an hour or more puts the whole row in hours; a row with no value stays in hours.
    expect(timeUnit('firstCrossingAt', [0.06, 60])).toEqual({ divisor: 60, unit: 'h' });
    expect(timeUnit('timeToRecovery', [NaN, null, undefined])).toEqual({ divisor: 60, unit: 'h' });
    expect(unitLabel('Pathology back to 90% (h after loss)', { divisor: 1, unit: 'min' })).toBe('Pathology back to 90% (min after loss)');
    expect(unitLabel('reachedAt.cloud (h)', { divisor: 1 / 60, unit: 's' })).toBe('reachedAt.cloud (s)');
  });

  it('shows a first hop of seconds in seconds, not as a small fraction of an hour (a trial read "0.000971 h")', async () => {
    const { summaryTable } = await import('../../cli/format.js');
    // 3.5 s and 4.5 s, in minutes.
    const row = summaryTable({ firstCrossingAt: summarizeMetric([3.5 / 60, 4.5 / 60]) }, 2).split('\n').find((l) => l.startsWith('First cross-layer hop'))!;
    expect(row).toMatch(/^First cross-layer hop \(s\)\s+4\s+-2\.35 – 10\.4\s+3\.55\s+4\s+4\.45\s*$/);
  });

  it('puts a compare row in one unit for every regime and difference', () => {
    const a = [30, 32, 34, 36];
    const b = [35, 37, 39, 41];
    const summaries = [{ firstDetectedAt: summarizeMetric(a) }, { firstDetectedAt: summarizeMetric(b) }];
    const line = comparisonTable(['baseline', 'charter'], summaries, [{ firstDetectedAt: pairedComparison(a, b) }]).split('\n').find((l) => l.startsWith('First detection'))!;
    expect(line).toMatch(/^First detection \(min\)\s+33\s+5 \[5, 5\]/);
    // A regime past an hour puts the row in hours for both.
    const later = [70, 72, 74, 76];
    const hours = comparisonTable(['baseline', 'charter'], [summaries[0]!, { firstDetectedAt: summarizeMetric(later) }], [{ firstDetectedAt: pairedComparison(a, later) }]).split('\n').find((l) => l.startsWith('First detection'))!;
    expect(hours).toMatch(/^First detection \(h\)\s+0\.55\s+0\.667 /);
  });
});
