import { describe, expect, it } from 'vitest';
import { reportTable, showsSession } from '../../viz/src/tabletop.js';
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
  n: 200,
  nWithout: 200,
  nWith: 200,
  runWithout: 12,
  runWith: 5,
  ...over,
});

describe('the tabletop', () => {
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
    expect(html).toContain('<td>10</td><td>4</td><td>−6 (−8 to −4)</td><td>12 → 5</td>');
    expect(html).toContain('<td>80%</td><td>67.5%</td><td>−12.5 points (−20 points to −5 points)</td><td>100% → 0%</td>');
    expect(html).toContain('<td>51.5 in 37 runs</td><td>never</td><td>not both ways in two runs</td><td>never → never</td>');
    expect(html).toContain('“the update halted (halt-update@20)”');
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
