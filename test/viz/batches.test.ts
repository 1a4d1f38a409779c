import { describe, expect, it } from 'vitest';
import type { BatchInfo } from '../../viz/src/api.js';
import { batchRows } from '../../viz/src/batches.js';

/** A stored batch as /api/batches lists it (only the fields the table reads). */
const batch = (id: string, kind: string, groupId: string, label: string | null, regime: string, extra: Partial<BatchInfo> = {}): BatchInfo => ({
  id,
  kind,
  groupId,
  label,
  twin: 'ward',
  scenario: 'crowdstrike-update',
  regime,
  seed: 20170512,
  runs: 20,
  status: 'complete',
  version: '0.0.0',
  ...extra,
});

/** Newest first, as the API lists them: a sweep after a comparison after a single run. */
const stored: BatchInfo[] = [
  batch('83970f95', 'sweep', '3d7eae00', 'controls.patchCoverage=0.8', 'baseline', { runs: 10 }),
  batch('1cd51447', 'sweep', '3d7eae00', 'controls.patchCoverage=0.5', 'baseline', { runs: 10 }),
  batch('3d7eae00', 'sweep', '3d7eae00', 'controls.patchCoverage=0.2', 'baseline', { runs: 10 }),
  batch('f94426fa', 'compare', 'e7806bf5', 'staged-rollout', 'staged-rollout'),
  batch('e7806bf5', 'compare', 'e7806bf5', 'baseline', 'baseline'),
  batch('0a1b2c3d', 'run', '0a1b2c3d', null, 'staged-rollout', { runs: 100 }),
];

describe('the stored batches table', () => {
  it('shows a comparison as one row with its regimes in order, never its last member\'s regime beside its first member\'s id', () => {
    const rows = batchRows(stored);
    expect(rows.map((r) => r.id)).toEqual(['3d7eae00', 'e7806bf5', '0a1b2c3d']);
    expect(rows[1]).toEqual({ id: 'e7806bf5', link: '#/results?group=e7806bf5', kind: 'compare (2 batches)', scenario: 'crowdstrike-update', twin: 'ward', regime: 'baseline vs staged-rollout', runs: '20', status: 'complete' });
    expect(rows[2]).toMatchObject({ link: '#/results?batch=0a1b2c3d', kind: 'run', regime: 'staged-rollout', runs: '100' });
  });

  it('shows a sweep\'s regime and swept values in order, and a long sweep by its ends', () => {
    expect(batchRows(stored)[0]).toMatchObject({ kind: 'sweep (3 batches)', regime: 'baseline, controls.patchCoverage = 0.2, 0.5, 0.8', runs: '10' });
    const values = Array.from({ length: 11 }, (_, i) => String(i / 10));
    const long = values.map((v, i) => batch(`s${i}`, 'sweep', 's0', `controls.patchCoverage=${v}`, 'staged-rollout')).reverse();
    expect(batchRows(long)).toMatchObject([{ id: 's0', kind: 'sweep (11 batches)', regime: 'staged-rollout, controls.patchCoverage = 0, 0.1, …, 1 (11 values)' }]);
  });

  it('says how many members have each status when they differ (an interrupted comparison)', () => {
    const interrupted = [batch('b2', 'compare', 'b1', 'staged-rollout', 'staged-rollout', { status: 'incomplete' }), batch('b1', 'compare', 'b1', 'baseline', 'baseline')];
    expect(batchRows(interrupted)).toMatchObject([{ id: 'b1', regime: 'baseline vs staged-rollout', status: '1 complete, 1 incomplete' }]);
  });

  it('says the runs stored where fewer than asked for, as results list does (an interrupted or running batch)', () => {
    const rows = batchRows([
      batch('r2', 'run', 'r2', null, 'baseline', { runs: 10_000, storedRuns: 0, status: 'incomplete' }),
      batch('r1', 'run', 'r1', null, 'baseline', { runs: 20_000, storedRuns: 20_000 }),
    ]);
    expect(rows.map((r) => r.runs)).toEqual(['0/10,000', '20,000']);
  });
});
