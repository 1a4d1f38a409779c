import { RELATIONS } from '../model/vocabulary.js';
import { relationOf, type CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

const DATA = RELATIONS.indexOf('data');
const IDENTITY = RELATIONS.indexOf('identity');

export interface SiteDependencies {
  offsets: Int32Array;
  nodes: Int32Array;
  columns: Int32Array;
  /** Owner indices that appear, in increasing order; column c is owners[c]. */
  owners: number[];
}

/**
 * Per site, the members outside it (hosted, vendor and national services, other sites) that its members
 * exchange data with or sign in at (explicit `data` and `identity` edges), sorted by owner, then index; the
 * owners that appear get one `sitesCutOff.<owner>` column each, in owner order.
 */
export function siteDependencies(siteCount: number, site: Int32Array, owner: Int32Array, edges: Pick<CompiledModel, 'offsets' | 'targets' | 'edgeClass' | 'classRelation'>): SiteDependencies {
  const { offsets, targets } = edges;
  const bySite: Set<number>[] = Array.from({ length: siteCount }, () => new Set());
  for (let i = 0; i < site.length; i++) {
    const s = site[i]!;
    if (s < 0) continue;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const r = relationOf(edges, k);
      if ((r === DATA || r === IDENTITY) && site[targets[k]!] !== s) bySite[s]!.add(targets[k]!);
    }
  }
  const owners = [...new Set(bySite.flatMap((set) => [...set].map((j) => owner[j]!)))].sort((a, b) => a - b);
  const column = new Map(owners.map((o, c) => [o, c]));
  const lists = bySite.map((set) => [...set].sort((a, b) => owner[a]! - owner[b]! || a - b));
  const dependencyOffsets = shared(Int32Array, siteCount + 1);
  lists.forEach((list, s) => (dependencyOffsets[s + 1] = dependencyOffsets[s]! + list.length));
  const flat = lists.flat();
  return {
    offsets: dependencyOffsets,
    nodes: sharedFrom(Int32Array, flat),
    columns: sharedFrom(Int32Array, flat.map((j) => column.get(owner[j]!)!)),
    owners,
  };
}
