import { describe, expect, it } from 'vitest';
import { newestBatches } from '../../server/listing.js';
import type { BatchInfo } from '../../store/index.js';

/** /api/batches: the newest rows of the "Stored batches" table, a group one row and always whole. */
describe('newestBatches', () => {
  const batch = (id: string, kind: BatchInfo['kind'] = 'run', groupId: string | null = null) => ({ id, kind, groupId }) as BatchInfo;
  // Oldest first, as the store lists them: a run, a 300-value sweep, then two runs.
  const sweep = Array.from({ length: 300 }, (_, i) => batch(`s${i}`, 'sweep', 's0'));
  const stored = [batch('r0'), ...sweep, batch('r1'), batch('r2')];

  it('keeps a group whole however many batches it has, and counts it as one row', () => {
    const listed = newestBatches(stored, 3);
    expect(listed.map((b) => b.id)).toEqual(['r2', 'r1', ...sweep.map((b) => b.id).reverse()]);
    expect(newestBatches(stored, 4).at(-1)!.id).toBe('r0');
    expect(newestBatches(stored, 2).map((b) => b.id)).toEqual(['r2', 'r1']);
  });

  it('keeps a group whose members straddle the window with all of them', () => {
    // A compare begun, a run between its members (another process), then its last member.
    const straddling = [batch('c0', 'compare', 'c0'), batch('r0'), batch('c1', 'compare', 'c0')];
    expect(newestBatches(straddling, 1).map((b) => b.id)).toEqual(['c1', 'c0']);
    expect(newestBatches(straddling, 2).map((b) => b.id)).toEqual(['c1', 'r0', 'c0']);
  });
});
