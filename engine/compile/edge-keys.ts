import { edgeKey, edgeSalt } from '../kernel/rng.js';
import type { CompiledModel } from './model.js';

/**
 * Each explicit edge's stream key — its attempts' random numbers — is a hash of (source, target, relation)
 * and of how many edges with the same three came before it in the source's list (its repeat, 0 almost
 * always), so an edge draws the same attempt delays in every regime and in every variant of the twin that
 * keeps its two ends: removing or closing another edge entry shifts CSR positions, never another edge's
 * key (docs/engine.md "Coupled runs"). The key is computed where it is drawn (kernel/rng.ts `edgeKey`), from
 * the edge's class tag (relation + 8 × repeat, CompiledModel.classTag), not stored per edge (62 MB on
 * nhs-england).
 */

/** Edge k's stream key (the entity of its attempts' draws), out of `source`. */
export function edgeKeyOf(m: Pick<CompiledModel, 'targets' | 'edgeClass' | 'classTag'>, source: number, k: number): number {
  return edgeKey(edgeSalt(source), m.targets[k]!, m.classTag[m.edgeClass[k]!]!);
}

/**
 * The edges whose repeat is not 0, by CSR position. Per target: the last source that reached it, and the
 * relations it used (a bit each), so a repeat of (source, target, relation) is found in constant time; a
 * repeat is counted in a map of the source's repeated pairs (linear even in a twin of many equal entries).
 */
export function edgeRepeats(offsets: Int32Array, targets: Int32Array, edgeGroup: Int32Array, groupRelation: Uint8Array): Map<number, number> {
  const repeats = new Map<number, number>();
  const nodes = offsets.length - 1;
  const lastSource = new Int32Array(nodes).fill(-1);
  const relationsSeen = new Uint8Array(nodes);
  // (target × 8 + relation) → the last repeat of that pair out of the current source.
  const last = new Map<number, number>();
  for (let source = 0; source < nodes; source++) {
    if (last.size > 0) last.clear();
    for (let k = offsets[source]!, end = offsets[source + 1]!; k < end; k++) {
      const target = targets[k]!;
      const r = groupRelation[edgeGroup[k]!]!;
      if (lastSource[target] !== source) {
        lastSource[target] = source;
        relationsSeen[target] = 1 << r;
      } else if ((relationsSeen[target]! & (1 << r)) === 0) relationsSeen[target]! |= 1 << r;
      else {
        const pair = target * 8 + r;
        const repeat = (last.get(pair) ?? 0) + 1;
        last.set(pair, repeat);
        repeats.set(k, repeat);
      }
    }
  }
  return repeats;
}
