import { describe, expect, it } from 'vitest';
import { keepPace, loopback, reportTable, showsSession } from '../../viz/src/tabletop.js';
import type { Report, SessionState } from '../../server/sessions.js';

const row = (over: Partial<Report['rows'][number]>): Report['rows'][number] => ({
  metric: 'disrupted',
  label: 'Nodes disrupted',
  hours: false,
  meanWithout: 10,
  meanWith: 4,
  difference: -6,
  lo: -8,
  hi: -4,
  same: false,
  n: 200,
  nWithout: 200,
  nWith: 200,
  runWithout: 12,
  runWith: 5,
  ...over,
});

describe('the tabletop', () => {
  // A trial's board heard "+1,770" and "+88.1" without being told the decisions had made them worse, read this
  // run as "3,717.83 → 5,238.32" beside totals of whole numbers, and "every system was back" beside 805 down.
  it('says which way a clear change goes, gives this run in whole numbers, and a recovery time as counted to the end', () => {
    const report: Report = {
      runs: 50,
      seed: 1,
      decisions: ['isolate-zone:trust/server@150'],
      rows: [
        row({ metric: 'appointmentsCancelled', label: 'Appointments cancelled or postponed', meanWithout: 3000, meanWith: 4770, difference: 1770, lo: 1500, hi: 2040, n: 50, nWithout: 50, nWith: 50, runWithout: 3717.83, runWith: 5238.32 }),
        row({ metric: 'timeToRecovery', label: 'Time to full recovery (h)', hours: true, meanWithout: 8100, meanWith: 8100, difference: 0, lo: -10, hi: 10, n: 50, nWithout: 50, nWith: 50, runWithout: 9924.66, runWith: 9924.66 }),
        row({ metric: 'diversionHours', label: 'Hours on ambulance diversion', meanWithout: 30, meanWith: 30, difference: 0, lo: 0, hi: 0, same: true, n: 50, nWithout: 50, nWith: 50, runWithout: 35.544, runWith: 3.11293 }),
      ],
    };
    const html = reportTable(report, (d) => d);
    expect(html).toContain('appointments cancelled or postponed: +1,770 (worse).');
    expect(html).toContain('<td>3,718 → 5,238</td>');
    expect(html).toContain('<td>36 → 3.11</td>');
    expect(html).toContain("<th scope=\"row\">Time until every system was back, or to the run's end if not (h)</th>");
  });

  it('gives two means apart only past their fourth figure the same three figures ("19.9197" both ways was noise), unless the change is clear', () => {
    const report: Report = {
      runs: 200,
      seed: 1,
      decisions: ['isolate-zone:trust/server@150'],
      rows: [
        row({ metric: 'diversionHours', label: 'Hours on ambulance diversion', meanWithout: 19.91971, meanWith: 19.91968, difference: -0.00003, lo: -0.0001, hi: 0.00004 }),
        row({ metric: 'appointmentsCancelled', label: 'Appointments cancelled or postponed', meanWithout: 3000.4, meanWith: 3003.1, difference: 2.7, lo: 1, hi: 4 }),
      ],
    };
    report.rows.push(row({ metric: 'compromised', label: 'Nodes compromised', meanWithout: 104_012, meanWith: 104_015, difference: 3, lo: 2, hi: 4 }));
    const html = reportTable(report, (d) => d);
    expect(html).toMatch(/<td>19\.9<\/td><td>19\.9<\/td>/);
    // Apart at the fourth figure: four.
    expect(html).toMatch(/<td>3,000<\/td><td>3,003<\/td>/);
    // A clear change is never beside equal means: as many figures as tell them apart (104,000 both ways read as a contradiction).
    expect(html).toMatch(/<td>104,010<\/td><td>104,020<\/td>/);
  });

  it('reports shares in per cent with their differences in points, hours for times, and an outcome one way only', () => {
    const report: Report = {
      runs: 200,
      seed: 1,
      decisions: ['halt-update@20'],
      rows: [
        row({}),
        row({ metric: 'reached.cloud', label: 'Runs reaching the cloud (share)', meanWithout: 0.8, meanWith: 0.675, difference: -0.125, lo: -0.2, hi: -0.05, runWithout: 1, runWith: 0 }),
        row({ metric: 'service.pathology.backTo90', label: 'Pathology back to 90% (h after loss)', hours: true, meanWithout: 3090, meanWith: null, difference: null, lo: null, hi: null, n: 0, nWithout: 37, nWith: 0, runWithout: null, runWith: null }),
      ],
    };
    const html = reportTable(report, (d) => `the update halted (${d})`);
    // A difference whose interval excludes 0 in bold, and said first in words.
    expect(html).toContain('<td>10</td><td>4</td><td><strong>−6 (−8 to −4)</strong></td><td>12 → 5</td>');
    expect(html).toContain('<td>80%</td><td>67.5%</td><td><strong>−12.5 points (−20 points to −5 points)</strong></td><td>yes → no</td>');
    expect(html).toContain('<td>51.5 in 37 runs</td><td>never</td><td>not both ways in two runs</td><td>never → never</td>');
    expect(html).toContain('“the update halted (halt-update@20)”');
    expect(html).toContain(
      "What the room's decisions changed, on average over 200 runs: systems put out of action: −6 (better); runs where it reached cloud services: −12.5 points (better). Seen in too few runs both ways to compare: pathology back to 90% of normal (in 37 runs without them, 0 with them).",
    );
  });

  it('says an interval across 0 as no clear change, a time under an hour in minutes, and means apart where they differ (a trial)', () => {
    const report: Report = {
      runs: 100,
      seed: 1,
      decisions: ['isolate-zone:trust/server@150'],
      rows: [
        // 1,040.2 and 1,037.5 read "1,040 / 1,040" beside a difference of −2.7.
        row({ meanWithout: 1040.2, meanWith: 1037.5, difference: -2.7, lo: -4.1, hi: -1.3, runWithout: 1270, runWith: 1265 }),
        row({ metric: 'firstCrossingAt', label: 'First cross-layer hop (h)', hours: true, meanWithout: 20, meanWith: 20.075, difference: 0.075, lo: -0.01, hi: 0.16, runWithout: 19, runWith: 19 }),
        row({ metric: 'diversionHours', label: 'Hours on ambulance diversion', meanWithout: 19.6, meanWith: 19.6, difference: 0, lo: 0, hi: 0, same: true, runWithout: 36, runWith: 36 }),
      ],
    };
    const html = reportTable(report, (d) => d);
    expect(html).toContain('<td>1,040</td><td>1,038</td><td><strong>−2.7 (−4.1 to −1.3)</strong></td><td>1,270 → 1,265</td>');
    expect(html).toContain('<th scope="row">Time until it first jumped a layer (min)</th><td>20</td><td>20.1</td><td>+4.5 (−0.6 to +9.6) s</td><td>19 → 19</td>');
    expect(html).toContain('<td>none in any run</td>');
    expect(html).toContain('systems put out of action: −2.7 (better). No clear change in time until it first jumped a layer, hours the emergency department diverted ambulances.');
  });

  it("keeps this run's own figures back until the clock reaches its end, and says a small share change in points (a review)", () => {
    const report: Report = {
      runs: 100,
      seed: 1,
      decisions: ['halt-update@20'],
      rows: [row({ metric: 'service.pathology.day1', label: 'Pathology capacity, day 1 of disruption (worst)', meanWithout: 0.601, meanWith: 0.6014, difference: 0.0004, lo: 0.0002, hi: 0.0006, n: 80, runWithout: 0.5, runWith: 0.55 })],
    };
    const before = reportTable(report, (d) => d, false);
    expect(before).toContain('<td><strong>+0.04 points (+0.02 points to +0.06 points), over 80 runs</strong></td><td>at the end</td>');
    expect(before).toContain("The last column is this session's own run, shown when the clock reaches its end.");
    expect(before).toContain('pathology on day 1 of the disruption, share of normal (worst site): +0.04 points (better) (over the 80 runs with it both ways)');
    expect(reportTable(report, (d) => d)).toContain('<td>50% → 55%</td>');
  });

  it('says a time that happens in different runs each way by those counts, and a share no run changed as none (a trial)', () => {
    const report: Report = {
      runs: 100,
      seed: 1,
      decisions: ['isolate-zone:trust/server@150'],
      rows: [
        // Back to 90% in 83 runs with the decisions, 16 without: the means are over different runs.
        row({ metric: 'service.pathology.backTo90', label: 'Pathology back to 90% (h after loss)', hours: true, meanWithout: 3726, meanWith: 7080, difference: -281, lo: -400, hi: -160, n: 16, nWithout: 16, nWith: 83, runWithout: null, runWith: 6000 }),
        row({ metric: 'reached.cloud', label: 'Runs reaching the cloud (share)', meanWithout: 0.2, meanWith: 0.2, difference: 0, lo: -0.035, hi: 0.035, same: true, runWithout: 0, runWith: 0 }),
      ],
    };
    const html = reportTable(report, (d) => d);
    expect(html).toContain('Happening more or less often: pathology back to 90% of normal: in 83 runs with them, 16 without (−4.68 h (better) over the 16 runs with it both ways).');
    expect(html).toContain('<td>none in any run</td>');
    // 6,000 minutes in the row's hours.
    expect(html).toContain('<td>never → 100</td>');
  });

  // A facilitator's browser below 10 frames a second plays slower than the speed says: its participants were
  // set back every two seconds (a trial). Now they keep its pace and never run back.
  it("keeps a participant's clock to the facilitator's pace without setting it back, and sets it on a jump", () => {
    // At one speed (60 min/s) and level: on at the same pace; the facilitator going at half speed: half.
    expect(keepPace(100, 100, 60, 60)).toEqual({ pace: 1 });
    expect(keepPace(100, 100, 60, 30)).toEqual({ pace: 0.5 });
    // A second of play ahead of a half-speed facilitator: it waits (pace 0), not a step back.
    expect(keepPace(160, 100, 60, 30)).toEqual({ pace: 0 });
    // A second behind: faster until level in two seconds (at most twice the speed).
    expect(keepPace(40, 100, 60, 60)).toEqual({ pace: 1.5 });
    expect(keepPace(0, 500, 60, 60)).toEqual({ pace: 2 });
    // More than ten seconds of play apart, either way: a jump, set.
    expect(keepPace(0, 700, 60, 60)).toEqual({ seek: 700 });
    expect(keepPace(700, 0, 60, 60)).toEqual({ seek: 0 });
  });

  it('tells whether a view shows the session: its run and, in order, its decisions', () => {
    const session = { scenario: 's', twin: undefined, regime: 'baseline', seed: 1, run: 2, what: ['a@1', 'b@2'] } as unknown as SessionState;
    const shown = { scenario: 's', twin: '', regime: 'baseline', seed: 1, run: 2, what: ['a@1', 'b@2'] };
    expect(showsSession(shown, session)).toBe(true);
    expect(showsSession({ ...shown, what: ['b@2', 'a@1'] }, session)).toBe(false);
    expect(showsSession({ ...shown, run: 3 }, session)).toBe(false);
    expect(showsSession({ ...shown, twin: 'ward' }, session)).toBe(false);
  });
});

describe("the participants' link", () => {
  it('is said to open nowhere else when the page is on loopback or the wildcard address', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '0.0.0.0', '[::]']) expect(loopback(host), host).toBe(true);
    for (const host of ['192.168.1.20', 'ward-laptop.local', '[fe80::1]']) expect(loopback(host), host).toBe(false);
  });
});
