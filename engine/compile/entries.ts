import type { ExpandedTwin } from '../model/expand.js';
import type { Threat } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { selectMembers } from './members.js';
import type { CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

/**
 * The threat's seed entries: each entry's candidate members (CSR), and per entry [count, atMinutes,
 * spreadMinutes], a `share` turned into a count of at least 1 over its candidates. A worm can only enter
 * where its exploit works (patched members stay candidates: the patch stops them). A faulty update has no
 * seed entries.
 */
export function compileEntries(twin: Twin, expanded: ExpandedTwin, threat: Threat, exploitEase: Float32Array): Pick<CompiledModel, 'entryOffsets' | 'entryCandidates' | 'entryParams'> {
  const entries = threat.kind === 'faulty-update' ? [] : threat.entries;
  const entryLists = entries.map((entry) => selectMembers(twin, expanded.entryStart, entry.select).filter((i) => threat.kind !== 'worm' || exploitEase[i]! > 0));
  const entryOffsets = shared(Int32Array, entries.length + 1);
  entryLists.forEach((list, i) => (entryOffsets[i + 1] = entryOffsets[i]! + list.length));
  return {
    entryOffsets,
    entryCandidates: sharedFrom(Int32Array, entryLists.flat()),
    entryParams: sharedFrom(
      Float64Array,
      entries.flatMap((e, i) => [e.share === undefined ? (e.count ?? 1) : Math.max(1, Math.round(e.share * entryLists[i]!.length)), e.atMinutes, e.spreadMinutes]),
    ),
  };
}
